import { chunkBySize } from '@dev-health/schemas';
import type { GitLogCommit } from './parse-git-log';

/**
 * One raw commit record's payload stays under this many bytes of JSON: the broker refuses a record over
 * message.max.bytes (1 MiB by default), and a refused commit would hold its repository's watermark
 * back forever. A vendoring commit touching 30,000 files is several MiB as one payload.
 */
export const MAX_COMMIT_PAYLOAD_BYTES = 512 * 1024;

/** Which part of a split commit a payload is, and the whole commit's sums every part carries. */
export interface CommitPart {
  index: number;
  count: number;
}

/** Snake case, as every commit payload spells it (GitHub's API-read commits carry the same totals). */
export interface CommitTotals {
  additions: number;
  deletions: number;
  files_changed: number;
}

/** A commit payload as published: a whole commit, or one part of a split one (files in order, totals of all). */
export type CommitPayload = GitLogCommit & { part?: CommitPart; totals?: CommitTotals };

/**
 * The commit as one payload when it fits, otherwise as parts that each fit: every part repeats the
 * commit's header and carries the totals over all its files; the files are spread over the parts in
 * order. Part 0 makes the commit record, every part its files' change records.
 */
export function splitCommit(commit: GitLogCommit, maxBytes = MAX_COMMIT_PAYLOAD_BYTES): CommitPayload[] {
  const whole = Buffer.byteLength(JSON.stringify(commit));
  if (whole <= maxBytes) return [commit];
  const totals: CommitTotals = {
    additions: commit.files.reduce((sum, file) => sum + (file.additions ?? 0), 0),
    deletions: commit.files.reduce((sum, file) => sum + (file.deletions ?? 0), 0),
    files_changed: commit.files.length,
  };
  // The header (subject, signatures, parents) is repeated in every part; the rest is left for files.
  const header = Buffer.byteLength(JSON.stringify({ ...commit, files: [], totals, part: { index: 0, count: 0 } }));
  const budget = maxBytes - header - 64;
  if (budget <= 0) throw new Error(`commit ${commit.sha}: its header alone exceeds ${maxBytes} bytes`);
  const chunks = chunkBySize(commit.files, (file) => Buffer.byteLength(JSON.stringify(file)) + 1, budget);
  return chunks.map((files, index) => ({ ...commit, files, totals, part: { index, count: chunks.length } }));
}

/** The raw record's source id of a part: the sha alone for a whole commit or its first part. */
export function commitPartSourceId(sha: string, part: CommitPart | undefined): string {
  return part === undefined || part.index === 0 ? sha : `${sha}#files-${part.index + 1}-of-${part.count}`;
}
