import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pushes from GitHub's public events: one row per event id (unique per org, so a re-run of the
 * poller or a replay of the raw topic never adds a second).
 */
export class Pushes1764700000000 implements MigrationInterface {
  name = 'Pushes1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "pushes" ("id" text PRIMARY KEY, "org_id" text NOT NULL, "provider" text NOT NULL,
        "provenance" jsonb NOT NULL, "record_version" bigint NOT NULL, "repository_id" text NOT NULL,
        "event_id" text NOT NULL, "ref" text NOT NULL, "before_sha" text, "head_sha" text NOT NULL,
        "size" integer NOT NULL, "distinct_size" integer, "commit_shas" text[] NOT NULL,
        "commits_complete" boolean NOT NULL, "actor_identity_id" text NOT NULL, "pushed_at" timestamptz NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "pushes_repository_pushed" ON "pushes" ("repository_id", "pushed_at")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "pushes_org_event" ON "pushes" ("org_id", "event_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "pushes"`);
  }
}
