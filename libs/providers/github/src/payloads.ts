/**
 * The raw payloads the GitHub connector publishes (provider JSON, trimmed to the fields we read) and
 * the normalizer checks. Field names are GitHub's.
 */
import type { GitLogCommit } from '@dev-health/git';

/** REST `GET /repos/{owner}/{repo}` (or an item of `GET /orgs/{org}/repos`). */
export interface GitHubRepositoryPayload {
  /** Immutable: survives renames and transfers. */
  id: number;
  node_id: string;
  name: string;
  full_name: string;
  html_url: string;
  default_branch: string | null;
  created_at: string;
  /** The last push to any branch (absent from payloads trimmed before it was kept). */
  pushed_at?: string | null;
}

/**
 * A commit of a repository's partial clone, as `git log --numstat` reads it (libs/git GitLogCommit),
 * with the repository's immutable id added. Commits read through the API (where cloning is not
 * allowed) take the same shape: `files` from the REST commit when per-file stats were asked for,
 * else empty with the history's `totals`.
 */
export interface GitHubCommitPayload extends GitLogCommit {
  repository_id: number;
  /** Present when `files` were not read: the commit's own totals (GraphQL additions, deletions, changedFiles). */
  totals?: { additions: number; deletions: number; files_changed: number };
  /** Set when a commit too large for one record was split (libs/git's splitCommit): which part this is. */
  part?: { index: number; count: number };
}

export interface GitHubActor {
  login: string;
}

/** A review node of the pull-request query. */
export interface GitHubReviewNode {
  databaseId: number;
  state: string;
  submittedAt: string | null;
  author: GitHubActor | null;
}

/** A pull request node of PULL_REQUESTS_QUERY, with the repository's immutable id added. */
export interface GitHubPullRequestPayload {
  repository_id: number;
  number: number;
  title: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  createdAt: string;
  updatedAt: string;
  mergedAt: string | null;
  closedAt: string | null;
  additions: number;
  deletions: number;
  changedFiles: number;
  baseRefName: string;
  headRefName: string;
  mergeCommit: { oid: string } | null;
  author: GitHubActor | null;
  reviews: { nodes: GitHubReviewNode[] };
  /** Absent from payloads fetched before the connector asked for them (a replay still normalizes). */
  labels?: { nodes: { name: string }[] };
  /** A requested reviewer is a User, Team, Bot or Mannequin; only users carry a login here. */
  reviewRequests?: { nodes: { requestedReviewer: { __typename: string; login?: string } | null }[] };
  /** Issues merging this PR closes ("Fixes #12"), possibly in another repository. */
  closingIssuesReferences?: { nodes: { number: number; repository: { databaseId: number } }[] };
}

/**
 * A pull request review comment (REST `GET /repos/{o}/{r}/pulls/comments`, repository-wide, so
 * comments cost a request per 100 of them, not one per PR), trimmed, with the repository's id and the
 * PR number taken from its `pull_request_url`.
 */
export interface GitHubReviewCommentPayload {
  repository_id: number;
  pull_number: number;
  id: number;
  pull_request_review_id: number | null;
  path: string | null;
  created_at: string;
  updated_at: string;
  user: GitHubActor | null;
}

/** A deployment status node (GraphQL DeploymentStatus). */
export interface GitHubDeploymentStatusNode {
  state: string;
  createdAt: string;
}

/**
 * A deployment node of DEPLOYMENTS_QUERY with the repository's immutable id, and whether the
 * integration's production pattern matched its environment when it was fetched (the pattern is
 * integration configuration; the normalizer stays a pure function of the payload).
 */
export interface GitHubDeploymentPayload {
  repository_id: number;
  production: boolean;
  id: string;
  databaseId: number;
  environment: string | null;
  state: string;
  task: string | null;
  commitOid: string;
  createdAt: string;
  updatedAt: string;
  creator: GitHubActor | null;
  statuses: { nodes: GitHubDeploymentStatusNode[] };
}

