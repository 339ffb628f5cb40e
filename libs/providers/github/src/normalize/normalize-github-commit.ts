import type { GitHubCommitPayload } from '../payloads';
import { canonicalId, type RawRecord } from '@dev-health/schemas';
import {
  type CanonicalOutput,
  type CommitFacts,
  type CommitPerson,
  type NormalizeContext,
  NormalizationError,
  commitOutputs,
  commitPartFacts,
  isArray,
  isEpochSeconds,
  isInt,
  isNumber,
  isObject,
  isString,
  isStringArray,
  parsePayload,
  requireCommitFiles,
  requireShape,
  utcOffsetMinutes,
} from '@dev-health/normalize';

/** `<id>+<login>@users.noreply.github.com` (since 2017) or `<login>@users.noreply.github.com` (before). */
const NOREPLY = /^(?:\d+\+)?([a-z0-9][a-z0-9_-]*)@users\.noreply\.github\.com$/i;

/**
 * The login behind a GitHub noreply address, or null. Such an address names one account (the web
 * editor, merges and "keep my email private" commit with it), so it identifies the person as their
 * login does: `github:<login>`, the key pull requests and reviews resolve.
 */
export function noreplyLogin(email: string): string | null {
  return NOREPLY.exec(email.trim())?.[1]?.toLowerCase() ?? null;
}

/** A commit's totals (API-read commits without per-file stats), checked: they become its size. */
function commitTotals(raw: RawRecord, totals: unknown): NonNullable<CommitFacts['totals']> {
  const checked = requireShape<NonNullable<GitHubCommitPayload['totals']>>(raw, totals, {
    additions: isInt,
    deletions: isInt,
    files_changed: isInt,
  });
  return { additions: checked.additions, deletions: checked.deletions, filesChanged: checked.files_changed };
}

/**
 * A commit read from the repository's partial clone (`git log --numstat`: exact per-file stats, raw
 * dates with the author's offset) → commit, identities and file changes, keyed like every GitHub
 * record by the repository's immutable id.
 */
export function normalizeGitHubCommit(raw: RawRecord, context: NormalizeContext): CanonicalOutput[] {
  const commit = requireShape<GitHubCommitPayload>(raw, parsePayload(raw), {
    repository_id: isNumber,
    sha: isString,
    parents: isStringArray,
    author: isObject,
    committer: isObject,
    subject: isString,
    files: isArray,
  });
  const person = (signature: GitHubCommitPayload['author'], role: string): CommitPerson => {
    requireShape(raw, signature, { name: isString, email: isString, timestamp: isEpochSeconds }, role);
    let offsetMinutes: number;
    try {
      offsetMinutes = utcOffsetMinutes(signature.timezone);
    } catch (error: unknown) {
      throw new NormalizationError(
        `github/commit ${raw.source_id}: ${role} ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const login = noreplyLogin(signature.email);
    return {
      name: signature.name,
      email: signature.email,
      epochMs: signature.timestamp * 1000,
      offsetMinutes,
      ...(login === null ? {} : { identity: `github:${login}` }),
    };
  };
  return commitOutputs(
    'github',
    raw.scope,
    {
      sha: commit.sha,
      parents: commit.parents,
      author: person(commit.author, 'author'),
      committer: person(commit.committer, 'committer'),
      subject: commit.subject,
      files: requireCommitFiles(raw, commit.files),
      // A split commit's parts carry their own totals; an API-read commit has totals and no files.
      ...(commit.part !== undefined
        ? commitPartFacts(raw, commit)
        : commit.totals === undefined
          ? {}
          : { totals: commitTotals(raw, commit.totals) }),
    },
    context,
    // githubRepositoryId(org, id): the same id the repository record has (tested), so renames keep history.
    { id: canonicalId(context.org, 'github', 'repository', commit.repository_id), key: commit.repository_id },
  );
}
