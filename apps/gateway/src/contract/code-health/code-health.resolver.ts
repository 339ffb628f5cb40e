import { Inject } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import {
  type AuthorChanges,
  type FileChange,
  blameConcentration,
  hotspots,
  ownership,
} from '@dev-health/metric-definitions';
import { badInput } from '../../auth/caller';
import { type GatewayContext, orgFor } from '../../auth/request-context';
import type { AnalyticsStore } from '../analytics/analytics-store';
import { ANALYTICS } from '../control-plane-reads';
import { ResultCache } from '../shared/result-cache';
import { DAY_MS, dayOf } from '../shared/filters';
import { PeopleReader } from '../shared/people';
import { BusFactor, BusFactorScopeInput, HotspotsInput, HotspotsResult } from './code-health.models';

/** Bus factor and ownership look back a year: long enough for a codebase's owners to show. */
export const OWNERSHIP_WINDOW_DAYS = 365;
const TOP_MAINTAINERS = 5;
/** Hotspots' churn looks back 30 days from the window's end, as the UI's fields say. */
export const HOTSPOT_CHURN_DAYS = 30;
const MAX_HOTSPOT_WINDOW_DAYS = 366;

/** A file's page at its provider (the default branch), where the provider has one. */
function fileUrl(provider: string, repositoryUrl: string | null, path: string): string | null {
  if (!repositoryUrl) return null;
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  if (provider === 'github') return `${repositoryUrl}/blob/HEAD/${encoded}`;
  if (provider === 'gitlab') return `${repositoryUrl}/-/blob/HEAD/${encoded}`;
  return null;
}

