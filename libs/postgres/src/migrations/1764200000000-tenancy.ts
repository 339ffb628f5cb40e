import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Frozen here (an applied migration never changes): the tables as of this migration. */
const ENTITY_TABLES = [
  'repositories',
  'commits',
  'commit_file_changes',
  'blame_lines',
  'identities',
  'pull_requests',
  'reviews',
  'review_comments',
  'pipeline_runs',
  'pipeline_jobs',
  'deployments',
  'incidents',
  'work_items',
  'work_item_transitions',
  'teams',
  'team_memberships',
];
/** Primary key of each metric table and of metric_computations, org_id first. */
const KEYED_TABLES: Record<string, string[]> = {
  repo_metrics_daily: ['repository_id', 'day', 'computed_at'],
  user_metrics_daily: ['repository_id', 'author_identity_id', 'day', 'computed_at'],
  work_item_metrics_daily: ['provider', 'work_scope_id', 'team_id', 'day', 'computed_at'],
  team_metrics_daily: ['team_id', 'day', 'computed_at'],
  dora_metrics_daily: ['repository_id', 'day', 'computed_at'],
  metric_computations: ['kind', 'scope_id', 'provider', 'team_id', 'day', 'computed_at'],
};
/**
 * Org listings (repositories, teams, people, work scopes). Fact tables get none: every query reaches
 * them through an org-scoped repository, PR or identity id, so an org index would cost writes only.
 */
const ORG_INDEXES: Record<string, string> = {
  repositories_org: `"repositories" ("org_id", "full_name")`,
  teams_org: `"teams" ("org_id")`,
  identities_org: `"identities" ("org_id")`,
  work_items_org: `"work_items" ("org_id", "work_scope_id")`,
};

const columns = (names: string[]) => names.map((name) => `"${name}"`).join(', ');

/**
 * Tenancy: org_id on every canonical, metric and computation row. Existing rows belong to the default
 * org, whose ids are unchanged (orgScopedId), so nothing else is rewritten. Metric keys lead with org_id.
 */
export class Tenancy1764200000000 implements MigrationInterface {
  name = 'Tenancy1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...ENTITY_TABLES, ...Object.keys(KEYED_TABLES)]) {
      // A constant default: no table rewrite. Dropped after, so a writer that forgets org_id fails.
      await queryRunner.query(`ALTER TABLE "${table}" ADD COLUMN "org_id" text NOT NULL DEFAULT 'default'`);
      await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "org_id" DROP DEFAULT`);
    }
    for (const [table, key] of Object.entries(KEYED_TABLES)) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${table}_pkey"`);
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD CONSTRAINT "${table}_pkey" PRIMARY KEY (${columns(['org_id', ...key])})`,
      );
    }
    for (const [name, on] of Object.entries(ORG_INDEXES)) await queryRunner.query(`CREATE INDEX "${name}" ON ${on}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of Object.keys(ORG_INDEXES)) await queryRunner.query(`DROP INDEX "${name}"`);
    for (const [table, key] of Object.entries(KEYED_TABLES)) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${table}_pkey"`);
      await queryRunner.query(`ALTER TABLE "${table}" ADD CONSTRAINT "${table}_pkey" PRIMARY KEY (${columns(key)})`);
    }
    for (const table of [...ENTITY_TABLES, ...Object.keys(KEYED_TABLES)])
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "org_id"`);
  }
}
