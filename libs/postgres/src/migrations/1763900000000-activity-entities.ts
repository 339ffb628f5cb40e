import type { MigrationInterface, QueryRunner } from 'typeorm';

const COMMON = `"id" text PRIMARY KEY, "provider" text NOT NULL, "provenance" jsonb NOT NULL`;

/** Pull requests and reviews, CI and delivery, work items, teams: every canonical entity gets a table. */
export class ActivityEntities1763900000000 implements MigrationInterface {
  name = 'ActivityEntities1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE "pull_requests" (${COMMON}, "repository_id" text NOT NULL, "number" integer NOT NULL,
        "title" text NOT NULL, "state" text NOT NULL, "author_identity_id" text NOT NULL,
        "created_at" timestamptz NOT NULL, "merged_at" timestamptz, "closed_at" timestamptz,
        "base_branch" text, "head_branch" text, "merge_commit_sha" text,
        "additions" integer, "deletions" integer, "changed_files" integer,
        "is_revert" boolean NOT NULL, "updated_at" timestamptz NOT NULL)`,
      `CREATE INDEX "pull_requests_repository_merged" ON "pull_requests" ("repository_id", "merged_at")`,
      `CREATE TABLE "reviews" (${COMMON}, "pull_request_id" text NOT NULL, "repository_id" text NOT NULL,
        "reviewer_identity_id" text NOT NULL, "state" text NOT NULL, "submitted_at" timestamptz NOT NULL)`,
      `CREATE INDEX "reviews_pull_request" ON "reviews" ("pull_request_id")`,
      `CREATE TABLE "review_comments" (${COMMON}, "pull_request_id" text NOT NULL, "repository_id" text NOT NULL,
        "author_identity_id" text NOT NULL, "created_at" timestamptz NOT NULL, "path" text)`,
      `CREATE INDEX "review_comments_pull_request" ON "review_comments" ("pull_request_id")`,
      `CREATE TABLE "pipeline_runs" (${COMMON}, "repository_id" text NOT NULL, "pipeline_name" text,
        "status" text NOT NULL, "commit_sha" text, "branch" text, "created_at" timestamptz NOT NULL,
        "started_at" timestamptz, "finished_at" timestamptz, "updated_at" timestamptz NOT NULL)`,
      `CREATE INDEX "pipeline_runs_repository_created" ON "pipeline_runs" ("repository_id", "created_at")`,
      `CREATE TABLE "pipeline_jobs" (${COMMON}, "pipeline_run_id" text NOT NULL, "repository_id" text NOT NULL,
        "name" text NOT NULL, "status" text NOT NULL, "started_at" timestamptz, "finished_at" timestamptz)`,
      `CREATE INDEX "pipeline_jobs_run" ON "pipeline_jobs" ("pipeline_run_id")`,
      `CREATE TABLE "deployments" (${COMMON}, "repository_id" text NOT NULL, "environment" text NOT NULL,
        "status" text NOT NULL, "commit_sha" text, "service" text, "created_at" timestamptz NOT NULL,
        "finished_at" timestamptz, "updated_at" timestamptz NOT NULL)`,
      `CREATE INDEX "deployments_repository_created" ON "deployments" ("repository_id", "created_at")`,
      `CREATE TABLE "incidents" (${COMMON}, "repository_id" text, "service" text, "title" text NOT NULL,
        "severity" text NOT NULL, "status" text NOT NULL, "started_at" timestamptz NOT NULL,
        "resolved_at" timestamptz, "deployment_id" text, "updated_at" timestamptz NOT NULL)`,
      `CREATE INDEX "incidents_repository_started" ON "incidents" ("repository_id", "started_at")`,
      `CREATE TABLE "work_items" (${COMMON}, "work_scope_id" text NOT NULL, "key" text NOT NULL,
        "title" text NOT NULL, "type" text NOT NULL, "status" text NOT NULL, "status_category" text NOT NULL,
        "assignee_identity_id" text, "reporter_identity_id" text, "team_id" text,
        "created_at" timestamptz NOT NULL, "started_at" timestamptz, "completed_at" timestamptz,
        "updated_at" timestamptz NOT NULL)`,
      `CREATE INDEX "work_items_scope" ON "work_items" ("work_scope_id")`,
      `CREATE TABLE "work_item_transitions" (${COMMON}, "work_item_id" text NOT NULL, "from_status" text,
        "to_status" text NOT NULL, "from_category" text, "to_category" text NOT NULL,
        "transitioned_at" timestamptz NOT NULL, "actor_identity_id" text)`,
      `CREATE INDEX "work_item_transitions_item" ON "work_item_transitions" ("work_item_id")`,
      `CREATE TABLE "teams" (${COMMON}, "name" text NOT NULL, "parent_team_id" text)`,
      `CREATE TABLE "team_memberships" (${COMMON}, "team_id" text NOT NULL, "identity_id" text NOT NULL,
        "role" text, "since" timestamptz)`,
      `CREATE INDEX "team_memberships_identity" ON "team_memberships" ("identity_id")`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'team_memberships',
      'teams',
      'work_item_transitions',
      'work_items',
      'incidents',
      'deployments',
      'pipeline_jobs',
      'pipeline_runs',
      'review_comments',
      'reviews',
      'pull_requests',
    ])
      await queryRunner.query(`DROP TABLE "${table}"`);
  }
}
