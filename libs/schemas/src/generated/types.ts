// Generated from schemas/*.avsc by `npm run generate:types`. Do not edit.

/** A raw provider payload as a connector fetched it, with where it came from. */
export interface RawRecord {
  /** The organization (tenant) whose integration fetched it; records written before tenancy belong to "default" */
  org_id: string;
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
  /** Deterministic canonical id: provider:entity:natural-key, prefixed org/ outside the default org */
  id: string;
  /** The organization (tenant) the record belongs to; records written before tenancy belong to "default" */
  org_id: string;
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
  /** 0 when derived live; a processor replay stamps its generation (1, 2, …), so a re-derivation of the same source version outranks the earlier ones in every store */
  reprocessing_generation: number;
}

/** One file touched by a commit. */
export interface CommitFileChange {
  /** Deterministic canonical id: provider:entity:natural-key, prefixed org/ outside the default org */
  id: string;
  /** The organization (tenant) the record belongs to; records written before tenancy belong to "default" */
  org_id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  commit_id: string;
  repository_id: string;
  path: string;
  /** The file's path before this commit when the commit renamed it (git's rename detection, GitHub's previous_filename); null otherwise */
  previous_path: null | string;
  additions: number;
  deletions: number;
  is_binary: boolean;
  /** UTC */
  committed_at: number;
}

/** A commit with its totals and computed size bucket. */
export interface Commit {
  /** Deterministic canonical id: provider:entity:natural-key, prefixed org/ outside the default org */
  id: string;
  /** The organization (tenant) the record belongs to; records written before tenancy belong to "default" */
  org_id: string;
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
  /** Issue keys (PROJ-123) its message mentions: links to work items by key, resolved where they are read */
  work_item_keys: Array<string>;
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
  /** Deterministic canonical id: provider:entity:natural-key, prefixed org/ outside the default org */
  id: string;
  /** The organization (tenant) the record belongs to; records written before tenancy belong to "default" */
  org_id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  repository_id: string;
  environment: string;
  /** success, failed, in_progress, canceled */
  status: DeploymentStatus;
  commit_sha: null | string;
  service: null | string;
  /** UTC */
  created_at: number;
  /** UTC */
  finished_at: null | number;
  /** UTC */
  updated_at: number;
}

export type DeploymentStatus = 'success' | 'failed' | 'in_progress' | 'canceled' | 'unknown';

/** A person, resolved across emails and provider logins. */
export interface Identity {
  /** Deterministic canonical id: provider:entity:natural-key, prefixed org/ outside the default org */
  id: string;
  /** The organization (tenant) the record belongs to; records written before tenancy belong to "default" */
  org_id: string;
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
  /** Deterministic canonical id: provider:entity:natural-key, prefixed org/ outside the default org */
  id: string;
  /** The organization (tenant) the record belongs to; records written before tenancy belong to "default" */
  org_id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  repository_id: null | string;
  service: null | string;
  title: string;
  severity: string;
  /** open, resolved */
  status: IncidentStatus;
  /** UTC */
  started_at: number;
  /** UTC */
  resolved_at: null | number;
  deployment_id: null | string;
  /** UTC */
  updated_at: number;
}

export type IncidentStatus = 'open' | 'resolved' | 'unknown';

/** A job within a CI pipeline run. */
export interface PipelineJob {
  /** Deterministic canonical id: provider:entity:natural-key, prefixed org/ outside the default org */
  id: string;
  /** The organization (tenant) the record belongs to; records written before tenancy belong to "default" */
  org_id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  pipeline_run_id: string;
  repository_id: string;
  name: string;
  status: PipelineStatus;
  started_at: null | number;
  finished_at: null | number;
}

export type PipelineStatus = 'success' | 'failed' | 'canceled' | 'running' | 'queued' | 'skipped' | 'unknown';

/** A CI pipeline (workflow) run. */
export interface PipelineRun {
  /** Deterministic canonical id: provider:entity:natural-key, prefixed org/ outside the default org */
  id: string;
  /** The organization (tenant) the record belongs to; records written before tenancy belong to "default" */
  org_id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  repository_id: string;
  pipeline_name: null | string;
  /** success, failed, canceled, running */
  status: PipelineStatus;
  commit_sha: null | string;
  branch: null | string;
  /** Canonical ids of the pull requests the run was for (GitHub: the run's pull_requests) */
  pull_request_ids: Array<string>;
  /** UTC */
  created_at: number;
  started_at: null | number;
  finished_at: null | number;
  /** UTC */
  updated_at: number;
}

