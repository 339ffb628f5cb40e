import { capacityForecast, historyRange, throughputForecast } from './forecast-builder';

const day = (offset: number) =>
  new Date(Date.parse('2026-11-22T00:00:00Z') + offset * 86_400_000).toISOString().slice(0, 10);
const question = {
  org: 'acme',
  teamId: 'acme/jira:team:acme.atlassian.net/pay',
  workScopeId: null,
  targetItems: null,
  targetDate: null,
  historyDays: 14,
  simulations: 2_000,
  today: '2026-12-06',
};

describe('capacity forecast answer', () => {
  it('draws from the history days before today; days without a row count 0', () => {
    expect(historyRange(question)).toEqual({ first: '2026-11-22', last: '2026-12-05' });
    // 3 items on each of 7 of the 14 days: 1.5 a day on average.
    const completed = new Map(Array.from({ length: 7 }, (_, index) => [day(index * 2), 3] as const));
    const answer = capacityForecast(question, completed, 12, new Date('2026-12-06T01:00:00Z'));
    expect(answer).toMatchObject({
      backlogSize: 12,
      throughputMean: 1.5,
      throughputStddev: 1.5,
      historyDays: 14,
      insufficientHistory: false,
      computedAt: '2026-12-06T01:00:00.000Z',
    });
    // 12 items at 3 per drawn busy day: 4 busy days; the days are dated after today.
    expect(answer.p50Days).toBeGreaterThanOrEqual(4);
    expect(answer.p50Date).toBe(
      new Date(Date.parse('2026-12-06T00:00:00Z') + (answer.p50Days ?? 0) * 86_400_000).toISOString().slice(0, 10),
    );
    expect(answer.completionDistribution.days.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(2_000);
    // The same question on the same data answers alike (the seed is the question).
    expect(capacityForecast(question, completed, 12, new Date('2026-12-06T01:00:00Z'))).toEqual(answer);
  });

  it('a target date counts the items by then; a date in the past counts none', () => {
    const steady = new Map(Array.from({ length: 14 }, (_, index) => [day(index), 2] as const));
    const byDate = capacityForecast({ ...question, targetDate: '2026-12-11' }, steady, 100, new Date());
    expect([byDate.p50Items, byDate.p85Items, byDate.p95Items]).toEqual([10, 10, 10]);
    const past = capacityForecast({ ...question, targetDate: '2026-12-01' }, steady, 100, new Date());
    expect(past.p50Items).toBe(0);
  });

  it('no history: every percentile null, flagged as insufficient', () => {
    const answer = capacityForecast(question, new Map(), 5, new Date());
    expect(answer).toMatchObject({ p50Days: null, p50Date: null, insufficientHistory: true, throughputMean: 0 });
    expect(answer.completionDistribution.unfinishedRuns).toBe(2_000);
  });

  it('throughput: weeks to finish from weekly throughput, rolling means, and the risks that make it optimistic', () => {
    const today = '2026-12-06';
    // 4 weeks of history, 5 items every week (one a weekday): 20 items take 4 weeks in every run.
    const completedByDay = new Map<string, number>();
    for (let offset = 1; offset <= 28; offset++)
      if (offset % 7 < 5)
        completedByDay.set(
          new Date(Date.parse(`${today}T00:00:00Z`) - offset * 86_400_000).toISOString().slice(0, 10),
          1,
        );
    const asOf = new Date(`${today}T00:00:00Z`);
    const hour = 3_600_000;
    const answer = throughputForecast(
      { org: 'acme', teamId: null, workScopeId: null, backlogSize: null, historyWeeks: 4, today },
      {
        completedByDay,
        open: [
          ...Array.from({ length: 12 }, (_, index) => ({
            inProgress: true,
            startedAt: asOf.getTime() - (index + 1) * 10 * hour,
            estimated: index < 3,
          })),
          ...Array.from({ length: 8 }, () => ({ inProgress: false, startedAt: null, estimated: true })),
        ],
        firstReviewHours: [2, 4, 30, 50, 60],
        incidents: 2,
        asOf,
      },
    );
    expect(answer).toMatchObject({
      backlogSize: 20,
      p50Weeks: 4,
      p75Weeks: 4,
      p90Weeks: 4,
      insufficientHistory: false,
    });
    expect(answer.rollingWindows).toEqual([
      { windowWeeks: 4, meanWeeklyThroughput: 5, sampleCount: 4, insufficientHistory: false },
      { windowWeeks: 8, meanWeeklyThroughput: 5, sampleCount: 4, insufficientHistory: true },
      { windowWeeks: 12, meanWeeklyThroughput: 5, sampleCount: 4, insufficientHistory: true },
    ]);
    // 12 in progress at 5 a week: 2.4 weeks of WIP, above 2; median first review 30 h, above 24; 0.5 incidents a week.
    expect(answer.wipCongestion).toMatchObject({ value: 2.4, threshold: 2, score: 0.6, active: true });
    expect(answer.reviewBottleneck).toMatchObject({ value: 30, threshold: 24, score: 0.625, active: true });
    expect(answer.incidentLoad).toMatchObject({ value: 0.5, active: false });
    expect(answer.primaryRisk.kind).toBe('review_bottleneck');
    expect(answer.staleWip).toEqual({ p50AgeHours: 65, p90AgeHours: 109 });
    expect(answer.estimateCoverage).toEqual({ ratio: 0.55, estimatedCount: 11, unestimatedCount: 9, backlogSize: 20 });
  });

  it('throughput with no completions: no finishing week, flagged; an empty backlog has no estimate ratio', () => {
    const answer = throughputForecast(
      { org: 'acme', teamId: null, workScopeId: null, backlogSize: 10, historyWeeks: 12, today: '2026-12-06' },
      { completedByDay: new Map(), open: [], firstReviewHours: [], incidents: 0, asOf: new Date() },
    );
    expect(answer).toMatchObject({ p50Weeks: null, p90Weeks: null, insufficientHistory: true, backlogSize: 10 });
    expect(answer.estimateCoverage.ratio).toBeNull();
    expect(answer.staleWip).toEqual({ p50AgeHours: null, p90AgeHours: null });
    expect(answer.wipCongestion.active).toBe(false);
  });
});