/** REST workflow run (`GET /repos/{o}/{r}/actions/runs`), trimmed, with its jobs once it completed. */
export interface GitHubWorkflowRunPayload {
  repository_id: number;
  id: number;
  name: string | null;
  event: string;
  status: string | null;
  conclusion: string | null;
  head_branch: string | null;
  head_sha: string;
  run_attempt?: number;
  created_at: string;
  updated_at: string;
  run_started_at?: string;
  pull_requests: { number: number }[];
  /** null until the run completed: jobs are fetched once, then (costliest endpoint: a request per run). */
  jobs: GitHubWorkflowJob[] | null;
}

export interface GitHubWorkflowJob {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  started_at: string | null;
  completed_at: string | null;
}

/** One timeline item of an issue, as ISSUES_QUERY selects them. */
export type GitHubIssueTimelineItem =
  | { __typename: 'ClosedEvent'; createdAt: string; actor: GitHubActor | null; stateReason: string | null }
  | { __typename: 'ReopenedEvent'; createdAt: string; actor: GitHubActor | null }
  | { __typename: 'AssignedEvent'; createdAt: string; actor: GitHubActor | null }
  | { __typename: 'UnassignedEvent'; createdAt: string; actor: GitHubActor | null }
  | { __typename: 'LabeledEvent'; createdAt: string; actor: GitHubActor | null; label: { name: string } }
  | { __typename: 'UnlabeledEvent'; createdAt: string; actor: GitHubActor | null; label: { name: string } };

/**
 * An issue node of ISSUES_QUERY with the repository's immutable id and whether it carried one of the
 * integration's incident labels when fetched.
 */
export interface GitHubIssuePayload {
  repository_id: number;
  repository_full_name: string;
  incident: boolean;
  databaseId: number;
  number: number;
  title: string;
  body: string;
  state: 'OPEN' | 'CLOSED';
  stateReason: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  author: GitHubActor | null;
  labels: { nodes: { name: string }[] };
  assignees: { nodes: GitHubActor[] };
  timelineItems: { nodes: GitHubIssueTimelineItem[] };
}

/** An event of the public events API (`/orgs/{org}/events`, `/repos/{o}/{r}/events`, `/users/{u}/events/public`). */
export interface GitHubEvent {
  /** Numeric string, increasing in time: the feed's natural watermark and each event's unique id. */
  id: string;
  type: string;
  actor: { id: number; login: string };
  repo: { id: number; name: string };
  created_at: string;
  payload: Record<string, unknown>;
}

/** A PushEvent's payload. Commits (at most 20) and sizes may be missing: the events API trims them. */
export interface GitHubPushPayload {
  push_id?: number;
  ref: string;
  head: string;
  before?: string;
  size?: number;
  distinct_size?: number;
  commits?: { sha: string }[];
}

/**
 * What the connector publishes per event (entity kind "event"): the event as the API gave it and, for a
 * push whose commit list was trimmed, the compare of before...head once fetched (null until then).
 */
export interface GitHubEventRecordPayload {
  event: GitHubEvent;
  compare: { total_commits: number; shas: string[] } | null;
}

/** REST `GET /users/{login}`, trimmed: enrichment of an event's actor (entity kind "user"). */
export interface GitHubUserPayload {
  id: number;
  login: string;
  name: string | null;
  type: string;
}

/**
 * A change of an issue's status on a Projects (v2) board, seen by comparing the project's items with
 * the statuses the connector saw last (GitHub keeps no history of a project field it would serve).
 * `from_status` is null the first time an item is seen; `changed_at` is the item's updated_at then.
 */
export interface GitHubProjectItemStatusPayload {
  project_number: number;
  item_id: number;
  repository_id: number;
  issue_number: number;
  from_status: string | null;
  to_status: string;
  changed_at: string;
}
