import type { GitFileStat, GitSignature } from '@dev-health/git';
import type { GitHubCommitPayload } from '../payloads';

/** GitHub's GitActor: every field may be null (a commit signed by a bare email, or none). */
interface GitActorNode {
  name: string | null;
  email: string | null;
  /** GitTimestamp: ISO 8601 with the signer's own offset ("2026-03-02T09:15:00+05:30"). */
  date: string | null;
}

export interface HistoryCommitNode {
  oid: string;
  message: string;
  additions: number;
  deletions: number;
  changedFilesIfAvailable: number | null;
  parents: { nodes: { oid: string }[] };
  author: GitActorNode | null;
  committer: GitActorNode | null;
}

/**
 * The clone path's payload from a history node. A merge carries no files and no lines, as
 * `git log --numstat` shows merges: its changes are the merged commits', counted there.
 */
export function commitPayload(
  repositoryId: number,
  node: HistoryCommitNode,
  files: GitFileStat[] | null,
): GitHubCommitPayload {
  const parents = node.parents.nodes.map((parent) => parent.oid);
  const merge = parents.length > 1;
  return {
    repository_id: repositoryId,
    sha: node.oid,
    parents,
    author: gitSignature(node.author),
    committer: gitSignature(node.committer),
    subject: gitSubject(node.message),
    files: merge ? [] : (files ?? []),
    ...(files !== null || merge
      ? {}
      : {
          totals: {
            additions: node.additions,
            deletions: node.deletions,
            files_changed: node.changedFilesIfAvailable ?? 0,
          },
        }),
  };
}

/** git's %s: the message's first paragraph on one line. */
export function gitSubject(message: string): string {
  const paragraph =
    message
      .replace(/\r\n/g, '\n')
      .trim()
      .split(/\n\s*\n/)[0] ?? '';
  return paragraph
    .split('\n')
    .map((line) => line.trim())
    .join(' ');
}

/** A GitTimestamp as git records a signature: epoch seconds and the signer's "+hhmm". */
export function gitSignature(actor: GitActorNode | null): GitSignature {
  const date = actor?.date ?? '';
  const offset = /(?:([+-])(\d{2}):?(\d{2})|Z)$/.exec(date);
  const epochMs = Date.parse(date);
  if (!offset || Number.isNaN(epochMs))
    // The normalizer sends it to the dead-letter topic, naming the commit.
    return { name: actor?.name ?? '', email: actor?.email ?? '', timestamp: 0, timezone: `unreadable ${date}` };
  return {
    name: actor?.name ?? '',
    email: actor?.email ?? '',
    timestamp: Math.floor(epochMs / 1000),
    timezone: offset[1] ? `${offset[1]}${offset[2]}${offset[3]}` : '+0000',
  };
}
