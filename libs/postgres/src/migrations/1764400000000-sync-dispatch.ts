import type { MigrationInterface, QueryRunner } from 'typeorm';

/** When the admin service last published a run's sync.requested command: queued runs are re-sent until taken. */
export class SyncDispatch1764400000000 implements MigrationInterface {
  name = 'SyncDispatch1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sync_runs" ADD COLUMN "dispatched_at" timestamptz`);
    await queryRunner.query(
      `CREATE INDEX "sync_runs_queued" ON "sync_runs" ("requested_at") WHERE "status" = 'queued'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "sync_runs_queued"`);
    await queryRunner.query(`ALTER TABLE "sync_runs" DROP COLUMN "dispatched_at"`);
  }
}
