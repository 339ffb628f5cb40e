import { createHash } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Args, Context, ID, Query, Resolver } from '@nestjs/graphql';
import { badInput } from '../../auth/caller';
import { type GatewayContext, orgFor } from '../../auth/request-context';
import { GatewayLimitsToken } from '../../protection/limits-token';
import type { GatewayLimits } from '../../config';
import type { AnalyticsStore } from '../analytics/analytics-store';
import { ANALYTICS } from '../control-plane-reads';
import { DAY_MS, dayStartMs } from '../shared/filters';
import { PeopleReader } from '../shared/people';
import { PullRequestDetail, ReviewEdgeRow, ReviewEdgesInput, ReviewEdgesResult } from './pull-requests.models';

interface PullRequestRow extends Record<string, unknown> {
  id: string;
  repository_id: string;
  number: number;
  title: string;
  state: string;
  author_identity_id: string;
  created_at: number;
  merged_at: number | null;
  closed_at: number | null;
  base_branch: string | null;
  head_branch: string | null;
  merge_commit_sha: string | null;
  additions: number | null;
  deletions: number | null;
  changed_files: number | null;
  closing_work_item_ids: string[];
  work_item_keys: string[] | null;
}

/** An opaque key of a person in the org: stable, and no e-mail address (identity ids hold one). */
export const personKey = (identityId: string): string =>
  createHash('sha256').update(identityId).digest('base64url').slice(0, 22);

/** `{repo_id}#pr{number}`: the contract's stable PR id. */
export function parsePullRequestId(id: string): { repositoryId: string; number: number } | null {
  const at = id.lastIndexOf('#pr');
  const number = Number(id.slice(at + 3));
  return at > 0 && Number.isInteger(number) && number > 0 ? { repositoryId: id.slice(0, at), number } : null;
}

@Resolver()
export class PullRequestsResolver {
  constructor(
    @Inject(ANALYTICS) private readonly analytics: AnalyticsStore,
    @Inject(PeopleReader) private readonly people: PeopleReader,
    @Inject(GatewayLimitsToken) private readonly limits: GatewayLimits,
  ) {}

