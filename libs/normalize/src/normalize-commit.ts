import { canonicalId, type Identity, type Provider, type RawRecord } from '@dev-health/schemas';
import {
  type CanonicalOutput,
  type NormalizeContext,
  NormalizationError,
  isInt,
  isNullableInt,
  isString,
  requireShape,
} from './canonical-output';
import { commitSizeBucket } from './commit-size';
import { workItemKeys } from './work-item-keys';

/** A commit as every provider can describe it, times already absolute (epoch ms) with the clock's offset. */
export interface CommitFacts {
  sha: string;
  parents: string[];
  author: CommitPerson;
  committer: CommitPerson;
  subject: string;
  /** additions/deletions null: a binary file. */
  files: { path: string; previousPath?: string | null; additions: number | null; deletions: number | null }[];
  /**
   * The commit's totals when its files were not read (GitHub's commit history API gives totals, and
   * per-file stats cost a request per commit): they stand for the files' sums, and no file change is written.
   */
  totals?: { additions: number; deletions: number; filesChanged: number };
  /**
   * A later part of a commit split for size (libs/git's splitCommit): only its files' change records;
   * the first part makes the commit record, from the totals.
   */
  filesOnly?: boolean;
}

/** A commit's files as a payload lists them, checked: each has a path, and its line counts are ints or null (binary). */
export function requireCommitFiles(raw: RawRecord, files: readonly unknown[]): CommitFacts['files'] {
  return files.map((file, index) =>
    requireShape<CommitFacts['files'][number]>(
      raw,
      file,
      { path: isString, additions: isNullableInt, deletions: isNullableInt },
      `files[${index}]`,
    ),
  );
}

/**
 * A commit payload too large for one record comes in parts (libs/git's splitCommit): each says which
 * part it is and carries the totals over all the commit's files. The first part makes the commit record
 * from the totals; every part makes its own files' change records. {} for a whole commit.
 */
export function commitPartFacts(
  raw: RawRecord,
  payload: { sha: string; part?: unknown; totals?: unknown },
): Pick<CommitFacts, 'totals' | 'filesOnly'> {
  if (payload.part === undefined) return {};
  const part = requireShape<{ index: number; count: number }>(
    raw,
    payload.part,
    { index: isInt, count: isInt },
    'part',
  );
  const totals = requireShape<{ additions: number; deletions: number; files_changed: number }>(
    raw,
    payload.totals,
    { additions: isInt, deletions: isInt, files_changed: isInt },
    'totals',
  );
  if (part.index < 0 || part.index >= part.count)
    throw new NormalizationError(`${raw.provider}/commit ${payload.sha}: part ${part.index} of ${part.count}`);
  return {
    totals: { additions: totals.additions, deletions: totals.deletions, filesChanged: totals.files_changed },
    filesOnly: part.index > 0,
  };
}

export interface CommitPerson {
  name: string;
  email: string;
  epochMs: number;
  offsetMinutes: number;
  /** What identifies the person, when not the email (a GitHub noreply address → "github:<login>"). */
  identity?: string;
}

/** The repository a commit belongs to: its canonical id, and the natural key in its commits' ids. */
export interface CommitRepository {
  id: string;
  key: string | number;
}

export function repositoryId(org: string, provider: Provider, fullName: string): string {
  return canonicalId(org, provider, 'repository', fullName);
}

/**
 * The identity record of an email or login as resolved now: every known address and login of the
 * person, whichever of them this record arrived with, so all providers write the same row.
 */
export function identityRecord(
  context: NormalizeContext,
  provider: Provider,
  emailOrLogin: string,
  displayName: string,
): Identity {
  const resolved = context.identities.resolve(emailOrLogin);
  const known = [resolved.primaryEmail, ...context.identities.aliasesOf(resolved.primaryEmail)];
  return {
    id: resolved.id,
    provider,
    org_id: context.org,
    provenance: context.provenance,
    display_name: displayName,
    primary_email: resolved.primaryEmail,
    emails: [...new Set(known.filter((entry) => entry.includes('@')))].sort(),
    logins: [...new Set(known.filter((entry) => !entry.includes('@')))].sort(),
  };
}

/**
 * Commit, author and committer identities, one file change per file: the same for git and any provider.
 * The repository is the provider's scope (its full name) unless `keyedBy` says otherwise (GitHub keys
 * repositories by their immutable numeric id).
 */
export function commitOutputs(
  provider: Provider,
  scope: string,
  commit: CommitFacts,
  context: NormalizeContext,
  keyedBy: CommitRepository = { id: repositoryId(context.org, provider, scope), key: scope },
): CanonicalOutput[] {
  const repository = keyedBy.id;
  const commitId = canonicalId(context.org, provider, 'commit', keyedBy.key, commit.sha);
  const authorKey = commit.author.identity ?? commit.author.email;
  const committerKey = commit.committer.identity ?? commit.committer.email;
  const author = context.identities.resolve(authorKey);
  const committer = context.identities.resolve(committerKey);
  const additions = commit.totals?.additions ?? commit.files.reduce((sum, file) => sum + (file.additions ?? 0), 0);
  const deletions = commit.totals?.deletions ?? commit.files.reduce((sum, file) => sum + (file.deletions ?? 0), 0);
  const header: CanonicalOutput[] = [
    {
      entity: 'commit',
      record: {
        id: commitId,
        provider,
        org_id: context.org,
        provenance: context.provenance,
        repository_id: repository,
        sha: commit.sha,
        parent_shas: commit.parents,
        author_identity_id: author.id,
        author_name: commit.author.name,
        author_email: author.primaryEmail,
        authored_at: commit.author.epochMs,
        author_utc_offset_minutes: commit.author.offsetMinutes,
        committer_identity_id: committer.id,
        committer_email: committer.primaryEmail,
        committed_at: commit.committer.epochMs,
        committer_utc_offset_minutes: commit.committer.offsetMinutes,
        message_subject: commit.subject,
        work_item_keys: workItemKeys(commit.subject),
        files_changed: commit.totals?.filesChanged ?? commit.files.length,
        additions,
        deletions,
        is_merge: commit.parents.length > 1,
        size_bucket: commitSizeBucket(additions + deletions),
      },
    },
    { entity: 'identity', record: identityRecord(context, provider, authorKey, commit.author.name) },
  ];
  const outputs: CanonicalOutput[] = commit.filesOnly ? [] : header;
  if (committer.id !== author.id && !commit.filesOnly)
    outputs.push({
      entity: 'identity',
      record: identityRecord(context, provider, committerKey, commit.committer.name),
    });
  for (const file of commit.files) {
    outputs.push({
      entity: 'commit_file_change',
      record: {
        id: canonicalId(context.org, provider, 'commit_file_change', keyedBy.key, commit.sha, file.path),
        provider,
        org_id: context.org,
        provenance: context.provenance,
        commit_id: commitId,
        repository_id: repository,
        path: file.path,
        // Raw payloads are data: a path before a rename is kept only when it is one.
        previous_path: typeof file.previousPath === 'string' && file.previousPath !== '' ? file.previousPath : null,
        additions: file.additions ?? 0,
        deletions: file.deletions ?? 0,
        is_binary: file.additions === null,
        committed_at: commit.committer.epochMs,
      },
    });
  }
  return outputs;
}
