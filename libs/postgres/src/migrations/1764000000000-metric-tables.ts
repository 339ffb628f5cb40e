import type { MigrationInterface, QueryRunner } from 'typeorm';

const METRIC_ROW = `"day" date NOT NULL, "computed_at" timestamptz NOT NULL`;
const int = (name: string) => `"${name}" integer NOT NULL`;
const num = (name: string) => `"${name}" double precision`;

/** Adds columns that hold counts: existing rows get 0, later rows always carry a value (no default). */
async function addCounts(queryRunner: QueryRunner, table: string, columns: string[]): Promise<void> {
  for (const column of columns) {
    await queryRunner.query(`ALTER TABLE "${table}" ADD COLUMN "${column}" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "${column}" DROP DEFAULT`);
  }
}

async function addNullable(queryRunner: QueryRunner, table: string, columns: string[]): Promise<void> {
  for (const column of columns)
    await queryRunner.query(`ALTER TABLE "${table}" ADD COLUMN "${column}" double precision`);
}

const REVIEW_FLOW_MEASURES = [
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
];
const USER_COUNTS = ['prs_authored', 'prs_merged', 'reviews_given', 'reviews_received'];

/** Indexes for the queries the metrics service recomputes from: name → table and columns. */
const INDEXES: Record<string, string> = {
  pull_requests_repository_created: `"pull_requests" ("repository_id", "created_at")`,
  reviews_repository_submitted: `"reviews" ("repository_id", "submitted_at")`,
  review_comments_repository_created: `"review_comments" ("repository_id", "created_at")`,
  deployments_repository_deployed: `"deployments" ("repository_id", (coalesce("finished_at", "created_at")))`,
  incidents_deployment: `"incidents" ("deployment_id")`,
  commits_author_authored: `"commits" ("author_identity_id", "authored_at")`,
  team_memberships_team: `"team_memberships" ("team_id")`,
};

/**
 * Review flow on repo_metrics_daily, PR and review activity on user_metrics_daily, and the work-item,
 * team and DORA tables, and their indexes.
 */
export class MetricTables1764000000000 implements MigrationInterface {
  name = 'MetricTables1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['repo_metrics_daily', 'user_metrics_daily']) {
      await addCounts(queryRunner, table, ['lines_touched']);
      await addNullable(queryRunner, table, ['large_commit_ratio']);
      await queryRunner.query(
        `UPDATE "${table}" SET "lines_touched" = "additions" + "deletions",
           "large_commit_ratio" = CASE WHEN "commits" = 0 THEN NULL ELSE round("large_commits"::numeric / "commits", 4)::float8 END`,
      );
    }
    await addCounts(queryRunner, 'repo_metrics_daily', ['prs_opened', 'prs_merged']);
    await addNullable(queryRunner, 'repo_metrics_daily', REVIEW_FLOW_MEASURES);
    await addCounts(queryRunner, 'repo_metrics_daily', ['negative_durations_dropped']);
    await addCounts(queryRunner, 'user_metrics_daily', USER_COUNTS);
    await addNullable(queryRunner, 'user_metrics_daily', ['active_hours']);

    const statements = [
      `CREATE TABLE "work_item_metrics_daily" ("provider" text NOT NULL, "work_scope_id" text NOT NULL,
        "team_id" text NOT NULL, ${METRIC_ROW}, ${int('items_created')}, ${int('items_started')},
        ${int('items_completed')}, ${int('wip_end_of_day')}, ${num('wip_age_p50_days')},
        ${num('cycle_time_p50_hours')}, ${num('cycle_time_p90_hours')}, ${num('lead_time_p50_hours')},
        ${num('lead_time_p90_hours')}, ${num('bug_share')}, ${int('reopened')}, ${int('negative_durations_dropped')},
        PRIMARY KEY ("provider", "work_scope_id", "team_id", "day", "computed_at"))`,
      `CREATE TABLE "team_metrics_daily" ("team_id" text NOT NULL, ${METRIC_ROW}, ${int('commits')},
        ${int('after_hours_commits')}, ${int('weekend_commits')}, ${num('after_hours_ratio')}, ${num('weekend_ratio')},
        PRIMARY KEY ("team_id", "day", "computed_at"))`,
      `CREATE TABLE "dora_metrics_daily" ("repository_id" text NOT NULL, ${METRIC_ROW}, ${int('deployments')},
        ${int('successful_deployments')}, ${int('failed_deployments')}, ${num('change_failure_rate')},
        ${num('lead_time_p50_hours')}, ${num('lead_time_p90_hours')}, ${int('changes_deployed')},
        ${int('incidents_resolved')}, ${num('time_to_restore_p50_hours')}, ${int('incidents_open_unresolved')},
        ${int('negative_durations_dropped')}, PRIMARY KEY ("repository_id", "day", "computed_at"))`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
    for (const [name, on] of Object.entries(INDEXES)) await queryRunner.query(`CREATE INDEX "${name}" ON ${on}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of Object.keys(INDEXES)) await queryRunner.query(`DROP INDEX "${name}"`);
    for (const table of ['work_item_metrics_daily', 'team_metrics_daily', 'dora_metrics_daily'])
      await queryRunner.query(`DROP TABLE "${table}"`);
    const added = {
      repo_metrics_daily: [
        'lines_touched',
        'large_commit_ratio',
        'prs_opened',
        'prs_merged',
        ...REVIEW_FLOW_MEASURES,
        'negative_durations_dropped',
      ],
      user_metrics_daily: ['lines_touched', 'large_commit_ratio', ...USER_COUNTS, 'active_hours'],
    };
    for (const [table, columns] of Object.entries(added))
      for (const column of columns) await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "${column}"`);
  }
}
