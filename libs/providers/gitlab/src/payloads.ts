/**
 * GitLab REST v4 payloads as the connector publishes them: the API's own fields (snake_case, as
 * documented), plus what the connector adds from other endpoints of the same record (marked).
 */

export interface GitLabUser {
  id: number;
  username: string;
  name?: string;
}

export interface GitLabProjectPayload {
  id: number;
  name: string;
  path_with_namespace: string;
  web_url: string;
  default_branch: string | null;
  created_at: string;
  http_url_to_repo?: string;
}

export interface GitLabNote {
  id: number;
  body: string;
  /** Notes GitLab writes itself ("approved this merge request", "added 1 commit"). */
  system: boolean;
  /** DiffNote: a comment on a line of the diff. */
  type: string | null;
  author: GitLabUser | null;
  created_at: string;
  position?: { new_path?: string | null; old_path?: string | null } | null;
}

export interface GitLabMergeRequestPayload {
  id: number;
  iid: number;
  project_id: number;
  title: string;
  state: string;
  draft?: boolean;
  created_at: string;
  updated_at: string;
  merged_at: string | null;
  closed_at: string | null;
  target_branch: string;
  source_branch: string;
  merge_commit_sha: string | null;
  squash_commit_sha?: string | null;
  author: GitLabUser | null;
  reviewers?: GitLabUser[];
  labels: string[];
  /** Files changed: the single MR's "12" (or "1000+"), or, from the connector, the count of its diffs. */
  changes_count?: string | null;
  /** Added by the connector: lines added and removed in the MR's diffs. */
  additions?: number;
  deletions?: number;
  /** Added by the connector: the MR's notes (system notes included, told apart by `system`). */
  notes: GitLabNote[];
  /** Added by the connector: the approvals endpoint's approvers. */
  approved_by: { user: GitLabUser }[];
  /** Added by the connector: the issues merging it closes. */
  closes_issues: { iid: number; project_id: number }[];
}

export interface GitLabJob {
  id: number;
  name: string;
  stage?: string;
  status: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface GitLabPipelinePayload {
  id: number;
  iid?: number;
  project_id: number;
  sha: string;
  ref: string;
  status: string;
  source?: string;
  name?: string | null;
  created_at: string;
  updated_at: string;
  started_at?: string | null;
  finished_at?: string | null;
  /** Added by the connector once the pipeline finished: its jobs. */
  jobs: GitLabJob[] | null;
}

export interface GitLabDeploymentPayload {
  id: number;
  iid: number;
  /** Added by the connector: the deployment's project. */
  project_id: number;
  ref: string;
  sha: string;
  status: string;
  created_at: string;
  updated_at: string;
  finished_at?: string | null;
  user: GitLabUser | null;
  environment: { id: number; name: string; tier?: string | null };
  /** Added by the connector: whether the integration counts this environment as production. */
  production: boolean;
}

export interface GitLabStateEvent {
  id: number;
  state: string;
  created_at: string;
  user: GitLabUser | null;
}

export interface GitLabLabelEvent {
  id: number;
  action: 'add' | 'remove';
  label: { name: string } | null;
  created_at: string;
  user: GitLabUser | null;
}

export interface GitLabIssuePayload {
  id: number;
  iid: number;
  project_id: number;
  title: string;
  description?: string | null;
  state: string;
  issue_type?: string;
  labels: string[];
  weight?: number | null;
  milestone?: { title: string } | null;
  iteration?: { title?: string | null } | null;
  author: GitLabUser | null;
  assignees?: GitLabUser[];
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  /** Added by the connector: the project's path ("group/sub/project"), for the item's key. */
  project_path: string;
  /** Added by the connector: resource_state_events and resource_label_events. */
  state_events: GitLabStateEvent[];
  label_events: GitLabLabelEvent[];
  /** Added by the connector: an incident (issue_type incident, or one of the integration's incident labels). */
  incident: boolean;
}
