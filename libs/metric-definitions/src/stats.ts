import { roundMetricValue } from '@dev-health/schemas';
/**
 * Percentile by linear interpolation between closest ranks: rank = (n − 1) · p over the sorted
 * values (numpy's default, Excel's PERCENTILE.INC). No values → null, never 0.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  if (p < 0 || p > 1) throw new Error(`percentile ${p} is outside [0, 1]`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (sorted.length - 1) * p;
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lower = sorted[low] as number;
  return lower + ((sorted[high] as number) - lower) * (rank - low);
}

export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
}

export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

const HOUR_MS = 3_600_000;

/** Durations in hours from (start, end) pairs; negative ones (clock skew, bad data) are dropped and counted. */
export function durationsHours(pairs: readonly (readonly [number, number])[]): { hours: number[]; dropped: number } {
  const hours: number[] = [];
  let dropped = 0;
  for (const [start, end] of pairs) {
    if (end < start) dropped++;
    else hours.push((end - start) / HOUR_MS);
  }
  return { hours, dropped };
}

/** Rounds to 4 decimals so recomputing the same input yields byte-identical rows in every store. */
export function round4(value: number | null): number | null {
  return value === null ? null : roundMetricValue(value);
}
