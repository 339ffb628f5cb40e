import { doraBands, doraDay, leadTimePairs, type DeploymentFacts } from './dora';
import { pullRequestDay, type PullRequestFacts } from './pull-requests';
import { percentile } from './stats';
import { teamDay } from './team';
import { workItemDay, type WorkItemFacts } from './work-items';
import { DEFAULT_BUSINESS_HOURS, classifyWorkingTime } from './working-time';

const H = 3_600_000;
const D = 24 * H;
const MON = Date.UTC(2026, 0, 5); // a Monday
const day = (start: number) => ({ start, end: start + D });

describe('percentile (linear interpolation, rank = (n − 1)·p)', () => {
  it('matches hand-computed values', () => {
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(percentile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 10); // rank 2.7: 3 + 0.7·(4 − 3)
    expect(percentile([1, 2, 3, 4], 0.75)).toBeCloseTo(3.25, 10);
    expect(percentile([5], 0.9)).toBe(5);
    expect(percentile([], 0.5)).toBeNull();
  });
});

describe('pull request day', () => {
  const pr = (overrides: Partial<PullRequestFacts>): PullRequestFacts => ({
    id: 'pr',
    author_identity_id: 'author',
    created_at: MON + 10 * H,
    merged_at: MON + 20 * H,
    additions: 40,
    deletions: 10,
    reviews: [],
    comments: [],
    ...overrides,
  });

  it('a PR opened at 23:30 and merged at 00:30 counts as opened on day 1 and merged on day 2 with a 1 h cycle', () => {
    const crossing = pr({ created_at: MON + 23.5 * H, merged_at: MON + D + 0.5 * H });
    const dayOne = pullRequestDay([crossing], []);
    const dayTwo = pullRequestDay([], [crossing]);
    expect(dayOne).toMatchObject({ prs_opened: 1, prs_merged: 0, pr_cycle_time_p50_hours: null });
    expect(dayTwo).toMatchObject({ prs_opened: 0, prs_merged: 1, pr_cycle_time_p50_hours: 1 });
  });

  it('computes review flow by hand: pickup by comment, first review, review time, rework, size, reviews per PR', () => {
    const a = pr({
      id: 'a',
      created_at: MON,
      merged_at: MON + 10 * H,
      additions: 100,
      deletions: 0,
      comments: [{ author_identity_id: 'reviewer', created_at: MON + 1 * H }],
      reviews: [
        { reviewer_identity_id: 'author', state: 'commented', submitted_at: MON + 0.5 * H }, // self: ignored
        { reviewer_identity_id: 'reviewer', state: 'changes_requested', submitted_at: MON + 2 * H },
        { reviewer_identity_id: 'reviewer', state: 'approved', submitted_at: MON + 8 * H },
      ],
    });
    const b = pr({
      id: 'b',
      created_at: MON + 2 * H,
      merged_at: MON + 6 * H,
      additions: 10,
      deletions: 10,
      reviews: [{ reviewer_identity_id: 'other', state: 'approved', submitted_at: MON + 5 * H }],
    });
    const result = pullRequestDay([], [a, b]);
    // cycle: a 10 h, b 4 h → p50 7, p75 8.5, p90 9.4
    expect(result).toMatchObject({
      prs_merged: 2,
      pr_cycle_time_p50_hours: 7,
      pr_cycle_time_p75_hours: 8.5,
      pr_cycle_time_p90_hours: 9.4,
      // first non-author review: a 2 h, b 3 h; pickup (review or comment): a 1 h, b 3 h
      time_to_first_review_p50_hours: 2.5,
      pickup_time_p50_hours: 2,
      // first review → merge: a 8 h, b 1 h
      review_time_p50_hours: 4.5,
      pr_size_p50: 60,
      rework_ratio: 0.5,
      reviews_per_pr: 2,
      negative_durations_dropped: 0,
    });
  });

  it('drops and counts a negative duration; no merged PRs → nulls, not zeros', () => {
    const skewed = pr({ created_at: MON + 5 * H, merged_at: MON + 4 * H });
    expect(pullRequestDay([], [skewed])).toMatchObject({
      pr_cycle_time_p50_hours: null,
      negative_durations_dropped: 1,
    });
    expect(pullRequestDay([], [])).toMatchObject({
      prs_merged: 0,
      rework_ratio: null,
      reviews_per_pr: null,
      pr_size_p50: null,
    });
  });
});

