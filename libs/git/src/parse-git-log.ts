/** One commit as `git log --numstat` reports it; times are git's raw "epoch-seconds ±hhmm". */
export interface GitLogCommit {
  sha: string;
  parents: string[];
  author: GitSignature;
  committer: GitSignature;
  subject: string;
  files: GitFileStat[];
}

export interface GitSignature {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  timestamp: number;
  /** As git recorded it, e.g. "+0530", "-0800". */
  timezone: string;
}

export interface GitFileStat {
  path: string;
  /** The path before this commit when it renamed the file (absent in payloads written before renames were kept). */
  previousPath?: string | null;
  /** null for binary files (git prints "-"). */
  additions: number | null;
  deletions: number | null;
}

export const COMMIT_SEPARATOR = '\x1e';
export const FIELD_SEPARATOR = '\x1f';
/** Passed to git log; parseCommitBlock reads what it produces. */
export const GIT_LOG_FORMAT = `${COMMIT_SEPARATOR}%H${FIELD_SEPARATOR}%P${FIELD_SEPARATOR}%an${FIELD_SEPARATOR}%ae${FIELD_SEPARATOR}%ad${FIELD_SEPARATOR}%cn${FIELD_SEPARATOR}%ce${FIELD_SEPARATOR}%cd${FIELD_SEPARATOR}%s`;

export class GitLogParseError extends Error {
  override readonly name = 'GitLogParseError';
}

function parseSignature(name: string, email: string, rawDate: string, sha: string): GitSignature {
  const match = /^(-?\d+) ([+-]\d{4})$/.exec(rawDate.trim());
  if (!match?.[1] || !match[2]) throw new GitLogParseError(`commit ${sha}: unexpected raw date "${rawDate}"`);
  return { name, email, timestamp: Number(match[1]), timezone: match[2] };
}

/**
 * A numstat path: "src/{old => new}/x.ts" or "old => new" when git detected a rename, → the path after
 * the commit and the one before it (null without a rename).
 */
export function renamedPath(path: string): { path: string; previousPath: string | null } {
  const braced = /^(.*)\{(.*) => (.*)\}(.*)$/.exec(path);
  if (braced) {
    const [, prefix = '', before = '', after = '', suffix = ''] = braced;
    const join = (middle: string) => `${prefix}${middle}${suffix}`.replace(/\/\//g, '/');
    return { path: join(after), previousPath: join(before) };
  }
  const plain = /^(.*) => (.*)$/.exec(path);
  return plain?.[1] !== undefined && plain[2] !== undefined
    ? { path: plain[2], previousPath: plain[1] }
    : { path, previousPath: null };
}

function parseNumstatLine(line: string, sha: string): GitFileStat {
  const parts = line.split('\t');
  if (parts.length < 3) throw new GitLogParseError(`commit ${sha}: unexpected numstat line "${line}"`);
  const [added, deleted] = parts;
  const { path, previousPath } = renamedPath(parts.slice(2).join('\t'));
  const count = (value: string | undefined) => (value === '-' ? null : Number(value));
  const additions = count(added);
  const deletions = count(deleted);
  if ((additions !== null && !Number.isInteger(additions)) || (deletions !== null && !Number.isInteger(deletions))) {
    throw new GitLogParseError(`commit ${sha}: unexpected numstat counts in "${line}"`);
  }
  return { path, ...(previousPath === null ? {} : { previousPath }), additions, deletions };
}

/** Parses the text of one commit: its header line (without the separator) and numstat lines. */
export function parseCommitBlock(block: string): GitLogCommit {
  const lines = block.split('\n');
  const header = lines[0] ?? '';
  const fields = header.split(FIELD_SEPARATOR);
  if (fields.length < 9) throw new GitLogParseError(`unexpected commit header "${header.slice(0, 120)}"`);
  const [
    sha = '',
    parents = '',
    authorName = '',
    authorEmail = '',
    authorDate = '',
    committerName = '',
    committerEmail = '',
    committerDate = '',
  ] = fields;
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) throw new GitLogParseError(`unexpected commit id "${sha}"`);
  const subject = fields.slice(8).join(FIELD_SEPARATOR);
  const files = lines
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => parseNumstatLine(line, sha));
  return {
    sha,
    parents: parents.split(' ').filter(Boolean),
    author: parseSignature(authorName, authorEmail, authorDate, sha),
    committer: parseSignature(committerName, committerEmail, committerDate, sha),
    subject,
    files,
  };
}

/**
 * Splits streamed git output into commit blocks without holding more than one commit in memory.
 * Feed chunks in order; each complete block is passed to `onBlock`; call `end()` after the last chunk.
 */
export class CommitBlockSplitter {
  private pending = '';

  constructor(private readonly onBlock: (block: string) => void) {}

  push(chunk: string): void {
    this.pending += chunk;
    let separator = this.pending.indexOf(COMMIT_SEPARATOR, 1);
    while (separator !== -1) {
      this.emit(this.pending.slice(0, separator));
      this.pending = this.pending.slice(separator);
      separator = this.pending.indexOf(COMMIT_SEPARATOR, 1);
    }
  }

  end(): void {
    if (this.pending.length > 0) this.emit(this.pending);
    this.pending = '';
  }

  private emit(block: string): void {
    const body = block.startsWith(COMMIT_SEPARATOR) ? block.slice(1) : block;
    if (body.trim() !== '') this.onBlock(body.replace(/^\n+/, ''));
  }
}
