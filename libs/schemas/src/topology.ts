import type * as Types from './generated/types';

/** Canonical entities: topic suffix, schema file, TypeScript type. One topic per entity. */
export interface CanonicalEntities {
  repository: Types.Repository;
  commit: Types.Commit;
  commit_file_change: Types.CommitFileChange;
  blame_line: Types.BlameLine;
  pull_request: Types.PullRequest;
  review: Types.Review;
  review_comment: Types.ReviewComment;
  pipeline_run: Types.PipelineRun;
  pipeline_job: Types.PipelineJob;
  deployment: Types.Deployment;
  incident: Types.Incident;
  work_item: Types.WorkItem;
  work_item_transition: Types.WorkItemTransition;
  identity: Types.Identity;
  team: Types.Team;
  team_membership: Types.TeamMembership;
  push: Types.Push;
}
export type CanonicalEntityName = keyof CanonicalEntities;
export type CanonicalRecord = CanonicalEntities[CanonicalEntityName];

export const CANONICAL_ENTITY_NAMES: readonly CanonicalEntityName[] = [
  'repository',
  'commit',
  'commit_file_change',
  'blame_line',
  'pull_request',
  'review',
  'review_comment',
  'pipeline_run',
  'pipeline_job',
  'deployment',
  'incident',
  'work_item',
  'work_item_transition',
  'identity',
  'team',
  'team_membership',
  'push',
];

export const PROVIDERS = ['git', 'github', 'gitlab', 'jira', 'synthetic'] as const;
export type Provider = (typeof PROVIDERS)[number];

export interface MetricEntities {
  repo_metrics_daily: Types.RepoMetricsDaily;
  user_metrics_daily: Types.UserMetricsDaily;
  work_item_metrics_daily: Types.WorkItemMetricsDaily;
  team_metrics_daily: Types.TeamMetricsDaily;
  dora_metrics_daily: Types.DoraMetricsDaily;
}
export type MetricEntityName = keyof MetricEntities;
export type MetricRow = MetricEntities[MetricEntityName];

/**
 * The key of each append-only metric table (besides computed_at): every store builds its primary key,
 * its "latest wins" grouping and its document ids from this one list. Table name = metric name.
 */
export const METRIC_KEYS = {
  repo_metrics_daily: ['org_id', 'repository_id', 'day'],
  user_metrics_daily: ['org_id', 'repository_id', 'author_identity_id', 'day'],
  work_item_metrics_daily: ['org_id', 'provider', 'work_scope_id', 'team_id', 'day'],
  team_metrics_daily: ['org_id', 'team_id', 'day'],
  dora_metrics_daily: ['org_id', 'repository_id', 'day'],
} as const satisfies { [M in MetricEntityName]: readonly (keyof MetricEntities[M] & string)[] };

export const METRIC_ENTITY_NAMES = Object.keys(METRIC_KEYS) as MetricEntityName[];

/**
 * Which computation a metric row belongs to: the metric key kind that produces the table and the row
 * columns that name that key's scope (within the row's org_id, which every computation carries too). A
 * row counts only when its computed_at is the latest computation (metric_computations) of its key, so
 * a recompute that no longer produces a row withdraws it.
 */
export const METRIC_SCOPES = {
  repo_metrics_daily: { kind: 'repo', scope: 'repository_id', provider: null, team: null },
  user_metrics_daily: { kind: 'repo', scope: 'repository_id', provider: null, team: null },
  work_item_metrics_daily: { kind: 'work_items', scope: 'work_scope_id', provider: 'provider', team: 'team_id' },
  team_metrics_daily: { kind: 'team', scope: 'team_id', provider: null, team: null },
  dora_metrics_daily: { kind: 'dora', scope: 'repository_id', provider: null, team: null },
} as const satisfies {
  [M in MetricEntityName]: {
    kind: string;
    scope: keyof MetricEntities[M] & string;
    provider: (keyof MetricEntities[M] & string) | null;
    team: (keyof MetricEntities[M] & string) | null;
  };
};

/** The persisted form of metrics.updated: one row per computation of a metric key. */
export const METRIC_COMPUTATIONS_TABLE = 'metric_computations';

/** Schema file (schemas/internal/<file>.avsc) of a metric table. */
export function metricSchemaFile(metric: MetricEntityName): string {
  return metric.replace(/_/g, '-');
}

/**
 * Every topic name, from one prefix. The prefix separates environments (and test runs) sharing a
 * cluster. Subjects follow Confluent's TopicNameStrategy: "<topic>-value".
 */
export class Topology {
  constructor(readonly prefix: string) {}

  raw(provider: Provider): string {
    return `${this.prefix}.raw.${provider}`;
  }
  canonical(entity: CanonicalEntityName): string {
    return `${this.prefix}.canonical.${entity.replace(/_/g, '-')}`;
  }
  metric(entity: MetricEntityName): string {
    return `${this.prefix}.metrics.${entity.replace(/_/g, '-')}`;
  }
  storeChanged(): string {
    return `${this.prefix}.internal.store-changed`;
  }
  /** One event per recomputed metric key: the gateway's live updates. */
  metricsUpdated(): string {
    return `${this.prefix}.internal.metrics-updated`;
  }
  /** sync.requested for the connector services, keyed by integration id. */
  commands(): string {
    return `${this.prefix}.control.commands`;
  }
  /**
   * sync.requested of backfill runs: a stream of their own, consumed by each connector under its own
   * concurrency budget, so a long backfill never holds the slots incremental syncs need.
   */
  backfillCommands(): string {
    return `${this.prefix}.control.backfill-commands`;
  }
  /** sync.started / sync.progress / sync.finished from the connectors, keyed by run id. */
  syncEvents(): string {
    return `${this.prefix}.control.sync-events`;
  }
  /** replay.requested / rebuild.requested / task.cancel for the pipeline stages, keyed by task id. */
  taskCommands(): string {
    return `${this.prefix}.control.task-commands`;
  }
  /** task.status of backfills, replays and rebuilds, keyed by task id. */
  taskStatus(): string {
    return `${this.prefix}.control.task-status`;
  }
  deadLetter(consumerGroup: string): string {
    return `${this.prefix}.dlq.${consumerGroup}`;
  }
  group(name: string): string {
    return `${this.prefix}.${name}`;
  }
  static subject(topic: string): string {
    return `${topic}-value`;
  }
}

/** Schema file (schemas/canonical/<file>.avsc) for an entity. */
export function canonicalSchemaFile(entity: CanonicalEntityName): string {
  return entity.replace(/_/g, '-');
}

/** Table / collection name of each stored canonical entity, the same in every store. */
export const ENTITY_TABLE_NAMES = {
  repository: 'repositories',
  commit: 'commits',
  commit_file_change: 'commit_file_changes',
  blame_line: 'blame_lines',
  identity: 'identities',
  pull_request: 'pull_requests',
  review: 'reviews',
  review_comment: 'review_comments',
  pipeline_run: 'pipeline_runs',
  pipeline_job: 'pipeline_jobs',
  deployment: 'deployments',
  incident: 'incidents',
  work_item: 'work_items',
  work_item_transition: 'work_item_transitions',
  team: 'teams',
  team_membership: 'team_memberships',
  push: 'pushes',
} as const satisfies Record<CanonicalEntityName, string>;
export type StoredEntityName = keyof typeof ENTITY_TABLE_NAMES;
export const STORED_ENTITY_NAMES = Object.keys(ENTITY_TABLE_NAMES) as StoredEntityName[];