describe('work item day', () => {
  const item: WorkItemFacts = {
    id: 'w1',
    type: 'bug',
    created_at: MON + 9 * H,
    started_at: MON + D + 9 * H,
    completed_at: MON + 3 * D + 12 * H,
    status_category: 'done',
    transitions: [
      { from_category: null, to_category: 'todo', transitioned_at: MON + 9 * H },
      { from_category: 'todo', to_category: 'in_progress', transitioned_at: MON + D + 9 * H },
      { from_category: 'in_progress', to_category: 'done', transitioned_at: MON + 2 * D + 9 * H },
      { from_category: 'done', to_category: 'in_progress', transitioned_at: MON + 2 * D + 15 * H },
      { from_category: 'in_progress', to_category: 'done', transitioned_at: MON + 3 * D + 12 * H },
    ],
  };

  it('a reopened item: reopen counted on its day, still WIP that night, completed later from its first start', () => {
    expect(workItemDay(day(MON + 2 * D), [item])).toMatchObject({
      reopened: 1,
      items_completed: 0,
      wip_end_of_day: 1,
      wip_age_p50_days: 2 - 9 / 24,
    });
    expect(workItemDay(day(MON + 3 * D), [item])).toMatchObject({
      items_completed: 1,
      cycle_time_p50_hours: 51, // day 2 09:00 → day 4 12:00
      lead_time_p50_hours: 75, // day 1 09:00 → day 4 12:00
      bug_share: 1,
      wip_end_of_day: 0,
    });
    expect(workItemDay(day(MON), [item])).toMatchObject({
      items_created: 1,
      items_completed: 0,
      cycle_time_p50_hours: null,
      bug_share: null,
    });
  });
});

describe('DORA', () => {
  const deployment = (id: string, at: number, overrides: Partial<DeploymentFacts> = {}): DeploymentFacts => ({
    id,
    environment: 'production',
    status: 'success',
    created_at: at - 10 * 60_000,
    finished_at: at,
    ...overrides,
  });

  it('lead time runs from merge to the first successful production deployment after it; staging and failures do not count', () => {
    const deployments = [
      deployment('staging', MON + 11 * H, { environment: 'staging' }),
      deployment('failed', MON + 12 * H, { status: 'failed' }),
      deployment('prod', MON + 14 * H),
    ];
    expect(leadTimePairs([MON + 10 * H, MON + 15 * H], deployments)).toEqual([
      { mergedAt: MON + 10 * H, deployedAt: MON + 14 * H, deploymentId: 'prod' },
    ]);
  });

  it('a day with a deployment and no PR, a failed deployment, a linked incident and an unresolved one', () => {
    const deployments = [
      deployment('d1', MON + 10 * H),
      deployment('d2', MON + 12 * H, { status: 'failed' }),
      deployment('d3', MON + 14 * H),
      deployment('d4', MON + 15 * H, { status: 'canceled' }),
    ];
    const result = doraDay(
      day(MON),
      deployments,
      new Set(['d3']),
      [],
      [
        { id: 'i1', deployment_id: 'd3', started_at: MON + 14.5 * H, resolved_at: MON + 16.5 * H },
        { id: 'i2', deployment_id: null, started_at: MON + 18 * H, resolved_at: null },
      ],
    );
    expect(result).toEqual({
      deployments: 3,
      successful_deployments: 2,
      failed_deployments: 2, // d2 failed, d3 had an incident
      change_failure_rate: 0.6667,
      lead_time_p50_hours: null, // no PR reached production: not zero
      lead_time_p90_hours: null,
      changes_deployed: 0,
      incidents_resolved: 1,
      time_to_restore_p50_hours: 2,
      incidents_open_unresolved: 1,
      negative_durations_dropped: 0,
    });
  });

  it('counts an unresolved incident on the day it started only', () => {
    const incident = { id: 'i', deployment_id: null, started_at: MON - 2 * H, resolved_at: null };
    expect(doraDay(day(MON - D), [], new Set(), [], [incident]).incidents_open_unresolved).toBe(1);
    expect(doraDay(day(MON), [], new Set(), [], [incident]).incidents_open_unresolved).toBe(0);
  });

  it('bands follow the 2023 report thresholds', () => {
    expect(
      doraBands({
        days: 30,
        successfulDeployments: 45,
        leadTimeP50Hours: 5,
        changeFailureRate: 0.05,
        timeToRestoreP50Hours: 0.5,
      }),
    ).toEqual({
      deployment_frequency: 'elite',
      lead_time: 'elite',
      change_failure_rate: 'elite',
      time_to_restore: 'elite',
    });
    expect(
      doraBands({
        days: 30,
        successfulDeployments: 5,
        leadTimeP50Hours: 48,
        changeFailureRate: 0.1,
        timeToRestoreP50Hours: 5,
      }),
    ).toMatchObject({
      deployment_frequency: 'high',
      lead_time: 'high',
      change_failure_rate: 'high',
      time_to_restore: 'high',
    });
    expect(
      doraBands({
        days: 30,
        successfulDeployments: 1,
        leadTimeP50Hours: 24 * 10,
        changeFailureRate: 0.15,
        timeToRestoreP50Hours: 48,
      }),
    ).toMatchObject({
      deployment_frequency: 'medium',
      lead_time: 'medium',
      change_failure_rate: 'medium',
      time_to_restore: 'medium',
    });
    expect(
      doraBands({
        days: 90,
        successfulDeployments: 1,
        leadTimeP50Hours: 24 * 40,
        changeFailureRate: 0.3,
        timeToRestoreP50Hours: 24 * 8,
      }),
    ).toMatchObject({
      deployment_frequency: 'low',
      lead_time: 'low',
      change_failure_rate: 'low',
      time_to_restore: 'low',
    });
    expect(
      doraBands({
        days: 30,
        successfulDeployments: 0,
        leadTimeP50Hours: null,
        changeFailureRate: null,
        timeToRestoreP50Hours: null,
      }),
    ).toEqual({
      deployment_frequency: 'low',
      lead_time: null,
      change_failure_rate: null,
      time_to_restore: null,
    });
  });
});

