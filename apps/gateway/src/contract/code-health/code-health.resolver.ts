import { Inject } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { type AuthorChanges, ownership } from '@dev-health/metric-definitions';
import { type GatewayContext, orgFor } from '../../auth/request-context';
import type { AnalyticsStore } from '../analytics/analytics-store';
import { ANALYTICS } from '../control-plane-reads';
import { ResultCache } from '../shared/result-cache';
import { PeopleReader } from '../shared/people';
import { BusFactor, BusFactorScopeInput } from './code-health.models';

/** Bus factor and ownership look back a year: long enough for a codebase's owners to show. */
export const OWNERSHIP_WINDOW_DAYS = 365;
const TOP_MAINTAINERS = 5;

/** Code health, computed when asked from the canonical commits (one grouped statement). */
@Resolver(() => BusFactor)
export class CodeHealthResolver {
  constructor(
    @Inject(ANALYTICS) private readonly analytics: AnalyticsStore,
    @Inject(PeopleReader) private readonly people: PeopleReader,
    @Inject(ResultCache) private readonly cache: ResultCache,
  ) {}

  @Query(() => BusFactor, { description: 'Ownership concentration and bus factor of the org, a repository or a team.' })
  async busFactor(
    @Context() context: GatewayContext,
    @Args('orgId') orgId: string,
    @Args('scope', { type: () => BusFactorScopeInput, nullable: true }) scope: BusFactorScopeInput | null,
  ): Promise<BusFactor> {
    const org = orgFor(context, orgId);
    return this.cache.get(
      org,
      JSON.stringify([
        'busFactor',
        new Date().toISOString().slice(0, 10),
        scope?.repoId ?? null,
        scope?.teamId ?? null,
      ]),
      async () => {
        const since = Date.now() - OWNERSHIP_WINDOW_DAYS * 86_400_000;
        const repoId = scope?.repoId ?? null;
        const teamId = scope?.teamId ?? null;
        const [rows, repositories] = await Promise.all([
          this.analytics.select<{ repository_id: string; author_identity_id: string; lines: number; commits: number }>(
            (sql) =>
              `SELECT repository_id, author_identity_id, sum(additions + deletions) AS lines, count(*) AS commits
             FROM ${sql.table('commits')}
            WHERE org_id = ${sql.value(org)} AND authored_at >= ${sql.time(since)} AND NOT is_merge
              ${repoId ? `AND repository_id = ${sql.value(repoId)}` : ''}
              ${
                teamId
                  ? `AND author_identity_id IN (SELECT identity_id FROM ${sql.table('team_memberships')}
                       WHERE org_id = ${sql.value(org)} AND team_id = ${sql.value(teamId)})`
                  : ''
              }
            GROUP BY repository_id, author_identity_id`,
          ),
          this.analytics.select<{ id: string; full_name: string }>(
            (sql) => `SELECT id, full_name FROM ${sql.table('repositories')} WHERE org_id = ${sql.value(org)}`,
          ),
        ]);
        const names = await this.people.namesOf(
          org,
          rows.map((row) => row.author_identity_id),
        );
        const author = (id: string) => names.get(id)?.name ?? names.get(id)?.email ?? id;
        const changes = (subset: typeof rows): AuthorChanges[] =>
          subset.map((row) => ({
            author: author(row.author_identity_id),
            lines: Number(row.lines),
            commits: Number(row.commits),
          }));
        const repoNames = new Map(repositories.map((repository) => [repository.id, repository.full_name]));
        const overall = ownership(changes(rows));
        const byRepo = new Map<string, typeof rows>();
        for (const row of rows) byRepo.set(row.repository_id, [...(byRepo.get(row.repository_id) ?? []), row]);
        const repos = [...byRepo]
          .map(([id, subset]) => {
            const result = ownership(changes(subset));
            return {
              repoId: id,
              repoName: repoNames.get(id) ?? id,
              value: result.value,
              topMaintainers: result.maintainers.slice(0, TOP_MAINTAINERS),
              evidenceSampleCount: result.evidenceSampleCount,
            };
          })
          .sort(
            (a, b) =>
              a.value - b.value || b.evidenceSampleCount - a.evidenceSampleCount || a.repoId.localeCompare(b.repoId),
          );
        return {
          orgId: org,
          scope: { repoId, teamId },
          value: overall.value,
          topMaintainers: overall.maintainers.slice(0, TOP_MAINTAINERS),
          repos,
          evidenceSampleCount: overall.evidenceSampleCount,
        };
      },
    );
  }
}