  @Query(() => PullRequestDetail, {
    nullable: true,
    description:
      'A pull request by its stable id ({repo_id}#pr{number}) with its reviews, merge commit and the work items it closes; null when unknown.',
  })
  async pr(
    @Context() context: GatewayContext,
    @Args('orgId') orgId: string,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<PullRequestDetail | null> {
    const org = orgFor(context, orgId);
    const parsed = parsePullRequestId(id);
    if (!parsed) throw badInput('id must be {repo_id}#pr{number}');
    const [pull] = await this.analytics.select<PullRequestRow>(
      (sql) =>
        `SELECT id, repository_id, number, title, state, author_identity_id, created_at, merged_at, closed_at,
                base_branch, head_branch, merge_commit_sha, additions, deletions, changed_files, closing_work_item_ids,
                work_item_keys
           FROM ${sql.table('pull_requests')}
          WHERE org_id = ${sql.value(org)} AND repository_id = ${sql.value(parsed.repositoryId)}
            AND number = ${sql.value(parsed.number)}`,
    );
    if (!pull) return null;
    const keys = pull.work_item_keys ?? [];
    const [repositories, reviews, comments, commits, mentioned] = await Promise.all([
      this.analytics.select<{ full_name: string }>(
        (sql) =>
          `SELECT full_name FROM ${sql.table('repositories')} WHERE org_id = ${sql.value(org)} AND id = ${sql.value(pull.repository_id)}`,
      ),
      this.analytics.select<{ id: string; reviewer_identity_id: string; state: string; submitted_at: number }>(
        (sql) =>
          `SELECT id, reviewer_identity_id, state, submitted_at FROM ${sql.table('reviews')}
            WHERE org_id = ${sql.value(org)} AND repository_id = ${sql.value(pull.repository_id)}
              AND pull_request_id = ${sql.value(pull.id)} ORDER BY submitted_at, id`,
      ),
      this.analytics.select<{ count: number; first_at: number | null }>(
        (sql) =>
          `SELECT count(*) AS count, min(created_at) AS first_at FROM ${sql.table('review_comments')}
            WHERE org_id = ${sql.value(org)} AND repository_id = ${sql.value(pull.repository_id)}
              AND pull_request_id = ${sql.value(pull.id)}`,
      ),
      pull.merge_commit_sha
        ? this.analytics.select<{
            sha: string;
            message_subject: string;
            author_name: string;
            author_email: string;
            authored_at: number;
          }>(
            (sql) =>
              `SELECT sha, message_subject, author_name, author_email, authored_at FROM ${sql.table('commits')}
                WHERE org_id = ${sql.value(org)} AND repository_id = ${sql.value(pull.repository_id)}
                  AND sha = ${sql.value(pull.merge_commit_sha ?? '')}`,
          )
        : Promise.resolve([]),
      // Issue keys the title or branch mentions, resolved to the org's work items with those keys.
      keys.length > 0
        ? this.analytics.select<{ id: string; key: string }>(
            (sql) =>
              `SELECT id, key FROM ${sql.table('work_items')}
                WHERE org_id = ${sql.value(org)} AND key IN ${sql.list(keys)} ORDER BY key, id`,
          )
        : Promise.resolve([]),
    ]);
    const closing = new Set(pull.closing_work_item_ids ?? []);
    const names = await this.people.namesOf(org, [
      pull.author_identity_id,
      ...reviews.map((review) => review.reviewer_identity_id),
    ]);
    const author = names.get(pull.author_identity_id);
    return {
      id,
      orgId: org,
      repoId: pull.repository_id,
      repoName: repositories[0]?.full_name ?? null,
      number: Number(pull.number),
      title: pull.title,
      body: null,
      state: pull.state,
      authorName: author?.name ?? null,
      authorEmail: author?.email ?? null,
      createdAt: new Date(pull.created_at),
      mergedAt: pull.merged_at === null ? null : new Date(pull.merged_at),
      closedAt: pull.closed_at === null ? null : new Date(pull.closed_at),
      headBranch: pull.head_branch,
      baseBranch: pull.base_branch,
      additions: pull.additions === null ? null : Number(pull.additions),
      deletions: pull.deletions === null ? null : Number(pull.deletions),
      changedFiles: pull.changed_files === null ? null : Number(pull.changed_files),
      firstReviewAt: reviews[0] ? new Date(reviews[0].submitted_at) : null,
      firstCommentAt: comments[0]?.first_at ? new Date(comments[0].first_at) : null,
      changesRequestedCount: reviews.filter((review) => review.state === 'changes_requested').length,
      reviewsCount: reviews.length,
      commentsCount: Number(comments[0]?.count ?? 0),
      reviews: reviews.map((review) => ({
        reviewId: review.id,
        reviewer: names.get(review.reviewer_identity_id)?.name ?? personKey(review.reviewer_identity_id),
        state: review.state,
        submittedAt: new Date(review.submitted_at),
      })),
      // Only the merge commit is tied to a PR by the providers' data (its sha); branch commits are not yet.
      commits: commits.map((commit) => ({
        hash: commit.sha,
        message: commit.message_subject,
        authorName: commit.author_name,
        authorEmail: commit.author_email,
        authorWhen: new Date(commit.authored_at),
        confidence: 1,
        provenance: 'merge_commit',
        evidence: 'the pull request’s merge commit sha',
      })),
      linkedIssues: [
        ...(pull.closing_work_item_ids ?? []).map((workItemId) => ({
          workItemId,
          confidence: 1,
          provenance: 'closing_reference',
          evidence: 'the provider’s closing reference (e.g. "Fixes #12")',
        })),
        ...mentioned
          .filter((item) => !closing.has(item.id))
          .map((item) => ({
            workItemId: item.id,
            confidence: 0.8,
            provenance: 'issue_key',
            evidence: `the issue key ${item.key} in the pull request’s title or branch`,
          })),
      ],
    };
  }

  @Query(() => ReviewEdgesResult, {
    description: 'Reviewer-to-author edges per UTC day, most reviews first; repoIds and teamIds narrow them.',
  })
  async reviewEdges(
    @Context() context: GatewayContext,
    @Args('input') input: ReviewEdgesInput,
  ): Promise<ReviewEdgesResult> {
    const org = orgFor(context, input.orgId);
    const start = dayStartMs(input.sinceDate);
    const end = dayStartMs(input.untilDate) + DAY_MS;
    if (end <= start) throw badInput('untilDate must not be before sinceDate');
    if ((end - start) / DAY_MS > this.limits.maxWindowDays)
      throw badInput(`the window exceeds ${this.limits.maxWindowDays} days (GATEWAY_MAX_WINDOW_DAYS)`);
    if (input.limit < 1 || input.limit > this.limits.maxPageSize)
      throw badInput(`limit must be 1..${this.limits.maxPageSize} (GATEWAY_MAX_PAGE_SIZE)`);
    const repositories = input.repoIds ?? null;
    const reviews = await this.analytics.select<{
      pull_request_id: string;
      repository_id: string;
      reviewer_identity_id: string;
      submitted_at: number;
    }>(
      (sql) =>
        `SELECT pull_request_id, repository_id, reviewer_identity_id, submitted_at FROM ${sql.table('reviews')}
          WHERE org_id = ${sql.value(org)} AND submitted_at >= ${sql.time(start)} AND submitted_at < ${sql.time(end)}
          ${repositories ? `AND repository_id IN ${sql.list(repositories)}` : ''}`,
    );
    const pullIds = [...new Set(reviews.map((review) => review.pull_request_id))];
    const [authors, members] = await Promise.all([
      pullIds.length === 0
        ? Promise.resolve([])
        : this.analytics.select<{ id: string; author_identity_id: string }>(
            (sql) =>
              `SELECT id, author_identity_id FROM ${sql.table('pull_requests')}
                WHERE org_id = ${sql.value(org)} AND id IN ${sql.list(pullIds)}`,
          ),
      input.teamIds && input.teamIds.length > 0
        ? this.analytics.select<{ identity_id: string }>(
            (sql) =>
              `SELECT DISTINCT identity_id FROM ${sql.table('team_memberships')}
                WHERE org_id = ${sql.value(org)} AND team_id IN ${sql.list(input.teamIds ?? [])}`,
          )
        : Promise.resolve(null),
    ]);
    const authorOf = new Map(authors.map((row) => [row.id, row.author_identity_id]));
    const team = members === null ? null : new Set(members.map((row) => row.identity_id));
    const edges = new Map<string, { reviewer: string; author: string; day: string; repoId: string; count: number }>();
    for (const review of reviews) {
      const author = authorOf.get(review.pull_request_id);
      if (!author || author === review.reviewer_identity_id) continue;
      if (team && !team.has(author) && !team.has(review.reviewer_identity_id)) continue;
      const day = new Date(review.submitted_at).toISOString().slice(0, 10);
      const key = `${review.reviewer_identity_id}\u0000${author}\u0000${day}\u0000${review.repository_id}`;
      const edge = edges.get(key) ?? {
        reviewer: review.reviewer_identity_id,
        author,
        day,
        repoId: review.repository_id,
        count: 0,
      };
      edge.count++;
      edges.set(key, edge);
    }
    const ranked = [...edges.values()].sort(
      (a, b) =>
        b.count - a.count ||
        a.day.localeCompare(b.day) ||
        a.reviewer.localeCompare(b.reviewer) ||
        a.author.localeCompare(b.author),
    );
    const kept = ranked.slice(0, input.limit);
    const names = await this.people.namesOf(
      org,
      kept.flatMap((edge) => [edge.reviewer, edge.author]),
    );
    const row = (edge: (typeof kept)[number]): ReviewEdgeRow => {
      const reviewer = names.get(edge.reviewer);
      const author = names.get(edge.author);
      return {
        reviewer: reviewer?.login ?? reviewer?.name ?? personKey(edge.reviewer),
        author: author?.email ?? author?.name ?? 'unknown',
        reviewsCount: edge.count,
        day: edge.day,
        repoId: edge.repoId,
        reviewerName: reviewer?.name ?? reviewer?.login ?? null,
        authorName: author?.name ?? author?.login ?? null,
        reviewerKey: personKey(edge.reviewer),
        authorKey: personKey(edge.author),
      };
    };
    return { edges: kept.map(row), totalCount: ranked.length, truncated: ranked.length > kept.length };
  }
}
