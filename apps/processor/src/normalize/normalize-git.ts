import type { GitLogCommit } from '@dev-health/git';
import { canonicalId, type Identity, type RawRecord } from '@dev-health/schemas';
import {
  type CanonicalOutput,
  type NormalizeContext,
  NormalizationError,
  isArray,
  isNullableString,
  isObject,
  isString,
  isStringArray,
  parsePayload,
  requireShape,
} from './canonical-output';
import { commitSizeBucket, utcOffsetMinutes } from './commit-size';

interface GitRepositoryPayload {
  full_name: string;
  name: string;
  remote_url: string | null;
  default_branch: string | null;
}

interface GitBlamePayload {
  revision: string;
  path: string;
  ranges: { commitSha: string; authorEmail: string; authorTime: number; lineStart: number; lineCount: number }[];
}

export function gitRepositoryId(fullName: string): string {
  return canonicalId('git', 'repository', fullName);
}

export function gitCommitId(fullName: string, sha: string): string {
  return canonicalId('git', 'commit', fullName, sha);
}

function identityRecord(context: NormalizeContext, email: string, name: string): Identity {
  const resolved = context.identities.resolve(email);
  const emails = [...new Set([resolved.primaryEmail, ...context.identities.aliasesOf(resolved.primaryEmail)])]
    .filter((entry) => entry.includes('@'))
    .sort();
  return {
    id: resolved.id,
    provider: 'git',
    provenance: context.provenance,
    display_name: name,
    primary_email: resolved.primaryEmail,
    emails,
    logins: [],
  };
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
        id: gitRepositoryId(payload.full_name),
        provider: 'git',
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
  const commit = requireShape<GitLogCommit>(raw, parsePayload(raw), {
    sha: isString,
    parents: isStringArray,
    author: isObject,
    committer: isObject,
    subject: isString,
    files: isArray,
  });
  const repositoryId = gitRepositoryId(raw.scope);
  const commitId = gitCommitId(raw.scope, commit.sha);
  const author = context.identities.resolve(commit.author.email);
  const committer = context.identities.resolve(commit.committer.email);
  let authorOffset: number;
  let committerOffset: number;
  try {
    authorOffset = utcOffsetMinutes(commit.author.timezone);
    committerOffset = utcOffsetMinutes(commit.committer.timezone);
  } catch (error: unknown) {
    throw new NormalizationError(`git/commit ${commit.sha}: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Git timestamps are already absolute (epoch seconds); the offset only says what the author's clock showed.
  const authoredAt = commit.author.timestamp * 1000;
  const committedAt = commit.committer.timestamp * 1000;
  const additions = commit.files.reduce((sum, file) => sum + (file.additions ?? 0), 0);
  const deletions = commit.files.reduce((sum, file) => sum + (file.deletions ?? 0), 0);

  const outputs: CanonicalOutput[] = [
    {
      entity: 'commit',
      record: {
        id: commitId,
        provider: 'git',
        provenance: context.provenance,
        repository_id: repositoryId,
        sha: commit.sha,
        parent_shas: commit.parents,
        author_identity_id: author.id,
        author_name: commit.author.name,
        author_email: author.primaryEmail,
        authored_at: authoredAt,
        author_utc_offset_minutes: authorOffset,
        committer_identity_id: committer.id,
        committer_email: committer.primaryEmail,
        committed_at: committedAt,
        committer_utc_offset_minutes: committerOffset,
        message_subject: commit.subject,
        files_changed: commit.files.length,
        additions,
        deletions,
        is_merge: commit.parents.length > 1,
        size_bucket: commitSizeBucket(additions + deletions),
      },
    },
    { entity: 'identity', record: identityRecord(context, commit.author.email, commit.author.name) },
  ];
  if (committer.id !== author.id)
    outputs.push({
      entity: 'identity',
      record: identityRecord(context, commit.committer.email, commit.committer.name),
    });
  for (const file of commit.files) {
    outputs.push({
      entity: 'commit_file_change',
      record: {
        id: canonicalId('git', 'commit_file_change', raw.scope, commit.sha, file.path),
        provider: 'git',
        provenance: context.provenance,
        commit_id: commitId,
        repository_id: repositoryId,
        path: file.path,
        additions: file.additions ?? 0,
        deletions: file.deletions ?? 0,
        is_binary: file.additions === null,
        committed_at: committedAt,
      },
    });
  }
  return outputs;
}

export function normalizeGitBlame(raw: RawRecord, context: NormalizeContext): CanonicalOutput[] {
  const blame = requireShape<GitBlamePayload>(raw, parsePayload(raw), {
    revision: isString,
    path: isString,
    ranges: isArray,
  });
  const repositoryId = gitRepositoryId(raw.scope);
  return blame.ranges.map((range) => ({
    entity: 'blame_line' as const,
    record: {
      id: canonicalId('git', 'blame_line', raw.scope, blame.revision, blame.path, range.lineStart),
      provider: 'git',
      provenance: context.provenance,
      repository_id: repositoryId,
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
