import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The control plane (organizations, integrations, sync runs, sync watermarks, API keys); the default org exists from the start. */
export class ControlPlane1764300000000 implements MigrationInterface {
  name = 'ControlPlane1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE "organizations" ("slug" text PRIMARY KEY, "name" text NOT NULL, "tier" text NOT NULL,
        "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL)`,
      `INSERT INTO "organizations" VALUES ('default', 'Default organization', 'enterprise', now(), now())`,
      `CREATE TABLE "integrations" ("id" uuid PRIMARY KEY, "org_id" text NOT NULL, "provider" text NOT NULL,
        "name" text NOT NULL, "scope" jsonb NOT NULL, "schedule_interval_seconds" integer, "enabled" boolean NOT NULL,
        "credential_ref" text, "created_at" timestamptz NOT NULL, "updated_at" timestamptz NOT NULL,
        CONSTRAINT "integrations_org_fk" FOREIGN KEY ("org_id") REFERENCES "organizations" ("slug") ON DELETE CASCADE)`,
      `CREATE UNIQUE INDEX "integrations_org_name" ON "integrations" ("org_id", "name")`,
      `CREATE TABLE "sync_runs" ("id" uuid PRIMARY KEY, "integration_id" uuid NOT NULL, "org_id" text NOT NULL,
        "mode" text NOT NULL, "status" text NOT NULL, "window_start" timestamptz, "window_end" timestamptz,
        "requested_at" timestamptz NOT NULL, "started_at" timestamptz, "finished_at" timestamptz, "heartbeat_at" timestamptz,
        "records" jsonb NOT NULL, "error_stage" text, "error_message" text,
        CONSTRAINT "sync_runs_integration_fk" FOREIGN KEY ("integration_id") REFERENCES "integrations" ("id") ON DELETE CASCADE)`,
      `CREATE INDEX "sync_runs_org_requested" ON "sync_runs" ("org_id", "requested_at")`,
      `CREATE INDEX "sync_runs_integration_requested" ON "sync_runs" ("integration_id", "requested_at")`,
      `CREATE UNIQUE INDEX "sync_runs_one_active" ON "sync_runs" ("integration_id") WHERE "status" IN ('queued', 'running')`,
      `CREATE TABLE "sync_watermarks" ("integration_id" uuid NOT NULL, "target" text NOT NULL, "cursor" text NOT NULL,
        "updated_at" timestamptz NOT NULL, CONSTRAINT "sync_watermarks_pkey" PRIMARY KEY ("integration_id", "target"),
        CONSTRAINT "sync_watermarks_integration_fk" FOREIGN KEY ("integration_id") REFERENCES "integrations" ("id") ON DELETE CASCADE)`,
      `CREATE TABLE "api_keys" ("id" text PRIMARY KEY, "name" text NOT NULL, "secret_hash" text NOT NULL,
        "role" text NOT NULL, "orgs" text array, "created_at" timestamptz NOT NULL, "last_used_at" timestamptz,
        "revoked_at" timestamptz)`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['api_keys', 'sync_watermarks', 'sync_runs', 'integrations', 'organizations'])
      await queryRunner.query(`DROP TABLE "${table}"`);
  }
}
