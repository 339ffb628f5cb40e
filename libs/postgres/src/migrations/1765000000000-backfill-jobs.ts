import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Backfill jobs: a requested range cut into 7-day chunks, each run as a backfill sync, progress kept per chunk. */
export class BackfillJobs1765000000000 implements MigrationInterface {
  name = 'BackfillJobs1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "backfill_jobs" ("id" uuid PRIMARY KEY, "org_id" text NOT NULL, "integration_id" uuid NOT NULL,
        "since" timestamptz NOT NULL, "before" timestamptz NOT NULL, "status" text NOT NULL,
        "requested_at" timestamptz NOT NULL, "started_at" timestamptz, "finished_at" timestamptz, "error" text,
        CONSTRAINT "backfill_jobs_integration_fk" FOREIGN KEY ("integration_id")
          REFERENCES "integrations" ("id") ON DELETE CASCADE)`,
    );
    await queryRunner.query(`CREATE INDEX "backfill_jobs_active" ON "backfill_jobs" ("status", "requested_at")`);
    await queryRunner.query(
      `CREATE TABLE "backfill_chunks" ("job_id" uuid NOT NULL, "chunk_index" integer NOT NULL,
        "window_start" timestamptz NOT NULL, "window_end" timestamptz NOT NULL, "status" text NOT NULL,
        "run_id" uuid, "attempts" integer NOT NULL DEFAULT 0, "records" jsonb NOT NULL DEFAULT '{}',
        "error" text, "started_at" timestamptz, "finished_at" timestamptz,
        CONSTRAINT "backfill_chunks_pkey" PRIMARY KEY ("job_id", "chunk_index"),
        CONSTRAINT "backfill_chunks_job_fk" FOREIGN KEY ("job_id") REFERENCES "backfill_jobs" ("id") ON DELETE CASCADE)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "backfill_chunks"`);
    await queryRunner.query(`DROP TABLE "backfill_jobs"`);
  }
}
