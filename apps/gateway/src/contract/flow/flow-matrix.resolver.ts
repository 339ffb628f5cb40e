import { Inject } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { type FlowPair, type FlowStep, flowMatrix, switchPairs } from '@dev-health/metric-definitions';
import { badInput } from '../../auth/caller';
import { type GatewayContext, orgFor } from '../../auth/request-context';
import type { AnalyticsStore } from '../analytics/analytics-store';
import { ANALYTICS_LIMITS, DimensionInput } from '../catalog/catalog.resolver';
import { ANALYTICS } from '../control-plane-reads';
import { DAY_MS, dayOf, dayStartMs } from '../shared/filters';
import { ResultCache } from '../shared/result-cache';
import {
  AnalyticsRequestInput,
  AnalyticsResult,
  FlowMatrixRequestInput,
  FlowMatrixResult,
  MeasureInput,
} from './flow-matrix.models';

const MAX_DAYS = 366;
const FLOW_DIMENSIONS: Partial<Record<DimensionInput, string>> = {
  [DimensionInput.TEAM]: 'team',
  [DimensionInput.REPO]: 'repo',
  [DimensionInput.WORK_TYPE]: 'work_type',
};

/**
 * Analytics batches: the flow matrix, computed when asked (and kept until the org changes) from one or
 * two statements per dimension (docs/metrics.md, Flow matrix):
 * - TEAM: reviews exchanged — a team's pull requests reviewed by a team (author's team → reviewer's team);
 * - REPO: developers' switches between repositories — consecutive commits of a developer's day;
 * - WORK_TYPE: switches between kinds of work — an assignee's consecutively completed work items.
 */
@Resolver(() => AnalyticsResult)
export class FlowMatrixResolver {
  constructor(
    @Inject(ANALYTICS) private readonly store: AnalyticsStore,
    @Inject(ResultCache) private readonly cache: ResultCache,
  ) {}

  @Query(() => AnalyticsResult, {
    name: 'analytics',
    description: 'A batch of analytics: the flow matrix between teams, repositories or work types.',
  })
  async analyticsBatch(
    @Context() context: GatewayContext,
    @Args('orgId') orgId: string,
    @Args('batch', { type: () => AnalyticsRequestInput }) batch: AnalyticsRequestInput,
  ): Promise<AnalyticsResult> {
    const org = orgFor(context, orgId);
    const request = batch.flowMatrix ?? null;
    if (request === null) return { flowMatrix: null };
    const dimension = FLOW_DIMENSIONS[request.dimension];
    if (!dimension)
      throw badInput(`batch.flowMatrix.dimension must be TEAM, REPO or WORK_TYPE (${request.dimension} has no flow)`);
    if (request.measure !== MeasureInput.COUNT)
      throw badInput(
        `batch.flowMatrix.measure must be COUNT: the flow matrix counts (${request.measure} is not a flow)`,
      );
    const scope = batch.filters?.scope;
    if (
      (scope?.ids.length ?? 0) > 0 ||
      batch.filters?.who ||
      batch.filters?.what ||
      batch.filters?.why ||
      batch.filters?.how
    )
      throw badInput('batch.filters are not applied to the flow matrix: send none');
    const start = dayStartMs(request.dateRange.startDate);
    const end = dayStartMs(request.dateRange.endDate) + DAY_MS;
    if (!(end > start && end - start <= MAX_DAYS * DAY_MS))
      throw badInput(`batch.flowMatrix.dateRange.endDate must be on or after startDate, at most ${MAX_DAYS} days on`);
    const bound = (name: 'maxNodes' | 'maxEdges', max: number) => {
      const value = request[name];
      if (!Number.isInteger(value) || value < 1 || value > max)
        throw badInput(`batch.flowMatrix.${name} must be from 1 to ${max}`);
      return value;
    };
    const limits = {
      maxNodes: bound('maxNodes', ANALYTICS_LIMITS.maxSankeyNodes),
      maxEdges: bound('maxEdges', ANALYTICS_LIMITS.maxSankeyEdges),
    };
    const key = JSON.stringify(['flowMatrix', dimension, start, end, limits]);
    return {
      flowMatrix: await this.cache.get(org, key, () => this.flowMatrix(org, request, dimension, start, end, limits)),
    };
  }

  private async flowMatrix(
    org: string,
    request: FlowMatrixRequestInput,
    dimension: string,
    start: number,
    end: number,
    limits: { maxNodes: number; maxEdges: number },
  ): Promise<FlowMatrixResult> {
    const { pairs, labels } =
      request.dimension === DimensionInput.TEAM
        ? await this.teamExchanges(org, start, end)
        : request.dimension === DimensionInput.REPO
          ? await this.repositorySwitches(org, start, end)
          : await this.workTypeSwitches(org, start, end);
    const matrix = flowMatrix(pairs, limits);
    const id = (key: string) => `${dimension}:${key}`;
    return {
      nodes: matrix.nodes.map((node) => ({
        id: id(node.key),
        label: labels.get(node.key) ?? node.key,
        dimension,
        value: node.value,
      })),
      edges: matrix.edges.map((edge) => ({ source: id(edge.source), target: id(edge.target), value: edge.value })),
      degradedReason:
        matrix.nodes.length === 0
          ? `No ${dimension === 'team' ? 'reviews between team members' : dimension === 'repo' ? 'developer switching repositories within a day' : 'assignee completing two work items'} from ${request.dateRange.startDate} to ${request.dateRange.endDate}.`
          : null,
    };
  }