/** A pull request (GitHub) or merge request (GitLab). */
export interface PullRequest {
  /** Deterministic canonical id: provider:entity:natural-key, prefixed org/ outside the default org */
  id: string;
  /** The organization (tenant) the record belongs to; records written before tenancy belong to "default" */
  org_id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  repository_id: string;
  number: number;
  title: string;
  /** open, closed, merged */
  state: PullRequestState;
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
  /** A draft (GitHub draft PR, GitLab draft MR) when last seen */
  is_draft: boolean;
  /** Label names, as the provider spells them */
  labels: Array<string>;
  /** People asked to review who have not yet (teams are not people: left out) */
  requested_reviewer_identity_ids: Array<string>;
  /** Canonical ids of the work items (issues) merging this closes */
  closing_work_item_ids: Array<string>;
  /** Issue keys (PROJ-123) its title or head branch mentions: links to work items by key, resolved where they are read */
  work_item_keys: Array<string>;
  /** UTC; orders versions of the same PR */
  updated_at: number;
}

export type PullRequestState = 'open' | 'closed' | 'merged' | 'unknown';

/** A push to a branch or tag (GitHub PushEvent): one per event id, through every store. */
export interface Push {
  /** Deterministic canonical id: provider:entity:natural-key, prefixed org/ outside the default org */
  id: string;
  /** The organization (tenant) the record belongs to; records written before tenancy belong to "default" */
  org_id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  repository_id: string;
  /** The provider's event id: unique, so a re-run never duplicates a push */
  event_id: string;
  /** refs/heads/<branch> or refs/tags/<tag> */
  ref: string;
  before_sha: null | string;
  head_sha: string;
  /** Commits pushed (the compare's count when the event omitted it) */
  size: number;
  /** Commits new to the repository, when the provider says */
  distinct_size: null | number;
  commit_shas: Array<string>;
  /** Whether commit_shas lists every commit pushed (event payloads are trimmed; the compare may be pending) */
  commits_complete: boolean;
  actor_identity_id: string;
  /** UTC */
  pushed_at: number;
}

/** A source repository. */
export interface Repository {
  /** Deterministic canonical id: provider:entity:natural-key, prefixed org/ outside the default org */
  id: string;
  /** The organization (tenant) the record belongs to; records written before tenancy belong to "default" */
  org_id: string;
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
  /** Deterministic canonical id: provider:entity:natural-key, prefixed org/ outside the default org */
  id: string;
  /** The organization (tenant) the record belongs to; records written before tenancy belong to "default" */
  org_id: string;
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
  /** Deterministic canonical id: provider:entity:natural-key, prefixed org/ outside the default org */
  id: string;
  /** The organization (tenant) the record belongs to; records written before tenancy belong to "default" */
  org_id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  pull_request_id: string;
  repository_id: string;
  reviewer_identity_id: string;
  /** approved, changes_requested, commented, dismissed */
  state: ReviewState;
  /** UTC */
  submitted_at: number;
}

export type ReviewState = 'approved' | 'changes_requested' | 'commented' | 'dismissed' | 'unknown';

/** A person's membership of a team. */
export interface TeamMembership {
  /** Deterministic canonical id: provider:entity:natural-key, prefixed org/ outside the default org */
  id: string;
  /** The organization (tenant) the record belongs to; records written before tenancy belong to "default" */
  org_id: string;
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
  /** Deterministic canonical id: provider:entity:natural-key, prefixed org/ outside the default org */
  id: string;
  /** The organization (tenant) the record belongs to; records written before tenancy belong to "default" */
  org_id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  name: string;
  parent_team_id: null | string;
}

/** A status change of a work item. */
export interface WorkItemTransition {
  /** Deterministic canonical id: provider:entity:natural-key, prefixed org/ outside the default org */
  id: string;
  /** The organization (tenant) the record belongs to; records written before tenancy belong to "default" */
  org_id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  work_item_id: string;
  from_status: null | string;
  to_status: string;
  from_category: null | WorkItemStatusCategory;
  to_category: WorkItemStatusCategory;
  /** UTC */
  transitioned_at: number;
  actor_identity_id: null | string;
}

