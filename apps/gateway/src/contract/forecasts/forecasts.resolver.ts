import { Inject } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { badInput } from '../../auth/caller';
import { type GatewayContext, orgFor } from '../../auth/request-context';
import type { AnalyticsStore, SqlBuilder } from '../analytics/analytics-store';
import { latestMetricRows } from '../analytics/latest-metrics';
import { ANALYTICS } from '../control-plane-reads';
import { dayOf } from '../shared/filters';
import { ResultCache } from '../shared/result-cache';
import {
  type CapacityQuestion,
  type ThroughputQuestion,
  capacityForecast,
  historyRange,
  throughputForecast,
} from './forecast-builder';
import {
  CapacityForecast,
  CapacityForecastConnection,
  CapacityForecastFilterInput,
  CapacityForecastInput,
  ThroughputForecast,
  ThroughputForecastInput,
} from './forecasts.models';

/** Work items gone from their provider (a Jira deletion sweep's last transition): not backlog, not WIP. */
const removedItems = (sql: SqlBuilder, org: string) =>
  `SELECT work_item_id FROM ${sql.table('work_item_transitions')}
    WHERE org_id = ${sql.value(org)} AND from_status IS NULL AND to_category = 'canceled'`;

/** What capacityForecasts computes each team's forecast with. */
const TEAM_DEFAULTS = { historyDays: 90, simulations: 10_000 } as const;

interface HistoryRow extends Record<string, unknown> {
  metric_day: string;
  computed_at_ms: number | null;
  team_id: string | null;
  items_completed: number | string;
}

interface Completions {
  completed: Map<string, number>;
  asOf: (today: string) => Date;
}

/** Completions per day, and the forecast's as-of: the newest computation it draws from, so the same data answers the same from either store. */
function completions(rows: readonly HistoryRow[]): Completions {
  const completed = new Map<string, number>();
  for (const row of rows)
    completed.set(row.metric_day, (completed.get(row.metric_day) ?? 0) + Number(row.items_completed));
  const newest = rows.reduce((max, row) => Math.max(max, Number(row.computed_at_ms ?? 0)), 0);
  return { completed, asOf: (today) => new Date(Math.max(Date.parse(`${today}T00:00:00Z`), newest)) };
}

/**
 * Forecasts, computed when asked (and kept until the org changes) (docs/metrics.md, Forecasts): two statements — the scope's completions
 * per day over the history (the latest work_item_metrics_daily computations) and its open backlog — then
 * the seeded simulation.
 */
@Resolver(() => CapacityForecast)
export class ForecastsResolver {
  constructor(
    @Inject(ANALYTICS) private readonly analytics: AnalyticsStore,
    @Inject(ResultCache) private readonly cache: ResultCache,
  ) {}

  @Query(() => CapacityForecast, {
    description:
      'When the backlog (or targetItems) is likely done, and how much by targetDate: a Monte Carlo forecast.',
  })
  async capacityForecast(
    @Context() context: GatewayContext,
    @Args('orgId') orgId: string,
    @Args('input', { type: () => CapacityForecastInput, nullable: true }) input: CapacityForecastInput | null,
  ): Promise<CapacityForecast> {
    const org = orgFor(context, orgId);
    const question = this.question(org, input);
    return this.cache.get(org, JSON.stringify(['capacityForecast', question]), () => this.forecast(question));
  }

  @Query(() => CapacityForecastConnection, {
    description:
      'A forecast per team with open work (and one for the whole org), computed now with the default settings; the worst p85 first.',
  })
  async capacityForecasts(
    @Context() context: GatewayContext,
    @Args('orgId') orgId: string,
    @Args('filters', { type: () => CapacityForecastFilterInput, nullable: true })
    filters: CapacityForecastFilterInput | null,
  ): Promise<CapacityForecastConnection> {
    const org = orgFor(context, orgId);
    const today = dayOf(Date.now());
    // Forecasts are computed on the day they are asked for: a range without today holds none.
    if ((filters?.fromDate && filters.fromDate > today) || (filters?.toDate && filters.toDate < today))
      return this.connection([], 0);
    const limit = Math.min(Math.max(filters?.limit ?? 10, 1), 100);
    const teamId = filters?.teamId ?? null;
    const workScopeId = filters?.workScopeId ?? null;
    const key = JSON.stringify(['capacityForecasts', today, teamId, workScopeId]);
    const forecasts = await this.cache.get(org, key, () =>
      teamId
        ? Promise.all([this.forecast(this.question(org, { teamId, workScopeId, ...TEAM_DEFAULTS }))])
        : this.forecastsPerTeam(org, workScopeId),
    );
    return this.connection(forecasts.slice(0, limit), forecasts.length);
  }

