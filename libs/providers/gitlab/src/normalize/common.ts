import { type RawRecord, canonicalId } from '@dev-health/schemas';
import { type CanonicalOutput, type NormalizeContext, identityRecord, optionalString } from '@dev-health/normalize';
import type { GitLabUser } from '../payloads';

export const PROVIDER = 'gitlab';

/** From the immutable numeric project id: a rename or a transfer to another group keeps the history. */
export const gitlabProjectId = (org: string, projectId: number): string =>
  canonicalId(org, PROVIDER, 'repository', projectId);

/** An MR by its project and iid: what notes, pipelines and closing references name. */
export const gitlabMergeRequestId = (org: string, projectId: number, iid: number): string =>
  canonicalId(org, PROVIDER, 'pull_request', projectId, iid);

export const gitlabIssueId = (org: string, projectId: number, iid: number): string =>
  canonicalId(org, PROVIDER, 'work_item', projectId, iid);

/** A deleted user shows as GitLab's "ghost" user; an absent author is treated the same. A username that is not a string is poison. */
export const usernameOf = (
  raw: RawRecord,
  field: string,
  user: Pick<GitLabUser, 'username'> | null | undefined,
): string => optionalString(raw, `${field}.username`, user?.username) ?? 'ghost';
export const usernameKey = (username: string): string => `${PROVIDER}:${username}`;

export const personId = (context: NormalizeContext, username: string): string =>
  context.identities.resolve(usernameKey(username)).id;

/** One identity record per distinct username named by a record. */
export function identityOutputs(context: NormalizeContext, usernames: Iterable<string>): CanonicalOutput[] {
  return [...new Set(usernames)].map((username) => ({
    entity: 'identity' as const,
    record: identityRecord(context, PROVIDER, usernameKey(username), username),
  }));
}
