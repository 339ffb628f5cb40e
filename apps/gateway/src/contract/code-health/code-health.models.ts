import { Field, Float, GraphQLISODateTime, InputType, Int, ObjectType } from '@nestjs/graphql';

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

@InputType({
  description: 'Hotspots of a window: files changed in it, with their churn over the 30 days ending at untilUtc.',
})
export class HotspotsInput {
  @Field(() => String) orgId!: string;
  @Field(() => GraphQLISODateTime) sinceUtc!: Date;
  @Field(() => GraphQLISODateTime) untilUtc!: Date;
  @Field(() => [String], { nullable: true, defaultValue: null }) repoIds?: string[] | null;
  @Field(() => [String], { nullable: true, defaultValue: null, description: 'Only these teams’ members’ changes.' })
  teamIds?: string[] | null;
  @Field(() => Int, { nullable: true, defaultValue: null, description: 'Rows, 50 unless given (at most 500).' })
  limit?: number | null;
}

@ObjectType({ description: 'A file hotspot (docs/metrics.md, Code health: Hotspots).' })
export class HotspotRow {
  @Field(() => String, { description: 'Its path at untilUtc: a file renamed in the window is one row.' })
  filePath!: string;
  @Field(() => String) repoId!: string;
  @Field(() => String) repoName!: string;
  @Field(() => Int, { description: 'Lines added + deleted in the 30 days ending at untilUtc.' }) churnLoc30d!: number;
  @Field(() => Int, { description: 'Commits that changed it in those 30 days.' }) churnCommits30d!: number;
  @Field(() => Int, { description: 'Not measured (no source is parsed): 0.' }) cyclomaticTotal!: number;
  @Field(() => Float, { description: 'Not measured (no source is parsed): 0.' }) cyclomaticAvg!: number;
  @Field(() => Float, {
    nullable: true,
    description: 'The largest author’s share of its lines at the newest blamed revision (0–1); null without blame.',
  })
  blameConcentration!: number | null;
  @Field(() => Float, {
    description:
      'Geometric mean of churn (log), commits and distinct authors, each against the largest of the answer (0–1).',
  })
  riskScore!: number;
  @Field(() => String, { nullable: true, description: 'The file at the provider, where it has a web page.' })
  evidenceUrl!: string | null;
}

@ObjectType({ description: 'A repository’s riskiest file.' })
export class HotspotRepo {
  @Field(() => String) repoId!: string;
  @Field(() => String) repoName!: string;
  @Field(() => String) topFilePath!: string;
  @Field(() => Float) topRiskScore!: number;
  @Field(() => String, { nullable: true }) evidenceUrl!: string | null;
}

@ObjectType()
export class HotspotsResult {
  @Field(() => [HotspotRow], { description: 'The riskiest files first.' }) rows!: HotspotRow[];
  @Field(() => [HotspotRepo], { description: 'Per repository with a hotspot, the riskiest first.' })
  repos!: HotspotRepo[];
}
