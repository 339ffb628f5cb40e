import { Field, Float, InputType, Int, ObjectType } from '@nestjs/graphql';
import { DateScalar } from '../shared/filters';

@InputType()
export class CognitiveLoadInput {
  @Field(() => String) orgId!: string;
  @Field(() => DateScalar) sinceDate!: string;
  @Field(() => DateScalar) untilDate!: string;
  @Field(() => String, { nullable: true, defaultValue: null, description: 'One team (its members); else everyone.' })
  teamId?: string | null;
}

@ObjectType({ description: 'One day’s load signals per active developer (docs/metrics.md, Cognitive load).' })
export class CognitiveLoadSignal {
  @Field(() => DateScalar) day!: string;
  @Field(() => Float, { description: 'Reviews given per active developer: each a switch away from their own work.' })
  prInterruptionLoad!: number;
  @Field(() => Float, { description: 'Repositories touched per active developer.' }) contextSpreadCount!: number;
  @Field(() => Float, { description: 'Pull requests opened per active developer: each asks others for a review.' })
  reviewRequestLoad!: number;
  @Field(() => Float, { nullable: true, description: 'Commits outside business hours ÷ commits (null: none).' })
  afterHoursCommitRatio!: number | null;
  @Field(() => Float, { nullable: true, description: 'Weekend commits ÷ commits (null: none).' })
  weekendCommitRatio!: number | null;
}

@ObjectType()
export class CognitiveLoadResult {
  @Field(() => String) orgId!: string;
  @Field(() => String, { nullable: true }) teamId!: string | null;
  @Field(() => Int, { description: 'Days in the range.' }) totalDays!: number;
  @Field(() => [CognitiveLoadSignal], { description: 'The days with activity, in order.' })
  signals!: CognitiveLoadSignal[];
}
