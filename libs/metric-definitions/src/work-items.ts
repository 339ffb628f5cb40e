import { durationsHours, percentile, ratio, round4 } from './stats';

export interface TransitionFacts {
  /** For lineage; facts built in tests may leave it out. */
  id?: string;
  to_category: string;
  from_category: string | null;
  transitioned_at: number;
}

export interface WorkItemFacts {
  id: string;
  type: string;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  status_category: string;
  transitions: TransitionFacts[];
}

export interface WorkItemDay {
  items_created: number;
  items_started: number;
  items_completed: number;
  wip_end_of_day: number;
  wip_age_p50_days: number | null;
  cycle_time_p50_hours: number | null;
  cycle_time_p90_hours: number | null;
  lead_time_p50_hours: number | null;
  lead_time_p90_hours: number | null;
  bug_share: number | null;
  reopened: number;
  negative_durations_dropped: number;
}

const DAY_MS = 86_400_000;

/** The category an item was in at an instant, from its transitions (before the first: todo). */
export function categoryAt(item: WorkItemFacts, at: number): string {
  let category = 'todo';
  for (const transition of [...item.transitions].sort((a, b) => a.transitioned_at - b.transitioned_at)) {
    if (transition.transitioned_at > at) break;
    category = transition.to_category;
  }
  return category;
}

/**
 * Flow of one work scope (and team) on one UTC day [start, end). Completed = items whose completion
 * (last move to done, while still done) falls that day; cycle time = started → completed, lead time =
 * created → completed. WIP = items in progress at the end of the day; its age counts from started_at.
 * Reopened = moves out of done that day.
 */
export function workItemDay(day: { start: number; end: number }, items: readonly WorkItemFacts[]): WorkItemDay {
  const inDay = (at: number | null) => at !== null && at >= day.start && at < day.end;
  const completed = items.filter((item) => item.status_category === 'done' && inDay(item.completed_at));
  const cycle = durationsHours(
    completed.flatMap((item) =>
      item.started_at === null ? [] : [[item.started_at, item.completed_at as number] as const],
    ),
  );
  const lead = durationsHours(completed.map((item) => [item.created_at, item.completed_at as number] as const));
  const endOfDay = day.end - 1;
  const wip = items.filter((item) => item.created_at <= endOfDay && categoryAt(item, endOfDay) === 'in_progress');
  const wipAges = wip.flatMap((item) => (item.started_at === null ? [] : [(day.end - item.started_at) / DAY_MS]));
  const reopened = items.reduce(
    (sum, item) =>
      sum +
      item.transitions.filter(
        (transition) =>
          transition.from_category === 'done' && transition.to_category !== 'done' && inDay(transition.transitioned_at),
      ).length,
    0,
  );
  return {
    items_created: items.filter((item) => inDay(item.created_at)).length,
    items_started: items.filter((item) => inDay(item.started_at)).length,
    items_completed: completed.length,
    wip_end_of_day: wip.length,
    wip_age_p50_days: round4(percentile(wipAges, 0.5)),
    cycle_time_p50_hours: round4(percentile(cycle.hours, 0.5)),
    cycle_time_p90_hours: round4(percentile(cycle.hours, 0.9)),
    lead_time_p50_hours: round4(percentile(lead.hours, 0.5)),
    lead_time_p90_hours: round4(percentile(lead.hours, 0.9)),
    bug_share: round4(ratio(completed.filter((item) => item.type === 'bug').length, completed.length)),
    reopened,
    negative_durations_dropped: cycle.dropped + lead.dropped,
  };
}
