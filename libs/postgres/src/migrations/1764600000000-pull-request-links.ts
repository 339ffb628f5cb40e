import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pull requests carry their labels, the people asked to review them, and the work items merging them
 * closes (GitHub closing references): what "PRs linked to issues" coverage and review-request
 * metrics read. Rows written before are empty lists, which is what they knew.
 */
export class PullRequestLinks1764600000000 implements MigrationInterface {
  name = 'PullRequestLinks1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "pull_requests" ADD COLUMN "labels" text[] NOT NULL DEFAULT '{}',
        ADD COLUMN "requested_reviewer_identity_ids" text[] NOT NULL DEFAULT '{}',
        ADD COLUMN "closing_work_item_ids" text[] NOT NULL DEFAULT '{}'`,
    );
    await queryRunner.query(
      `CREATE INDEX "pull_requests_closing_work_items" ON "pull_requests" USING gin ("closing_work_item_ids")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "pull_requests_closing_work_items"`);
    await queryRunner.query(
      `ALTER TABLE "pull_requests" DROP COLUMN "labels", DROP COLUMN "requested_reviewer_identity_ids",
        DROP COLUMN "closing_work_item_ids"`,
    );
  }
}
