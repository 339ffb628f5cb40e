import { Inject } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import type { MetricEntityName } from '@dev-health/schemas';
import { type GatewayContext, orgFor } from '../../auth/request-context';
import type { GatewayLimits } from '../../config';
import { GatewayLimitsToken } from '../../protection/limits-token';
import type { AnalyticsStore, SqlBuilder } from '../analytics/analytics-store';
import { latestMetricRows } from '../analytics/latest-metrics';
import { linkedToWorkItem } from '../analytics/work-links';
import { ANALYTICS, ControlPlaneReads } from '../control-plane-reads';
import { DAY_MS, FilterInput, ScopeLevelInput, dayStartMs, stringList } from '../shared/filters';
import { ResultCache } from '../shared/result-cache';
import { buildHome } from './home-builder';
import {
  type DoraDay,
  type HomeEvent,
  type HomeFacts,
  type MergedPullRequest,
  type RepoDay,
  TRACKED_KINDS,
  type TrackedKind,
  type WindowWorkItem,
  type WorkDay,
} from './home-facts';
import { type HomeWindow, homeWindow } from './home-window';
import { HomeResult, HomeWindowInput } from './home.models';

const num = (value: unknown): number => Number(value ?? 0);
const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
const flag = (value: unknown): boolean => value === true || Number(value) === 1;
/** The repositories a filter names (ids or full names, in what.repos or a REPO scope). */
function namedRepositories(filters: FilterInput | null): string[] {
  return [
    ...(filters?.what?.repos ?? []),
    ...(filters?.scope?.level === ScopeLevelInput.REPO ? (filters.scope.ids ?? []) : []),
  ];
}

@Resolver()
export class HomeResolver {
  constructor(
    @Inject(ANALYTICS) private readonly analytics: AnalyticsStore,
    @Inject(ControlPlaneReads) private readonly controlPlane: ControlPlaneReads,
    @Inject(GatewayLimitsToken) private readonly limits: GatewayLimits,
    @Inject(ResultCache) private readonly cache: ResultCache,
  ) {}

  @Query(() => HomeResult, {
    description:
      'The Home dashboard: freshness, metric deltas against the comparison window, signals and data confidence (docs/api.md).',
  })
  async home(
    @Context() context: GatewayContext,
    @Args('orgId') orgId: string,
    @Args('filters', { type: () => FilterInput, nullable: true, defaultValue: null }) filters: FilterInput | null,
    @Args('window', { type: () => HomeWindowInput, nullable: true, defaultValue: null }) window: HomeWindowInput | null,
  ): Promise<HomeResult> {
    const org = orgFor(context, orgId);
    const nowMs = Date.now();
    const resolved = homeWindow(window, nowMs, this.limits.maxWindowDays);
    // Keyed by the resolved window, so "the last 14 days" moves on at midnight.
    return this.cache.get(org, JSON.stringify(['home', resolved, filters]), async () =>
      buildHome(await this.facts(org, resolved, filters, nowMs)),
    );
  }

