import type {
  DoraMetricsDaily,
  RepoMetricsDaily,
  TeamMetricsDaily,
  UserMetricsDaily,
  WorkItemMetricsDaily,
} from '@dev-health/schemas';
import { type DeploymentFacts, type IncidentFacts, doraBands, doraDay, leadTimePairs } from './dora';
import { type PullRequestFacts, pullRequestDay } from './pull-requests';
import { ratio, round4 } from './stats';
import { teamDay } from './team';
import { type WorkItemFacts, workItemDay } from './work-items';
import type { BusinessHours } from './working-time';

/*
 * Facts in, rows out: every daily metric row is a pure function of the canonical records a reader
 * selected for its key. The same facts are what lineage reports, so a row can always be explained.
 */

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** [start, end) of a range of UTC days, in epoch milliseconds. */
export interface TimeRange {
  start: number;
  end: number;
}

export function dayRange(day: number, days = 1): TimeRange {
  return { start: day * DAY_MS, end: (day + days) * DAY_MS };
}

export function dayOf(epochMs: number): number {
  return Math.floor(epochMs / DAY_MS);
}

export interface CommitFacts {
  id: string;
  author_identity_id: string;
  authored_at: number;
  author_utc_offset_minutes: number;
  additions: number;
  deletions: number;
  files_changed: number;
  size_bucket: string;
}

export interface CommitColumns {
  commits: number;
  additions: number;
  deletions: number;
  files_changed: number;
  large_commits: number;
  avg_commit_size: number | null;
  lines_touched: number;
  large_commit_ratio: number | null;
}

/** Commit totals; averages and ratios over zero commits are null, not 0. */
export function commitColumns(commits: readonly CommitFacts[]): CommitColumns {
  let additions = 0;
  let deletions = 0;
  let filesChanged = 0;
  let large = 0;
  for (const commit of commits) {
    additions += commit.additions;
    deletions += commit.deletions;
    filesChanged += commit.files_changed;
    if (commit.size_bucket === 'large') large++;
  }
  return {
    commits: commits.length,
    additions,
    deletions,
    files_changed: filesChanged,
    large_commits: large,
    avg_commit_size: round4(ratio(additions + deletions, commits.length)),
    lines_touched: additions + deletions,
    large_commit_ratio: round4(ratio(large, commits.length)),
  };
}

export interface DatedReview {
  id: string;
  pull_request_id: string;
  reviewer_identity_id: string;
  state: string;
  submitted_at: number;
  pull_request_author_identity_id: string;
}

export interface DatedComment {
  id: string;
  pull_request_id: string;
  author_identity_id: string;
  created_at: number;
}

/** Everything a (repository, UTC day) key is computed from. */
export interface RepoDayFacts {
  org_id: string;
  repository_id: string;
  day: number;
  /** Commits authored that day. */
  commits: CommitFacts[];
  /** PRs created that day. */
  opened: PullRequestFacts[];
  /** PRs merged that day, with all their reviews and comments whenever submitted. */
  merged: PullRequestFacts[];
  /** Reviews submitted that day (for the reviewer's and the PR author's rows). */
  reviews: DatedReview[];
  /** Review comments written that day. */
  comments: DatedComment[];
  /** Primary email of each identity named above (from its identity record, else from its commits). */
  emails: Record<string, string>;
  /** The identities whose record supplied the email (lineage). */
  identities_found?: Record<string, true>;
}

export function isEmptyRepoDay(facts: RepoDayFacts): boolean {
  return (
    facts.commits.length + facts.opened.length + facts.merged.length + facts.reviews.length + facts.comments.length ===
    0
  );
}

export function repoDayRow(facts: RepoDayFacts, computedAt: number): RepoMetricsDaily {
  return {
    repository_id: facts.repository_id,
    day: facts.day,
    org_id: facts.org_id,
    computed_at: computedAt,
    ...commitColumns(facts.commits),
    ...pullRequestDay(facts.opened, facts.merged),
  };
}

/**
 * One row per identity active in the repository that day: its commits, PRs authored (opened that day)
 * and merged (its PRs merged that day), reviews given and received (submitted that day; self-reviews
 * are neither), and active hours = last − first of its commits, PRs opened, reviews and comments.
 */
