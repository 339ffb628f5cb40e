import type { GitHubPullRequestPayload } from '../payloads';
import { PULL_REQUESTS_QUERY } from '../queries';
import { type RepositoryCollector, collectUpdatedSince, probe, rawRecord } from './repository-run';

interface PullRequestsPage {
  repository: {
    pullRequests: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: Omit<GitHubPullRequestPayload, 'repository_id'>[];
    };
  } | null;
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
      return page.repository?.pullRequests ?? null;
    },
    (node) => node.updatedAt,
    (node, cursor) => {
      const payload: GitHubPullRequestPayload = { ...node, repository_id: repository.id };
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
