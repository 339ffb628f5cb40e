import { Inject } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { badInput } from '../../auth/caller';
import { type GatewayContext, orgFor } from '../../auth/request-context';
import type { AnalyticsStore } from '../analytics/analytics-store';
import { ANALYTICS } from '../control-plane-reads';
import { ResultCache } from '../shared/result-cache';
import { stringList } from '../shared/filters';
import {
  type WorkGraphEdge,
  type WorkGraphFacts,
  artifactsByDegree,
  flowByNodeType,
  workGraphEdges,
} from './work-graph-builder';
import {
  WorkGraphArtifactsResult,
  WorkGraphEdgeFilterInput,
  WorkGraphEdgesResult,
  WorkGraphFlowResult,
} from './work-graph.models';

const MAX_EDGES = 5_000;

/** An answer's cache key: the operation and its filters, in a fixed field order. */
const answerKey = (operation: string, filters: WorkGraphEdgeFilterInput | null) =>
  JSON.stringify([
    'work-graph',
    operation,
    filters?.repoIds ?? null,
    filters?.sourceType ?? null,
    filters?.targetType ?? null,
    filters?.edgeType ?? null,
    filters?.nodeId ?? null,
    filters?.limit ?? null,
  ]);
const NO_LINKS =
  'No links recorded yet: closing references, issue keys in pull requests and commits, merge commits and deployed shas make the graph.';

/**
 * The work graph, derived when asked (and kept until the org changes) from the links the stores hold (four statements: linked pull
 * requests, commits that mention keys or were merged or deployed, work items, deployments), then filtered.
 */
@Resolver(() => WorkGraphEdgesResult)
export class WorkGraphResolver {
  constructor(
    @Inject(ANALYTICS) private readonly analytics: AnalyticsStore,
    @Inject(ResultCache) private readonly cache: ResultCache,
  ) {}

  @Query(() => WorkGraphEdgesResult, {
    description: 'Links between work items, pull requests, commits and deployments, with evidence.',
  })
  async workGraphEdges(
    @Context() context: GatewayContext,
    @Args('orgId') orgId: string,
    @Args('filters', { type: () => WorkGraphEdgeFilterInput, nullable: true }) filters: WorkGraphEdgeFilterInput | null,
  ): Promise<WorkGraphEdgesResult> {
    return this.answer(orgFor(context, orgId), 'edges', filters, (edges, limit) => {
      const page = edges.slice(0, limit);
      return {
        edges: page.map((edge) => ({ ...edge, theme: null, subcategory: null })),
        totalCount: edges.length,
        pageInfo: {
          hasNextPage: edges.length > page.length,
          hasPreviousPage: false,
          startCursor: page[0]?.edgeId ?? null,
          endCursor: page.at(-1)?.edgeId ?? null,
        },
        degradedReason: edges.length === 0 ? NO_LINKS : null,
      };
    });
  }

  @Query(() => WorkGraphFlowResult, { description: 'Edges in and out per node type.' })
  async workGraphFlow(
    @Context() context: GatewayContext,
    @Args('orgId') orgId: string,
    @Args('filters', { type: () => WorkGraphEdgeFilterInput, nullable: true }) filters: WorkGraphEdgeFilterInput | null,
  ): Promise<WorkGraphFlowResult> {
    return this.answer(orgFor(context, orgId), 'flow', filters, (edges) => ({
      rows: flowByNodeType(edges),
      degradedReason: edges.length === 0 ? NO_LINKS : null,
    }));
  }

  @Query(() => WorkGraphArtifactsResult, { description: 'The most connected nodes of the graph.' })
  async workGraphArtifacts(
    @Context() context: GatewayContext,
    @Args('orgId') orgId: string,
    @Args('filters', { type: () => WorkGraphEdgeFilterInput, nullable: true }) filters: WorkGraphEdgeFilterInput | null,
  ): Promise<WorkGraphArtifactsResult> {
    return this.answer(orgFor(context, orgId), 'artifacts', filters, (edges, limit) => ({
      rows: artifactsByDegree(edges, limit),
      degradedReason: edges.length === 0 ? NO_LINKS : null,
    }));
  }

  /**
   * An operation's answer, cut from the filtered graph and kept like the graph (per org and filters), so
   * a busy page repeats no work but GraphQL's own.
   */
  private answer<T>(
    org: string,
    operation: string,
    filters: WorkGraphEdgeFilterInput | null,
    cut: (edges: WorkGraphEdge[], limit: number) => T,
  ): Promise<T> {
    return this.cache.get(org, answerKey(operation, filters), async () => {
      const { edges, limit } = await this.filtered(org, filters);
      return cut(edges, limit);
    });
  }

