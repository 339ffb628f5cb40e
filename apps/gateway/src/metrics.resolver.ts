import { Inject } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { badInput } from './auth/caller';
import { type GatewayContext, orgFor } from './auth/request-context';
import {
  DAY_MS,
  METRIC_KINDS,
  type MetricKey,
  type MetricKind,
  doraWindow,
  lineageOf,
} from '@dev-health/metric-definitions';
import { MetricFactsReader, MetricsReader, type StoredMetricRow } from '@dev-health/postgres';
import { isoDateToDay, orgOfId, type MetricEntityName } from '@dev-health/schemas';
import {
  DoraDailyMetrics,
  DoraSummary,
  LineageEntryModel,
  RepoDailyMetrics,
  RepositoryModel,
  TeamDailyMetrics,
  UserDailyMetrics,
  WorkItemDailyMetrics,
} from './metrics.models';

function dayNumber(name: string, value: string): number {
  const day = isoDateToDay(value);
  if (typeof day !== 'number') throw badInput(`${name} must be a date as YYYY-MM-DD`);
  return day;
}

function assertRange(from: string, to: string): { first: number; last: number } {
  const first = dayNumber('from', from);
  const last = dayNumber('to', to);
  if (first > last) throw badInput('from must not be after to');
  return { first, last };
}

/** Every query reads one org: this argument, else the request's X-Org-Id, else the token's only org. */
const ORG_ARG = {
  nullable: true,
  type: () => String,
  description: "The organization (slug); omitted: the request's X-Org-Id, or the token's only organization",
} as const;

/** An id of another org is not found in this one (ids are org-scoped; see orgScopedId). */
function assertInOrg(org: string, name: string, id: string): void {
  if (orgOfId(id) !== org) throw badInput(`${name} ${id} is not in org ${org}`);
}

/** snake_case columns → camelCase fields (the models declare exactly the table's columns). */
function camelCase<T>(row: StoredMetricRow): T {
  return Object.fromEntries(
    Object.entries(row).map(([column, value]) => [
      column.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()),
      value,
    ]),
  ) as T;
}

@Resolver()
export class MetricsResolver {
  constructor(
    @Inject(MetricsReader) private readonly reader: MetricsReader,
    @Inject(MetricFactsReader) private readonly facts: MetricFactsReader,
  ) {}

  private async rows<T>(
    org: string,
    metric: MetricEntityName,
    filter: Record<string, string | null | undefined>,
    from: string,
    to: string,
  ): Promise<T[]> {
    assertRange(from, to);
    return (await this.reader.latest(metric, { ...filter, org_id: org }, from, to)).map((row) => camelCase<T>(row));
  }

  @Query(() => [RepositoryModel])
  async repositories(
    @Context() context: GatewayContext,
    @Args('orgId', ORG_ARG) orgId?: string | null,
  ): Promise<RepositoryModel[]> {
    const rows = await this.reader.repositories(orgFor(context, orgId));
    return rows.map((row) => ({ id: row.id, fullName: row.full_name, provider: row.provider }));
  }

  @Query(() => [RepoDailyMetrics], {
    description: 'Daily metrics of a repository, days with activity only, oldest first.',
  })
  repoMetrics(
    @Context() context: GatewayContext,
    @Args('orgId', ORG_ARG) orgId: string | null | undefined,
    @Args('repositoryId') repositoryId: string,
    @Args('from', { description: 'YYYY-MM-DD, inclusive' }) from: string,
    @Args('to', { description: 'YYYY-MM-DD, inclusive' }) to: string,
  ): Promise<RepoDailyMetrics[]> {
    return this.rows(orgFor(context, orgId), 'repo_metrics_daily', { repository_id: repositoryId }, from, to);
  }

  @Query(() => [UserDailyMetrics], {
    description: 'Daily metrics per identity in a repository, optionally one primary email.',
  })
  async userMetrics(
    @Context() context: GatewayContext,
    @Args('orgId', ORG_ARG) orgId: string | null | undefined,
    @Args('repositoryId') repositoryId: string,
    @Args('from') from: string,
    @Args('to') to: string,
    @Args('authorEmail', { nullable: true, type: () => String }) authorEmail?: string | null,
  ): Promise<UserDailyMetrics[]> {
    const rows = await this.rows<UserDailyMetrics>(
      orgFor(context, orgId),
      'user_metrics_daily',
      { repository_id: repositoryId },
      from,
      to,
    );
    const email = authorEmail?.trim().toLowerCase();
    return rows
      .filter((row) => !email || row.authorEmail === email)
      .sort((a, b) => a.day.localeCompare(b.day) || a.authorIdentityId.localeCompare(b.authorIdentityId));
  }

