/** Metric values are rounded to this many decimals, so every store holds, and every reader returns, the same number. */
export const METRIC_VALUE_DECIMALS = 4;
const SCALE = 10 ** METRIC_VALUE_DECIMALS;

/** The value at metric precision: an integer divided by 10^4 is the double nearest that decimal. */
export function roundMetricValue(value: number): number {
  return Math.round(value * SCALE) / SCALE;
}
