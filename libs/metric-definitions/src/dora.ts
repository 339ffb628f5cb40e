import { durationsHours, percentile, ratio, round4 } from './stats';

export interface DeploymentFacts {
  id: string;
  environment: string;
  status: string;
  created_at: number;
  finished_at: number | null;
}

export interface IncidentFacts {
  id: string;
  deployment_id: string | null;
  started_at: number;
  resolved_at: number | null;
}

export const PRODUCTION = 'production';

/** When a deployment took effect: when it finished, else when it was created. */
export function deployedAt(deployment: DeploymentFacts): number {
  return deployment.finished_at ?? deployment.created_at;
}

export function isSuccessfulProduction(deployment: DeploymentFacts): boolean {
  return deployment.environment === PRODUCTION && deployment.status === 'success';
}

/**
 * Lead time for changes: each merged PR → the first successful production deployment of its
 * repository at or after the merge (that deployment contains it). PRs with no such deployment yet are
 * left out, not counted as zero. Returns (merged_at, deployed_at) pairs.
 */
export function leadTimePairs(
  mergedAt: readonly number[],
  deployments: readonly DeploymentFacts[],
): { mergedAt: number; deployedAt: number; deploymentId: string }[] {
  const successful = deployments.filter(isSuccessfulProduction).sort((a, b) => deployedAt(a) - deployedAt(b));
  const pairs: { mergedAt: number; deployedAt: number; deploymentId: string }[] = [];
  for (const merged of mergedAt) {
    const first = successful.find((deployment) => deployedAt(deployment) >= merged);
    if (first) pairs.push({ mergedAt: merged, deployedAt: deployedAt(first), deploymentId: first.id });
  }
  return pairs;
}

export interface DoraDay {
  deployments: number;
  successful_deployments: number;
  failed_deployments: number;
  change_failure_rate: number | null;
  lead_time_p50_hours: number | null;
  lead_time_p90_hours: number | null;
  changes_deployed: number;
  incidents_resolved: number;
  time_to_restore_p50_hours: number | null;
  incidents_open_unresolved: number;
  negative_durations_dropped: number;
}

/**
 * DORA for one repository on one UTC day. `deployments`: production deployments that took effect that
 * day (canceled and unfinished ones do not count). A deployment failed if its status is failed or an
 * incident is linked to it. `leadTimes`: pairs whose deployment took effect that day. `incidents`:
 * the repository's incidents that started or were resolved that day; those that started that day and
 * have no resolution yet are counted as unresolved (a value that changes when they are resolved).
 */
export function doraDay(
  day: { start: number; end: number },
  deployments: readonly DeploymentFacts[],
  incidentLinkedDeploymentIds: ReadonlySet<string>,
  leadTimes: readonly { mergedAt: number; deployedAt: number }[],
  incidents: readonly IncidentFacts[],
): DoraDay {
  const counted = deployments.filter(
    (deployment) =>
      deployment.environment === PRODUCTION && (deployment.status === 'success' || deployment.status === 'failed'),
  );
  const failed = counted.filter(
    (deployment) => deployment.status === 'failed' || incidentLinkedDeploymentIds.has(deployment.id),
  ).length;
  const lead = durationsHours(leadTimes.map((pair) => [pair.mergedAt, pair.deployedAt] as const));
  const resolvedToday = incidents.filter(
    (incident): incident is IncidentFacts & { resolved_at: number } =>
      incident.resolved_at !== null && incident.resolved_at >= day.start && incident.resolved_at < day.end,
  );
  const restore = durationsHours(resolvedToday.map((incident) => [incident.started_at, incident.resolved_at] as const));
  return {
    deployments: counted.length,
    successful_deployments: counted.filter((deployment) => deployment.status === 'success').length,
    failed_deployments: failed,
    change_failure_rate: round4(ratio(failed, counted.length)),
    lead_time_p50_hours: round4(percentile(lead.hours, 0.5)),
    lead_time_p90_hours: round4(percentile(lead.hours, 0.9)),
    changes_deployed: lead.hours.length,
    incidents_resolved: resolvedToday.length,
    time_to_restore_p50_hours: round4(percentile(restore.hours, 0.5)),
    incidents_open_unresolved: incidents.filter(
      (incident) => incident.resolved_at === null && incident.started_at >= day.start && incident.started_at < day.end,
    ).length,
    negative_durations_dropped: lead.dropped + restore.dropped,
  };
}

export type DoraBand = 'elite' | 'high' | 'medium' | 'low';

export interface DoraWindow {
  days: number;
  successfulDeployments: number;
  leadTimeP50Hours: number | null;
  changeFailureRate: number | null;
  timeToRestoreP50Hours: number | null;
}

/**
 * Performance bands of the 2023 Accelerate State of DevOps report, over a window of days. Each
 * metric is banded alone; null data → null band.
 * - deployment frequency: elite on demand (≥ 1/day), high ≥ 1/week, medium ≥ 1/month, low below;
 * - lead time: elite < 1 day, high < 1 week, medium < 1 month, low longer;
 * - change failure rate: elite ≤ 5 %, high ≤ 10 %, medium ≤ 15 %, low above;
 * - failed deployment recovery time: elite < 1 hour, high < 1 day, medium < 1 week, low longer.
 */
export function doraBands(
  window: DoraWindow,
): Record<'deployment_frequency' | 'lead_time' | 'change_failure_rate' | 'time_to_restore', DoraBand | null> {
  const perDay = window.days > 0 ? window.successfulDeployments / window.days : null;
  const below = (value: number | null, limits: [number, number, number], inclusive = false): DoraBand | null => {
    if (value === null) return null;
    const within = (limit: number) => (inclusive ? value <= limit : value < limit);
    return within(limits[0]) ? 'elite' : within(limits[1]) ? 'high' : within(limits[2]) ? 'medium' : 'low';
  };
  return {
    deployment_frequency:
      perDay === null ? null : perDay >= 1 ? 'elite' : perDay >= 1 / 7 ? 'high' : perDay >= 1 / 30 ? 'medium' : 'low',
    lead_time: below(window.leadTimeP50Hours, [24, 24 * 7, 24 * 30]),
    change_failure_rate: below(window.changeFailureRate, [0.05, 0.1, 0.15], true),
    time_to_restore: below(window.timeToRestoreP50Hours, [1, 24, 24 * 7]),
  };
}