  @Query(() => [TeamDailyMetrics], { description: "A team's after-hours and weekend work, per UTC day." })
  teamMetrics(
    @Context() context: GatewayContext,
    @Args('orgId', ORG_ARG) orgId: string | null | undefined,
    @Args('teamId') teamId: string,
    @Args('from') from: string,
    @Args('to') to: string,
  ): Promise<TeamDailyMetrics[]> {
    return this.rows(orgFor(context, orgId), 'team_metrics_daily', { team_id: teamId }, from, to);
  }

  @Query(() => [WorkItemDailyMetrics], { description: 'Work-item flow of a work scope, per team and UTC day.' })
  workItemMetrics(
    @Context() context: GatewayContext,
    @Args('orgId', ORG_ARG) orgId: string | null | undefined,
    @Args('workScopeId') workScopeId: string,
    @Args('from') from: string,
    @Args('to') to: string,
    @Args('teamId', { nullable: true, type: () => String }) teamId?: string | null,
  ): Promise<WorkItemDailyMetrics[]> {
    return this.rows(
      orgFor(context, orgId),
      'work_item_metrics_daily',
      { work_scope_id: workScopeId, team_id: teamId },
      from,
      to,
    );
  }

  @Query(() => [DoraDailyMetrics], { description: 'Daily DORA figures of a repository.' })
  doraMetrics(
    @Context() context: GatewayContext,
    @Args('orgId', ORG_ARG) orgId: string | null | undefined,
    @Args('repositoryId') repositoryId: string,
    @Args('from') from: string,
    @Args('to') to: string,
  ): Promise<DoraDailyMetrics[]> {
    return this.rows(orgFor(context, orgId), 'dora_metrics_daily', { repository_id: repositoryId }, from, to);
  }

  @Query(() => DoraSummary, {
    description: 'DORA over a window (not an average of days) with its 2023 performance bands.',
  })
  async doraSummary(
    @Context() context: GatewayContext,
    @Args('orgId', ORG_ARG) orgId: string | null | undefined,
    @Args('repositoryId') repositoryId: string,
    @Args('from') from: string,
    @Args('to') to: string,
  ): Promise<DoraSummary> {
    const { first, last } = assertRange(from, to);
    assertInOrg(orgFor(context, orgId), 'repositoryId', repositoryId);
    const window = doraWindow(await this.facts.dora(repositoryId, { start: first * DAY_MS, end: (last + 1) * DAY_MS }));
    return {
      repositoryId,
      from,
      to,
      days: window.days,
      deployments: window.deployments,
      successfulDeployments: window.successful_deployments,
      deploymentsPerDay: Math.round((window.successful_deployments / window.days) * 10_000) / 10_000,
      changeFailureRate: window.change_failure_rate,
      leadTimeP50Hours: window.lead_time_p50_hours,
      timeToRestoreP50Hours: window.time_to_restore_p50_hours,
      bands: {
        deploymentFrequency: window.bands.deployment_frequency,
        leadTime: window.bands.lead_time,
        changeFailureRate: window.bands.change_failure_rate,
        timeToRestore: window.bands.time_to_restore,
      },
    };
  }

  @Query(() => [LineageEntryModel], {
    description:
      'The canonical records (counts and ids) a metric key is computed from. kind: repo, dora, team, work_items.',
  })
  async metricLineage(
    @Context() context: GatewayContext,
    @Args('orgId', ORG_ARG) orgId: string | null | undefined,
    @Args('kind') kind: string,
    @Args('scopeId', { description: 'repository id, team id or work scope id' }) scopeId: string,
    @Args('day', { description: 'YYYY-MM-DD' }) day: string,
    @Args('provider', { nullable: true, type: () => String, description: 'work_items only' }) provider?: string | null,
    @Args('teamId', { nullable: true, type: () => String, description: "work_items only; '' for no team" })
    teamId?: string | null,
  ): Promise<LineageEntryModel[]> {
    if (!METRIC_KINDS.includes(kind as MetricKind)) throw badInput(`kind must be one of ${METRIC_KINDS.join(', ')}`);
    const dayValue = dayNumber('day', day);
    const org_id = orgFor(context, orgId);
    assertInOrg(org_id, 'scopeId', scopeId);
    let key: MetricKey;
    switch (kind as MetricKind) {
      case 'repo':
      case 'dora':
        key = { org_id, kind: kind as 'repo' | 'dora', repository_id: scopeId, day: dayValue };
        break;
      case 'team':
        key = { org_id, kind: 'team', team_id: scopeId, day: dayValue };
        break;
      case 'work_items':
        if (provider === undefined || provider === null) throw badInput('work_items lineage needs provider');
        key = { org_id, kind: 'work_items', provider, work_scope_id: scopeId, team_id: teamId ?? '', day: dayValue };
        break;
    }
    return lineageOf(await this.facts.factsFor(key));
  }
}