  /**
   * The org's forecast and one per team with open work, from two statements whatever the number of
   * teams (completions per team and day, open items per team); longest first, a forecast that never
   * finishes (null) before any that does. Each equals what capacityForecast answers for its team.
   */
  private async forecastsPerTeam(org: string, workScopeId: string | null): Promise<CapacityForecast[]> {
    const orgQuestion = this.question(org, { teamId: null, workScopeId, ...TEAM_DEFAULTS });
    const { first, last } = historyRange(orgQuestion);
    const [rows, backlogs] = await Promise.all([
      this.historyRows(orgQuestion, first, last),
      this.analytics.select<{ team_id: string | null; n: number }>(
        (sql) =>
          `SELECT team_id, count(*) AS n FROM ${sql.table('work_items')}
            WHERE org_id = ${sql.value(org)} AND status_category IN ('todo', 'in_progress')
            ${workScopeId ? `AND work_scope_id = ${sql.value(workScopeId)}` : ''}
            AND id NOT IN (${removedItems(sql, org)})
            GROUP BY team_id`,
      ),
    ]);
    const teamOf = (value: string | null | undefined) => (value ? value : null);
    const teams = backlogs
      .flatMap((row) => (teamOf(row.team_id) !== null && Number(row.n) > 0 ? [teamOf(row.team_id) as string] : []))
      .sort();
    const forecasts = [orgQuestion, ...teams.map((team) => ({ ...orgQuestion, teamId: team }))].map((question) => {
      const history = completions(
        question.teamId === null ? rows : rows.filter((row) => teamOf(row.team_id) === question.teamId),
      );
      const backlog = backlogs
        .filter((row) => question.teamId === null || teamOf(row.team_id) === question.teamId)
        .reduce((sum, row) => sum + Number(row.n), 0);
      return capacityForecast(question, history.completed, backlog, history.asOf(question.today));
    });
    return forecasts.sort((a, b) => (b.p85Days ?? Number.MAX_SAFE_INTEGER) - (a.p85Days ?? Number.MAX_SAFE_INTEGER));
  }

  @Query(() => ThroughputForecast, {
    description:
      'Weeks to finish a backlog from weekly throughput, with rolling means and the risks that would make it optimistic.',
  })
  async throughputForecast(
    @Context() context: GatewayContext,
    @Args('orgId') orgId: string,
    @Args('input', { type: () => ThroughputForecastInput }) input: ThroughputForecastInput,
  ): Promise<ThroughputForecast> {
    const org = orgFor(context, orgId);
    const historyWeeks = input.historyWeeks ?? 12;
    if (!Number.isInteger(historyWeeks) || historyWeeks < 2 || historyWeeks > 104)
      throw badInput('input.historyWeeks must be from 2 to 104');
    if (input.backlogSize !== null && input.backlogSize !== undefined && input.backlogSize < 0)
      throw badInput('input.backlogSize must not be negative');
    const question: ThroughputQuestion = {
      org,
      teamId: input.teamId ?? null,
      workScopeId: input.workScopeId ?? null,
      backlogSize: input.backlogSize ?? null,
      historyWeeks,
      today: dayOf(Date.now()),
    };
    return this.cache.get(org, JSON.stringify(['throughputForecast', question]), () =>
      this.computeThroughputForecast(question),
    );
  }

  private async computeThroughputForecast(question: ThroughputQuestion): Promise<ThroughputForecast> {
    const org = question.org;
    const { first, last } = historyRange({ today: question.today, historyDays: question.historyWeeks * 7 });
    const startMs = Date.parse(`${first}T00:00:00Z`);
    const endMs = Date.parse(`${question.today}T00:00:00Z`);
    const [history, open, opened, reviewed, incidents] = await Promise.all([
      this.history(question, first, last),
      this.analytics.select<{ status_category: string; started_at: number | null; estimate: number | null }>(
        (sql) =>
          `SELECT status_category, started_at, estimate FROM ${sql.table('work_items')}
            WHERE org_id = ${sql.value(org)} AND status_category IN ('todo', 'in_progress')
            ${question.teamId ? `AND team_id = ${sql.value(question.teamId)}` : ''}
            ${question.workScopeId ? `AND work_scope_id = ${sql.value(question.workScopeId)}` : ''}
            AND id NOT IN (${removedItems(sql, org)})`,
      ),
      this.analytics.select<{ id: string; created_at: number }>(
        (sql) =>
          `SELECT id, created_at FROM ${sql.table('pull_requests')}
            WHERE org_id = ${sql.value(org)} AND created_at >= ${sql.time(startMs)} AND created_at < ${sql.time(endMs)}`,
      ),
      this.analytics.select<{ pull_request_id: string; first_at: number }>(
        (sql) =>
          `SELECT pull_request_id, min(submitted_at) AS first_at FROM ${sql.table('reviews')}
            WHERE org_id = ${sql.value(org)} AND submitted_at >= ${sql.time(startMs)} GROUP BY pull_request_id`,
      ),
      this.analytics.select<{ n: number }>(
        (sql) =>
          `SELECT count(*) AS n FROM ${sql.table('incidents')}
            WHERE org_id = ${sql.value(org)} AND started_at >= ${sql.time(startMs)} AND started_at < ${sql.time(endMs)}`,
      ),
    ]);
    const firstReview = new Map(reviewed.map((row) => [row.pull_request_id, Number(row.first_at)]));
    const firstReviewHours = opened.flatMap((pull) => {
      const at = firstReview.get(pull.id);
      return at === undefined || at < Number(pull.created_at) ? [] : [(at - Number(pull.created_at)) / 3_600_000];
    });
    return throughputForecast(question, {
      completedByDay: history.completed,
      open: open.map((item) => ({
        inProgress: item.status_category === 'in_progress',
        startedAt: item.started_at === null ? null : Number(item.started_at),
        estimated: item.estimate !== null,
      })),
      firstReviewHours,
      incidents: Number(incidents[0]?.n ?? 0),
      asOf: history.asOf(question.today),
    });
  }

