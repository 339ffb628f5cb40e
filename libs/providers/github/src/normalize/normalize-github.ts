import type { GitHubPullRequestPayload, GitHubRepositoryPayload, GitHubReviewNode } from '../payloads';
import { canonicalId, type PullRequestState, type ReviewState } from '@dev-health/schemas';
import {
  type CanonicalOutput,
  type Normalizer,
  NormalizationError,
  isNullableString,
  isNumber,
  isObject,
  isString,
  parsePayload,
  requireShape,
  utcMillis,
  identityRecord,
  utcMillisOrNull,
  vocabulary,
} from '@dev-health/normalize';
import { normalizeGitHubCommit } from './normalize-github-commit';

/** GitHub's payloads (REST repositories, GraphQL pull requests with reviews) → canonical records. */
const PROVIDER = 'github';

/** From the immutable numeric id, not full_name: a rename or a transfer keeps the repository's history. */
export function githubRepositoryId(org: string, repositoryId: number): string {
  return canonicalId(org, PROVIDER, 'repository', repositoryId);
}

const pullRequestState = vocabulary<PullRequestState>(PROVIDER, 'state', {
  OPEN: 'open',
  CLOSED: 'closed',
  MERGED: 'merged',
});
/** PENDING reviews are drafts nobody else sees yet: not published as reviews. */
const reviewState = vocabulary<ReviewState | 'pending'>(PROVIDER, 'review state', {
  APPROVED: 'approved',
  CHANGES_REQUESTED: 'changes_requested',
  COMMENTED: 'commented',
  DISMISSED: 'dismissed',
  PENDING: 'pending',
});

/** A deleted account shows as a null author: GitHub calls it "ghost". */
const loginOf = (actor: { login: string } | null): string => actor?.login ?? 'ghost';
const loginKey = (login: string): string => `${PROVIDER}:${login}`;

const normalizeRepository: Normalizer = (raw, context) => {
  const payload = requireShape<GitHubRepositoryPayload>(raw, parsePayload(raw), {
    id: isNumber,
    name: isString,
    full_name: isString,
    html_url: isString,
    default_branch: isNullableString,
    created_at: isString,
  });
  return [
    {
      entity: 'repository',
      record: {
        id: githubRepositoryId(context.org, payload.id),
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        name: payload.name,
        full_name: payload.full_name,
        url: payload.html_url,
        default_branch: payload.default_branch ?? null,
        created_at: utcMillis(raw, 'created_at', payload.created_at),
      },
    },
  ];
};

const normalizePullRequest: Normalizer = (raw, context) => {
  const payload = requireShape<GitHubPullRequestPayload>(raw, parsePayload(raw), {
    repository_id: isNumber,
    number: isNumber,
    title: isString,
    state: isString,
    createdAt: isString,
    updatedAt: isString,
    mergedAt: isNullableString,
    closedAt: isNullableString,
    additions: isNumber,
    deletions: isNumber,
    changedFiles: isNumber,
    baseRefName: isString,
    headRefName: isString,
    reviews: isObject,
  });
  const state = pullRequestState(raw, payload.state);
  const reviews = (payload.reviews as { nodes?: unknown }).nodes;
  if (!Array.isArray(reviews))
    throw new NormalizationError(
      `github/pull_request ${raw.source_id}: field "reviews.nodes" is missing or has the wrong type`,
    );
  const repositoryId = githubRepositoryId(context.org, payload.repository_id);
  const pullRequestId = canonicalId(context.org, PROVIDER, 'pull_request', payload.repository_id, payload.number);
  const author = loginOf(payload.author);
  const outputs: CanonicalOutput[] = [
    {
      entity: 'pull_request',
      record: {
        id: pullRequestId,
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        repository_id: repositoryId,
        number: payload.number,
        title: payload.title,
        state,
        author_identity_id: context.identities.resolve(loginKey(author)).id,
        created_at: utcMillis(raw, 'createdAt', payload.createdAt),
        merged_at: utcMillisOrNull(raw, 'mergedAt', payload.mergedAt),
        closed_at: utcMillisOrNull(raw, 'closedAt', payload.closedAt),
        base_branch: payload.baseRefName,
        head_branch: payload.headRefName,
        merge_commit_sha: payload.mergeCommit?.oid ?? null,
        additions: payload.additions,
        deletions: payload.deletions,
        changed_files: payload.changedFiles,
        is_revert: payload.title.startsWith('Revert "'),
        updated_at: utcMillis(raw, 'updatedAt', payload.updatedAt),
      },
    },
  ];
  const people = new Set([author]);
  for (const node of reviews) {
    const review = requireShape<GitHubReviewNode>(raw, node, { databaseId: isNumber, state: isString });
    const verdict = reviewState(raw, review.state);
    if (verdict === 'pending' || !review.submittedAt) continue;
    const reviewer = loginOf(review.author);
    people.add(reviewer);
    outputs.push({
      entity: 'review',
      record: {
        id: canonicalId(context.org, PROVIDER, 'review', payload.repository_id, payload.number, review.databaseId),
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        pull_request_id: pullRequestId,
        repository_id: repositoryId,
        reviewer_identity_id: context.identities.resolve(loginKey(reviewer)).id,
        state: verdict,
        submitted_at: utcMillis(raw, 'reviews.submittedAt', review.submittedAt),
      },
    });
  }
  for (const login of people)
    outputs.push({ entity: 'identity', record: identityRecord(context, PROVIDER, loginKey(login), login) });
  return outputs;
};

export const GITHUB_NORMALIZERS: Record<string, Normalizer> = {
  commit: normalizeGitHubCommit,
  repository: normalizeRepository,
  pull_request: normalizePullRequest,
};
