import type { SourceStatus } from '@dev-health/postgres';
import { buildHome, formatValue } from './home-builder';
import type { HomeFacts, RepoDay } from './home-facts';
import { homeWindow } from './home-window';
import { themeOf } from './themes';

const NOW = Date.parse('2026-03-14T12:00:00Z');

const repoDay = (day: string, overrides: Partial<RepoDay> = {}): RepoDay => ({
  repository_id: 'r1',
  day,
  commits: 10,
  lines_touched: 100,
  prs_merged: 2,
  pr_cycle_time_p50_hours: 10,
  time_to_first_review_p50_hours: 2,
  rework_ratio: 0.5,
  computed_at: Date.parse(`${day}T23:00:00Z`),
  ...overrides,
});

const source = (overrides: Partial<SourceStatus> = {}): SourceStatus => ({
  integration_id: '1',
  provider: 'github',
  name: 'gh',
  scope: {},
  enabled: true,
  last_success_at: new Date('2026-03-13T00:00:00Z'),
  last_failure_at: null,
  last_failure_stage: null,
  last_failure_message: null,
  latest_status: 'succeeded',
  rows_ingested: 10,
  last_ingested_at: new Date('2026-03-13T00:00:00Z'),
  ...overrides,
});

function facts(overrides: Partial<HomeFacts> = {}): HomeFacts {
  return {
    window: homeWindow({ rangeDays: 7, compareDays: 7 }, NOW, 730),
    nowMs: NOW,
    repositories: [
      { id: 'r1', name: 'acme/api' },
      { id: 'r2', name: 'acme/web' },
    ],
    repoFilter: { applied: false, unknown: [] },
    repoDays: [],
    doraDays: [],
    workDays: [],
    merged: [],
    workItems: [],
    teamsOf: new Map(),
    events: [],
    lastFetched: { commits: 1, pull_requests: 1, work_items: null, deployments: null, incidents: null },
    sources: [source()],
    ...overrides,
  };
}

describe('homeWindow', () => {
  it('ends today (UTC) and compares with the days just before', () => {
    expect(homeWindow(null, NOW, 730)).toEqual({
      current: { first: '2026-03-01', last: '2026-03-14', days: 14 },
      prior: { first: '2026-02-15', last: '2026-02-28', days: 14 },
    });
  });

  it('takes explicit dates, and no comparison for compareDays 0', () => {
    expect(homeWindow({ startDate: '2026-03-01', endDate: '2026-03-10', compareDays: 0 }, NOW, 730)).toEqual({
      current: { first: '2026-03-01', last: '2026-03-10', days: 10 },
      prior: null,
    });
  });

  it('refuses a window past the limit or backwards, naming the limit', () => {
    expect(() => homeWindow({ rangeDays: 31 }, NOW, 30)).toThrow(/GATEWAY_MAX_WINDOW_DAYS allows 30/);
    expect(() => homeWindow({ startDate: '2026-03-10', endDate: '2026-03-01' }, NOW, 730)).toThrow(/startDate/);
  });
});

describe('themeOf', () => {
  it('reads labels before titles, conventional types and leading verbs', () => {
    expect(themeOf('Add login', ['bug'])).toBe('quality');
    expect(themeOf('feat(api): paging', [])).toBe('feature_delivery');
    expect(themeOf('Revert "Add login"', [])).toBe('risk');
    expect(themeOf('Refactor queue', [])).toBe('maintenance');
    expect(themeOf('Speed up build', [])).toBe('operational');
    expect(themeOf('Quarterly numbers', [])).toBeNull();
  });
});

