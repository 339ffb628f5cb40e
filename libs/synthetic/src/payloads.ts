/**
 * The synthetic provider's payloads: what its "API" returns, as JSON text in RawRecord.payload. The
 * processor parses and validates them like any provider's. Timestamps are ISO 8601 with the offset
 * of whoever's clock produced them, as real APIs and git do; the processor turns them into UTC.
 */
export interface SyntheticRepositoryPayload {
  full_name: string;
  name: string;
  url: string;
  default_branch: string;
  created_at: string;
}

export interface SyntheticIdentityPayload {
  display_name: string;
  primary_email: string;
  emails: string[];
  logins: string[];
}

export interface SyntheticTeamPayload {
  slug: string;
  name: string;
  parent_slug: string | null;
}

export interface SyntheticTeamMembershipPayload {
  team_slug: string;
  member_email: string;
  role: string;
  since: string;
}

export interface SyntheticSignature {
  name: string;
  email: string;
  date: string;
}

export interface SyntheticCommitPayload {
  sha: string;
  parents: string[];
  author: SyntheticSignature;
  committer: SyntheticSignature;
  subject: string;
  files: { path: string; additions: number; deletions: number }[];
}

export interface SyntheticPullRequestPayload {
  number: number;
  title: string;
  state: 'open' | 'closed' | 'merged';
  author_login: string;
  created_at: string;
  updated_at: string;
  merged_at: string | null;
  closed_at: string | null;
  base_branch: string;
  head_branch: string;
  merge_commit_sha: string | null;
  additions: number;
  deletions: number;
  changed_files: number;
  reverts_number: number | null;
}

export interface SyntheticReviewPayload {
  id: number;
  pull_number: number;
  reviewer_login: string;
  state: 'approved' | 'changes_requested' | 'commented';
  submitted_at: string;
}

export interface SyntheticReviewCommentPayload {
  id: number;
  pull_number: number;
  author_login: string;
  created_at: string;
  path: string | null;
}

export interface SyntheticPipelineRunPayload {
  id: number;
  name: string;
  status: 'success' | 'failed' | 'canceled' | 'running';
  head_sha: string;
  branch: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
  jobs: { name: string; status: string; started_at: string | null; finished_at: string | null }[];
}

export interface SyntheticDeploymentPayload {
  id: number;
  environment: string;
  status: 'success' | 'failed' | 'canceled' | 'in_progress';
  sha: string;
  service: string;
  created_at: string;
  finished_at: string | null;
  updated_at: string;
}

export interface SyntheticIncidentPayload {
  id: string;
  service: string;
  title: string;
  severity: string;
  status: 'open' | 'resolved';
  started_at: string;
  resolved_at: string | null;
  deployment_id: number | null;
  updated_at: string;
}

export interface SyntheticWorkItemTransitionPayload {
  from_status: string | null;
  to_status: string;
  at: string;
  actor_login: string | null;
}

export interface SyntheticWorkItemPayload {
  key: string;
  project: string;
  title: string;
  type: 'story' | 'bug' | 'task';
  status: string;
  assignee_login: string | null;
  reporter_login: string;
  team_slug: string;
  created_at: string;
  updated_at: string;
  transitions: SyntheticWorkItemTransitionPayload[];
}

/** Workflow statuses of the synthetic tracker and the category each maps to. */
export const SYNTHETIC_STATUS_CATEGORIES: Record<string, 'todo' | 'in_progress' | 'done' | 'canceled'> = {
  Backlog: 'todo',
  'In Progress': 'in_progress',
  'In Review': 'in_progress',
  Done: 'done',
  Canceled: 'canceled',
};

export interface SyntheticPayloads {
  repository: SyntheticRepositoryPayload;
  identity: SyntheticIdentityPayload;
  team: SyntheticTeamPayload;
  team_membership: SyntheticTeamMembershipPayload;
  commit: SyntheticCommitPayload;
  pull_request: SyntheticPullRequestPayload;
  review: SyntheticReviewPayload;
  review_comment: SyntheticReviewCommentPayload;
  pipeline_run: SyntheticPipelineRunPayload;
  deployment: SyntheticDeploymentPayload;
  incident: SyntheticIncidentPayload;
  work_item: SyntheticWorkItemPayload;
}
export type SyntheticEntityKind = keyof SyntheticPayloads;