  /**
   * Every fact in a fixed set of statements, all at once; with a repository filter, the repositories
   * are read first (the other statements narrow to their ids).
   */
  private async facts(org: string, window: HomeWindow, filters: FilterInput | null, nowMs: number): Promise<HomeFacts> {
    const named = namedRepositories(filters);
    const repositoriesRead = this.analytics.select<{ id: string; full_name: string }>(
      (sql) =>
        `SELECT id, full_name FROM ${sql.table('repositories')} WHERE org_id = ${sql.value(org)} ORDER BY full_name`,
    );
    const isNamed = (repository: { id: string; full_name: string }, name: string) =>
      repository.id === name || repository.full_name === name;
    const scopedIds =
      named.length === 0
        ? null
        : (await repositoriesRead)
            .filter((repository) => named.some((name) => isNamed(repository, name)))
            .map((repository) => repository.id);
    const repoScope = scopedIds === null ? [] : [{ column: 'repository_id', values: scopedIds }];
    const teams = filters?.scope?.level === ScopeLevelInput.TEAM ? (filters.scope.ids ?? []) : null;
    const first = window.prior?.first ?? window.current.first;
    const startMs = dayStartMs(window.current.first);
    const endMs = dayStartMs(window.current.last) + DAY_MS;
    const inRepos = (sql: SqlBuilder) => (scopedIds === null ? '' : `AND repository_id IN ${sql.list(scopedIds)}`);
    const metricRows = <T>(metric: MetricEntityName, columns: string[], where = repoScope) =>
      this.analytics.select<Record<string, unknown>>((sql) =>
        latestMetricRows(sql, metric, { org, first, last: window.current.last, columns, where }),
      ) as Promise<(T & Record<string, unknown>)[]>;

    const [
      allRepositories,
      repoDays,
      doraDays,
      workDays,
      merged,
      workItems,
      memberships,
      deployments,
      incidents,
      fetched,
      sources,
    ] = await Promise.all([
      repositoriesRead,
      metricRows<RepoDay>('repo_metrics_daily', [
        'repository_id',
        'commits',
        'lines_touched',
        'prs_merged',
        'pr_cycle_time_p50_hours',
        'time_to_first_review_p50_hours',
        'rework_ratio',
      ]),
      metricRows<DoraDay>('dora_metrics_daily', [
        'repository_id',
        'deployments',
        'failed_deployments',
        'lead_time_p50_hours',
        'changes_deployed',
        'time_to_restore_p50_hours',
        'incidents_resolved',
      ]),
      metricRows<WorkDay>(
        'work_item_metrics_daily',
        ['items_completed', 'cycle_time_p50_hours'],
        teams === null ? [] : [{ column: 'team_id', values: teams }],
      ),
      this.analytics.select<Record<string, unknown>>(
        (sql) =>
          `SELECT id, repository_id, title, labels, additions, deletions,
                CASE WHEN ${linkedToWorkItem(sql, org)} THEN 1 ELSE 0 END AS linked,
                CASE WHEN id IN (SELECT pull_request_id FROM ${sql.table('reviews')} WHERE org_id = ${sql.value(org)}) THEN 1 ELSE 0 END AS reviewed
              FROM ${sql.table('pull_requests')}
              WHERE org_id = ${sql.value(org)} AND merged_at >= ${sql.time(startMs)} AND merged_at < ${sql.time(endMs)} ${inRepos(sql)}`,
      ),
      this.analytics.select<Record<string, unknown>>(
        (sql) =>
          `SELECT id, provider, team_id, assignee_identity_id, reporter_identity_id, completed_at,
                CASE WHEN id IN (SELECT work_item_id FROM ${sql.table('work_item_transitions')} WHERE org_id = ${sql.value(org)}) THEN 1 ELSE 0 END AS transitioned
              FROM ${sql.table('work_items')}
              WHERE org_id = ${sql.value(org)}
                AND ((created_at >= ${sql.time(startMs)} AND created_at < ${sql.time(endMs)})
                  OR (completed_at >= ${sql.time(startMs)} AND completed_at < ${sql.time(endMs)}))
                ${teams === null ? '' : `AND team_id IN ${sql.list(teams)}`}`,
      ),
      this.analytics.select<{ identity_id: string; team_id: string }>(
        (sql) =>
          `SELECT identity_id, team_id FROM ${sql.table('team_memberships')} WHERE org_id = ${sql.value(org)} ORDER BY team_id`,
      ),
      this.analytics.select<{
        id: string;
        repository_id: string;
        environment: string;
        status: string;
        created_at: number;
      }>(
        (sql) =>
          `SELECT id, repository_id, environment, status, created_at FROM ${sql.table('deployments')}
              WHERE org_id = ${sql.value(org)} AND created_at >= ${sql.time(startMs)} AND created_at < ${sql.time(endMs)} ${inRepos(sql)}
              ORDER BY created_at DESC, id LIMIT 20`,
      ),
      this.analytics.select<{ id: string; title: string; severity: string; started_at: number }>(
        (sql) =>
          `SELECT id, title, severity, started_at FROM ${sql.table('incidents')}
              WHERE org_id = ${sql.value(org)} AND started_at >= ${sql.time(startMs)} AND started_at < ${sql.time(endMs)} ${inRepos(sql)}
              ORDER BY started_at DESC, id LIMIT 20`,
      ),
      this.analytics.select<{ kind: string; fetched_at: number | null }>((sql) =>
        TRACKED_KINDS.map(
          (kind) =>
            // The kind is one of TRACKED_KINDS (code, not input): a literal keeps its type plain text on both stores.
            `SELECT '${kind}' AS kind, max(${sql.fetchedAt}) AS fetched_at FROM ${sql.allVersions(kind)} WHERE org_id = ${sql.value(org)}`,
        ).join(' UNION ALL '),
      ),
      this.controlPlane.sourceStatuses(org),
    ]);

    const repositories = allRepositories
      .filter((repository) => scopedIds === null || scopedIds.includes(repository.id))
      .map((repository) => ({ id: repository.id, name: repository.full_name }));
    const teamsOf = new Map<string, string[]>();
    for (const membership of memberships)
      teamsOf.set(membership.identity_id, [...(teamsOf.get(membership.identity_id) ?? []), membership.team_id]);
    const repositoryNames = new Map(allRepositories.map((repository) => [repository.id, repository.full_name]));
    const events: HomeEvent[] = [
      ...deployments.map((row) => ({
        at: row.created_at,
        type: 'deployment' as const,
        text: `${row.status} deployment of ${repositoryNames.get(row.repository_id) ?? row.repository_id} to ${row.environment}`,
        link: `/dashboard?deployment=${encodeURIComponent(row.id)}`,
      })),
      ...incidents.map((row) => ({
        at: row.started_at,
        type: 'incident' as const,
        text: `${row.severity} incident: ${row.title}`,
        link: `/dashboard?incident=${encodeURIComponent(row.id)}`,
      })),
    ];
    const lastFetched = Object.fromEntries(TRACKED_KINDS.map((kind) => [kind, null])) as Record<
      TrackedKind,
      number | null
    >;
    for (const row of fetched) lastFetched[row.kind as TrackedKind] = row.fetched_at;

    return {
      window,
      nowMs,
      repositories,
      repoFilter: {
        applied: named.length > 0,
        unknown: named.filter((name) => !allRepositories.some((repository) => isNamed(repository, name))),
      },
      repoDays: repoDays.map((row) => ({
        repository_id: String(row.repository_id),
        day: String(row.metric_day),
        commits: num(row.commits),
        lines_touched: num(row.lines_touched),
        prs_merged: num(row.prs_merged),
        pr_cycle_time_p50_hours: numOrNull(row.pr_cycle_time_p50_hours),
        time_to_first_review_p50_hours: numOrNull(row.time_to_first_review_p50_hours),
        rework_ratio: numOrNull(row.rework_ratio),
        computed_at: numOrNull(row.computed_at_ms),
      })),
      doraDays: doraDays.map((row) => ({
        repository_id: String(row.repository_id),
        day: String(row.metric_day),
        deployments: num(row.deployments),
        failed_deployments: num(row.failed_deployments),
        lead_time_p50_hours: numOrNull(row.lead_time_p50_hours),
        changes_deployed: num(row.changes_deployed),
        time_to_restore_p50_hours: numOrNull(row.time_to_restore_p50_hours),
        incidents_resolved: num(row.incidents_resolved),
        computed_at: numOrNull(row.computed_at_ms),
      })),
      workDays: workDays.map((row) => ({
        day: String(row.metric_day),
        items_completed: num(row.items_completed),
        cycle_time_p50_hours: numOrNull(row.cycle_time_p50_hours),
        computed_at: numOrNull(row.computed_at_ms),
      })),
      merged: merged.map((row): MergedPullRequest => ({
        id: String(row.id),
        repository_id: String(row.repository_id),
        title: typeof row.title === 'string' ? row.title : '',
        labels: stringList(row.labels),
        additions: numOrNull(row.additions),
        deletions: numOrNull(row.deletions),
        linked: flag(row.linked),
        reviewed: flag(row.reviewed),
      })),
      workItems: workItems.map((row): WindowWorkItem => ({
        id: String(row.id),
        provider: String(row.provider),
        team_id: (row.team_id as string | null) || null,
        assignee_identity_id: (row.assignee_identity_id as string | null) || null,
        reporter_identity_id: (row.reporter_identity_id as string | null) || null,
        completed_at: numOrNull(row.completed_at),
        transitioned: flag(row.transitioned),
      })),
      teamsOf,
      events,
      lastFetched,
      sources,
    };
  }
}
