import type { GitLogCommit } from '../parse-git-log';
import type { GitBlamePayload, GitRepositoryPayload } from '../payloads';
import type { CommitPayload } from '../split-commit';
import { type Provider, canonicalId, type RawRecord } from '@dev-health/schemas';
import {
  type CanonicalOutput,
  type CommitRepository,
  type NormalizeContext,
  type Normalizer,
  NormalizationError,
  isArray,
  isEpochSeconds,
  isInt,
  isNullableString,
  isObject,
  isString,
  isStringArray,
  parsePayload,
  commitOutputs,
  commitPartFacts,
  repositoryId,
  requireCommitFiles,
  requireShape,
  utcOffsetMinutes,
} from '@dev-health/normalize';

export function gitRepositoryId(org: string, fullName: string): string {
  return repositoryId(org, 'git', fullName);
}

export function gitCommitId(org: string, fullName: string, sha: string): string {
  return canonicalId(org, 'git', 'commit', fullName, sha);
}

export function normalizeGitRepository(raw: RawRecord, context: NormalizeContext): CanonicalOutput[] {
  const payload = requireShape<GitRepositoryPayload>(raw, parsePayload(raw), {
    full_name: isString,
    name: isString,
    remote_url: isNullableString,
    default_branch: isNullableString,
  });
  return [
    {
      entity: 'repository',
      record: {
        id: gitRepositoryId(context.org, payload.full_name),
        provider: 'git',
        org_id: context.org,
        provenance: context.provenance,
        name: payload.name,
        full_name: payload.full_name,
        url: payload.remote_url ?? null,
        default_branch: payload.default_branch ?? null,
        created_at: null,
      },
    },
  ];
}

export function normalizeGitCommit(raw: RawRecord, context: NormalizeContext): CanonicalOutput[] {
  return gitLogCommitOutputs(raw, context, 'git');
}

/**
 * A commit as `git log --numstat` gives it (libs/git's GitLogCommit) → commit and file changes, for any
 * provider that reads commits from git (local repositories, an API connector's partial clone).
 */
export function gitLogCommitOutputs(
  raw: RawRecord,
  context: NormalizeContext,
  provider: Provider,
  keyedBy?: CommitRepository,
  /** The provider's account behind an email it writes itself (a noreply address), when there is one. */
  accountOf: (email: string) => string | null = () => null,
): CanonicalOutput[] {
  const commit = requireShape<CommitPayload>(raw, parsePayload(raw), {
    sha: isString,
    parents: isStringArray,
    author: isObject,
    committer: isObject,
    subject: isString,
    files: isArray,
  });
  for (const role of ['author', 'committer'] as const)
    requireShape(raw, commit[role], { name: isString, email: isString, timestamp: isEpochSeconds }, role);
  let authorOffset: number;
  let committerOffset: number;
  try {
    authorOffset = utcOffsetMinutes(commit.author.timezone);
    committerOffset = utcOffsetMinutes(commit.committer.timezone);
  } catch (error: unknown) {
    throw new NormalizationError(
      `${provider}/commit ${commit.sha}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  // Git timestamps are already absolute (epoch seconds); the offset only says what the author's clock showed.
  const person = (signature: GitLogCommit['author'], offsetMinutes: number) => {
    const account = accountOf(signature.email);
    return {
      ...signature,
      epochMs: signature.timestamp * 1000,
      offsetMinutes,
      ...(account === null ? {} : { identity: account }),
    };
  };
  return commitOutputs(
    provider,
    raw.scope,
    {
      sha: commit.sha,
      parents: commit.parents,
      author: person(commit.author, authorOffset),
      committer: person(commit.committer, committerOffset),
      subject: commit.subject,
      files: requireCommitFiles(raw, commit.files),
      ...commitPartFacts(raw, commit),
    },
    context,
    keyedBy,
  );
}

export function normalizeGitBlame(raw: RawRecord, context: NormalizeContext): CanonicalOutput[] {
  const blame = requireShape<GitBlamePayload>(raw, parsePayload(raw), {
    revision: isString,
    path: isString,
    ranges: isArray,
  });
  const repository = gitRepositoryId(context.org, raw.scope);
  const ranges = blame.ranges.map((range, index) =>
    requireShape<GitBlamePayload['ranges'][number]>(
      raw,
      range,
      { commitSha: isString, authorEmail: isString, authorTime: isEpochSeconds, lineStart: isInt, lineCount: isInt },
      `ranges[${index}]`,
    ),
  );
  return ranges.map((range) => ({
    entity: 'blame_line' as const,
    record: {
      id: canonicalId(context.org, 'git', 'blame_line', raw.scope, blame.revision, blame.path, range.lineStart),
      provider: 'git',
      org_id: context.org,
      provenance: context.provenance,
      repository_id: repository,
      revision: blame.revision,
      path: blame.path,
      line_start: range.lineStart,
      line_count: range.lineCount,
      commit_sha: range.commitSha,
      author_identity_id: context.identities.resolve(range.authorEmail).id,
      authored_at: range.authorTime * 1000,
    },
  }));
}

export const GIT_NORMALIZERS: Record<string, Normalizer> = {
  repository: normalizeGitRepository,
  commit: normalizeGitCommit,
  blame: normalizeGitBlame,
};
