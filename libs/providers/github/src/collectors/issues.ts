import type { GitHubIssuePayload } from '../payloads';
import { ISSUES_QUERY } from '../queries';
import { type RepositoryCollector, collectUpdatedSince, probe, rawRecord } from './repository-run';

interface IssuesPage {
  repository: {
    issues: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: Omit<GitHubIssuePayload, 'repository_id' | 'repository_full_name' | 'incident'>[];
    };
  } | null;
}

/** Issues carry up to 130 nested nodes each (labels, assignees, timeline): 50 per request keeps a page cheap. */
const ISSUES_PER_PAGE = 50;

/**
 * Issues (work items, and incidents when labelled so) with the timeline events that are their state
 * changes: a one-item "latest updated issue" probe, then GraphQL pages filtered server-side to issues
 * updated since the watermark, newest update first.
 */
export const collectIssues: RepositoryCollector = async (run) => {
  const { owner, name, repository, settings } = run;
  const latest = await probe(
    run,
    `issues-latest:${repository.id}`,
    // REST's issue list also holds pull requests: a PR update costs one cheap GraphQL page that finds nothing.
    `/repos/${owner}/${name}/issues?state=all&sort=updated&direction=desc&per_page=1`,
  );
  if (!latest.changed) return;
  await collectUpdatedSince(
    run,
    `${repository.id}:issues`,
    async (after, since) => {
      const page = await run.client.graphql<IssuesPage>(ISSUES_QUERY, {
        owner,
        name,
        first: Math.min(settings.pageSize, ISSUES_PER_PAGE),
        after,
        since: since === '' ? null : since,
      });
      return page.repository?.issues ?? null;
    },
    (node) => node.updatedAt,
    (node, cursor) => {
      const payload: GitHubIssuePayload = {
        ...node,
        repository_id: repository.id,
        repository_full_name: repository.full_name,
        incident: node.labels.nodes.some((label) => settings.incidentLabels.includes(label.name.toLowerCase())),
      };
      return rawRecord(
        run.context,
        repository,
        'issue',
        `${repository.id}/issues/${node.number}`,
        payload,
        run.fetchedAt,
        'graphql Issues',
        cursor,
      );
    },
  );
  await latest.remember();
};
