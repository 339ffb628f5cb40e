import { Field, Float, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateScalar } from '../shared/filters';

export enum OperatingReviewMetricScope {
  ORGANIZATION = 'ORGANIZATION',
  TEAM = 'TEAM',
}
registerEnumType(OperatingReviewMetricScope, {
  name: 'OperatingReviewMetricScope',
  description: 'Whether a metric is the organization’s (nothing narrows it to a team) or the team’s.',
});

@InputType()
export class OperatingReviewInput {
  @Field(() => String, { nullable: true, defaultValue: null }) teamId?: string | null;
  @Field(() => [String], { nullable: true, defaultValue: null, description: 'Teams reviewed together.' })
  teamIds?: string[] | null;
  @Field(() => DateScalar, { description: 'The week reviewed: 7 UTC days from this day.' }) weekStart!: string;
}

@ObjectType()
export class OperatingReviewDelta {
  @Field(() => Float) value!: number;
  @Field(() => Float) priorValue!: number;
  @Field(() => Float) absolute!: number;
  @Field(() => Float, { nullable: true, description: 'Null when the prior week was 0.' }) percent!: number | null;
  @Field(() => String, { description: 'improved, worsened, unchanged, changed (no better side) or no_data.' })
  status!: string;
  @Field(() => Boolean) hasPriorData!: boolean;
}

@ObjectType()
export class OperatingReviewMetric {
  @Field(() => String) key!: string;
  @Field(() => String) label!: string;
  @Field(() => Float) value!: number;
  @Field(() => String) unit!: string;
  @Field(() => Boolean) hasData!: boolean;
  @Field(() => OperatingReviewMetricScope) scope!: OperatingReviewMetricScope;
  @Field(() => String, { nullable: true, description: 'Rates: measured, or why not.' }) rateState!: string | null;
  @Field(() => OperatingReviewDelta) delta!: OperatingReviewDelta;
}

@ObjectType()
export class OperatingReviewSection {
  @Field(() => String) key!: string;
  @Field(() => String) title!: string;
  @Field(() => [OperatingReviewMetric]) metrics!: OperatingReviewMetric[];
  @Field(() => [String], { description: 'Keys of the metrics that moved by 10 % or more.' }) changed!: string[];
  @Field(() => [String]) improved!: string[];
  @Field(() => [String]) worsened!: string[];
}

@ObjectType({
  description:
    'The weekly operating review (docs/metrics.md, Operating review): each number from a stored metric or the canonical records, against the week before.',
})
export class OperatingReview {
  @Field(() => String) orgId!: string;
  @Field(() => String, { nullable: true }) teamId!: string | null;
  @Field(() => DateScalar) weekStart!: string;
  @Field(() => DateScalar) priorWeekStart!: string;
  @Field(() => [OperatingReviewSection]) sections!: OperatingReviewSection[];
  @Field(() => [String]) recommendations!: string[];
  @Field(() => String) recommendationsEmptyState!: string;
}