export type WorkItemStatusCategory = 'todo' | 'in_progress' | 'done' | 'canceled' | 'unknown';

/** An issue, story, task or bug. */
export interface WorkItem {
  /** Deterministic canonical id: provider:entity:natural-key, prefixed org/ outside the default org */
  id: string;
  /** The organization (tenant) the record belongs to; records written before tenancy belong to "default" */
  org_id: string;
  /** git, github, gitlab, jira, synthetic */
  provider: string;
  provenance: Provenance;
  /** project / board / repository the item belongs to */
  work_scope_id: string;
  key: string;
  title: string;
  /** story, bug, task, epic */
  type: WorkItemType;
  status: string;
  /** todo, in_progress, done, canceled */
  status_category: WorkItemStatusCategory;
  assignee_identity_id: null | string;
  reporter_identity_id: null | string;
  team_id: null | string;
  /** The milestone it is planned for (GitLab milestone, Jira fix version), when it has one */
  milestone: null | string;
  /** The iteration it is planned in (GitLab iteration, Jira sprint), when it has one */
  iteration: null | string;
  /** Its size estimate in the provider's unit (GitLab weight, Jira story points), when it has one */
  estimate: null | number;
  /** Its priority as the provider names it (Jira priority), when it has one */
  priority: null | string;
  /** Its labels */
  labels: Array<string>;
  /** The components it belongs to (Jira components) */
  components: Array<string>;
  /** Canonical id of its parent (Jira epic or parent issue), when it has one */
  parent_work_item_id: null | string;
  /** UTC */
  created_at: number;
  started_at: null | number;
  completed_at: null | number;
  /** UTC */
  updated_at: number;
}

export type WorkItemType = 'story' | 'bug' | 'task' | 'epic' | 'incident' | 'unknown';

/** Daily DORA figures per repository (append-only; latest computed_at wins). */
export interface DoraMetricsDaily {
  /** The organization (tenant) */
  org_id: string;
  repository_id: string;
  /** UTC day, days since 1970-01-01 */
  day: number;
  /** UTC; the latest computation of a key wins */
  computed_at: number;
  /** production deployments that succeeded or failed */
  deployments: number;
  /** deployment frequency */
  successful_deployments: number;
  failed_deployments: number;
  change_failure_rate: null | number;
  lead_time_p50_hours: null | number;
  lead_time_p90_hours: null | number;
  changes_deployed: number;
  incidents_resolved: number;
  time_to_restore_p50_hours: null | number;
  incidents_open_unresolved: number;
  negative_durations_dropped: number;
}

/** Published by the metrics service after it recomputed one key, also when the key has no rows any more: the computation's id (key + computed_at). Stores keep these as metric_computations; a metric row counts only when it belongs to the latest computation of its key. Also the gateway's live updates. */
export interface MetricsUpdated {
  /** The organization (tenant) */
  org_id: string;
  /** repo, dora, team, work_items */
  kind: string;
  /** repository id, team id or work scope id */
  scope_id: string;
  /** work items only; '' otherwise */
  provider: string;
  /** work items only; '' otherwise */
  team_id: string;
  /** UTC day, days since 1970-01-01 */
  day: number;
  /** metric tables that received rows; empty when the key has no data (its rows are withdrawn) */
  tables: Array<string>;
  rows: number;
  /** UTC */
  computed_at: number;
}