describe('buildHome', () => {
  it('compares a window with the one before: sums, weighted medians, percent change', () => {
    const home = buildHome(
      facts({
        repoDays: [
          repoDay('2026-03-01', { prs_merged: 2, pr_cycle_time_p50_hours: 10 }),
          repoDay('2026-03-10', { prs_merged: 1, pr_cycle_time_p50_hours: 40 }),
          repoDay('2026-03-12', { prs_merged: 3, pr_cycle_time_p50_hours: 20 }),
        ],
      }),
    );
    const byMetric = new Map(home.deltas.map((delta) => [delta.metric, delta]));
    const throughput = byMetric.get('throughput')!;
    expect(throughput).toMatchObject({ value: 4, hasData: true, hasPriorData: true, deltaPct: 100 });
    // Spark: every day of the window, 0 where nothing was stored.
    expect(throughput.spark).toHaveLength(7);
    expect(throughput.spark.map((point) => point.value)).toEqual([0, 0, 1, 0, 3, 0, 0]);
    // (40×1 + 20×3) / 4 = 25 against 10: +150%.
    expect(byMetric.get('cycle_time')).toMatchObject({ value: 25, deltaPct: 150 });
    expect(byMetric.get('cycle_time')!.spark.map((point) => point.value)).toEqual([40, 20]);
    expect(byMetric.get('deploy_freq')).toMatchObject({ value: 0, hasData: false, deltaPct: null, spark: [] });
    expect(throughput.repoFilterApplied).toBeNull();
  });

  it('has no percent against a measured zero, and 0% between two zeros', () => {
    const home = buildHome(
      facts({
        repoDays: [repoDay('2026-03-01', { prs_merged: 0 }), repoDay('2026-03-10', { prs_merged: 3, commits: 0 })],
      }),
    );
    const throughput = home.deltas.find((delta) => delta.metric === 'throughput')!;
    expect(throughput.deltaPct).toBeNull();
    expect(throughput.hasPriorData).toBe(true);
    expect(home.deltas.find((delta) => delta.metric === 'commits')!.deltaPct).toBe(-100);
  });

  it('raises a signal for a worsening of 10% or more, worst first, and names it the limiting factor', () => {
    const home = buildHome(
      facts({
        repoDays: [
          repoDay('2026-03-01', { pr_cycle_time_p50_hours: 10, time_to_first_review_p50_hours: 2 }),
          repoDay('2026-03-10', { pr_cycle_time_p50_hours: 12, time_to_first_review_p50_hours: 4 }),
        ],
      }),
    );
    expect(home.signals.map((signal) => [signal.metric, signal.severity])).toEqual([
      ['review_latency', 'high'],
      ['cycle_time', 'low'],
    ]);
    expect(home.signals[0]).toMatchObject({ currentValue: '4 h', priorValue: '2 h', delta: '+100%', direction: 'up' });
    expect(home.limitingFactor.claim).toContain('Time to first review rose 100%');
    expect(home.healthState.status).toBe('at_risk');
    expect(home.constraint?.title).toBe('Time to first review');
  });

  it('says no data, with no constraint, for an empty window', () => {
    const home = buildHome(facts());
    expect(home.constraint).toBeNull();
    expect(home.healthState.status).toBe('no_data');
    expect(home.freshness.coverage?.reposCoveredPct).toBe(0);
    expect(home.freshness.coverage?.prsLinkedToIssuesPct).toBeNull();
  });

  it('states the rework ratio’s coverage and the change failure rate’s state', () => {
    const home = buildHome(
      facts({
        repoDays: [repoDay('2026-03-10')],
        doraDays: [
          {
            repository_id: 'r1',
            day: '2026-03-10',
            deployments: 0,
            failed_deployments: 0,
            lead_time_p50_hours: null,
            changes_deployed: 0,
            time_to_restore_p50_hours: null,
            incidents_resolved: 0,
            computed_at: null,
          },
        ],
        merged: [
          {
            id: 'p1',
            repository_id: 'r1',
            title: 'Add x',
            labels: [],
            additions: 30,
            deletions: 10,
            linked: true,
            reviewed: true,
          },
          {
            id: 'p2',
            repository_id: 'r1',
            title: 'Fix y',
            labels: [],
            additions: 5,
            deletions: 5,
            linked: false,
            reviewed: false,
          },
          {
            id: 'p3',
            repository_id: 'r1',
            title: 'Misc',
            labels: [],
            additions: 1,
            deletions: 1,
            linked: false,
            reviewed: false,
          },
        ],
      }),
    );
    const rework = home.deltas.find((delta) => delta.metric === 'pr_rework_ratio')!;
    expect(rework).toMatchObject({ rateState: 'measured', rateCoverage: 0.3333 });
    expect(home.deltas.find((delta) => delta.metric === 'change_failure_rate')!.rateState).toBe(
      'not_applicable_no_deployments',
    );
    expect(home.freshness.coverage?.prsLinkedToIssuesPct).toBe(33.33);
    expect(home.freshness.coverage?.reposCoveredPct).toBe(50);
    // Classified PRs only (Misc is not), by changed lines.
    expect(home.reworkThemeAllocation).toEqual([
      {
        theme: 'feature_delivery',
        label: 'Feature delivery',
        allocation: 0.8,
        allocationPct: 80,
        prsMerged: 1,
        churnLoc: 40,
      },
      { theme: 'quality', label: 'Quality', allocation: 0.2, allocationPct: 20, prsMerged: 1, churnLoc: 10 },
    ]);
  });

  it('rates each source: down without a success, degraded when failing or stale', () => {
    const home = buildHome(
      facts({
        sources: [
          source({ provider: 'github' }),
          source({ provider: 'jira', last_success_at: null }),
          source({ provider: 'gitlab', latest_status: 'failed' }),
          source({ provider: 'github', name: 'old', last_success_at: new Date('2026-01-01T00:00:00Z') }),
          source({ provider: 'synthetic', enabled: false }),
        ],
      }),
    );
    expect(home.freshness.sources).toEqual([
      { provider: 'github', status: 'degraded' },
      { provider: 'gitlab', status: 'degraded' },
      { provider: 'jira', status: 'down' },
    ]);
    expect(home.dataConfidence.connectedSources).toEqual(['github', 'gitlab', 'jira']);
    expect(home.dataConfidence.missingSources).toEqual(['work_items', 'deployments', 'incidents']);
    expect(home.dataConfidence.level).toBe('low');
  });

  it('marks a repository filter on repository metrics only', () => {
    const home = buildHome(
      facts({ repositories: [{ id: 'r1', name: 'acme/api' }], repoFilter: { applied: true, unknown: ['acme/x'] } }),
    );
    expect(home.deltas.find((delta) => delta.metric === 'throughput')!.repoFilterApplied).toBe(true);
    expect(home.deltas.find((delta) => delta.metric === 'work_items_completed')!.repoFilterApplied).toBe(false);
    expect(home.scopeDataConfidence.caveats).toContain('No repository acme/x in this organization.');
  });

  it('formats values as people read them', () => {
    expect(formatValue(12.345, 'hours')).toBe('12.3 h');
    expect(formatValue(0.125, 'ratio')).toBe('12.5%');
    expect(formatValue(4, 'prs')).toBe('4 PRs');
  });
});
