import { mean } from './stats';

/**
 * Monte Carlo forecasts over historical throughput (docs/metrics.md, "Forecasts"). Each simulated
 * day draws one day of the history at random (a bootstrap: the history's own mix of busy and empty
 * days, no distribution assumed). Seeded, so a forecast is reproducible: the same history, backlog,
 * settings and seed give the same answer.
 */

/** mulberry32 over a seed string's FNV-1a hash: small, fast, the same sequence on every machine. */
export function seededRandom(seed: string): () => number {
  let state = 2_166_136_261;
  for (let index = 0; index < seed.length; index++) state = Math.imul(state ^ seed.charCodeAt(index), 16_777_619);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface CapacitySimulationInput {
  /** Items completed per day over the history, oldest first, a 0 for each day without completions. */
  dailyThroughput: readonly number[];
  /** Items to finish (the target, else the open backlog). */
  items: number;
  /** Days from the start of the forecast to the target date, when there is one. */
  targetDays: number | null;
  simulations: number;
  /** Days simulated at most: a run that has not finished by then is unfinished. */
  horizonDays: number;
  seed: string;
}

export interface DistributionBucket {
  value: number;
  count: number;
  /** Share of all runs at this value or better (fewer days; more items). */
  cumulativeShare: number;
}

export interface CapacitySimulation {
  runs: number;
  /** Runs that did not finish the items within the horizon. */
  unfinishedRuns: number;
  horizonDays: number;
  /** Days to finish the items, per run that finished. */
  days: DistributionBucket[];
  /** Items of the backlog completed by the target date, per run (only with a target date). */
  items: DistributionBucket[];
  /** Days by which p of all runs had finished (null: fewer than p of them did within the horizon). */
  p50Days: number | null;
  p85Days: number | null;
  p95Days: number | null;
  /** Items that p of all runs completed at least, by the target date (null without one). */
  p50Items: number | null;
  p85Items: number | null;
  p95Items: number | null;
  throughputMean: number;
  throughputStddev: number;
  historyDays: number;
  /** Less than MIN_HISTORY_DAYS of history, or no completion in it: the forecast says little. */
  insufficientHistory: boolean;
  /** Daily throughput's coefficient of variation above HIGH_VARIANCE_CV: wide, bursty deliveries. */
  highVariance: boolean;
}

export const MIN_HISTORY_DAYS = 14;
export const HIGH_VARIANCE_CV = 1.5;

function histogram(values: readonly number[], better: 'lower' | 'higher', runs: number): DistributionBucket[] {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  const ordered = [...counts].sort(([a], [b]) => (better === 'lower' ? a - b : b - a));
  let cumulative = 0;
  const buckets = ordered.map(([value, count]) => {
    cumulative += count;
    return { value, count, cumulativeShare: Math.round((cumulative / runs) * 10_000) / 10_000 };
  });
  // Reported in ascending value order, as a chart draws them.
  return buckets.sort((a, b) => a.value - b.value);
}

/** The smallest day count by which at least `share` of all runs had finished; null if none. */
function daysAt(ascending: readonly number[], runs: number, share: number): number | null {
  const needed = Math.ceil(share * runs);
  if (ascending.length < needed) return null;
  return ascending[needed - 1] ?? null;
}

/** The largest item count that at least `share` of all runs reached. */
function itemsAt(descending: readonly number[], share: number): number | null {
  if (descending.length === 0) return null;
  return descending[Math.ceil(share * descending.length) - 1] ?? null;
}

export function simulateCapacity(input: CapacitySimulationInput): CapacitySimulation {
  const history = input.dailyThroughput;
  const random = seededRandom(input.seed);
  const runs = Math.max(1, Math.floor(input.simulations));
  const finished: number[] = [];
  const byTarget: number[] = [];
  const anyThroughput = history.some((value) => value > 0);
  for (let run = 0; run < runs; run++) {
    let done = 0;
    let finishedOn: number | null = input.items <= 0 ? 0 : null;
    let doneAtTarget: number | null = input.targetDays === 0 ? 0 : null;
    const days = Math.max(input.horizonDays, input.targetDays ?? 0);
    // Without any completion in the history no run can finish: nothing to draw.
    for (let day = 1; anyThroughput && day <= days; day++) {
      done += history[Math.floor(random() * history.length)] ?? 0;
      if (finishedOn === null && done >= input.items && day <= input.horizonDays) finishedOn = day;
      if (day === input.targetDays) doneAtTarget = done;
      if (finishedOn !== null && (input.targetDays === null || doneAtTarget !== null)) break;
    }
    // Items of the backlog done by the target date: what is done beyond it is not backlog.
    if (input.targetDays !== null) byTarget.push(Math.min(doneAtTarget ?? done, input.items));
    if (finishedOn !== null) finished.push(finishedOn);
  }
  // Sorted once for every percentile (typed arrays sort numerically, without a comparator call per pair).
  const finishedAscending = Array.from(Float64Array.from(finished).sort());
  const targetDescending = Array.from(Float64Array.from(byTarget).sort()).reverse();
  const average = mean(history) ?? 0;
  const variance =
    history.length === 0 ? 0 : history.reduce((sum, value) => sum + (value - average) ** 2, 0) / history.length;
  const stddev = Math.sqrt(variance);
  const round = (value: number) => Math.round(value * 10_000) / 10_000;
  return {
    runs,
    unfinishedRuns: runs - finished.length,
    horizonDays: input.horizonDays,
    days: histogram(finished, 'lower', runs),
    items: input.targetDays === null ? [] : histogram(byTarget, 'higher', runs),
    p50Days: daysAt(finishedAscending, runs, 0.5),
    p85Days: daysAt(finishedAscending, runs, 0.85),
    p95Days: daysAt(finishedAscending, runs, 0.95),
    p50Items: input.targetDays === null ? null : itemsAt(targetDescending, 0.5),
    p85Items: input.targetDays === null ? null : itemsAt(targetDescending, 0.85),
    p95Items: input.targetDays === null ? null : itemsAt(targetDescending, 0.95),
    throughputMean: round(average),
    throughputStddev: round(stddev),
    historyDays: history.length,
    insufficientHistory: history.length < MIN_HISTORY_DAYS || !anyThroughput,
    highVariance: average > 0 && stddev / average > HIGH_VARIANCE_CV,
  };
}

/**
 * Calibration: forecasts made at each cut day of a history against what happened after it. For each
 * cut, the items completed in the next `items`-worth of days is known; the share of cuts whose real
 * finishing day was within the forecast's p50 / p85 days should be near 0.5 / 0.85.
 */
export function backtest(
  dailyThroughput: readonly number[],
  options: { historyDays: number; items: number; simulations: number; seed: string; step?: number },
): { cuts: number; withinP50: number; withinP85: number } {
  let cuts = 0;
  let withinP50 = 0;
  let withinP85 = 0;
  for (let cut = options.historyDays; cut < dailyThroughput.length; cut += options.step ?? 7) {
    let done = 0;
    let actual: number | null = null;
    for (let day = cut; day < dailyThroughput.length; day++) {
      done += dailyThroughput[day] ?? 0;
      if (done >= options.items) {
        actual = day - cut + 1;
        break;
      }
    }
    if (actual === null) break;
    const forecast = simulateCapacity({
      dailyThroughput: dailyThroughput.slice(cut - options.historyDays, cut),
      items: options.items,
      targetDays: null,
      simulations: options.simulations,
      horizonDays: 365,
      seed: `${options.seed}:${cut}`,
    });
    cuts++;
    if (forecast.p50Days !== null && actual <= forecast.p50Days) withinP50++;
    if (forecast.p85Days !== null && actual <= forecast.p85Days) withinP85++;
  }
  return { cuts, withinP50, withinP85 };
}
