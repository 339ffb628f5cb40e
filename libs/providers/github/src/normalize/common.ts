import { type RawRecord, canonicalId } from '@dev-health/schemas';
import { type CanonicalOutput, type NormalizeContext, identityRecord, optionalString } from '@dev-health/normalize';

export const PROVIDER = 'github';

/** From the immutable numeric id, not full_name: a rename or a transfer keeps the repository's history. */
export function githubRepositoryId(org: string, repositoryId: number): string {
  return canonicalId(org, PROVIDER, 'repository', repositoryId);
}

/** A pull request by its repository's immutable id and its number: what reviews, comments and runs link to. */
export function githubPullRequestId(org: string, repositoryId: number, number: number): string {
  return canonicalId(org, PROVIDER, 'pull_request', repositoryId, number);
}

export function githubDeploymentId(org: string, repositoryId: number, deploymentId: number): string {
  return canonicalId(org, PROVIDER, 'deployment', repositoryId, deploymentId);
}

/** A deleted account shows as a null author: GitHub calls it "ghost". A login that is not a string is poison. */
export const loginOf = (raw: RawRecord, field: string, actor: { login: string } | null | undefined): string =>
  optionalString(raw, `${field}.login`, actor?.login) ?? 'ghost';
export const loginKey = (login: string): string => `${PROVIDER}:${login}`;

/** The identity of a login, resolved (and linked to its emails by the identity model). */
export const personId = (context: NormalizeContext, login: string): string =>
  context.identities.resolve(loginKey(login)).id;

/** One identity record per distinct login, so every login a record names exists in the identity model. */
export function identityOutputs(context: NormalizeContext, logins: Iterable<string>): CanonicalOutput[] {
  return [...new Set(logins)].map((login) => ({
    entity: 'identity' as const,
    record: identityRecord(context, PROVIDER, loginKey(login), login),
  }));
}
