import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Git entities (repository, commit, file change, blame, identity) and the first daily metric tables. */
export class GitEntitiesAndMetrics1763800000000 implements MigrationInterface {
  name = 'GitEntitiesAndMetrics1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "repositories" (
      "id" text PRIMARY KEY, "provider" text NOT NULL, "provenance" jsonb NOT NULL,
      "name" text NOT NULL, "full_name" text NOT NULL, "url" text, "default_branch" text, "created_at" timestamptz)`);
    await queryRunner.query(`CREATE TABLE "commits" (
      "id" text PRIMARY KEY, "provider" text NOT NULL, "provenance" jsonb NOT NULL,
      "repository_id" text NOT NULL, "sha" text NOT NULL, "parent_shas" text[] NOT NULL,
      "author_identity_id" text NOT NULL, "author_name" text NOT NULL, "author_email" text NOT NULL,
      "authored_at" timestamptz NOT NULL, "author_utc_offset_minutes" integer NOT NULL,
      "committer_identity_id" text NOT NULL, "committer_email" text NOT NULL,
      "committed_at" timestamptz NOT NULL, "committer_utc_offset_minutes" integer NOT NULL,
      "message_subject" text NOT NULL, "files_changed" integer NOT NULL, "additions" integer NOT NULL,
      "deletions" integer NOT NULL, "is_merge" boolean NOT NULL, "size_bucket" text NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "commits_repository_day" ON "commits" ("repository_id", "authored_at")`);
    await queryRunner.query(`CREATE TABLE "commit_file_changes" (
      "id" text PRIMARY KEY, "provider" text NOT NULL, "provenance" jsonb NOT NULL,
      "commit_id" text NOT NULL, "repository_id" text NOT NULL, "path" text NOT NULL,
      "additions" integer NOT NULL, "deletions" integer NOT NULL, "is_binary" boolean NOT NULL,
      "committed_at" timestamptz NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "commit_file_changes_commit" ON "commit_file_changes" ("commit_id")`);
    await queryRunner.query(`CREATE TABLE "blame_lines" (
      "id" text PRIMARY KEY, "provider" text NOT NULL, "provenance" jsonb NOT NULL,
      "repository_id" text NOT NULL, "revision" text NOT NULL, "path" text NOT NULL,
      "line_start" integer NOT NULL, "line_count" integer NOT NULL, "commit_sha" text NOT NULL,
      "author_identity_id" text NOT NULL, "authored_at" timestamptz NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "blame_lines_file" ON "blame_lines" ("repository_id", "path")`);
    await queryRunner.query(`CREATE TABLE "identities" (
      "id" text PRIMARY KEY, "provider" text NOT NULL, "provenance" jsonb NOT NULL,
      "display_name" text NOT NULL, "primary_email" text NOT NULL, "emails" text[] NOT NULL, "logins" text[] NOT NULL)`);
    await queryRunner.query(`CREATE TABLE "repo_metrics_daily" (
      "repository_id" text NOT NULL, "day" date NOT NULL, "computed_at" timestamptz NOT NULL,
      "commits" integer NOT NULL, "additions" integer NOT NULL, "deletions" integer NOT NULL,
      "files_changed" integer NOT NULL, "large_commits" integer NOT NULL, "avg_commit_size" double precision,
      PRIMARY KEY ("repository_id", "day", "computed_at"))`);
    await queryRunner.query(`CREATE TABLE "user_metrics_daily" (
      "repository_id" text NOT NULL, "author_identity_id" text NOT NULL, "day" date NOT NULL,
      "computed_at" timestamptz NOT NULL, "author_email" text NOT NULL,
      "commits" integer NOT NULL, "additions" integer NOT NULL, "deletions" integer NOT NULL,
      "files_changed" integer NOT NULL, "large_commits" integer NOT NULL, "avg_commit_size" double precision,
      PRIMARY KEY ("repository_id", "author_identity_id", "day", "computed_at"))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'user_metrics_daily',
      'repo_metrics_daily',
      'identities',
      'blame_lines',
      'commit_file_changes',
      'commits',
      'repositories',
    ]) {
      await queryRunner.query(`DROP TABLE "${table}"`);
    }
  }
}
