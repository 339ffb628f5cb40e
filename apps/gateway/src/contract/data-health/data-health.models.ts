import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'The last failed sync of a connector.' })
export class ConnectorFailure {
  @Field(() => GraphQLISODateTime) occurredAt!: Date;
  @Field(() => String, { description: 'The error as the connector reported it (secrets redacted at the source).' })
  message!: string;
  @Field(() => String, { nullable: true, description: 'The stage it failed in: auth, fetch, sync, …' })
  stage!: string | null;
}

@ObjectType({ description: 'One integration (connector configuration) of the organization.' })
export class ConnectorStatus {
  @Field(() => String) provider!: string;
  @Field(() => String, { description: 'What it reads: owner/repositories, paths, group, projects.' }) scope!: string;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'The last successful sync; null when none succeeded.',
  })
  lastSyncAt!: Date | null;
  @Field(() => Int, { description: 'Raw records published by all its syncs, every kind together.' })
  rowsIngested!: number;
  @Field(() => ConnectorFailure, { nullable: true, description: 'The last failed sync, if any ever failed.' })
  lastFailure!: ConnectorFailure | null;
}

@ObjectType()
export class UnmappedIdentity {
  @Field(() => String) provider!: string;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true }) displayName!: string | null;
  @Field(() => Int, { nullable: true, description: 'Commits, PRs and reviews attributed to it.' })
  observedCount!: number | null;
}

@ObjectType()
export class AliasSuggestion {
  @Field(() => UnmappedIdentity) unmappedIdentity!: UnmappedIdentity;
  @Field(() => String) suggestedCanonicalId!: string;
  @Field(() => String, { nullable: true }) suggestedCanonicalName!: string | null;
  @Field(() => Float) confidence!: number;
}

@ObjectType({ description: 'How well people are linked across providers.' })
export class IdentityMappingHealth {
  @Field(() => Int) unmappedCount!: number;
  @Field(() => [UnmappedIdentity]) unmappedIdentities!: UnmappedIdentity[];
  @Field(() => [AliasSuggestion]) suggestedAliases!: AliasSuggestion[];
}

@ObjectType()
export class MissingMapping {
  @Field(() => String) repoName!: string;
  @Field(() => String) reason!: string;
}

@ObjectType()
export class CoverageStat {
  @Field(() => Int) totalRepos!: number;
  @Field(() => Int) coveredRepos!: number;
  @Field(() => Float) coveragePct!: number;
  @Field(() => [MissingMapping]) missing!: MissingMapping[];
}

@ObjectType({ description: 'Repositories whose deployments and work items are known.' })
export class MappingCoverage {
  @Field(() => CoverageStat) deployments!: CoverageStat;
  @Field(() => CoverageStat) workItems!: CoverageStat;
}

@ObjectType()
export class WindowSpec {
  @Field(() => String, {
    description: 'daily: one value per UTC day (a metric table); query_time: computed when asked over the window.',
  })
  kind!: string;
  @Field(() => Int, { nullable: true }) durationDays!: number | null;
}

@ObjectType()
export class MetricLineage {
  @Field(() => ID) metricId!: string;
  @Field(() => [String]) sourceTables!: string[];
  @Field(() => WindowSpec) computeWindow!: WindowSpec;
  @Field(() => GraphQLISODateTime, { description: 'When its newest stored value was computed (query_time: now).' })
  computedAt!: Date;
  @Field(() => Int, {
    nullable: true,
    description: 'Rows of the metric table (query_time: of its first source) in the organization.',
  })
  rowCount!: number | null;
}

@ObjectType({ description: 'Operator data-health and trust surface of one organization.' })
export class DataHealth {
  /** The org the surface is for (not a schema field). */
  org!: string;
}

@ObjectType()
export class SourceHealthFailure {
  @Field(() => GraphQLISODateTime) occurredAt!: Date;
  @Field(() => String, { description: 'A closed stage code; other when the stage is not one the platform names.' })
  stage!: string;
}

@ObjectType({
  description: 'A source (integration) of the organization: its last sync, and a failure if its latest sync failed.',
})
export class SourceHealth {
  @Field(() => String) provider!: string;
  @Field(() => String) scope!: string;
  @Field(() => GraphQLISODateTime, { nullable: true }) lastSyncAt!: Date | null;
  @Field(() => SourceHealthFailure, { nullable: true }) lastFailure!: SourceHealthFailure | null;
}
