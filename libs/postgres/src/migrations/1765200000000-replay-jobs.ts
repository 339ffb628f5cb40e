import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Replays (a stage's input topics reprocessed for one org, progress per partition) and the metrics
 * rebuild that follows a backfill job.
 */
export class ReplayJobs1765200000000 implements MigrationInterface {
  name = 'ReplayJobs1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "replay_jobs" ("id" uuid PRIMARY KEY, "org_id" text NOT NULL, "stage" text NOT NULL,
        "from_time" timestamptz, "to_time" timestamptz, "from_offsets" jsonb NOT NULL DEFAULT '[]',
        "generation" integer NOT NULL DEFAULT 0, "status" text NOT NULL, "partitions" jsonb NOT NULL DEFAULT '[]',
        "done" bigint NOT NULL DEFAULT 0, "total" bigint NOT NULL DEFAULT 0, "percent" double precision NOT NULL DEFAULT 0,
        "error" text, "requested_at" timestamptz NOT NULL, "dispatched_at" timestamptz, "cancel_requested_at" timestamptz,
        "started_at" timestamptz, "finished_at" timestamptz, "updated_at" timestamptz NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "replay_jobs_active" ON "replay_jobs" ("status", "updated_at")`);
    await queryRunner.query(`CREATE INDEX "replay_jobs_org" ON "replay_jobs" ("org_id", "requested_at")`);
    await queryRunner.query(
      `ALTER TABLE "backfill_jobs" ADD "rebuild_status" text, ADD "rebuild_error" text,
        ADD "rebuild_dispatched_at" timestamptz, ADD "rebuild_updated_at" timestamptz`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "backfill_jobs" DROP "rebuild_status", DROP "rebuild_error", DROP "rebuild_dispatched_at",
        DROP "rebuild_updated_at"`,
    );
    await queryRunner.query(`DROP TABLE "replay_jobs"`);
  }
}
