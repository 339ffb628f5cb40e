import type { ConditionalResult } from '../github-client';
import type { GitHubPullRequestPayload, GitHubReviewCommentPayload, GitHubReviewNode } from '../payloads';
import { PULL_REQUESTS_QUERY, PULL_REQUEST_REVIEWS_QUERY, pullRequestsOfRepositoriesQuery } from '../queries';
import {
  type Connection,
  type RepositoryCollector,
  type RepositoryRun,
  completeNestedConnections,
  collectUpdatedSince,
  probe,
  rawRecord,
} from './repository-run';

/** A PR as a page carries it: its first 100 reviews, with their page info. */
export type PullRequestNode = Omit<GitHubPullRequestPayload, 'repository_id' | 'reviews'> & {
  id: string;
  reviews: Connection<GitHubReviewNode>;
};

interface PullRequestsPage {
  repository: { pullRequests: Connection<PullRequestNode> } | null;
}

interface PullRequestReviewsPage {
  node: { reviews?: Connection<GitHubReviewNode> } | null;
}

/** How a repository's pull requests start this run: its probe and, prefetched in a batch, its first page. */
export interface PullRequestHead {
  probe: Awaited<ReturnType<typeof probe>>;
  /** undefined: not prefetched (fetched by the collector); null: the repository is gone. */
  firstPage?: Connection<PullRequestNode> | null;
}

const latestPullRequest = (run: RepositoryRun) =>
  probe(
    run,
    `pulls-latest:${run.repository.id}`,
    `/repos/${run.owner}/${run.name}/pulls?state=all&sort=updated&direction=desc&per_page=1`,
  );

/** Repositories whose first pages share a request: ~15k nodes and a few points each, far under GitHub's limits. */
export const PULL_REQUEST_BATCH = 10;

/**
 * Probes each repository's pull requests, then reads the first page of every changed one, up to
 * PULL_REQUEST_BATCH repositories a request: in an org of small repositories a page is mostly empty,
 * and the request, not its size, is what the budget counts.
 */
export async function prefetchPullRequestHeads(runs: readonly RepositoryRun[]): Promise<Map<number, PullRequestHead>> {
  const heads = new Map<number, PullRequestHead>();
  const changed: RepositoryRun[] = [];
  for (const run of runs) {
    run.context.throwIfStopped();
    const latest = await latestPullRequest(run);
    heads.set(run.repository.id, { probe: latest });
    if (latest.changed) changed.push(run);
  }
  // One repository alone gains nothing from the batched document: its collector reads it as usual.
  if (changed.length < 2) return heads;
  const [first] = changed;
  if (!first) return heads;
  const variables: Record<string, unknown> = { first: first.settings.pageSize };
  changed.forEach((run, index) => {
    variables[`owner${index}`] = run.owner;
    variables[`name${index}`] = run.name;
  });
  const data = await first.client.graphql<Record<string, { pullRequests: Connection<PullRequestNode> } | null>>(
    pullRequestsOfRepositoriesQuery(changed.length),
    variables,
  );
  for (const [index, run] of changed.entries()) {
    const page = data[`r${index}`]?.pullRequests ?? null;
    heads.set(run.repository.id, {
      probe: heads.get(run.repository.id)?.probe ?? (await latestPullRequest(run)),
      firstPage: page && (await withAllReviews(run, page)),
    });
  }
  return heads;
}

/** A PR with more than 100 reviews: the rest, before the page is published. */
async function withAllReviews(
  run: RepositoryRun,
  page: Connection<PullRequestNode>,
): Promise<Connection<PullRequestNode>> {
  await completeNestedConnections(
    run,
    PULL_REQUEST_REVIEWS_QUERY,
    page.nodes,
    (pull) => pull.reviews,
    (data) => (data as PullRequestReviewsPage).node?.reviews,
  );
  return page;
}

/**
 * Pull requests with their reviews: a one-item "latest updated PR" probe (a 304 costs nothing), then
 * GraphQL pages of 100 PRs with reviews, newest update first, down to the watermark. The probe and
 * the first page may come prefetched (prefetchPullRequestHeads).
 */
export const collectPullRequests: RepositoryCollector = async (run) => {
  const { owner, name, repository } = run;
  const head = run.pullRequestHeads?.get(repository.id) ?? { probe: await latestPullRequest(run) };
  if (!head.probe.changed) return;
  await collectUpdatedSince(
    run,
    `${repository.id}:pulls`,
    async (after) => {
      if (after === null && head.firstPage !== undefined) return head.firstPage;
      const page = await run.client.graphql<PullRequestsPage>(PULL_REQUESTS_QUERY, {
        owner,
        name,
        first: run.settings.pageSize,
        after,
      });
      const pulls = page.repository?.pullRequests;
      return pulls ? withAllReviews(run, pulls) : null;
    },
    (node) => node.updatedAt,
    (node, cursor) => {
      const payload: GitHubPullRequestPayload = {
        ...node,
        repository_id: repository.id,
        reviews: { nodes: node.reviews.nodes },
      };
      return rawRecord(
        run.context,
        repository,
        'pull_request',
        `${repository.id}#${node.number}`,
        payload,
        run.fetchedAt,
        'graphql PullRequests',
        cursor,
      );
    },
  );
  await head.probe.remember();
};

/** What REST answers for a review comment (the fields we keep). */
interface RestReviewComment {
  id: number;
  pull_request_review_id: number | null;
  pull_request_url: string;
  path: string | null;
  created_at: string;
  updated_at: string;
  user: { login: string } | null;
}

/**
 * Review comments of every PR of the repository from one repository-wide list, newest update first:
 * a request per 100 comments however many PRs they spread over. The list's first page is its own
 * probe — any changed comment is on it — so a quiet repository costs a 304 and a busy one no extra request.
 */
export const collectReviewComments: RepositoryCollector = async (run) => {
  const { owner, name, repository } = run;
  const list = `/repos/${owner}/${name}/pulls/comments?sort=updated&direction=desc&per_page=${run.settings.listPageSize}`;
  const first = await probe<RestReviewComment[]>(run, `review-comments-page1:${repository.id}`, list);
  if (!first.changed) return;
  // A comment whose PR cannot be told from its URL is not a review comment we can place.
  const placed = (comments: RestReviewComment[]) =>
    comments.filter((comment) => /\/pulls\/\d+$/.test(comment.pull_request_url));
  // REST pages as a connection whose cursor is the next page's URL: the same walk down to the watermark.
  await collectUpdatedSince(
    run,
    `${repository.id}:review_comments`,
    async (after) => {
      if (after === null)
        return { pageInfo: { hasNextPage: first.next !== null, endCursor: first.next }, nodes: placed(first.body) };
      const page: ConditionalResult<RestReviewComment[]> = await run.client.get(after);
      return { pageInfo: { hasNextPage: page.next !== null, endCursor: page.next }, nodes: placed(page.body) };
    },
    (comment) => comment.updated_at,
    (comment, cursor) => {
      const payload: GitHubReviewCommentPayload = {
        repository_id: repository.id,
        pull_number: Number(/\/pulls\/(\d+)$/.exec(comment.pull_request_url)?.[1]),
        id: comment.id,
        pull_request_review_id: comment.pull_request_review_id,
        path: comment.path,
        created_at: comment.created_at,
        updated_at: comment.updated_at,
        user: comment.user ? { login: comment.user.login } : null,
      };
      return rawRecord(
        run.context,
        repository,
        'review_comment',
        `${repository.id}/pulls/comments/${comment.id}`,
        payload,
        run.fetchedAt,
        'GET pulls/comments',
        cursor,
      );
    },
  );
  await first.remember();
};
