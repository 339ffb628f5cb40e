import { capacityForecast, historyRange } from './forecast-builder';

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
});
