import {
  type GitBlamePayload,
  type GitLogCommit,
  type GitRepositoryPayload,
  commitPartSourceId,
  splitCommit,
} from '@dev-health/git';
import type { RawRecord } from '@dev-health/schemas';
/** "git@github.com:org/repo.git", "https://host/org/repo", or a bare directory → "org/repo" / "dir". */
export function repositoryFullName(remoteUrl: string | undefined, directory: string): string {
  if (remoteUrl) {
    const match = /[:/]([^/:]+\/[^/]+?)(?:\.git)?\/?$/.exec(remoteUrl);
    if (match?.[1]) return match[1];
  }
  return directory.split('/').filter(Boolean).pop() ?? directory;
}

/** A commit's raw records: one, or one per part when its payload would exceed a record's size (splitCommit). */
export function commitRawRecords(
  org: string,
  scope: string,
  commit: GitLogCommit,
  fetchedAt: number,
  request: string,
  cursor: string,
): RawRecord[] {
  return splitCommit(commit).map((payload) => ({
    org_id: org,
    provider: 'git',
    entity_kind: 'commit',
    source_id: commitPartSourceId(commit.sha, payload.part),
    scope,
    fetched_at: fetchedAt,
    request,
    cursor,
    sync_mode: 'incremental',
    backfill_job_id: null,
    payload: JSON.stringify(payload),
  }));
}

export function repositoryRawRecord(org: string, payload: GitRepositoryPayload, fetchedAt: number): RawRecord {
  return {
    org_id: org,
    provider: 'git',
    entity_kind: 'repository',
    source_id: payload.full_name,
    scope: payload.full_name,
    fetched_at: fetchedAt,
    request: 'git for-each-ref refs/heads',
    cursor: null,
    sync_mode: 'incremental',
    backfill_job_id: null,
    payload: JSON.stringify(payload),
  };
}

export function blameRawRecord(org: string, scope: string, payload: GitBlamePayload, fetchedAt: number): RawRecord {
  return {
    org_id: org,
    provider: 'git',
    entity_kind: 'blame',
    source_id: `${payload.revision}:${payload.path}`,
    scope,
    fetched_at: fetchedAt,
    request: `git blame --incremental ${payload.revision} -- ${payload.path}`,
    cursor: null,
    sync_mode: 'incremental',
    backfill_job_id: null,
    payload: JSON.stringify(payload),
  };
}
