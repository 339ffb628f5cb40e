import type { BlameRange } from './git-repository';

/**
 * The raw payloads of the git provider: what connector-git publishes and libs/git's normalizers check.
 * Commits are published as `GitLogCommit` (parse-git-log).
 */

/** What the git connector knows about a repository; published as its raw "repository" payload. */
export interface GitRepositoryPayload {
  full_name: string;
  name: string;
  remote_url: string | null;
  default_branch: string | null;
  branches: Record<string, string>;
}

export interface GitBlamePayload {
  revision: string;
  path: string;
  ranges: BlameRange[];
}
