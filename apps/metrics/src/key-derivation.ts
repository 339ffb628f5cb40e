import { KeySet, dayOf, type MetricKey } from '@dev-health/metric-definitions';
import type { MetricFactsReader } from '@dev-health/postgres';
import type { StoreChanged } from '@dev-health/schemas';

/** A work item's span is recomputed day by day; beyond this many days only the most recent are. */
export const MAX_WORK_ITEM_SPAN_DAYS = 92;

type Lookups = Pick<
  MetricFactsReader,
  | 'pullRequestTimes'
  | 'firstSuccessfulDeploymentAtOrAfter'
  | 'deploymentTimes'
  | 'incidentTimes'
  | 'workItemTimes'
  | 'teamsOf'
  | 'commitDaysOf'
>;

/**
 * Turns what the primary sink wrote into the metric keys whose values may have changed. Direct keys
 * come from the event (a PR opened or merged on D touches (repo, D)); the rest need the store: a late
 * review touches its PR's merge day, a merge touches the day of the deployment that ships it, a
 * deployment the next one (which may lose PRs to it), a work item every day of its span, a commit its
 * author's teams, a new membership every day its member committed.
 */
export async function deriveKeys(changes: readonly StoreChanged[], lookups: Lookups): Promise<MetricKey[]> {
  const keys = new KeySet();
  const ids = (entity: string) => [...new Set(changes.filter((c) => c.entity === entity).flatMap((c) => c.record_ids))];

  for (const change of changes) {
    switch (change.entity) {
      case 'commit':
      case 'pull_request':
      case 'review':
      case 'review_comment':
        keys.add({ kind: 'repo', repository_id: change.repository_id, day: change.day });
        break;
      case 'deployment':
        keys.add({ kind: 'dora', repository_id: change.repository_id, day: change.day });
        break;
      default:
        break;
    }
  }

  const commitChanges = changes.filter((change) => change.entity === 'commit');
  const teams = await lookups.teamsOf([...new Set(commitChanges.flatMap((change) => change.author_identity_ids))]);
  for (const change of commitChanges)
    for (const membership of teams)
      if (change.author_identity_ids.includes(membership.identity_id))
        keys.add({ kind: 'team', team_id: membership.team_id, day: change.day });

  // Merges: their own day (above) and the day of the first deployment that ships them.
  const merged = (await lookups.pullRequestTimes(ids('pull_request'))).filter((pr) => pr.merged_at !== null);
  for (const [repositoryId, instants] of groupBy(
    merged,
    (pr) => pr.repository_id,
    (pr) => pr.merged_at as number,
  ))
    for (const deployedAt of await lookups.firstSuccessfulDeploymentAtOrAfter(repositoryId, instants))
      keys.add({ kind: 'dora', repository_id: repositoryId, day: dayOf(deployedAt) });

  // Reviews and comments, however late: the merge day of their PR carries its review flow.
  for (const pr of await lookups.pullRequestTimes([...new Set([...ids('review'), ...ids('review_comment')])]))
    if (pr.merged_at !== null) keys.add({ kind: 'repo', repository_id: pr.repository_id, day: dayOf(pr.merged_at) });

  // A deployment can take PRs from the next successful one: recompute that one's day too.
  const deployments = await lookups.deploymentTimes(ids('deployment'));
  for (const [repositoryId, instants] of groupBy(
    deployments,
    (d) => d.repository_id,
    (d) => d.deployed_at + 1,
  ))
    for (const deployedAt of await lookups.firstSuccessfulDeploymentAtOrAfter(repositoryId, instants))
      keys.add({ kind: 'dora', repository_id: repositoryId, day: dayOf(deployedAt) });

  for (const incident of await lookups.incidentTimes(ids('incident'))) {
    if (incident.repository_id === null) continue; // neither a repository nor a deployment: not attributable
    for (const at of [incident.started_at, incident.resolved_at, incident.deployed_at])
      if (at !== null) keys.add({ kind: 'dora', repository_id: incident.repository_id, day: dayOf(at) });
  }

  for (const item of await lookups.workItemTimes([...new Set([...ids('work_item'), ...ids('work_item_transition')])])) {
    const last = dayOf(item.last_at);
    const first = Math.max(dayOf(item.first_at), last - MAX_WORK_ITEM_SPAN_DAYS + 1);
    for (let day = first; day <= last; day++)
      keys.add({
        kind: 'work_items',
        provider: item.provider,
        work_scope_id: item.work_scope_id,
        team_id: item.team_id,
        day,
      });
  }

  const memberships = changes.filter((change) => change.entity === 'team_membership');
  if (memberships.length > 0) {
    const teamIds = [...new Set(memberships.flatMap((change) => change.record_ids))];
    const days = await lookups.commitDaysOf([...new Set(memberships.flatMap((change) => change.author_identity_ids))]);
    for (const teamId of teamIds) for (const { day } of days) keys.add({ kind: 'team', team_id: teamId, day });
  }
  return keys.sorted();
}

function groupBy<T>(items: readonly T[], key: (item: T) => string, value: (item: T) => number): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const item of items) {
    const list = groups.get(key(item)) ?? [];
    list.push(value(item));
    groups.set(key(item), list);
  }
  return groups;
}
