import { DAY_MS, KeySet, dayOf, type MetricKey, type OrgMetricKey } from '@dev-health/metric-definitions';
import type { MetricFactsReader } from '@dev-health/postgres';
import type { StoreChanged } from '@dev-health/schemas';

export type KeyLookups = Pick<
  MetricFactsReader,
  | 'pullRequestTimes'
  | 'firstSuccessfulDeploymentAtOrAfter'
  | 'deploymentTimes'
  | 'incidentTimes'
  | 'workItemTimes'
  | 'workScopeDaysFrom'
  | 'teamsOf'
  | 'commitDaysOf'
  | 'childDaysOf'
  | 'activityDaysOf'
>;

/**
 * Turns what the primary sink wrote into every metric key whose rows may have changed, whatever order
 * records arrived in. The sink reports each new version and the version it replaced, so a key the old
 * version fed is recomputed too (and withdrawn when nothing feeds it any more). One rule per effect:
 *
 * - a commit, PR, review or comment touches (repository, each of its days);
 * - a commit touches its author's teams on its day; a membership touches its team on every day its
 *   member committed;
 * - a PR touches the days of its reviews and comments (pending until it landed) and, for DORA, the
 *   first successful deployment at or after the start of each of its days and of the next day (the
 *   deployment that ships a merge made that day is one of these, or on that day);
 * - a review or comment touches its PR's merge day (review flow);
 * - a deployment touches its day and the first successful deployment after that day (which may gain or
 *   lose the PRs it ships);
 * - an incident touches its days, its deployment's day (failed change) and the days of the deployment
 *   it named before;
 * - a work item (or transition) touches every day of its span in its scope, and, while unfinished,
 *   every later key day of the scope (WIP);
 * - an identity whose primary email changed touches every repository day it is active on.
 */
export async function deriveKeys(changes: readonly StoreChanged[], lookups: KeyLookups): Promise<MetricKey[]> {
  const keys = new KeySet();
  const byOrg = new Map<string, StoreChanged[]>();
  for (const change of changes) {
    const list = byOrg.get(change.org_id);
    if (list) list.push(change);
    else byOrg.set(change.org_id, [change]);
  }
  // Ids are org-scoped, so every lookup from one org's changes finds that org's records only.
  for (const [org, orgChanges] of [...byOrg].sort(([a], [b]) => (a < b ? -1 : 1)))
    await deriveOrgKeys(orgChanges, lookups, (key) => keys.add({ org_id: org, ...key }));
  return keys.sorted();
}