/** Daily rollup per repository (append-only; latest computed_at wins). Definitions: docs/metrics.md. */
export interface RepoMetricsDaily {
  /** The organization (tenant) */
  org_id: string;
  repository_id: string;
  /** UTC day, days since 1970-01-01 */
  day: number;
  /** UTC; the latest computation of a key wins */
  computed_at: number;
  commits: number;
  additions: number;
  deletions: number;
  files_changed: number;
  large_commits: number;
  /** lines added+deleted per commit; null when no commits */
  avg_commit_size: null | number;
  /** additions + deletions */
  lines_touched: number;
  /** large commits / commits; null when no commits */
  large_commit_ratio: null | number;
  prs_opened: number;
  /** every PR column below is over the PRs merged that day */
  prs_merged: number;
  pr_cycle_time_p50_hours: null | number;
  pr_cycle_time_p75_hours: null | number;
  pr_cycle_time_p90_hours: null | number;
  time_to_first_review_p50_hours: null | number;
  time_to_first_review_p90_hours: null | number;
  pickup_time_p50_hours: null | number;
  pickup_time_p90_hours: null | number;
  review_time_p50_hours: null | number;
  review_time_p90_hours: null | number;
  pr_size_p50: null | number;
  pr_size_p90: null | number;
  rework_ratio: null | number;
  reviews_per_pr: null | number;
  negative_durations_dropped: number;
}

/** Emitted by the primary sink after a batch is durably written: which records changed, grouped by entity, scope and UTC day. A record that replaced an older version reports both versions, so keys the old version fed are recomputed too. The metrics service derives metric keys from it. */
export interface StoreChanged {
  /** The organization (tenant) */
  org_id: string;
  /** postgres, clickhouse, mongo */
  store: string;
  entity: string;
  /** the records' repository; '' when the entity has none (work items, memberships) */
  repository_id: string;
  /** UTC day, days since 1970-01-01 */
  day: number;
  /** identities the records name (authors, reviewers, members) */
  author_identity_ids: Array<string>;
  /** ids the metrics service resolves further: pull requests, deployments, work items, teams */
  record_ids: Array<string>;
  /** last UTC day of a range the records touch (inclusive); null: only `day` */
  through_day: null | number;
  /** the records also touch every later day of their scope (an unfinished work item counts in WIP until it is done) */
  open_ended: boolean;
  /** work items only: the scope of the records; '' otherwise */
  work_provider: string;
  /** work items only */
  work_scope_id: string;
  /** work items only; '' for items without a team */
  work_team_id: string;
  /** UTC */
  written_at: number;
}

/** A command to the connector services, on the commands topic keyed by integration id. The admin service publishes sync.requested for a queued sync run; the connector of the run's provider claims the run (queued → running in sync_runs), so a command delivered twice starts nothing twice. */
export interface SyncCommand {
  /** The organization (tenant) */
  org_id: string;
  /** sync.requested */
  command: string;
  /** sync_runs.id */
  run_id: string;
  integration_id: string;
  /** git, github, gitlab, jira, synthetic: which connector service runs it */
  provider: string;
  /** incremental or backfill */
  mode: string;
  /** backfill window [start, end), UTC; null for incremental runs */
  window_start: null | number;
  window_end: null | number;
  /** UTC */
  requested_at: number;
}

/** What a connector reports about a sync run it is running, on the sync-events topic keyed by run id: sync.started once, sync.progress at every heartbeat, sync.finished once. sync_runs holds the same state; the topic is its change stream, for anyone who wants to watch without polling. */
export interface SyncEvent {
  /** The organization (tenant) */
  org_id: string;
  /** sync.started, sync.progress or sync.finished */
  event: string;
  run_id: string;
  integration_id: string;
  provider: string;
  mode: string;
  /** running, succeeded, failed, cancelled, or queued when a stopping connector hands the run back */
  status: string;
  /** raw records published so far, per entity kind */
  records: Array<EntityRecordCount>;
  error_stage: null | string;
  error_message: null | string;
  /** UTC */
  at: number;
}

export interface EntityRecordCount {
  entity_kind: string;
  records: number;
}

/** A command to a pipeline stage (processor, sink-<store>, metrics) on the task-commands topic, keyed by task id. The admin service publishes replay.requested (reprocess the stage's input topics from a point, for one org, without calling any provider), rebuild.requested (metrics: recompute every key of an org and range) and task.cancel. A command delivered twice runs once: a replay's progress is the committed offsets of its own consumer group. */
export interface TaskCommand {
  /** The organization whose records are reprocessed */
  org_id: string;
  /** replay_jobs.id, or the backfill job id of a rebuild */
  task_id: string;
  /** replay.requested, rebuild.requested or task.cancel */
  command: string;
  /** processor, sink-postgres, sink-clickhouse, sink-mongo or metrics */
  stage: string;
  /** replay: first record time; null with no from_offsets: the earliest record. rebuild: first day */
  from_time: null | number;
  /** replay: records before this time; null: up to the end offsets captured when the replay starts. rebuild: end (exclusive) */
  to_time: null | number;
  /** replay from explicit offsets instead of a time: only the partitions listed */
  from_offsets: Array<TopicPartitionOffset>;
  /** a resent replay: the offsets its first start captured, so a restart keeps the same range */
  plan: Array<ReplayPartition>;
  /** processor replays: the reprocessing generation stamped on every record */
  generation: number;
  /** UTC */
  requested_at: number;
}