  private async filtered(
    org: string,
    filters: WorkGraphEdgeFilterInput | null,
  ): Promise<{ edges: WorkGraphEdge[]; limit: number }> {
    const limit = filters?.limit ?? 1_000;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EDGES)
      throw badInput(`filters.limit must be from 1 to ${MAX_EDGES}`);
    const repos = filters?.repoIds && filters.repoIds.length > 0 ? new Set(filters.repoIds) : null;
    // The org's whole graph is derived once and shared by the three operations and every filter, until
    // the org changes.
    const graph = await this.cache.get(org, 'work-graph', async () =>
      workGraphEdges(await readWorkGraphFacts(this.analytics, org)),
    );
    const edges = graph.filter(
      (edge) =>
        (!repos || (edge.repoId !== null && repos.has(edge.repoId))) &&
        (!filters?.sourceType || edge.sourceType === filters.sourceType) &&
        (!filters?.targetType || edge.targetType === filters.targetType) &&
        (!filters?.edgeType || edge.edgeType === filters.edgeType) &&
        (!filters?.nodeId || edge.sourceId === filters.nodeId || edge.targetId === filters.nodeId),
    );
    return { edges, limit };
  }
}

/** What the work graph is derived from: linked PRs, commits that mention keys or were merged or deployed, work items, deployments. */
export async function readWorkGraphFacts(analytics: AnalyticsStore, org: string): Promise<WorkGraphFacts> {
  const [pullRequests, deployments, workItems, commits] = await Promise.all([
    analytics.select<Record<string, unknown>>(
      (sql) =>
        `SELECT id, provider, repository_id, number, title, closing_work_item_ids, work_item_keys, merge_commit_sha
           FROM ${sql.table('pull_requests')}
          WHERE org_id = ${sql.value(org)}
            AND (${sql.nonEmpty('closing_work_item_ids')} OR ${sql.nonEmpty('work_item_keys')} OR merge_commit_sha IS NOT NULL)`,
    ),
    analytics.select<Record<string, unknown>>(
      (sql) =>
        `SELECT id, provider, repository_id, environment, commit_sha FROM ${sql.table('deployments')}
          WHERE org_id = ${sql.value(org)} AND commit_sha IS NOT NULL`,
    ),
    analytics.select<Record<string, unknown>>(
      (sql) =>
        `SELECT id, provider, key, title, parent_work_item_id FROM ${sql.table('work_items')} WHERE org_id = ${sql.value(org)}`,
    ),
    // The merged and deployed shas as subqueries: an org's thousands of shas as literals would exceed
    // ClickHouse's query size.
    analytics.select<Record<string, unknown>>(
      (sql) =>
        `SELECT id, provider, repository_id, sha, message_subject, work_item_keys FROM ${sql.table('commits')}
          WHERE org_id = ${sql.value(org)}
            AND (${sql.nonEmpty('work_item_keys')}
                 OR sha IN (SELECT coalesce(merge_commit_sha, '') FROM ${sql.table('pull_requests')}
                             WHERE org_id = ${sql.value(org)} AND merge_commit_sha IS NOT NULL)
                 OR sha IN (SELECT coalesce(commit_sha, '') FROM ${sql.table('deployments')}
                             WHERE org_id = ${sql.value(org)} AND commit_sha IS NOT NULL))`,
    ),
  ]);
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const nullable = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  return {
    pullRequests: pullRequests.map((row) => ({
      id: text(row.id),
      provider: text(row.provider),
      repository_id: text(row.repository_id),
      number: Number(row.number),
      title: text(row.title),
      closing_work_item_ids: stringList(row.closing_work_item_ids),
      work_item_keys: stringList(row.work_item_keys),
      merge_commit_sha: nullable(row.merge_commit_sha),
    })),
    commits: commits.map((row) => ({
      id: text(row.id),
      provider: text(row.provider),
      repository_id: text(row.repository_id),
      sha: text(row.sha),
      message_subject: text(row.message_subject),
      work_item_keys: stringList(row.work_item_keys),
    })),
    workItems: workItems.map((row) => ({
      id: text(row.id),
      provider: text(row.provider),
      key: text(row.key),
      title: text(row.title),
      parent_work_item_id: nullable(row.parent_work_item_id),
    })),
    deployments: deployments.map((row) => ({
      id: text(row.id),
      provider: text(row.provider),
      repository_id: text(row.repository_id),
      environment: text(row.environment),
      commit_sha: nullable(row.commit_sha),
    })),
  };
}
