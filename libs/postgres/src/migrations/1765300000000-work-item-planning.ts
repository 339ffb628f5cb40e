import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Where a work item is planned and how big it is: milestone, iteration (sprint) and estimate (weight, points). */
export class WorkItemPlanning1765300000000 implements MigrationInterface {
  name = 'WorkItemPlanning1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "work_items" ADD "milestone" text, ADD "iteration" text, ADD "estimate" double precision`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "work_items" DROP "milestone", DROP "iteration", DROP "estimate"`);
  }
}
