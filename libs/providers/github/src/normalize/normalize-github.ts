import type {
  GitHubPullRequestPayload,
  GitHubRepositoryPayload,
  GitHubReviewCommentPayload,
  GitHubReviewNode,
} from '../payloads';
import { type RawRecord, canonicalId, type PullRequestState, type ReviewState } from '@dev-health/schemas';
import {
  type CanonicalOutput,
  type Normalizer,
  NormalizationError,
  isInt,
  isNullableString,
  isNumber,
  isObject,
  isString,
  optionalString,
  parsePayload,
  requireShape,
  utcMillis,
  utcMillisOrNull,
  vocabulary,
  workItemKeys,
} from '@dev-health/normalize';
import { PROVIDER, githubPullRequestId, githubRepositoryId, identityOutputs, loginOf, personId } from './common';
import { normalizeDeployment } from './normalize-github-deployment';
import { normalizeEvent, normalizeUser } from './normalize-github-event';
import { normalizeIssue } from './normalize-github-issue';
import { normalizeProjectItemStatus } from './normalize-github-project-item';
import { normalizeWorkflowRun } from './normalize-github-workflow-run';

export { githubRepositoryId } from './common';
import { normalizeGitHubCommit } from './normalize-github-commit';

/** GitHub's payloads (REST repositories, GraphQL pull requests with reviews) → canonical records. */

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

/** The nodes of an optional connection of a PR (absent: fetched before we asked; malformed: the DLQ). */
function connectionNodes<K extends 'labels' | 'reviewRequests' | 'closingIssuesReferences'>(
  raw: RawRecord,
  payload: GitHubPullRequestPayload,
  field: K,
): NonNullable<GitHubPullRequestPayload[K]>['nodes'] {
  const connection = payload[field];
  if (connection === undefined) return [];
  if (!isObject(connection) || !Array.isArray(connection.nodes))
    throw new NormalizationError(`github/pull_request ${raw.source_id}: field "${field}.nodes" is missing`);
  return connection.nodes;
}

const normalizePullRequest: Normalizer = (raw, context) => {
  const payload = requireShape<GitHubPullRequestPayload>(raw, parsePayload(raw), {
    repository_id: isNumber,
    number: isInt,
    title: isString,
    state: isString,
    createdAt: isString,
    updatedAt: isString,
    mergedAt: isNullableString,
    closedAt: isNullableString,
    additions: isInt,
    deletions: isInt,
    changedFiles: isInt,
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
  const pullRequestId = githubPullRequestId(context.org, payload.repository_id, payload.number);
  const author = loginOf(raw, 'author', payload.author);
  // Teams have no login; a user's login is a string.
  const requested = connectionNodes(raw, payload, 'reviewRequests').flatMap((request, index) => {
    const login = optionalString(
      raw,
      `reviewRequests.nodes[${index}].requestedReviewer.login`,
      request.requestedReviewer?.login,
    );
    return login ? [login] : [];
  });
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
        author_identity_id: personId(context, author),
        created_at: utcMillis(raw, 'createdAt', payload.createdAt),
        merged_at: utcMillisOrNull(raw, 'mergedAt', payload.mergedAt),
        closed_at: utcMillisOrNull(raw, 'closedAt', payload.closedAt),
        base_branch: payload.baseRefName,
        head_branch: payload.headRefName,
        merge_commit_sha: optionalString(raw, 'mergeCommit.oid', payload.mergeCommit?.oid),
        additions: payload.additions,
        deletions: payload.deletions,
        changed_files: payload.changedFiles,
        is_revert: payload.title.startsWith('Revert "'),
        // Not asked of GitHub's GraphQL yet (isDraft).
        is_draft: false,
        labels: connectionNodes(raw, payload, 'labels').map(
          (label, index) =>
            requireShape<{ name: string }>(raw, label, { name: isString }, `labels.nodes[${index}]`).name,
        ),
        requested_reviewer_identity_ids: requested.map((login) => personId(context, login)),
        closing_work_item_ids: connectionNodes(raw, payload, 'closingIssuesReferences').map((issue) =>
          canonicalId(context.org, PROVIDER, 'work_item', issue.repository.databaseId, issue.number),
        ),
        work_item_keys: workItemKeys(payload.title, payload.headRefName),
        updated_at: utcMillis(raw, 'updatedAt', payload.updatedAt),
      },
    },
  ];
  const people = new Set([author, ...requested]);
  for (const node of reviews) {
    const review = requireShape<GitHubReviewNode>(raw, node, { databaseId: isNumber, state: isString });
    const verdict = reviewState(raw, review.state);
    if (verdict === 'pending' || !review.submittedAt) continue;
    const reviewer = loginOf(raw, 'reviews.nodes.author', review.author);
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
        reviewer_identity_id: personId(context, reviewer),
        state: verdict,
        submitted_at: utcMillis(raw, 'reviews.submittedAt', review.submittedAt),
      },
    });
  }
  return [...outputs, ...identityOutputs(context, people)];
};

/** A review comment → review_comment, on the PR its URL named (ids are the repository's, not the PR's). */
const normalizeReviewComment: Normalizer = (raw, context) => {
  const comment = requireShape<GitHubReviewCommentPayload>(raw, parsePayload(raw), {
    repository_id: isNumber,
    pull_number: isNumber,
    id: isNumber,
    path: isNullableString,
    created_at: isString,
    updated_at: isString,
  });
  const author = loginOf(raw, 'user', comment.user);
  return [
    {
      entity: 'review_comment',
      record: {
        id: canonicalId(context.org, PROVIDER, 'review_comment', comment.repository_id, comment.id),
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        pull_request_id: githubPullRequestId(context.org, comment.repository_id, comment.pull_number),
        repository_id: githubRepositoryId(context.org, comment.repository_id),
        author_identity_id: personId(context, author),
        created_at: utcMillis(raw, 'created_at', comment.created_at),
        path: comment.path ?? null,
      },
    },
    ...identityOutputs(context, [author]),
  ];
};

export const GITHUB_NORMALIZERS: Record<string, Normalizer> = {
  commit: normalizeGitHubCommit,
  repository: normalizeRepository,
  pull_request: normalizePullRequest,
  review_comment: normalizeReviewComment,
  deployment: normalizeDeployment,
  workflow_run: normalizeWorkflowRun,
  issue: normalizeIssue,
  project_item_status: normalizeProjectItemStatus,
  event: normalizeEvent,
  user: normalizeUser,
};
