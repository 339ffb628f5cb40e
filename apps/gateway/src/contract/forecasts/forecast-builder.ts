import { createHash } from 'node:crypto';
import { percentile, simulateCapacity } from '@dev-health/metric-definitions';
import type { CapacityForecast, ThroughputForecast } from './forecasts.models';

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

export interface ThroughputQuestion {
  org: string;
  teamId: string | null;
  workScopeId: string | null;
  backlogSize: number | null;
  historyWeeks: number;
  today: string;
}

/** What a throughput forecast is computed from, read from the stores. */
export interface ThroughputFacts {
  /** Items completed per day over the history (days without a row: 0). */
  completedByDay: ReadonlyMap<string, number>;
  /** Open items: in progress or not, when started, whether estimated. */
  open: readonly { inProgress: boolean; startedAt: number | null; estimated: boolean }[];
  /** Hours from opening to first review of the PRs opened in the history. */
  firstReviewHours: readonly number[];
  /** Incidents started in the history. */
  incidents: number;
  asOf: Date;
}

export const ROLLING_WINDOW_WEEKS = [4, 8, 12] as const;
/** Thresholds of the risk overlays (docs/metrics.md, Forecasts). */
export const RISK_THRESHOLDS = { wipWeeks: 2, firstReviewHours: 24, incidentsPerWeek: 1 } as const;

function risk(kind: string, label: string, value: number, threshold: number): ThroughputForecast['wipCongestion'] {
  const round = (number: number) => Math.round(number * 10_000) / 10_000;
  return {
    kind,
    label,
    value: round(value),
    threshold,
    score: round(Math.min(1, value / (2 * threshold))),
    active: value > threshold,
  };
}

/** A percentile (the metrics' own definition), to 2 decimals. */
const percentileOf = (values: readonly number[], p: number): number | null => {
  const value = percentile(values, p);
  return value === null ? null : Math.round(value * 100) / 100;
};

/**
 * Weeks to finish a backlog, by Monte Carlo over weekly throughput (7-day weeks ending yesterday), with
 * rolling means and the risks that would make it optimistic: WIP congestion (weeks of WIP at the mean
 * throughput), a review bottleneck (median hours to first review), incident load (incidents a week).
 */
export function throughputForecast(question: ThroughputQuestion, facts: ThroughputFacts): ThroughputForecast {
  const days = question.historyWeeks * 7;
  const { first } = historyRange({ today: question.today, historyDays: days });
  const weekly = Array.from({ length: question.historyWeeks }, (_, week) => {
    let sum = 0;
    for (let day = 0; day < 7; day++) sum += facts.completedByDay.get(addDays(first, week * 7 + day)) ?? 0;
    return sum;
  });
  const openCount = facts.open.length;
  const backlogSize = question.backlogSize ?? openCount;
  const forecastId = createHash('sha256')
    .update(
      JSON.stringify([
        'throughput',
        question.org,
        question.teamId,
        question.workScopeId,
        question.backlogSize,
        question.historyWeeks,
        question.today,
      ]),
    )
    .digest('hex')
    .slice(0, 24);
  const simulation = simulateCapacity({
    dailyThroughput: weekly,
    items: backlogSize,
    targetDays: null,
    simulations: 10_000,
    horizonDays: 104,
    seed: forecastId,
  });
  const weeksAt = (share: number) => simulation.days.find((bucket) => bucket.cumulativeShare >= share)?.value ?? null;
  const meanOf = (values: readonly number[]) =>
    values.length === 0
      ? 0
      : Math.round((values.reduce((sum, value) => sum + value, 0) / values.length) * 10_000) / 10_000;
  const meanWeekly = meanOf(weekly);
  const inProgress = facts.open.filter((item) => item.inProgress);
  const asOf = facts.asOf.getTime();
  const ages = inProgress.flatMap((item) => (item.startedAt === null ? [] : [(asOf - item.startedAt) / 3_600_000]));
  // Without any completion, at most one item in the whole history is assumed: WIP still weighs.
  const wipWeeks = inProgress.length / Math.max(meanWeekly, 1 / question.historyWeeks);
  const risks = [
    risk('wip_congestion', 'Work in progress, in weeks of throughput', wipWeeks, RISK_THRESHOLDS.wipWeeks),
    risk(
      'review_bottleneck',
      'Median hours from opening a pull request to its first review',
      percentileOf(facts.firstReviewHours, 0.5) ?? 0,
      RISK_THRESHOLDS.firstReviewHours,
    ),
    risk(
      'incident_load',
      'Incidents a week',
      facts.incidents / question.historyWeeks,
      RISK_THRESHOLDS.incidentsPerWeek,
    ),
  ] as const;
  const [wipCongestion, reviewBottleneck, incidentLoad] = risks;
  const ranked = [...risks].sort((a, b) => Number(b.active) - Number(a.active) || b.score - a.score);
  const estimated = facts.open.filter((item) => item.estimated).length;
  return {
    forecastId,
    computedAt: facts.asOf.toISOString(),
    teamId: question.teamId,
    workScopeId: question.workScopeId,
    backlogSize,
    historyWeeks: question.historyWeeks,
    p50Weeks: weeksAt(0.5),
    p75Weeks: weeksAt(0.75),
    p90Weeks: weeksAt(0.9),
    rollingWindows: ROLLING_WINDOW_WEEKS.map((windowWeeks) => {
      const window = weekly.slice(-windowWeeks);
      return {
        windowWeeks,
        meanWeeklyThroughput: meanOf(window),
        sampleCount: window.length,
        insufficientHistory: window.length < windowWeeks,
      };
    }),
    primaryRisk: ranked[0] ?? wipCongestion,
    wipCongestion,
    reviewBottleneck,
    incidentLoad,
    staleWip: { p50AgeHours: percentileOf(ages, 0.5), p90AgeHours: percentileOf(ages, 0.9) },
    estimateCoverage: {
      ratio: openCount === 0 ? null : Math.round((estimated / openCount) * 10_000) / 10_000,
      estimatedCount: estimated,
      unestimatedCount: openCount - estimated,
      backlogSize: openCount,
    },
    insufficientHistory: question.historyWeeks < 4 || !weekly.some((value) => value > 0),
  };
}