describe("after hours in the author's own time (DST-free offsets)", () => {
  const FRI = MON + 4 * D;
  it('judges each commit by its own clock', () => {
    // 16:30 UTC Monday at +05:30 is 22:00 local: after hours
    expect(classifyWorkingTime(MON + 16.5 * H, 330, DEFAULT_BUSINESS_HOURS)).toBe('after_hours');
    // 17:00 UTC Monday at −08:00 is 09:00 local: business hours (start inclusive)
    expect(classifyWorkingTime(MON + 17 * H, -480, DEFAULT_BUSINESS_HOURS)).toBe('business');
    // 01:00 UTC Tuesday at −08:00 is 17:00 Monday local: after hours (end exclusive)
    expect(classifyWorkingTime(MON + D + 1 * H, -480, DEFAULT_BUSINESS_HOURS)).toBe('after_hours');
    // 20:00 UTC Friday at +05:30 is 01:30 Saturday local: weekend, not after hours
    expect(classifyWorkingTime(FRI + 20 * H, 330, DEFAULT_BUSINESS_HOURS)).toBe('weekend');
  });

  it('team ratios over all commits, with configurable hours', () => {
    const commits = [
      { authored_at: MON + 16.5 * H, author_utc_offset_minutes: 330 }, // 22:00 local
      { authored_at: MON + 10 * H, author_utc_offset_minutes: 0 }, // 10:00
      { authored_at: FRI + 20 * H, author_utc_offset_minutes: 330 }, // Saturday
      { authored_at: MON + 17 * H, author_utc_offset_minutes: -480 }, // 09:00
    ];
    expect(teamDay(commits, DEFAULT_BUSINESS_HOURS)).toEqual({
      commits: 4,
      after_hours_commits: 1,
      weekend_commits: 1,
      after_hours_ratio: 0.25,
      weekend_ratio: 0.25,
    });
    expect(teamDay(commits, { startHour: 8, endHour: 23, weekendDays: [0, 6] }).after_hours_commits).toBe(0);
    expect(teamDay([], DEFAULT_BUSINESS_HOURS).after_hours_ratio).toBeNull();
  });
});