/**
 * Code health, computed when asked from the canonical commits and their file changes (and kept until the
 * org changes): bus factor in one grouped statement, hotspots in four.
 */
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
      JSON.stringify(['busFactor', dayOf(Date.now()), scope?.repoId ?? null, scope?.teamId ?? null]),
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

  @Query(() => HotspotsResult, {
    description: 'Files that change a lot, often and by many hands: churn × commits × authors, renames followed.',
  })
  async hotspots(@Context() context: GatewayContext, @Args('input') input: HotspotsInput): Promise<HotspotsResult> {
    const org = orgFor(context, input.orgId);
    const since = input.sinceUtc.getTime();
    // untilUtc is inclusive ("…T23:59:59Z" ends a day): its second counts.
    const to = input.untilUtc.getTime() + 1_000;
    if (!(to > since && to - since <= MAX_HOTSPOT_WINDOW_DAYS * DAY_MS))
      throw badInput(`input.untilUtc must be after input.sinceUtc, at most ${MAX_HOTSPOT_WINDOW_DAYS} days on`);
    const limit = input.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw badInput('input.limit must be from 1 to 500');
    const repos = input.repoIds && input.repoIds.length > 0 ? [...new Set(input.repoIds)].sort() : null;
    const teams = input.teamIds && input.teamIds.length > 0 ? [...new Set(input.teamIds)].sort() : null;
    const window = { churnFrom: to - HOTSPOT_CHURN_DAYS * DAY_MS, touchedFrom: since, to };
    const key = JSON.stringify(['hotspots', window, repos, teams, limit]);
    return this.cache.get(org, key, () => this.computeHotspots(org, window, repos, teams, limit));
  }

  private async computeHotspots(
    org: string,
    window: { churnFrom: number; touchedFrom: number; to: number },
    repos: string[] | null,
    teams: string[] | null,
    limit: number,
  ): Promise<HotspotsResult> {
    const from = Math.min(window.churnFrom, window.touchedFrom);
    const [files, commits, repositories] = await Promise.all([
      this.analytics.select<{
        repository_id: string;
        path: string;
        previous_path: string | null;
        commit_id: string;
        committed_at: number;
        lines: number | string;
      }>(
        (sql) =>
          `SELECT repository_id, path, previous_path, commit_id, committed_at, additions + deletions AS lines
             FROM ${sql.table('commit_file_changes')}
            WHERE org_id = ${sql.value(org)} AND committed_at >= ${sql.time(from)} AND committed_at < ${sql.time(window.to)}
              ${repos ? `AND repository_id IN ${sql.list(repos)}` : ''}`,
      ),
      this.analytics.select<{ id: string; author_identity_id: string }>(
        (sql) =>
          `SELECT id, author_identity_id FROM ${sql.table('commits')}
            WHERE org_id = ${sql.value(org)} AND committed_at >= ${sql.time(from)} AND committed_at < ${sql.time(window.to)}
              ${repos ? `AND repository_id IN ${sql.list(repos)}` : ''}
              ${
                teams
                  ? `AND author_identity_id IN (SELECT identity_id FROM ${sql.table('team_memberships')}
                       WHERE org_id = ${sql.value(org)} AND team_id IN ${sql.list(teams)})`
                  : ''
              }`,
      ),
      this.analytics.select<{ id: string; full_name: string; provider: string; url: string | null }>(
        (sql) =>
          `SELECT id, full_name, provider, url FROM ${sql.table('repositories')} WHERE org_id = ${sql.value(org)}`,
      ),
    ]);
    const authors = new Map(commits.map((commit) => [commit.id, commit.author_identity_id]));
    const changes: FileChange[] = files.flatMap((file) => {
      const author = authors.get(file.commit_id);
      return author === undefined
        ? []
        : [
            {
              repository: file.repository_id,
              path: file.path,
              previousPath: file.previous_path || null,
              commit: file.commit_id,
              author,
              at: Number(file.committed_at),
              lines: Number(file.lines),
            },
          ];
    });
    const every = hotspots(changes, window);
    const ranked = every.slice(0, limit);
    const blame =
      ranked.length === 0
        ? []
        : await this.analytics.select<{
            repository_id: string;
            path: string;
            revision: string;
            author_identity_id: string;
            lines: number | string;
            newest_at: number;
          }>(
            (sql) =>
              `SELECT repository_id, path, revision, author_identity_id, sum(line_count) AS lines, max(authored_at) AS newest_at
                 FROM ${sql.table('blame_lines')}
                WHERE org_id = ${sql.value(org)}
                  AND repository_id IN ${sql.list([...new Set(ranked.map((row) => row.repository))])}
                  AND path IN ${sql.list([...new Set(ranked.map((row) => row.path))])}
                GROUP BY repository_id, path, revision, author_identity_id`,
          );
    const blameOf = new Map<string, typeof blame>();
    for (const range of blame) {
      const fileKey = `${range.repository_id}\u0000${range.path}`;
      blameOf.set(fileKey, [...(blameOf.get(fileKey) ?? []), range]);
    }
    const repository = new Map(repositories.map((row) => [row.id, row]));
    const rows = ranked.map((row) => {
      const repo = repository.get(row.repository);
      return {
        filePath: row.path,
        repoId: row.repository,
        repoName: repo?.full_name ?? row.repository,
        churnLoc30d: row.churnLines,
        churnCommits30d: row.commits,
        cyclomaticTotal: 0,
        cyclomaticAvg: 0,
        blameConcentration: blameConcentration(
          (blameOf.get(`${row.repository}\u0000${row.path}`) ?? []).map((range) => ({
            revision: range.revision,
            author: range.author_identity_id,
            lines: Number(range.lines),
            newestAt: Number(range.newest_at),
          })),
        ),
        riskScore: row.riskScore,
        evidenceUrl: repo ? fileUrl(repo.provider, repo.url, row.path) : null,
      };
    });
    // Every repository's riskiest file, whether or not it made the rows.
    const top = new Map<string, (typeof every)[number]>();
    for (const row of every) if (!top.has(row.repository)) top.set(row.repository, row);
    return {
      rows,
      repos: [...top.values()].map((row) => {
        const repo = repository.get(row.repository);
        return {
          repoId: row.repository,
          repoName: repo?.full_name ?? row.repository,
          topFilePath: row.path,
          topRiskScore: row.riskScore,
          evidenceUrl: repo ? fileUrl(repo.provider, repo.url, row.path) : null,
        };
      }),
    };
  }
}
