/**
 * Ordered, idempotent DDL, applied at start-up and recorded in schema_migrations. Written for
 * ClickHouse 18.16 (Debian) and current ClickHouse alike: no LowCardinality, DateTime64, Map, Bool,
 * CODEC or TTL; DateTime('UTC') at second precision, with *_ms columns where order within a second
 * matters.
 */
export interface ClickHouseMigration {
  version: string;
  /** DDL and DML; `{table:name}` is replaced by the database-qualified name. */
  statements: string[];
  /**
   * Columns added to existing tables. 18.16 has no ADD COLUMN IF NOT EXISTS, so the runner adds only
   * the ones system.columns does not list: a migration interrupted half-way can run again.
   */
  addColumns?: { table: string; columns: [name: string, type: string][] }[];
  /**
   * Tables rebuilt under a new engine clause (a new ORDER BY, which ALTER cannot change on 18.16), after
   * addColumns: copied into a new table, then swapped in by RENAME. Each step can run again.
   */
  rebuild?: { table: string; engine: string }[];
}

/** The engine clause of an entity table keyed by org_id first. */
const orgKeyed = (partition: string | null, ...order: string[]) =>
  `ReplacingMergeTree(_version) ${partition ? `PARTITION BY toYYYYMM(${partition}) ` : ''}ORDER BY (org_id, ${order.join(', ')})`;
/** The engine clause of a metric table (or metric_computations) keyed by org_id first. */
const orgKeyedMetric = (...key: string[]) =>
  `ReplacingMergeTree() PARTITION BY toYYYYMM(day) ORDER BY (org_id, ${key.join(', ')}, day, computed_at_ms)`;

/** Tenancy: every table, keyed by org first (the default org's rows keep their ids). */
const TENANCY_REBUILDS: { table: string; engine: string }[] = [
  { table: 'repositories', engine: orgKeyed(null, 'id') },
  { table: 'commits', engine: orgKeyed('authored_at', 'repository_id', 'id') },
  { table: 'commit_file_changes', engine: orgKeyed('committed_at', 'repository_id', 'id') },
  { table: 'blame_lines', engine: orgKeyed(null, 'repository_id', 'id') },
  { table: 'identities', engine: orgKeyed(null, 'id') },
  { table: 'pull_requests', engine: orgKeyed('created_at', 'repository_id', 'id') },
  { table: 'reviews', engine: orgKeyed('submitted_at', 'repository_id', 'id') },
  { table: 'review_comments', engine: orgKeyed('created_at', 'repository_id', 'id') },
  { table: 'pipeline_runs', engine: orgKeyed('created_at', 'repository_id', 'id') },
  { table: 'pipeline_jobs', engine: orgKeyed(null, 'repository_id', 'id') },
  { table: 'deployments', engine: orgKeyed('created_at', 'repository_id', 'id') },
  { table: 'incidents', engine: orgKeyed('started_at', 'id') },
  { table: 'work_items', engine: orgKeyed('created_at', 'work_scope_id', 'id') },
  { table: 'work_item_transitions', engine: orgKeyed('transitioned_at', 'work_item_id', 'id') },
  { table: 'teams', engine: orgKeyed(null, 'id') },
  { table: 'team_memberships', engine: orgKeyed(null, 'team_id', 'id') },
  { table: 'repo_metrics_daily', engine: orgKeyedMetric('repository_id') },
  { table: 'user_metrics_daily', engine: orgKeyedMetric('repository_id', 'author_identity_id') },
  { table: 'work_item_metrics_daily', engine: orgKeyedMetric('provider', 'work_scope_id', 'team_id') },
  { table: 'team_metrics_daily', engine: orgKeyedMetric('team_id') },
  { table: 'dora_metrics_daily', engine: orgKeyedMetric('repository_id') },
  { table: 'metric_computations', engine: orgKeyedMetric('kind', 'scope_id', 'provider', 'team_id') },
];

