import { createHash } from 'node:crypto';
import { simulateCapacity } from '@dev-health/metric-definitions';
import type { CapacityForecast } from './forecasts.models';

export const FORECAST_HORIZON_DAYS = 365;
const DAY_MS = 86_400_000;

export interface CapacityQuestion {
  org: string;
  teamId: string | null;
  workScopeId: string | null;
  targetItems: number | null;
  targetDate: string | null;
  historyDays: number;
  simulations: number;
  /** The forecast's day (UTC, YYYY-MM-DD): history ends the day before, simulated days start the day after. */
  today: string;
}

const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** The history days (oldest first) a forecast made on `today` draws from. */
export function historyRange(question: Pick<CapacityQuestion, 'today' | 'historyDays'>): {
  first: string;
  last: string;
} {
  return { first: addDays(question.today, -question.historyDays), last: addDays(question.today, -1) };
}

/**
 * A capacity forecast from the history's completions per day (days without a row count 0) and the open
 * backlog. Pure: the seed is the question itself, so the same question on the same data answers alike.
 */
export function capacityForecast(
  question: CapacityQuestion,
  completedByDay: ReadonlyMap<string, number>,
  backlogSize: number,
  computedAt: Date,
): CapacityForecast {
  const { first } = historyRange(question);
  const daily = Array.from(
    { length: question.historyDays },
    (_, index) => completedByDay.get(addDays(first, index)) ?? 0,
  );
  const forecastId = createHash('sha256')
    .update(
      JSON.stringify([
        question.org,
        question.teamId,
        question.workScopeId,
        question.targetItems,
        question.targetDate,
        question.historyDays,
        question.simulations,
        question.today,
      ]),
    )
    .digest('hex')
    .slice(0, 24);
  const targetDays =
    question.targetDate === null
      ? null
      : Math.max(
          0,
          Math.round(
            (Date.parse(`${question.targetDate}T00:00:00Z`) - Date.parse(`${question.today}T00:00:00Z`)) / DAY_MS,
          ),
        );
  const result = simulateCapacity({
    dailyThroughput: daily,
    items: question.targetItems ?? backlogSize,
    targetDays,
    simulations: question.simulations,
    horizonDays: FORECAST_HORIZON_DAYS,
    seed: forecastId,
  });
  const dateAfter = (days: number | null) => (days === null ? null : addDays(question.today, days));
  return {
    forecastId,
    computedAt: computedAt.toISOString(),
    teamId: question.teamId,
    workScopeId: question.workScopeId,
    backlogSize,
    targetItems: question.targetItems,
    targetDate: question.targetDate,
    p50Date: dateAfter(result.p50Days),
    p85Date: dateAfter(result.p85Days),
    p95Date: dateAfter(result.p95Days),
    p50Days: result.p50Days,
    p85Days: result.p85Days,
    p95Days: result.p95Days,
    p50Items: result.p50Items,
    p85Items: result.p85Items,
    p95Items: result.p95Items,
    throughputMean: result.throughputMean,
    throughputStddev: result.throughputStddev,
    historyDays: result.historyDays,
    insufficientHistory: result.insufficientHistory,
    highVariance: result.highVariance,
    completionDistribution: {
      runs: result.runs,
      unfinishedRuns: result.unfinishedRuns,
      horizonDays: result.horizonDays,
      days: result.days,
      items: result.items,
    },
  };
}
