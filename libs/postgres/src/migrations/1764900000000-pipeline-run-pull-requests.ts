import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pipeline runs name the pull requests they ran for (GitHub: a workflow run's pull_requests), so CI
 * time and failures can be read per PR. Rows written before are empty lists, which is what they knew.
 */
export class PipelineRunPullRequests1764900000000 implements MigrationInterface {
  name = 'PipelineRunPullRequests1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "pipeline_runs" ADD COLUMN "pull_request_ids" text[] NOT NULL DEFAULT '{}'`);
    await queryRunner.query(
      `CREATE INDEX "pipeline_runs_pull_requests" ON "pipeline_runs" USING gin ("pull_request_ids")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "pipeline_runs_pull_requests"`);
    await queryRunner.query(`ALTER TABLE "pipeline_runs" DROP COLUMN "pull_request_ids"`);
  }
}
