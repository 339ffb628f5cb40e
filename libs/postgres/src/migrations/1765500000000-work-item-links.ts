import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Work items' planning details (priority, labels, components, parent), and the issue keys pull requests
 * and commits mention (links to work items by key, resolved where they are read: GIN-indexed for it).
 */
export class WorkItemLinks1765500000000 implements MigrationInterface {
  name = 'WorkItemLinks1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "work_items" ADD "priority" text, ADD "labels" text[] NOT NULL DEFAULT '{}',
        ADD "components" text[] NOT NULL DEFAULT '{}', ADD "parent_work_item_id" text`,
    );
    await queryRunner.query(`CREATE INDEX "work_items_key" ON "work_items" ("org_id", "key")`);
    await queryRunner.query(`ALTER TABLE "pull_requests" ADD "work_item_keys" text[] NOT NULL DEFAULT '{}'`);
    await queryRunner.query(
      `CREATE INDEX "pull_requests_work_item_keys" ON "pull_requests" USING gin ("work_item_keys")`,
    );
    await queryRunner.query(`ALTER TABLE "commits" ADD "work_item_keys" text[] NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`CREATE INDEX "commits_work_item_keys" ON "commits" USING gin ("work_item_keys")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "commits_work_item_keys"`);
    await queryRunner.query(`ALTER TABLE "commits" DROP "work_item_keys"`);
    await queryRunner.query(`DROP INDEX "pull_requests_work_item_keys"`);
    await queryRunner.query(`ALTER TABLE "pull_requests" DROP "work_item_keys"`);
    await queryRunner.query(`DROP INDEX "work_items_key"`);
    await queryRunner.query(
      `ALTER TABLE "work_items" DROP "priority", DROP "labels", DROP "components", DROP "parent_work_item_id"`,
    );
  }
}