async function deriveOrgKeys(
  changes: readonly StoreChanged[],
  lookups: KeyLookups,
  add: (key: OrgMetricKey) => void,
): Promise<void> {
  const of = (entity: string) => changes.filter((change) => change.entity === entity);
  const ids = (entity: string) => [...new Set(of(entity).flatMap((change) => change.record_ids))];
  const repoDay = (repository_id: string, day: number) => add({ kind: 'repo', repository_id, day });
  const doraDay = (repository_id: string, day: number) => add({ kind: 'dora', repository_id, day });

  for (const change of changes) {
    switch (change.entity) {
      case 'commit':
      case 'pull_request':
      case 'review':
      case 'review_comment':
        repoDay(change.repository_id, change.day);
        break;
      case 'deployment':
        doraDay(change.repository_id, change.day);
        break;
      case 'incident':
        if (change.repository_id !== '') doraDay(change.repository_id, change.day);
        break;
      default:
        break;
    }
  }

  const commits = of('commit');
  const teams = await lookups.teamsOf([...new Set(commits.flatMap((change) => change.author_identity_ids))]);
  for (const change of commits)
    for (const membership of teams)
      if (change.author_identity_ids.includes(membership.identity_id))
        add({ kind: 'team', team_id: membership.team_id, day: change.day });

  const memberships = of('team_membership');
  const commitDays = await lookups.commitDaysOf([
    ...new Set(memberships.flatMap((change) => change.author_identity_ids)),
  ]);
  for (const change of memberships)
    for (const { identity_id, day } of commitDays)
      if (change.author_identity_ids.includes(identity_id))
        for (const teamId of change.record_ids) add({ kind: 'team', team_id: teamId, day });

  // PRs: their children's days, and the deployments that may ship what they merged.
  for (const { repository_id, day } of await lookups.childDaysOf(ids('pull_request'))) repoDay(repository_id, day);
  const dayStarts = (entity: string, offsetDays: number[]) =>
    groupBy(
      of(entity).filter((change) => change.repository_id !== ''),
      (change) => change.repository_id,
      (change) => offsetDays.map((offset) => (change.day + offset) * DAY_MS),
    );
  for (const [repositoryId, instants] of dayStarts('pull_request', [0, 1]))
    for (const deployedAt of await lookups.firstSuccessfulDeploymentAtOrAfter(repositoryId, instants))
      doraDay(repositoryId, dayOf(deployedAt));

  // Reviews and comments, however late: the merge day of their PR carries its review flow.
  for (const pr of await lookups.pullRequestTimes([...new Set([...ids('review'), ...ids('review_comment')])]))
    if (pr.merged_at !== null) repoDay(pr.repository_id, dayOf(pr.merged_at));

  // A deployment can take PRs from the next successful one, or give them back: recompute that one's day.
  for (const [repositoryId, instants] of dayStarts('deployment', [1]))
    for (const deployedAt of await lookups.firstSuccessfulDeploymentAtOrAfter(repositoryId, instants))
      doraDay(repositoryId, dayOf(deployedAt));

  // Incidents: current days (their repository may come from their deployment) and every deployment named.
  for (const incident of await lookups.incidentTimes(ids('incident'))) {
    if (incident.repository_id === null) continue; // neither a repository nor a deployment: not attributable
    for (const at of [incident.started_at, incident.resolved_at, incident.deployed_at])
      if (at !== null) doraDay(incident.repository_id, dayOf(at));
  }
  // An incident without a repository of its own belongs to its deployment's: its (old) days count there.
  const named = await lookups.deploymentTimes(ids('incident'));
  const repositoryOf = new Map(named.map((deployment) => [deployment.id, deployment.repository_id]));
  for (const deployment of named) doraDay(deployment.repository_id, dayOf(deployment.deployed_at));
  for (const change of of('incident'))
    if (change.repository_id === '')
      for (const id of change.record_ids) {
        const repositoryId = repositoryOf.get(id);
        if (repositoryId !== undefined) doraDay(repositoryId, change.day);
      }

  // Work items: each version's span in its scope (the old one may be another team's), the current span
  // with its transitions, and for an unfinished version every later key day of its scope.
  const openScopes: { provider: string; work_scope_id: string; team_id: string; from_day: number }[] = [];
  const workDay = (scope: { provider: string; work_scope_id: string; team_id: string }, day: number) =>
    add({
      kind: 'work_items',
      provider: scope.provider,
      work_scope_id: scope.work_scope_id,
      team_id: scope.team_id,
      day,
    });
  const versionScopes = new Map<string, { provider: string; work_scope_id: string; team_id: string }[]>();
  for (const change of of('work_item')) {
    const scope = { provider: change.work_provider, work_scope_id: change.work_scope_id, team_id: change.work_team_id };
    for (let day = change.day; day <= (change.through_day ?? change.day); day++) workDay(scope, day);
    if (change.open_ended) openScopes.push({ ...scope, from_day: change.day });
    for (const itemId of change.record_ids) versionScopes.set(itemId, [...(versionScopes.get(itemId) ?? []), scope]);
  }
  const transitionDays = new Map<string, number[]>();
  for (const change of of('work_item_transition'))
    for (const itemId of change.record_ids)
      transitionDays.set(itemId, [...(transitionDays.get(itemId) ?? []), change.day]);
  for (const item of await lookups.workItemTimes([...new Set([...ids('work_item'), ...transitionDays.keys()])])) {
    const first = dayOf(item.first_at);
    // The span with its transitions, in its current scope and in every scope a reported version had:
    // transitions stored while the item sat in another team counted there (a version's record alone
    // does not know them).
    for (const scope of [item, ...(versionScopes.get(item.id) ?? [])])
      for (let day = first; day <= dayOf(item.last_at); day++) workDay(scope, day);
    // A transition's own day in its item's scope: one that moved leaves its old day behind.
    for (const day of transitionDays.get(item.id) ?? []) workDay(item, day);
    if (item.open) openScopes.push({ ...item, from_day: first });
  }
  for (const { provider, work_scope_id, team_id, day } of await lookups.workScopeDaysFrom(openScopes))
    workDay({ provider, work_scope_id, team_id }, day);

  // An identity's primary email is the author_email of every user row it has.
  for (const { repository_id, day } of await lookups.activityDaysOf([
    ...new Set(of('identity').flatMap((change) => change.author_identity_ids)),
  ]))
    repoDay(repository_id, day);
}

function groupBy<T>(
  items: readonly T[],
  key: (item: T) => string,
  values: (item: T) => number[],
): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), ...values(item)]);
  return groups;
}
