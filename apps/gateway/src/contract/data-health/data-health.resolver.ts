import { Inject } from '@nestjs/common';
import { Args, Context, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { scopeLabel } from '@dev-health/control-plane';
import type { Provider } from '@dev-health/schemas';
import type { SourceStatus } from '@dev-health/postgres';
import { METRIC_KEYS } from '@dev-health/schemas';
import { type GatewayContext, orgFor, orgForTeam } from '../../auth/request-context';
import { stringList } from '../shared/filters';
import type { AnalyticsStore } from '../analytics/analytics-store';
import { linkedToWorkItem } from '../analytics/work-links';
import { ANALYTICS, ControlPlaneReads } from '../control-plane-reads';
import {
  AliasSuggestion,
  ConnectorStatus,
  CoverageStat,
  DataHealth,
  IdentityMappingHealth,
  MappingCoverage,
  MetricLineage,
  SourceHealth,
  UnmappedIdentity,
} from './data-health.models';

/** Stages a source-health answer may name; anything else is "other" (and its text is never shown). */
const STAGE_CODES = new Set(['auth', 'fetch', 'configuration', 'sync', 'connector', 'dispatch', 'publish']);

/** Each metric table and the canonical tables it is computed from. */
const METRIC_SOURCES: Record<string, string[]> = {
  repo_metrics_daily: ['commits', 'commit_file_changes', 'pull_requests', 'reviews', 'review_comments'],
  user_metrics_daily: ['commits', 'pull_requests', 'reviews', 'identities'],
  team_metrics_daily: ['commits', 'team_memberships', 'identities'],
  work_item_metrics_daily: ['work_items', 'work_item_transitions', 'teams'],
  dora_metrics_daily: ['deployments', 'incidents', 'pull_requests', 'commits'],
};

/**
 * Part 2's metrics, computed when asked (docs/metrics.md): what each reads and over how many days. Their
 * lineage is the source records the answer would draw on now; rowCount counts the first source's rows.
 */
const QUERY_TIME_SOURCES: Record<string, { sourceTables: string[]; durationDays: number | null }> = {
  capacity_forecast: {
    sourceTables: ['work_item_metrics_daily', 'work_items', 'work_item_transitions'],
    durationDays: 90,
  },
  throughput_forecast: {
    sourceTables: ['work_item_metrics_daily', 'work_items', 'pull_requests', 'reviews', 'incidents'],
    durationDays: 84,
  },
  bus_factor: { sourceTables: ['commits', 'team_memberships', 'identities'], durationDays: 365 },
  hotspots: { sourceTables: ['commit_file_changes', 'commits', 'blame_lines', 'repositories'], durationDays: 30 },
  cognitive_load: {
    sourceTables: ['user_metrics_daily', 'team_metrics_daily', 'team_memberships'],
    durationDays: null,
  },
  flow_matrix: {
    sourceTables: ['reviews', 'pull_requests', 'team_memberships', 'commits', 'work_items'],
    durationDays: null,
  },
  work_graph: { sourceTables: ['pull_requests', 'commits', 'work_items', 'deployments'], durationDays: null },
  operating_review: {
    sourceTables: ['work_item_metrics_daily', 'repo_metrics_daily', 'dora_metrics_daily', 'work_items', 'incidents'],
    durationDays: 14,
  },
};

interface IdentityRow extends Record<string, unknown> {
  id: string;
  provider: string;
  display_name: string;
  primary_email: string;
  emails: unknown;
  logins: unknown;
}

export const connectorStatus = (status: SourceStatus): ConnectorStatus => ({
  provider: status.provider,
  scope: scopeLabel(status.provider as Provider, status.scope),
  lastSyncAt: status.last_success_at,
  rowsIngested: status.rows_ingested,
  lastFailure:
    status.last_failure_at === null
      ? null
      : {
          occurredAt: status.last_failure_at,
          message: status.last_failure_message ?? '',
          stage: status.last_failure_stage,
        },
});

@Resolver(() => DataHealth)
export class DataHealthResolver {
  constructor(
    @Inject(ControlPlaneReads) private readonly controlPlane: ControlPlaneReads,
    @Inject(ANALYTICS) private readonly analytics: AnalyticsStore,
  ) {}

  @Query(() => DataHealth, { description: 'Operator data-health and trust surface' })
  dataHealth(
    @Context() context: GatewayContext,
    @Args('team', { type: () => ID, description: 'A team id, the org, or "ALL" (the whole org)' }) team: string,
  ): DataHealth {
    return { org: orgForTeam(context, team) };
  }

  @Query(() => [SourceHealth], {
    description:
      'Per integration that is enabled or whose failure is newer than its last success: the last successful sync, and the latest sync’s failure (time and stage code, never its text).',
  })
  async sourceHealth(@Context() context: GatewayContext, @Args('orgId') orgId: string): Promise<SourceHealth[]> {
    const statuses = await this.controlPlane.sourceStatuses(orgFor(context, orgId));
    return statuses
      .filter(
        (status) =>
          status.enabled ||
          (status.last_failure_at !== null &&
            (status.last_success_at === null || status.last_failure_at > status.last_success_at)),
      )
      .map((status) => ({
        provider: status.provider,
        scope: scopeLabel(status.provider as Provider, status.scope),
        lastSyncAt: status.last_success_at,
        lastFailure:
          status.latest_status === 'failed' && status.last_failure_at !== null
            ? {
                occurredAt: status.last_failure_at,
                stage: STAGE_CODES.has(status.last_failure_stage ?? '')
                  ? (status.last_failure_stage as string)
                  : 'other',
              }
            : null,
      }));
  }

  @ResolveField(() => [ConnectorStatus])
  async connectors(@Parent() health: DataHealth): Promise<ConnectorStatus[]> {
    return (await this.controlPlane.sourceStatuses(health.org)).map(connectorStatus);
  }

  /**
   * Identities that join nothing across providers: an email seen in commits with no provider login,
   * or a login seen in PRs and reviews with no email, counted only when the org has both kinds.
   * Suggestions pair an email-only identity with a login-only one whose login is the email's local
   * part (0.9) or whose display name is the same (0.6).
   */
  @ResolveField(() => IdentityMappingHealth)
  async identityMapping(@Parent() health: DataHealth): Promise<IdentityMappingHealth> {
    const identities = await this.analytics.select<IdentityRow>(
      (sql) =>
        `SELECT id, provider, display_name, primary_email, emails, logins FROM ${sql.table('identities')}
          WHERE org_id = ${sql.value(health.org)} ORDER BY id`,
    );
    const withKinds = identities.map((row) => ({
      row,
      emails: stringList(row.emails),
      logins: stringList(row.logins),
    }));
    const emailOnly = withKinds.filter(({ emails, logins }) => emails.length > 0 && logins.length === 0);
    const loginOnly = withKinds.filter(({ emails, logins }) => emails.length === 0 && logins.length > 0);
    if (emailOnly.length === 0 || loginOnly.length === 0)
      return { unmappedCount: 0, unmappedIdentities: [], suggestedAliases: [] };
    const unmapped = [...emailOnly, ...loginOnly];
    const observed = await this.observedCounts(
      health.org,
      unmapped.map(({ row }) => row.id),
    );
    const view = ({ row, emails }: (typeof unmapped)[number]): UnmappedIdentity => ({
      provider: row.provider,
      email: emails[0] ?? null,
      displayName: row.display_name || null,
      observedCount: observed.get(row.id) ?? 0,
    });
    const suggestedAliases: AliasSuggestion[] = [];
    for (const candidate of emailOnly) {
      const local = (candidate.emails[0] ?? '').split('@')[0]?.toLowerCase() ?? '';
      const byLogin = loginOnly.find(({ logins }) =>
        logins.some((login) => login.split(':').pop()?.toLowerCase() === local),
      );
      const byName = byLogin
        ? undefined
        : loginOnly.find(
            ({ row }) =>
              row.display_name !== '' && row.display_name.toLowerCase() === candidate.row.display_name.toLowerCase(),
          );
      const match = byLogin ?? byName;
      if (!match) continue;
      suggestedAliases.push({
        unmappedIdentity: view(candidate),
        suggestedCanonicalId: match.row.id,
        suggestedCanonicalName: match.row.display_name || match.emails[0] || null,
        confidence: byLogin ? 0.9 : 0.6,
      });
    }
    return { unmappedCount: unmapped.length, unmappedIdentities: unmapped.map(view), suggestedAliases };
  }

  /** Commits, PRs and reviews each identity authored: one grouped statement per table. */
  private async observedCounts(org: string, ids: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const [table, column] of [
      ['commits', 'author_identity_id'],
      ['pull_requests', 'author_identity_id'],
      ['reviews', 'reviewer_identity_id'],
    ] as const) {
      const rows = await this.analytics.select<{ identity: string; count: number }>(
        (sql) =>
          `SELECT ${column} AS identity, count(*) AS count FROM ${sql.table(table)}
            WHERE org_id = ${sql.value(org)} AND ${column} IN ${sql.list(ids)} GROUP BY ${column}`,
      );
      for (const row of rows) counts.set(row.identity, (counts.get(row.identity) ?? 0) + Number(row.count));
    }
    return counts;
  }

  /**
   * Of the org's repositories, those with deployments ingested, and those whose work is tracked: work
   * items scoped to them, or pull requests that close a work item.
   */
  @ResolveField(() => MappingCoverage)
  async mappingCoverage(@Parent() health: DataHealth): Promise<MappingCoverage> {
    const org = health.org;
    const [repositories, deployed, tracked, linked] = await Promise.all([
      this.analytics.select<{ id: string; full_name: string }>(
        (sql) =>
          `SELECT id, full_name FROM ${sql.table('repositories')} WHERE org_id = ${sql.value(org)} ORDER BY full_name`,
      ),
      this.analytics.select<{ id: string }>(
        (sql) =>
          `SELECT DISTINCT repository_id AS id FROM ${sql.table('deployments')} WHERE org_id = ${sql.value(org)}`,
      ),
      this.analytics.select<{ id: string }>(
        (sql) => `SELECT DISTINCT work_scope_id AS id FROM ${sql.table('work_items')} WHERE org_id = ${sql.value(org)}`,
      ),
      // Not aliased `AS id`: ClickHouse resolves aliases in WHERE, and the link condition reads the PR's id.
      this.analytics.select<{ repository_id: string }>(
        (sql) =>
          `SELECT DISTINCT repository_id FROM ${sql.table('pull_requests')}
            WHERE org_id = ${sql.value(org)} AND ${linkedToWorkItem(sql, org)}`,
      ),
    ]);
    const stat = (covered: ReadonlySet<string>, reason: string): CoverageStat => {
      const missing = repositories.filter((repository) => !covered.has(repository.id));
      const coveredRepos = repositories.length - missing.length;
      return {
        totalRepos: repositories.length,
        coveredRepos,
        coveragePct: repositories.length === 0 ? 0 : Math.round((coveredRepos / repositories.length) * 10_000) / 100,
        missing: missing.map((repository) => ({ repoName: repository.full_name, reason })),
      };
    };
    return {
      deployments: stat(new Set(deployed.map((row) => row.id)), 'no deployments ingested'),
      workItems: stat(
        new Set([...tracked.map((row) => row.id), ...linked.map((row) => row.repository_id)]),
        'no work items scoped to it and no pull request linked to one',
      ),
    };
  }

  /** A metric table (or one of its columns): what it is computed from, its newest computation and its rows. */
  @ResolveField(() => MetricLineage, { nullable: true })
  async metricLineage(
    @Parent() health: DataHealth,
    @Args('metricId', { type: () => ID }) metricId: string,
  ): Promise<MetricLineage | null> {
    const queryTime = QUERY_TIME_SOURCES[metricId];
    if (queryTime) {
      const [first] = queryTime.sourceTables;
      const [counted] = await this.analytics.select<{ count: number }>(
        (sql) => `SELECT count(*) AS count FROM ${sql.table(first ?? '')} WHERE org_id = ${sql.value(health.org)}`,
      );
      return {
        metricId,
        sourceTables: queryTime.sourceTables,
        computeWindow: { kind: 'query_time', durationDays: queryTime.durationDays },
        computedAt: new Date(),
        rowCount: Number(counted?.count ?? 0),
      };
    }
    const table = METRIC_SOURCES[metricId] ? metricId : null;
    if (!table) return null;
    const keys = METRIC_KEYS[table as keyof typeof METRIC_KEYS].join(', ');
    const [row] = await this.analytics.select<{ computed_at_ms: number | null; count: number }>(
      (sql) =>
        `SELECT max(latest_ms) AS computed_at_ms, count(*) AS count FROM (
           SELECT ${keys}, max(${sql.computedAtMs}) AS latest_ms FROM ${sql.table(table)}
            WHERE org_id = ${sql.value(health.org)} GROUP BY ${keys}) AS metric_keys`,
    );
    if (!row || row.computed_at_ms === null || Number(row.count) === 0) return null;
    return {
      metricId,
      sourceTables: METRIC_SOURCES[table] ?? [],
      computeWindow: { kind: 'daily', durationDays: 1 },
      computedAt: new Date(row.computed_at_ms),
      rowCount: Number(row.count),
    };
  }
}
