import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A renamed file's path before the commit that renamed it: hotspots follow a file across renames. */
export class FileRenames1765600000000 implements MigrationInterface {
  name = 'FileRenames1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "commit_file_changes" ADD "previous_path" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "commit_file_changes" DROP "previous_path"`);
  }
}
