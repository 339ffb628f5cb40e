import { Inject } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { percentile } from '@dev-health/metric-definitions';
import { badInput } from '../../auth/caller';
import { type GatewayContext, orgFor } from '../../auth/request-context';
import type { AnalyticsStore } from '../analytics/analytics-store';
import { latestMetricRows } from '../analytics/latest-metrics';
import { ANALYTICS } from '../control-plane-reads';
import { ResultCache } from '../shared/result-cache';
import { DAY_MS, dayOf, dayStartMs } from '../shared/filters';
import { type WeekValues, buildOperatingReview } from './operating-review-builder';
import { OperatingReview, OperatingReviewInput } from './operating-review.models';

/**
 * The weekly operating review: five statements over the two weeks (work-item, repository and DORA metric
 * rows; completed work items and resolved incidents for their medians), then a pure assembly.
 */
@Resolver(() => OperatingReview)
export class OperatingReviewResolver {
  constructor(
    @Inject(ANALYTICS) private readonly analytics: AnalyticsStore,
    @Inject(ResultCache) private readonly cache: ResultCache,
  ) {}

  @Query(() => OperatingReview, { description: 'Weekly engineering operating review, against the week before.' })
  async operatingReview(
    @Context() context: GatewayContext,
    @Args('orgId') orgId: string,
    @Args('input', { type: () => OperatingReviewInput }) input: OperatingReviewInput,
  ): Promise<OperatingReview> {
    const org = orgFor(context, orgId);
    const start = dayStartMs(input.weekStart);
    if (Number.isNaN(start)) throw badInput('input.weekStart must be YYYY-MM-DD');
    const priorStart = start - 7 * DAY_MS;
    const end = start + 7 * DAY_MS;
    const teams = [...new Set([...(input.teamId ? [input.teamId] : []), ...(input.teamIds ?? [])])].filter(
      (team) => team.trim() !== '',
    );
    const teamFilter = teams.length > 0 ? [{ column: 'team_id', values: teams }] : [];
    const days = { first: dayOf(priorStart), last: dayOf(end - DAY_MS) };
    return this.cache.get(org, JSON.stringify(['operatingReview', start, teams]), async () => {
      const [work, repos, dora, completed, incidents] = await Promise.all([
        this.analytics.select<Record<string, unknown> & { metric_day: string }>((sql) =>
          latestMetricRows(sql, 'work_item_metrics_daily', {
            org,
            ...days,
            columns: ['items_completed', 'items_created', 'reopened', 'wip_end_of_day'],
            where: teamFilter,
          }),
        ),
        this.analytics.select<Record<string, unknown> & { metric_day: string }>((sql) =>
          latestMetricRows(sql, 'repo_metrics_daily', { org, ...days, columns: ['prs_merged'] }),
        ),
        this.analytics.select<Record<string, unknown> & { metric_day: string }>((sql) =>
          latestMetricRows(sql, 'dora_metrics_daily', { org, ...days, columns: ['deployments', 'failed_deployments'] }),
        ),
        this.analytics.select<{ started_at: number | null; completed_at: number }>(
          (sql) =>
            `SELECT started_at, completed_at FROM ${sql.table('work_items')}
            WHERE org_id = ${sql.value(org)} AND status_category = 'done'
              AND completed_at >= ${sql.time(priorStart)} AND completed_at < ${sql.time(end)}
              ${teams.length > 0 ? `AND team_id IN ${sql.list(teams)}` : ''}`,
        ),
        this.analytics.select<{ started_at: number; resolved_at: number }>(
          (sql) =>
            `SELECT started_at, resolved_at FROM ${sql.table('incidents')}
            WHERE org_id = ${sql.value(org)} AND resolved_at >= ${sql.time(priorStart)} AND resolved_at < ${sql.time(end)}`,
        ),
      ]);
      const week = (from: number): WeekValues => {
        const inWeek = (rows: (Record<string, unknown> & { metric_day: string })[]) =>
          rows.filter((row) => {
            const at = dayStartMs(row.metric_day);
            return at >= from && at < from + 7 * DAY_MS;
          });
        const sum = (rows: Record<string, unknown>[], column: string) =>
          rows.length === 0 ? null : rows.reduce((total, row) => total + Number(row[column] ?? 0), 0);
        const workRows = inWeek(work);
        const doraRows = inWeek(dora);
        const deployments = sum(doraRows, 'deployments');
        const cycle = completed.flatMap((item) => {
          const at = Number(item.completed_at);
          return at >= from && at < from + 7 * DAY_MS && item.started_at !== null
            ? [(at - Number(item.started_at)) / 3_600_000]
            : [];
        });
        const restore = incidents.flatMap((incident) => {
          const at = Number(incident.resolved_at);
          return at >= from && at < from + 7 * DAY_MS ? [(at - Number(incident.started_at)) / 3_600_000] : [];
        });
        const lastDay = dayOf(from + 6 * DAY_MS);
        return {
          throughput: sum(workRows, 'items_completed'),
          items_created: sum(workRows, 'items_created'),
          reopened: sum(workRows, 'reopened'),
          wip: sum(
            workRows.filter((row) => row.metric_day === lastDay),
            'wip_end_of_day',
          ),
          cycle_time_p50_hours: percentile(cycle, 0.5),
          prs_merged: sum(inWeek(repos), 'prs_merged'),
          deployments_count: deployments,
          change_failure_rate:
            deployments === null || deployments === 0 ? null : (sum(doraRows, 'failed_deployments') ?? 0) / deployments,
          time_to_restore_p50_hours: percentile(restore, 0.5),
        };
      };
      return buildOperatingReview({
        org,
        teamId: input.teamId ?? (teams.length === 1 ? (teams[0] ?? null) : null),
        teamNarrowed: teams.length > 0,
        weekStart: dayOf(start),
        priorWeekStart: dayOf(priorStart),
        current: week(start),
        prior: week(priorStart),
      });
    });
  }
}
