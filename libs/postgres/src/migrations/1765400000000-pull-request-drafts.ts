import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Whether a pull request (merge request) is a draft when last seen. */
export class PullRequestDrafts1765400000000 implements MigrationInterface {
  name = 'PullRequestDrafts1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "pull_requests" ADD "is_draft" boolean NOT NULL DEFAULT false`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "pull_requests" DROP "is_draft"`);
  }
}
