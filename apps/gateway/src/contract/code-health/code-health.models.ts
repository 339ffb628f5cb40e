import { Field, Float, InputType, Int, ObjectType } from '@nestjs/graphql';

@InputType({ description: 'A repository or a team (its members’ commits); neither: the org.' })
export class BusFactorScopeInput {
  @Field(() => String, { nullable: true, defaultValue: null }) repoId?: string | null;
  @Field(() => String, { nullable: true, defaultValue: null }) teamId?: string | null;
}

@ObjectType()
export class BusFactorScope {
  @Field(() => String, { nullable: true }) repoId!: string | null;
  @Field(() => String, { nullable: true }) teamId!: string | null;
}

@ObjectType({ description: 'An author’s share of the changed lines.' })
export class MaintainerShare {
  @Field(() => String, { description: 'Display name, else email.' }) author!: string;
  @Field(() => Float) sharePercent!: number;
}

@ObjectType()
export class RepoBusFactor {
  @Field(() => String) repoId!: string;
  @Field(() => String) repoName!: string;
  @Field(() => Int) value!: number;
  @Field(() => [MaintainerShare]) topMaintainers!: MaintainerShare[];
  @Field(() => Int) evidenceSampleCount!: number;
}

@ObjectType({
  description:
    'Bus factor (docs/metrics.md, Code health): the fewest authors owning at least half of the changed lines of non-merge commits over the last 365 days; 0 when nothing changed.',
})
export class BusFactor {
  @Field(() => String) orgId!: string;
  @Field(() => BusFactorScope) scope!: BusFactorScope;
  @Field(() => Int) value!: number;
  @Field(() => [MaintainerShare], { description: 'The five largest owners.' }) topMaintainers!: MaintainerShare[];
  @Field(() => [RepoBusFactor], { description: 'Per repository of the scope, the lowest bus factor first.' })
  repos!: RepoBusFactor[];
  @Field(() => Int, { description: 'Commits the answer rests on.' }) evidenceSampleCount!: number;
}
