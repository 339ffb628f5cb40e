import type { SourceStatus } from '@dev-health/postgres';
import type { HomeWindow } from './home-window';

/** One repository-day of repo_metrics_daily (latest computation). */
export interface RepoDay {
  repository_id: string;
  day: string;
  commits: number;
  lines_touched: number;
  prs_merged: number;
  pr_cycle_time_p50_hours: number | null;
  time_to_first_review_p50_hours: number | null;
  rework_ratio: number | null;
  computed_at: number | null;
}

/** One repository-day of dora_metrics_daily (latest computation). */
export interface DoraDay {
  repository_id: string;
  day: string;
  deployments: number;
  failed_deployments: number;
  lead_time_p50_hours: number | null;
  changes_deployed: number;
  time_to_restore_p50_hours: number | null;
  incidents_resolved: number;
  computed_at: number | null;
}

/** One scope-team-day of work_item_metrics_daily (latest computation). */
export interface WorkDay {
  day: string;
  items_completed: number;
  cycle_time_p50_hours: number | null;
  computed_at: number | null;
}

export interface MergedPullRequest {
  id: string;
  repository_id: string;
  title: string;
  labels: string[];
  additions: number | null;
  deletions: number | null;
  /** It closes a work item. */
  linked: boolean;
  /** It has at least one review. */
  reviewed: boolean;
}

export interface WindowWorkItem {
  id: string;
  provider: string;
  team_id: string | null;
  assignee_identity_id: string | null;
  reporter_identity_id: string | null;
  completed_at: number | null;
  /** At least one status transition is stored. */
  transitioned: boolean;
}

export interface HomeEvent {
  at: number;
  type: 'deployment' | 'incident';
  text: string;
  link: string;
}

/** Record kinds Home reads, for data confidence. */
export const TRACKED_KINDS = ['commits', 'pull_requests', 'work_items', 'deployments', 'incidents'] as const;
export type TrackedKind = (typeof TRACKED_KINDS)[number];

/** Everything Home is built from: read from the stores in a fixed number of statements. */
export interface HomeFacts {
  window: HomeWindow;
  nowMs: number;
  /** Repositories in scope (all of the org's without a repository filter). */
  repositories: { id: string; name: string }[];
  /** Whether filters name repositories, and the names that match none. */
  repoFilter: { applied: boolean; unknown: string[] };
  repoDays: RepoDay[];
  doraDays: DoraDay[];
  workDays: WorkDay[];
  /** Pull requests merged in the current window. */
  merged: MergedPullRequest[];
  /** Work items created or completed in the current window. */
  workItems: WindowWorkItem[];
  teamsOf: ReadonlyMap<string, readonly string[]>;
  events: HomeEvent[];
  /** The newest record fetched of each kind; null when the org has none. */
  lastFetched: Record<TrackedKind, number | null>;
  sources: SourceStatus[];
}