export function userDayRows(facts: RepoDayFacts, computedAt: number): UserMetricsDaily[] {
  const people = new Map<
    string,
    { commits: CommitFacts[]; times: number[]; authored: number; merged: number; given: number; received: number }
  >();
  const person = (id: string) => {
    let entry = people.get(id);
    if (!entry) {
      entry = { commits: [], times: [], authored: 0, merged: 0, given: 0, received: 0 };
      people.set(id, entry);
    }
    return entry;
  };
  for (const commit of facts.commits) {
    const entry = person(commit.author_identity_id);
    entry.commits.push(commit);
    entry.times.push(commit.authored_at);
  }
  for (const pr of facts.opened) {
    const entry = person(pr.author_identity_id);
    entry.authored++;
    entry.times.push(pr.created_at);
  }
  for (const pr of facts.merged) person(pr.author_identity_id).merged++;
  for (const review of facts.reviews) {
    if (review.reviewer_identity_id === review.pull_request_author_identity_id) continue;
    const reviewer = person(review.reviewer_identity_id);
    reviewer.given++;
    reviewer.times.push(review.submitted_at);
    person(review.pull_request_author_identity_id).received++;
  }
  for (const comment of facts.comments) person(comment.author_identity_id).times.push(comment.created_at);
  return [...people.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([identityId, entry]) => ({
      repository_id: facts.repository_id,
      author_identity_id: identityId,
      author_email: facts.emails[identityId] ?? identityId,
      day: facts.day,
      org_id: facts.org_id,
      computed_at: computedAt,
      ...commitColumns(entry.commits),
      prs_authored: entry.authored,
      prs_merged: entry.merged,
      reviews_given: entry.given,
      reviews_received: entry.received,
      active_hours:
        entry.times.length === 0 ? null : round4((Math.max(...entry.times) - Math.min(...entry.times)) / HOUR_MS),
    }));
}

/** Everything a (team, UTC day) key is computed from: commits authored that day by the team's members. */
export interface TeamDayFacts {
  org_id: string;
  team_id: string;
  day: number;
  commits: CommitFacts[];
}

export function teamDayRow(facts: TeamDayFacts, hours: BusinessHours, computedAt: number): TeamMetricsDaily {
  return {
    org_id: facts.org_id,
    team_id: facts.team_id,
    day: facts.day,
    computed_at: computedAt,
    ...teamDay(facts.commits, hours),
  };
}

/** Everything a DORA key (repository, range of UTC days) is computed from. */
export interface DoraFacts {
  org_id: string;
  repository_id: string;
  range: TimeRange;
  /** Production deployments of the repository that took effect in the range. */
  deployments: DeploymentFacts[];
  /** Deployments above that an incident names. */
  incident_linked_deployment_ids: string[];
  /** PRs merged after the last successful production deployment before the range, up to the range's end. */
  merged_pull_requests: { id: string; merged_at: number }[];
  /** Incidents of the repository (or of its deployments) started or resolved in the range. */
  incidents: IncidentFacts[];
}

export function doraFigures(facts: Omit<DoraFacts, 'org_id'>) {
  const pairs = leadTimePairs(
    facts.merged_pull_requests.map((pr) => pr.merged_at),
    facts.deployments,
  ).filter((pair) => pair.deployedAt >= facts.range.start && pair.deployedAt < facts.range.end);
  return doraDay(facts.range, facts.deployments, new Set(facts.incident_linked_deployment_ids), pairs, facts.incidents);
}

export function isEmptyDora(facts: DoraFacts): boolean {
  return facts.deployments.length === 0 && facts.incidents.length === 0;
}

export function doraDayRow(facts: DoraFacts, computedAt: number): DoraMetricsDaily {
  return {
    repository_id: facts.repository_id,
    day: dayOf(facts.range.start),
    org_id: facts.org_id,
    computed_at: computedAt,
    ...doraFigures(facts),
  };
}

/** DORA over a window of days, with its 2023 performance bands (figures over the whole window, not averaged days). */
export function doraWindow(facts: Omit<DoraFacts, 'org_id'>) {
  const figures = doraFigures(facts);
  const days = Math.round((facts.range.end - facts.range.start) / DAY_MS);
  return {
    days,
    ...figures,
    bands: doraBands({
      days,
      successfulDeployments: figures.successful_deployments,
      leadTimeP50Hours: figures.lead_time_p50_hours,
      changeFailureRate: figures.change_failure_rate,
      timeToRestoreP50Hours: figures.time_to_restore_p50_hours,
    }),
  };
}

/** Everything a work-item key (provider, work scope, team, UTC day) is computed from. */
export interface WorkItemDayFacts {
  org_id: string;
  provider: string;
  work_scope_id: string;
  /** '' for items without a team. */
  team_id: string;
  day: number;
  /** Items of the scope and team that existed by the day's end and were not finished before it began. */
  items: WorkItemFacts[];
}

export function workItemDayRow(facts: WorkItemDayFacts, computedAt: number): WorkItemMetricsDaily {
  return {
    provider: facts.provider,
    work_scope_id: facts.work_scope_id,
    team_id: facts.team_id,
    day: facts.day,
    org_id: facts.org_id,
    computed_at: computedAt,
    ...workItemDay(dayRange(facts.day), facts.items),
  };
}
