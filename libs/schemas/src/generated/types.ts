// Generated from schemas/*.avsc by `npm run generate:types`. Do not edit.

/** A raw provider payload as a connector fetched it, with where it came from. */
export interface RawRecord {
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  /** commit, repository, blame, pull_request, ... */
  entity_kind: string;
  /** The provider's natural id (sha, PR number, issue key) */
  source_id: string;
  /** Repository / project the record belongs to */
  scope: string;
  /** UTC */
  fetched_at: number;
  /** The request or command that produced it */
  request: null | string;
  /** Pagination cursor or watermark position */
  cursor: null | string;
  sync_mode: SyncMode;
  backfill_job_id: null | string;
  /** The provider's payload, JSON text, unchanged */
  payload: string;
}

export type SyncMode = 'incremental' | 'backfill' | 'replay';

/** Authorship of one line range of a file at a revision. */
export interface BlameLine {
  /** Deterministic canonical id: provider:entity:natural-key */
  id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  repository_id: string;
  revision: string;
  path: string;
  line_start: number;
  line_count: number;
  commit_sha: string;
  author_identity_id: string;
  /** UTC */
  authored_at: number;
}

/** Where a canonical record came from: the raw record it was derived from. */
export interface Provenance {
  raw_topic: string;
  raw_partition: number;
  raw_offset: number;
  /** The provider's own id of the raw record */
  raw_source_id: string;
  /** When the connector fetched the raw record (UTC) */
  fetched_at: number;
}

/** One file touched by a commit. */
export interface CommitFileChange {
  /** Deterministic canonical id: provider:entity:natural-key */
  id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  commit_id: string;
  repository_id: string;
  path: string;
  additions: number;
  deletions: number;
  is_binary: boolean;
  /** UTC */
  committed_at: number;
}

/** A commit with its totals and computed size bucket. */
export interface Commit {
  /** Deterministic canonical id: provider:entity:natural-key */
  id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  repository_id: string;
  sha: string;
  parent_shas: Array<string>;
  author_identity_id: string;
  author_name: string;
  /** lower-cased */
  author_email: string;
  /** UTC */
  authored_at: number;
  /** Author's local offset from UTC, e.g. 330 for +05:30 */
  author_utc_offset_minutes: number;
  committer_identity_id: string;
  /** lower-cased */
  committer_email: string;
  /** UTC */
  committed_at: number;
  committer_utc_offset_minutes: number;
  message_subject: string;
  files_changed: number;
  additions: number;
  deletions: number;
  is_merge: boolean;
  /** small <= 50, medium 51-300, large > 300 lines added+deleted */
  size_bucket: CommitSizeBucket;
}

export type CommitSizeBucket = 'small' | 'medium' | 'large';

/** A deployment with its latest status. */
export interface Deployment {
  /** Deterministic canonical id: provider:entity:natural-key */
  id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  repository_id: string;
  environment: string;
  /** success, failed, in_progress, canceled */
  status: string;
  commit_sha: null | string;
  service: null | string;
  /** UTC */
  created_at: number;
  /** UTC */
  finished_at: null | number;
  /** UTC */
  updated_at: number;
}

/** A person, resolved across emails and provider logins. */
export interface Identity {
  /** Deterministic canonical id: provider:entity:natural-key */
  id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  display_name: string;
  /** lower-cased */
  primary_email: string;
  emails: Array<string>;
  /** provider:login */
  logins: Array<string>;
}

/** An incident, optionally linked to a deployment. */
export interface Incident {
  /** Deterministic canonical id: provider:entity:natural-key */
  id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  repository_id: null | string;
  service: null | string;
  title: string;
  severity: string;
  /** open, resolved */
  status: string;
  /** UTC */
  started_at: number;
  /** UTC */
  resolved_at: null | number;
  deployment_id: null | string;
  /** UTC */
  updated_at: number;
}

/** A job within a CI pipeline run. */
export interface PipelineJob {
  /** Deterministic canonical id: provider:entity:natural-key */
  id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  pipeline_run_id: string;
  repository_id: string;
  name: string;
  status: string;
  started_at: null | number;
  finished_at: null | number;
}

/** A CI pipeline (workflow) run. */
export interface PipelineRun {
  /** Deterministic canonical id: provider:entity:natural-key */
  id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  repository_id: string;
  pipeline_name: null | string;
  /** success, failed, canceled, running */
  status: string;
  commit_sha: null | string;
  branch: null | string;
  /** UTC */
  created_at: number;
  started_at: null | number;
  finished_at: null | number;
  /** UTC */
  updated_at: number;
}

