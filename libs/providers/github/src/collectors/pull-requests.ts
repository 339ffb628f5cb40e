import type { ConditionalResult } from '../github-client';
import type { GitHubPullRequestPayload, GitHubReviewCommentPayload, GitHubReviewNode } from '../payloads';
import { PULL_REQUESTS_QUERY, PULL_REQUEST_REVIEWS_QUERY } from '../queries';
import {
  type Connection,
  type RepositoryCollector,
  allNestedNodes,
  collectUpdatedSince,
  probe,
  rawRecord,
} from './repository-run';

/** A PR as a page carries it: its first 100 reviews, with their page info. */
type PullRequestNode = Omit<GitHubPullRequestPayload, 'repository_id' | 'reviews'> & {
  id: string;
  reviews: Connection<GitHubReviewNode>;
};

interface PullRequestsPage {
  repository: { pullRequests: Connection<PullRequestNode> } | null;
}

interface PullRequestReviewsPage {
  node: { reviews?: Connection<GitHubReviewNode> } | null;
}

/**
 * Pull requests with their reviews: a one-item "latest updated PR" probe (a 304 costs nothing), then
 * GraphQL pages of 100 PRs with reviews, newest update first, down to the watermark.
 */
export const collectPullRequests: RepositoryCollector = async (run) => {
  const { owner, name, repository } = run;
  const latest = await probe(
    run,
    `pulls-latest:${repository.id}`,
    `/repos/${owner}/${name}/pulls?state=all&sort=updated&direction=desc&per_page=1`,
  );
  if (!latest.changed) return;
  await collectUpdatedSince(
    run,
    `${repository.id}:pulls`,
    async (after) => {
      const page = await run.client.graphql<PullRequestsPage>(PULL_REQUESTS_QUERY, {
        owner,
        name,
        first: run.settings.pageSize,
        after,
      });
      const pulls = page.repository?.pullRequests;
      if (!pulls) return null;
      // A PR with more than 100 reviews: the rest, before the page is published.
      for (const pull of pulls.nodes)
        if (pull.reviews.pageInfo.hasNextPage)
          pull.reviews.nodes = await allNestedNodes(
            run,
            PULL_REQUEST_REVIEWS_QUERY,
            pull.id,
            pull.reviews,
            (data) => (data as PullRequestReviewsPage).node?.reviews,
          );
      return pulls;
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
  await latest.remember();
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
 * Review comments of every PR of the repository from one repository-wide list, newest update first,
 * `since` the watermark: a request per 100 comments however many PRs they spread over.
 */
export const collectReviewComments: RepositoryCollector = async (run) => {
  const { owner, name, repository } = run;
  const list = `/repos/${owner}/${name}/pulls/comments?sort=updated&direction=desc`;
  const latest = await probe(run, `review-comments-latest:${repository.id}`, `${list}&per_page=1`);
  if (!latest.changed) return;
  // REST pages as a connection whose cursor is the next page's URL: the same walk down to the watermark.
  await collectUpdatedSince(
    run,
    `${repository.id}:review_comments`,
    async (after, since) => {
      const url = after ?? `${list}&per_page=${run.settings.listPageSize}${since ? `&since=${since}` : ''}`;
      const page: ConditionalResult<RestReviewComment[]> = await run.client.get(url);
      return {
        pageInfo: { hasNextPage: page.next !== null, endCursor: page.next },
        // A comment whose PR cannot be told from its URL is not a review comment we can place.
        nodes: page.body.filter((comment) => /\/pulls\/\d+$/.test(comment.pull_request_url)),
      };
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
  await latest.remember();
};
