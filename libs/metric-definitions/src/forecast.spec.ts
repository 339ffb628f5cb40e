import { backtest, seededRandom, simulateCapacity } from './forecast';

const base = { targetDays: null, simulations: 10_000, horizonDays: 365, seed: 'golden' };

describe('capacity forecast (Monte Carlo over daily throughput)', () => {
  it('a steady 2 items a day finishes 10 items in exactly 5 days, in every run', () => {
    const result = simulateCapacity({ ...base, dailyThroughput: Array(30).fill(2), items: 10 });
    expect(result).toMatchObject({ p50Days: 5, p85Days: 5, p95Days: 5, unfinishedRuns: 0, throughputMean: 2 });
    expect(result.days).toEqual([{ value: 5, count: 10_000, cumulativeShare: 1 }]);
    expect(result).toMatchObject({ throughputStddev: 0, insufficientHistory: false, highVariance: false });
  });

  it('one item on half the days: days to finish one item are geometric (p50 1, p85 3, p95 5)', () => {
    // P(done by day d) = 1 − 0.5^d: 0.5, 0.75, 0.875, 0.9375, 0.96875.
    const result = simulateCapacity({
      ...base,
      dailyThroughput: Array.from({ length: 28 }, (_, i) => i % 2),
      items: 1,
    });
    expect([result.p50Days, result.p85Days, result.p95Days]).toEqual([1, 3, 5]);
    const shareByDay = Object.fromEntries(result.days.map((bucket) => [bucket.value, bucket.cumulativeShare]));
    expect(shareByDay[1]).toBeCloseTo(0.5, 1);
    expect(shareByDay[3]).toBeCloseTo(0.875, 1);
  });

  it('items by a target date: at least p of the runs reach the item count, capped at the backlog', () => {
    const result = simulateCapacity({ ...base, dailyThroughput: Array(20).fill(3), items: 100, targetDays: 10 });
    expect([result.p50Items, result.p85Items, result.p95Items]).toEqual([30, 30, 30]);
    expect(result.items).toEqual([{ value: 30, count: 10_000, cumulativeShare: 1 }]);
    const small = simulateCapacity({ ...base, dailyThroughput: Array(20).fill(3), items: 12, targetDays: 10 });
    expect(small.p50Items).toBe(12);
  });

  it('zero-throughput history: no run finishes, every percentile null, flagged, not an error', () => {
    const result = simulateCapacity({ ...base, dailyThroughput: Array(60).fill(0), items: 5, targetDays: 30 });
    expect(result).toMatchObject({
      unfinishedRuns: 10_000,
      p50Days: null,
      p85Days: null,
      p95Days: null,
      p50Items: 0,
      throughputMean: 0,
      insufficientHistory: true,
      highVariance: false,
    });
    expect(result.days).toEqual([]);
    expect(simulateCapacity({ ...base, dailyThroughput: [], items: 5 })).toMatchObject({
      insufficientHistory: true,
      historyDays: 0,
      p50Days: null,
    });
  });

  it('is reproducible for a seed, and another seed draws differently', () => {
    const history = Array.from({ length: 90 }, (_, i) => [0, 0, 1, 3, 0, 2, 7][i % 7] as number);
    const input = { ...base, dailyThroughput: history, items: 40, simulations: 2_000 };
    expect(simulateCapacity(input)).toEqual(simulateCapacity(input));
    expect(simulateCapacity({ ...input, seed: 'other' }).days).not.toEqual(simulateCapacity(input).days);
    expect(simulateCapacity(input).highVariance).toBe(false);
    const bursty = Array.from({ length: 90 }, (_, i) => (i % 30 === 0 ? 40 : 0));
    expect(simulateCapacity({ ...input, dailyThroughput: bursty }).highVariance).toBe(true);
  });

  it('is calibrated on a stationary synthetic history: about half the outcomes within p50, most within p85', () => {
    const random = seededRandom('history');
    // About 2 items a day, bursty: 0–4 uniformly.
    const history = Array.from({ length: 540 }, () => Math.floor(random() * 5));
    const result = backtest(history, { historyDays: 90, items: 30, simulations: 2_000, seed: 'calibration', step: 5 });
    expect(result.cuts).toBeGreaterThanOrEqual(80);
    expect(result.withinP50 / result.cuts).toBeGreaterThan(0.35);
    expect(result.withinP50 / result.cuts).toBeLessThan(0.8);
    expect(result.withinP85 / result.cuts).toBeGreaterThan(0.75);
  });
});
