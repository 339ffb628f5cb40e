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
const SCOPES: Record<string, { kind: string; scope: string; provider: string | null; team: string | null }> = {
  repo_metrics_daily: { kind: 'repo', scope: 'repository_id', provider: null, team: null },
  user_metrics_daily: { kind: 'repo', scope: 'repository_id', provider: null, team: null },
  work_item_metrics_daily: { kind: 'work_items', scope: 'work_scope_id', provider: 'provider', team: 'team_id' },
  team_metrics_daily: { kind: 'team', scope: 'team_id', provider: null, team: null },
  dora_metrics_daily: { kind: 'dora', scope: 'repository_id', provider: null, team: null },
};

/**
 * Order-independent storage: every canonical row carries its record_version (the newest wins whatever
 * order versions arrive in), and metric_computations records each computation of a metric key, so a
 * recompute that no longer produces a row withdraws it. Existing metric rows get one computation per
 * key (its latest computed_at), so what readers see does not change on upgrade.
 */
export class RecordVersionsAndComputations1764100000000 implements MigrationInterface {
  name = 'RecordVersionsAndComputations1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ENTITY_TABLES) {
      // Existing rows are version 0: any version written from now on replaces them.
      await queryRunner.query(`ALTER TABLE "${table}" ADD COLUMN "record_version" bigint NOT NULL DEFAULT 0`);
      await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "record_version" DROP DEFAULT`);
    }
    await queryRunner.query(
      `CREATE TABLE "metric_computations" ("kind" text NOT NULL, "scope_id" text NOT NULL, "provider" text NOT NULL,
        "team_id" text NOT NULL, "day" date NOT NULL, "computed_at" timestamptz NOT NULL, "tables" text array NOT NULL,
        "rows" integer NOT NULL,
        CONSTRAINT "metric_computations_pkey" PRIMARY KEY ("kind", "scope_id", "provider", "team_id", "day", "computed_at"))`,
    );
    for (const [table, { kind, scope, provider, team }] of Object.entries(SCOPES))
      await queryRunner.query(
        `INSERT INTO "metric_computations"
         SELECT '${kind}', "${scope}", ${provider ? `"${provider}"` : `''`}, ${team ? `"${team}"` : `''`}, "day",
                max("computed_at"), ARRAY['${table}'], 0
         FROM "${table}" GROUP BY 2, 3, 4, 5 ON CONFLICT DO NOTHING`,
      );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "metric_computations"`);
    for (const table of ENTITY_TABLES) await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "record_version"`);
  }
}