/** A pull request (GitHub) or merge request (GitLab). */
export interface PullRequest {
  /** Deterministic canonical id: provider:entity:natural-key */
  id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  repository_id: string;
  number: number;
  title: string;
  /** open, closed, merged */
  state: string;
  author_identity_id: string;
  /** UTC */
  created_at: number;
  /** UTC */
  merged_at: null | number;
  /** UTC */
  closed_at: null | number;
  base_branch: null | string;
  head_branch: null | string;
  merge_commit_sha: null | string;
  additions: null | number;
  deletions: null | number;
  changed_files: null | number;
  is_revert: boolean;
  /** UTC; orders versions of the same PR */
  updated_at: number;
}

/** A source repository. */
export interface Repository {
  /** Deterministic canonical id: provider:entity:natural-key */
  id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  name: string;
  /** owner/name or path-derived name */
  full_name: string;
  url: null | string;
  default_branch: null | string;
  /** UTC */
  created_at: null | number;
}

/** A comment on a pull request. */
export interface ReviewComment {
  /** Deterministic canonical id: provider:entity:natural-key */
  id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  pull_request_id: string;
  repository_id: string;
  author_identity_id: string;
  /** UTC */
  created_at: number;
  path: null | string;
}

/** A review on a pull request. */
export interface Review {
  /** Deterministic canonical id: provider:entity:natural-key */
  id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  pull_request_id: string;
  repository_id: string;
  reviewer_identity_id: string;
  /** approved, changes_requested, commented, dismissed */
  state: string;
  /** UTC */
  submitted_at: number;
}

/** A person's membership of a team. */
export interface TeamMembership {
  /** Deterministic canonical id: provider:entity:natural-key */
  id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  team_id: string;
  identity_id: string;
  role: null | string;
  since: null | number;
}

/** A team. */
export interface Team {
  /** Deterministic canonical id: provider:entity:natural-key */
  id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  name: string;
  parent_team_id: null | string;
}

/** A status change of a work item. */
export interface WorkItemTransition {
  /** Deterministic canonical id: provider:entity:natural-key */
  id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  work_item_id: string;
  from_status: null | string;
  to_status: string;
  from_category: null | string;
  to_category: string;
  /** UTC */
  transitioned_at: number;
  actor_identity_id: null | string;
}

/** An issue, story, task or bug. */
export interface WorkItem {
  /** Deterministic canonical id: provider:entity:natural-key */
  id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  /** project / board / repository the item belongs to */
  work_scope_id: string;
  key: string;
  title: string;
  /** story, bug, task, epic */
  type: string;
  status: string;
  /** todo, in_progress, done, canceled */
  status_category: string;
  assignee_identity_id: null | string;
  reporter_identity_id: null | string;
  team_id: null | string;
  /** UTC */
  created_at: number;
  started_at: null | number;
  completed_at: null | number;
  /** UTC */
  updated_at: number;
}

/** Daily rollup per repository (append-only; latest computed_at wins). */
export interface RepoMetricsDaily {
  repository_id: string;
  /** UTC day, days since 1970-01-01 */
  day: number;
  /** UTC */
  computed_at: number;
  commits: number;
  additions: number;
  deletions: number;
  files_changed: number;
  large_commits: number;
  /** lines added+deleted per commit; null when no commits */
  avg_commit_size: null | number;
}

/** Emitted by a sink after a batch is durably written: which metric keys it touched. */
export interface StoreChanged {
  /** postgres, clickhouse, mongo */
  store: string;
  entity: string;
  repository_id: string;
  /** UTC day, days since 1970-01-01 */
  day: number;
  author_identity_ids: Array<string>;
  /** UTC */
  written_at: number;
}

/** Daily rollup per repository and author identity (append-only; latest computed_at wins). */
export interface UserMetricsDaily {
  repository_id: string;
  author_identity_id: string;
  author_email: string;
  /** UTC day, days since 1970-01-01 */
  day: number;
  /** UTC */
  computed_at: number;
  commits: number;
  additions: number;
  deletions: number;
  files_changed: number;
  large_commits: number;
  /** lines added+deleted per commit; null when no commits */
  avg_commit_size: null | number;
}