  /** The scope's completions per day (latest computations) in [first, last], and the newest computation time. */
  private async history(
    question: { org: string; teamId: string | null; workScopeId: string | null },
    first: string,
    last: string,
  ): Promise<Completions> {
    return completions(await this.historyRows(question, first, last));
  }

  /** The scope's work_item_metrics_daily rows of its latest computations in [first, last]. */
  private historyRows(
    question: { org: string; teamId: string | null; workScopeId: string | null },
    first: string,
    last: string,
  ): Promise<HistoryRow[]> {
    return this.analytics.select<HistoryRow>((sql) =>
      latestMetricRows(sql, 'work_item_metrics_daily', {
        org: question.org,
        first,
        last,
        columns: ['team_id', 'items_completed'],
        where: [
          ...(question.teamId ? [{ column: 'team_id', values: [question.teamId] }] : []),
          ...(question.workScopeId ? [{ column: 'work_scope_id', values: [question.workScopeId] }] : []),
        ],
      }),
    );
  }

  private question(org: string, input: Partial<CapacityForecastInput> | null): CapacityQuestion {
    const historyDays = input?.historyDays ?? 90;
    const simulations = input?.simulations ?? 10_000;
    if (!Number.isInteger(historyDays) || historyDays < 7 || historyDays > 730)
      throw badInput('input.historyDays must be from 7 to 730');
    if (!Number.isInteger(simulations) || simulations < 100 || simulations > 50_000)
      throw badInput('input.simulations must be from 100 to 50000');
    if (input?.targetItems !== null && input?.targetItems !== undefined && input.targetItems < 0)
      throw badInput('input.targetItems must not be negative');
    return {
      org,
      teamId: input?.teamId ?? null,
      workScopeId: input?.workScopeId ?? null,
      targetItems: input?.targetItems ?? null,
      targetDate: input?.targetDate ?? null,
      historyDays,
      simulations,
      today: dayOf(Date.now()),
    };
  }

  private async forecast(question: CapacityQuestion): Promise<CapacityForecast> {
    const { first, last } = historyRange(question);
    const [history, backlog] = await Promise.all([
      this.history(question, first, last),
      this.analytics.select<{ n: number }>(
        (sql) =>
          `SELECT count(*) AS n FROM ${sql.table('work_items')}
            WHERE org_id = ${sql.value(question.org)} AND status_category IN ('todo', 'in_progress')
            ${question.teamId ? `AND team_id = ${sql.value(question.teamId)}` : ''}
            ${question.workScopeId ? `AND work_scope_id = ${sql.value(question.workScopeId)}` : ''}
            AND id NOT IN (${removedItems(sql, question.org)})`,
      ),
    ]);
    return capacityForecast(question, history.completed, Number(backlog[0]?.n ?? 0), history.asOf(question.today));
  }

  private connection(forecasts: CapacityForecast[], total: number): CapacityForecastConnection {
    const cursor = (index: number) => Buffer.from(`forecast:${index}`).toString('base64');
    return {
      edges: forecasts.map((node, index) => ({ node, cursor: cursor(index) })),
      pageInfo: {
        hasNextPage: total > forecasts.length,
        hasPreviousPage: false,
        startCursor: forecasts.length > 0 ? cursor(0) : null,
        endCursor: forecasts.length > 0 ? cursor(forecasts.length - 1) : null,
      },
      totalCount: total,
    };
  }
}