export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  offset: number;
}

export interface ReplayPartition {
  topic: string;
  partition: number;
  /** first offset replayed */
  start: number;
  /** offset the replay stops before (captured at start) */
  end: number;
  /** next offset to replay (committed) */
  position: number;
}

/** task.status: progress of a long-running task (backfill job, replay, metrics rebuild) on the task-status topic, keyed by task id. The admin service persists replay progress from it; the gateway's TaskStatus subscription streams it. */
export interface TaskStatus {
  /** The organization (tenant) */
  org_id: string;
  task_id: string;
  /** backfill, replay or rebuild */
  kind: string;
  /** replays and rebuilds: the stage; backfills: the integration id */
  stage: string;
  /** queued, running, done, failed or cancelled */
  state: string;
  /** 0..100 */
  percent: number;
  /** offsets replayed, chunks finished or keys recomputed */
  done: number;
  total: number;
  /** replays: offsets done/total per partition */
  partitions: Array<PartitionProgress>;
  /** backfills: the chunk running (0-based) */
  chunk: null | number;
  /** why it failed, or what it is doing */
  message: null | string;
  at: number;
}

export interface PartitionProgress {
  topic: string;
  partition: number;
  start: number;
  end: number;
  /** next offset to replay: committed by the replay's consumer group */
  position: number;
}

/** Daily working-time rollup per team, judged in each author's own clock (append-only; latest computed_at wins). */
export interface TeamMetricsDaily {
  /** The organization (tenant) */
  org_id: string;
  team_id: string;
  /** UTC day, days since 1970-01-01 */
  day: number;
  /** UTC; the latest computation of a key wins */
  computed_at: number;
  commits: number;
  after_hours_commits: number;
  weekend_commits: number;
  after_hours_ratio: null | number;
  weekend_ratio: null | number;
}

/** Daily rollup per repository and identity (append-only; latest computed_at wins). Definitions: docs/metrics.md. */
export interface UserMetricsDaily {
  /** The organization (tenant) */
  org_id: string;
  repository_id: string;
  author_identity_id: string;
  /** the identity's primary email */
  author_email: string;
  /** UTC day, days since 1970-01-01 */
  day: number;
  /** UTC; the latest computation of a key wins */
  computed_at: number;
  commits: number;
  additions: number;
  deletions: number;
  files_changed: number;
  large_commits: number;
  /** lines added+deleted per commit; null when no commits */
  avg_commit_size: null | number;
  /** additions + deletions */
  lines_touched: number;
  /** large commits / commits; null when no commits */
  large_commit_ratio: null | number;
  prs_authored: number;
  prs_merged: number;
  reviews_given: number;
  reviews_received: number;
  /** first to last activity of the identity in the repository that UTC day */
  active_hours: null | number;
}

/** Daily work-item flow per provider, work scope and team (append-only; latest computed_at wins). */
export interface WorkItemMetricsDaily {
  /** The organization (tenant) */
  org_id: string;
  provider: string;
  work_scope_id: string;
  /** '' for items without a team */
  team_id: string;
  /** UTC day, days since 1970-01-01 */
  day: number;
  /** UTC; the latest computation of a key wins */
  computed_at: number;
  items_created: number;
  items_started: number;
  /** throughput */
  items_completed: number;
  wip_end_of_day: number;
  wip_age_p50_days: null | number;
  cycle_time_p50_hours: null | number;
  cycle_time_p90_hours: null | number;
  lead_time_p50_hours: null | number;
  lead_time_p90_hours: null | number;
  bug_share: null | number;
  reopened: number;
  negative_durations_dropped: number;
}
