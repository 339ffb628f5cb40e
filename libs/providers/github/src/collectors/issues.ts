import type { GitHubIssuePayload, GitHubIssueTimelineItem } from '../payloads';
import { ISSUES_QUERY, ISSUE_TIMELINE_QUERY } from '../queries';
import {
  type Connection,
  type RepositoryCollector,
  completeNestedConnections,
  collectUpdatedSince,
  probe,
  rawRecord,
} from './repository-run';

/** An issue as a page carries it: its first 100 state changes, with their page info. */
type IssueNode = Omit<GitHubIssuePayload, 'repository_id' | 'repository_full_name' | 'incident' | 'timelineItems'> & {
  id: string;
  timelineItems: Connection<GitHubIssueTimelineItem>;
};

interface IssuesPage {
  repository: { issues: Connection<IssueNode> } | null;
}

interface IssueTimelinePage {
  node: { timelineItems?: Connection<GitHubIssueTimelineItem> } | null;
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
      const issues = page.repository?.issues;
      if (!issues) return null;
      // An issue with more than 100 state changes: the rest, before the page is published.
      await completeNestedConnections(
        run,
        ISSUE_TIMELINE_QUERY,
        issues.nodes,
        (issue) => issue.timelineItems,
        (data) => (data as IssueTimelinePage).node?.timelineItems,
      );
      return issues;
    },
    (node) => node.updatedAt,
    (node, cursor) => {
      const payload: GitHubIssuePayload = {
        ...node,
        timelineItems: { nodes: node.timelineItems.nodes },
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