  /** Each review of a pull request: the author's teams → the reviewer's teams (self-reviews aside). */
  private async teamExchanges(
    org: string,
    start: number,
    end: number,
  ): Promise<{ pairs: FlowPair[]; labels: Map<string, string> }> {
    const inWindow = (sql: Parameters<Parameters<AnalyticsStore['select']>[0]>[0]) =>
      `org_id = ${sql.value(org)} AND submitted_at >= ${sql.time(start)} AND submitted_at < ${sql.time(end)}`;
    const [reviews, authors, memberships, teams] = await Promise.all([
      this.store.select<{ pull_request_id: string; reviewer_identity_id: string }>(
        (sql) => `SELECT pull_request_id, reviewer_identity_id FROM ${sql.table('reviews')} WHERE ${inWindow(sql)}`,
      ),
      this.store.select<{ id: string; author_identity_id: string | null }>(
        (sql) =>
          `SELECT id, author_identity_id FROM ${sql.table('pull_requests')}
            WHERE org_id = ${sql.value(org)} AND id IN (SELECT pull_request_id FROM ${sql.table('reviews')} WHERE ${inWindow(sql)})`,
      ),
      this.store.select<{ identity_id: string; team_id: string }>(
        (sql) => `SELECT identity_id, team_id FROM ${sql.table('team_memberships')} WHERE org_id = ${sql.value(org)}`,
      ),
      this.store.select<{ id: string; name: string }>(
        (sql) => `SELECT id, name FROM ${sql.table('teams')} WHERE org_id = ${sql.value(org)}`,
      ),
    ]);
    const author = new Map(authors.map((row) => [row.id, row.author_identity_id]));
    const teamsOf = new Map<string, string[]>();
    for (const row of memberships) teamsOf.set(row.identity_id, [...(teamsOf.get(row.identity_id) ?? []), row.team_id]);
    const pairs: FlowPair[] = [];
    for (const review of reviews) {
      const by = author.get(review.pull_request_id);
      if (!by || by === review.reviewer_identity_id) continue;
      for (const source of teamsOf.get(by) ?? [])
        for (const target of teamsOf.get(review.reviewer_identity_id) ?? []) pairs.push({ source, target, value: 1 });
    }
    return { pairs, labels: new Map(teams.map((team) => [team.id, team.name])) };
  }

  /** A developer's non-merge commits of a UTC day, in authoring order: consecutive repositories. */
  private async repositorySwitches(
    org: string,
    start: number,
    end: number,
  ): Promise<{ pairs: FlowPair[]; labels: Map<string, string> }> {
    const [commits, repositories] = await Promise.all([
      this.store.select<{ id: string; author_identity_id: string; repository_id: string; authored_at: number }>(
        (sql) =>
          `SELECT id, author_identity_id, repository_id, authored_at FROM ${sql.table('commits')}
            WHERE org_id = ${sql.value(org)} AND authored_at >= ${sql.time(start)} AND authored_at < ${sql.time(end)} AND NOT is_merge`,
      ),
      this.store.select<{ id: string; full_name: string }>(
        (sql) => `SELECT id, full_name FROM ${sql.table('repositories')} WHERE org_id = ${sql.value(org)}`,
      ),
    ]);
    const steps: FlowStep[] = commits.map((commit) => ({
      sequence: `${commit.author_identity_id}\u0000${dayOf(Number(commit.authored_at))}`,
      node: commit.repository_id,
      at: Number(commit.authored_at),
      id: commit.id,
    }));
    return { pairs: switchPairs(steps), labels: new Map(repositories.map((row) => [row.id, row.full_name])) };
  }

  /** An assignee's work items completed in the range, in completion order: consecutive types. */
  private async workTypeSwitches(
    org: string,
    start: number,
    end: number,
  ): Promise<{ pairs: FlowPair[]; labels: Map<string, string> }> {
    const items = await this.store.select<{
      id: string;
      assignee_identity_id: string;
      type: string;
      completed_at: number;
    }>(
      (sql) =>
        `SELECT id, assignee_identity_id, type, completed_at FROM ${sql.table('work_items')}
          WHERE org_id = ${sql.value(org)} AND status_category = 'done' AND assignee_identity_id IS NOT NULL
            AND completed_at >= ${sql.time(start)} AND completed_at < ${sql.time(end)}`,
    );
    const steps: FlowStep[] = items.map((item) => ({
      sequence: item.assignee_identity_id,
      node: item.type,
      at: Number(item.completed_at),
      id: item.id,
    }));
    return { pairs: switchPairs(steps), labels: new Map() };
  }
}