const count = (name: string): [string, string] => [name, 'UInt32'];
const measure = (name: string): [string, string] => [name, 'Nullable(Float64)'];
const counts = (...names: string[]) => names.map((name) => `${name} UInt32`).join(', ');
const measures = (...names: string[]) => names.map((name) => `${name} Nullable(Float64)`).join(', ');
const METRIC_ROW = `day Date, computed_at DateTime('UTC'), computed_at_ms UInt64`;

const PROVENANCE_COLUMNS = `provider String, raw_topic String, raw_partition Int32, raw_offset Int64, raw_source_id String, fetched_at DateTime('UTC')`;

export const CLICKHOUSE_MIGRATIONS: ClickHouseMigration[] = [
  {
    version: '0001_git_entities',
    statements: [
      `CREATE TABLE IF NOT EXISTS repositories (id String, ${PROVENANCE_COLUMNS},
        name String, full_name String, url Nullable(String), default_branch Nullable(String), created_at Nullable(DateTime('UTC')),
        _version UInt64) ENGINE = ReplacingMergeTree(_version) ORDER BY id`,
      `CREATE TABLE IF NOT EXISTS commits (id String, ${PROVENANCE_COLUMNS},
        repository_id String, sha String, parent_shas Array(String), author_identity_id String, author_name String, author_email String,
        authored_at DateTime('UTC'), author_utc_offset_minutes Int16, committer_identity_id String, committer_email String,
        committed_at DateTime('UTC'), committer_utc_offset_minutes Int16, message_subject String, files_changed UInt32,
        additions UInt32, deletions UInt32, is_merge UInt8, size_bucket String, _version UInt64)
        ENGINE = ReplacingMergeTree(_version) PARTITION BY toYYYYMM(authored_at) ORDER BY (repository_id, id)`,
      `CREATE TABLE IF NOT EXISTS commit_file_changes (id String, ${PROVENANCE_COLUMNS},
        commit_id String, repository_id String, path String, additions UInt32, deletions UInt32, is_binary UInt8,
        committed_at DateTime('UTC'), _version UInt64)
        ENGINE = ReplacingMergeTree(_version) PARTITION BY toYYYYMM(committed_at) ORDER BY (repository_id, id)`,
      `CREATE TABLE IF NOT EXISTS blame_lines (id String, ${PROVENANCE_COLUMNS},
        repository_id String, revision String, path String, line_start UInt32, line_count UInt32, commit_sha String,
        author_identity_id String, authored_at DateTime('UTC'), _version UInt64)
        ENGINE = ReplacingMergeTree(_version) ORDER BY (repository_id, id)`,
      `CREATE TABLE IF NOT EXISTS identities (id String, ${PROVENANCE_COLUMNS},
        display_name String, primary_email String, emails Array(String), logins Array(String), _version UInt64)
        ENGINE = ReplacingMergeTree(_version) ORDER BY id`,
    ],
  },
  {
    version: '0002_daily_metrics',
    statements: [
      `CREATE TABLE IF NOT EXISTS repo_metrics_daily (repository_id String, day Date, computed_at DateTime('UTC'), computed_at_ms UInt64,
        commits UInt32, additions UInt32, deletions UInt32, files_changed UInt32, large_commits UInt32, avg_commit_size Nullable(Float64))
        ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(day) ORDER BY (repository_id, day, computed_at_ms)`,
      `CREATE TABLE IF NOT EXISTS user_metrics_daily (repository_id String, author_identity_id String, author_email String, day Date,
        computed_at DateTime('UTC'), computed_at_ms UInt64,
        commits UInt32, additions UInt32, deletions UInt32, files_changed UInt32, large_commits UInt32, avg_commit_size Nullable(Float64))
        ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(day) ORDER BY (repository_id, author_identity_id, day, computed_at_ms)`,
    ],
  },
  {
    version: '0003_activity_entities',
    statements: [
      `CREATE TABLE IF NOT EXISTS pull_requests (id String, ${PROVENANCE_COLUMNS},
        repository_id String, number Int32, title String, state String, author_identity_id String,
        created_at DateTime('UTC'), merged_at Nullable(DateTime('UTC')), closed_at Nullable(DateTime('UTC')),
        base_branch Nullable(String), head_branch Nullable(String), merge_commit_sha Nullable(String),
        additions Nullable(Int32), deletions Nullable(Int32), changed_files Nullable(Int32), is_revert UInt8,
        updated_at DateTime('UTC'), _version UInt64)
        ENGINE = ReplacingMergeTree(_version) PARTITION BY toYYYYMM(created_at) ORDER BY (repository_id, id)`,
      `CREATE TABLE IF NOT EXISTS reviews (id String, ${PROVENANCE_COLUMNS},
        pull_request_id String, repository_id String, reviewer_identity_id String, state String,
        submitted_at DateTime('UTC'), _version UInt64)
        ENGINE = ReplacingMergeTree(_version) PARTITION BY toYYYYMM(submitted_at) ORDER BY (repository_id, id)`,
      `CREATE TABLE IF NOT EXISTS review_comments (id String, ${PROVENANCE_COLUMNS},
        pull_request_id String, repository_id String, author_identity_id String, created_at DateTime('UTC'),
        path Nullable(String), _version UInt64)
        ENGINE = ReplacingMergeTree(_version) PARTITION BY toYYYYMM(created_at) ORDER BY (repository_id, id)`,
      `CREATE TABLE IF NOT EXISTS pipeline_runs (id String, ${PROVENANCE_COLUMNS},
        repository_id String, pipeline_name Nullable(String), status String, commit_sha Nullable(String),
        branch Nullable(String), created_at DateTime('UTC'), started_at Nullable(DateTime('UTC')),
        finished_at Nullable(DateTime('UTC')), updated_at DateTime('UTC'), _version UInt64)
        ENGINE = ReplacingMergeTree(_version) PARTITION BY toYYYYMM(created_at) ORDER BY (repository_id, id)`,
      `CREATE TABLE IF NOT EXISTS pipeline_jobs (id String, ${PROVENANCE_COLUMNS},
        pipeline_run_id String, repository_id String, name String, status String,
        started_at Nullable(DateTime('UTC')), finished_at Nullable(DateTime('UTC')), _version UInt64)
        ENGINE = ReplacingMergeTree(_version) ORDER BY (repository_id, id)`,
      `CREATE TABLE IF NOT EXISTS deployments (id String, ${PROVENANCE_COLUMNS},
        repository_id String, environment String, status String, commit_sha Nullable(String), service Nullable(String),
        created_at DateTime('UTC'), finished_at Nullable(DateTime('UTC')), updated_at DateTime('UTC'), _version UInt64)
        ENGINE = ReplacingMergeTree(_version) PARTITION BY toYYYYMM(created_at) ORDER BY (repository_id, id)`,
      `CREATE TABLE IF NOT EXISTS incidents (id String, ${PROVENANCE_COLUMNS},
        repository_id Nullable(String), service Nullable(String), title String, severity String, status String,
        started_at DateTime('UTC'), resolved_at Nullable(DateTime('UTC')), deployment_id Nullable(String),
        updated_at DateTime('UTC'), _version UInt64)
        ENGINE = ReplacingMergeTree(_version) PARTITION BY toYYYYMM(started_at) ORDER BY id`,
      `CREATE TABLE IF NOT EXISTS work_items (id String, ${PROVENANCE_COLUMNS},
        work_scope_id String, key String, title String, type String, status String, status_category String,
        assignee_identity_id Nullable(String), reporter_identity_id Nullable(String), team_id Nullable(String),
        created_at DateTime('UTC'), started_at Nullable(DateTime('UTC')), completed_at Nullable(DateTime('UTC')),
        updated_at DateTime('UTC'), _version UInt64)
        ENGINE = ReplacingMergeTree(_version) PARTITION BY toYYYYMM(created_at) ORDER BY (work_scope_id, id)`,
      `CREATE TABLE IF NOT EXISTS work_item_transitions (id String, ${PROVENANCE_COLUMNS},
        work_item_id String, from_status Nullable(String), to_status String, from_category Nullable(String),
        to_category String, transitioned_at DateTime('UTC'), actor_identity_id Nullable(String), _version UInt64)
        ENGINE = ReplacingMergeTree(_version) PARTITION BY toYYYYMM(transitioned_at) ORDER BY (work_item_id, id)`,
      `CREATE TABLE IF NOT EXISTS teams (id String, ${PROVENANCE_COLUMNS},
        name String, parent_team_id Nullable(String), _version UInt64)
        ENGINE = ReplacingMergeTree(_version) ORDER BY id`,
      `CREATE TABLE IF NOT EXISTS team_memberships (id String, ${PROVENANCE_COLUMNS},
        team_id String, identity_id String, role Nullable(String), since Nullable(DateTime('UTC')), _version UInt64)
        ENGINE = ReplacingMergeTree(_version) ORDER BY (team_id, id)`,
    ],
  },
  {
    version: '0004_metric_tables',
    addColumns: [
      {
        table: 'repo_metrics_daily',
        columns: [
          count('lines_touched'),
          measure('large_commit_ratio'),
          count('prs_opened'),
          count('prs_merged'),
          ...[
            'pr_cycle_time_p50_hours',
            'pr_cycle_time_p75_hours',
            'pr_cycle_time_p90_hours',
            'time_to_first_review_p50_hours',
            'time_to_first_review_p90_hours',
            'pickup_time_p50_hours',
            'pickup_time_p90_hours',
            'review_time_p50_hours',
            'review_time_p90_hours',
            'pr_size_p50',
            'pr_size_p90',
            'rework_ratio',
            'reviews_per_pr',
          ].map(measure),
          count('negative_durations_dropped'),
        ],
      },
      {
        table: 'user_metrics_daily',
        columns: [
          count('lines_touched'),
          measure('large_commit_ratio'),
          count('prs_authored'),
          count('prs_merged'),
          count('reviews_given'),
          count('reviews_received'),
          measure('active_hours'),
        ],
      },
    ],
    statements: [
      `CREATE TABLE IF NOT EXISTS work_item_metrics_daily (provider String, work_scope_id String, team_id String, ${METRIC_ROW},
        ${counts('items_created', 'items_started', 'items_completed', 'wip_end_of_day')},
        ${measures('wip_age_p50_days', 'cycle_time_p50_hours', 'cycle_time_p90_hours', 'lead_time_p50_hours', 'lead_time_p90_hours', 'bug_share')},
        ${counts('reopened', 'negative_durations_dropped')})
        ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(day) ORDER BY (provider, work_scope_id, team_id, day, computed_at_ms)`,
      `CREATE TABLE IF NOT EXISTS team_metrics_daily (team_id String, ${METRIC_ROW},
        ${counts('commits', 'after_hours_commits', 'weekend_commits')}, ${measures('after_hours_ratio', 'weekend_ratio')})
        ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(day) ORDER BY (team_id, day, computed_at_ms)`,
      `CREATE TABLE IF NOT EXISTS dora_metrics_daily (repository_id String, ${METRIC_ROW},
        ${counts('deployments', 'successful_deployments', 'failed_deployments')}, ${measures('change_failure_rate', 'lead_time_p50_hours', 'lead_time_p90_hours')},
        ${counts('changes_deployed', 'incidents_resolved')}, ${measures('time_to_restore_p50_hours')},
        ${counts('incidents_open_unresolved', 'negative_durations_dropped')})
        ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(day) ORDER BY (repository_id, day, computed_at_ms)`,
    ],
  },
  {
    // One row per computation of a metric key: a metric row counts only when it belongs to the latest
    // computation of its key. Existing rows get one computation per key, so reads do not change.
    version: '0005_metric_computations',
    statements: [
      `CREATE TABLE IF NOT EXISTS metric_computations (kind String, scope_id String, provider String, team_id String,
        ${METRIC_ROW}, tables Array(String), rows UInt32)
        ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(day) ORDER BY (kind, scope_id, provider, team_id, day, computed_at_ms)`,
      ...(
        [
          ['repo_metrics_daily', 'repo', 'repository_id', `''`, `''`],
          ['dora_metrics_daily', 'dora', 'repository_id', `''`, `''`],
          ['team_metrics_daily', 'team', 'team_id', `''`, `''`],
          ['work_item_metrics_daily', 'work_items', 'work_scope_id', 'provider', 'team_id'],
        ] as const
      ).map(
        ([table, kind, scope, provider, team]) =>
          `INSERT INTO {table:metric_computations} SELECT '${kind}', ${scope}, ${provider}, ${team}, day,
            argMax(computed_at, computed_at_ms), max(computed_at_ms), ['${table}'], 0
           FROM {table:${table}} GROUP BY ${scope}, ${provider}, ${team}, day`,
      ),
    ],
  },
  {
    // Rows written before tenancy belong to the default org.
    version: '0006_tenancy',
    addColumns: TENANCY_REBUILDS.map(({ table }) => ({ table, columns: [['org_id', `String DEFAULT 'default'`]] })),
    rebuild: TENANCY_REBUILDS,
    statements: [],
  },
  {
    version: '0007_pull_request_links',
    addColumns: [
      {
        table: 'pull_requests',
        columns: [
          ['labels', 'Array(String)'],
          ['requested_reviewer_identity_ids', 'Array(String)'],
          ['closing_work_item_ids', 'Array(String)'],
        ],
      },
    ],
    statements: [],
  },
  {
    version: '0008_pushes',
    statements: [
      `CREATE TABLE IF NOT EXISTS {table:pushes} (id String, org_id String, ${PROVENANCE_COLUMNS},
        repository_id String, event_id String, ref String, before_sha Nullable(String), head_sha String,
        size Int32, distinct_size Nullable(Int32), commit_shas Array(String), commits_complete UInt8,
        actor_identity_id String, pushed_at DateTime('UTC'), _version UInt64)
        ENGINE = ${orgKeyed('pushed_at', 'repository_id', 'id')}`,
    ],
  },
  {
    version: '0009_pipeline_run_pull_requests',
    addColumns: [{ table: 'pipeline_runs', columns: [['pull_request_ids', 'Array(String)']] }],
    statements: [],
  },
  {
    version: '0010_work_item_planning',
    addColumns: [
      {
        table: 'work_items',
        columns: [
          ['milestone', 'Nullable(String)'],
          ['iteration', 'Nullable(String)'],
          ['estimate', 'Nullable(Float64)'],
        ],
      },
    ],
    statements: [],
  },
  {
    version: '0011_pull_request_drafts',
    addColumns: [{ table: 'pull_requests', columns: [['is_draft', 'UInt8']] }],
    statements: [],
  },
  {
    version: '0012_work_item_links',
    addColumns: [
      {
        table: 'work_items',
        columns: [
          ['priority', 'Nullable(String)'],
          ['labels', 'Array(String)'],
          ['components', 'Array(String)'],
          ['parent_work_item_id', 'Nullable(String)'],
        ],
      },
      { table: 'pull_requests', columns: [['work_item_keys', 'Array(String)']] },
      { table: 'commits', columns: [['work_item_keys', 'Array(String)']] },
    ],
    statements: [],
  },
  {
    // A work item keeps its id when it moves to another project (Jira, GitLab): its work scope is not
    // part of its identity, so it cannot be part of the sorting key, or the moved version would be a
    // second row that FINAL never collapses.
    version: '0013_work_items_keyed_by_id',
    rebuild: [{ table: 'work_items', engine: orgKeyed('created_at', 'id') }],
    statements: [],
  },
  {
    version: '0014_file_renames',
    addColumns: [{ table: 'commit_file_changes', columns: [['previous_path', 'Nullable(String)']] }],
    statements: [],
  },
];
