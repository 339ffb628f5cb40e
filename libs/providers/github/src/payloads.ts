/**
 * The raw payloads the GitHub connector publishes (provider JSON, trimmed to the fields we read) and
 * the normalizer checks. Field names are GitHub's.
 */

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
}
