import { Inject } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { badInput } from '../../auth/caller';
import { type GatewayContext, orgFor } from '../../auth/request-context';
import type { AnalyticsStore } from '../analytics/analytics-store';
import { latestMetricRows } from '../analytics/latest-metrics';
import { ANALYTICS } from '../control-plane-reads';
import { ResultCache } from '../shared/result-cache';
import { DAY_MS, dayStartMs } from '../shared/filters';
import { cognitiveLoadSignals } from './cognitive-load-builder';
import { CognitiveLoadInput, CognitiveLoadResult } from './cognitive-load.models';

const MAX_DAYS = 366;

/** Cognitive load per day, from the user and team metric tables (their latest computations). */
@Resolver(() => CognitiveLoadResult)
export class CognitiveLoadResolver {
  constructor(
    @Inject(ANALYTICS) private readonly analytics: AnalyticsStore,
    @Inject(ResultCache) private readonly cache: ResultCache,
  ) {}

  @Query(() => CognitiveLoadResult, {
    description:
      'Daily load signals per active developer: reviews given, repositories touched, PRs opened, commit timing.',
  })
  async cognitiveLoad(
    @Context() context: GatewayContext,
    @Args('input', { type: () => CognitiveLoadInput }) input: CognitiveLoadInput,
  ): Promise<CognitiveLoadResult> {
    const org = orgFor(context, input.orgId);
    const totalDays = Math.round((dayStartMs(input.untilDate) - dayStartMs(input.sinceDate)) / DAY_MS) + 1;
    if (!(totalDays >= 1 && totalDays <= MAX_DAYS))
      throw badInput(`input.untilDate must be on or after input.sinceDate, at most ${MAX_DAYS} days on`);
    const teamId = input.teamId ?? null;
    const range = { org, first: input.sinceDate, last: input.untilDate };
    return this.cache.get(org, JSON.stringify(['cognitiveLoad', range, teamId]), async () => {
      const members = teamId
        ? (
            await this.analytics.select<{ identity_id: string }>(
              (sql) =>
                `SELECT identity_id FROM ${sql.table('team_memberships')}
                WHERE org_id = ${sql.value(org)} AND team_id = ${sql.value(teamId)}`,
            )
          ).map((row) => row.identity_id)
        : null;
      const [developers, teams] = await Promise.all([
        this.analytics.select<Record<string, unknown> & { metric_day: string }>((sql) =>
          latestMetricRows(sql, 'user_metrics_daily', {
            ...range,
            columns: ['author_identity_id', 'repository_id', 'commits', 'reviews_given', 'prs_authored'],
            where: members ? [{ column: 'author_identity_id', values: members }] : [],
          }),
        ),
        this.analytics.select<Record<string, unknown> & { metric_day: string }>((sql) =>
          latestMetricRows(sql, 'team_metrics_daily', {
            ...range,
            columns: ['commits', 'after_hours_commits', 'weekend_commits'],
            where: teamId ? [{ column: 'team_id', values: [teamId] }] : [],
          }),
        ),
      ]);
      return {
        orgId: org,
        teamId,
        totalDays,
        signals: cognitiveLoadSignals(
          developers.map((row) => ({
            day: row.metric_day,
            author: String(row.author_identity_id),
            repository: String(row.repository_id),
            commits: Number(row.commits ?? 0),
            reviewsGiven: Number(row.reviews_given ?? 0),
            prsAuthored: Number(row.prs_authored ?? 0),
          })),
          teams.map((row) => ({
            day: row.metric_day,
            commits: Number(row.commits ?? 0),
            afterHours: Number(row.after_hours_commits ?? 0),
            weekend: Number(row.weekend_commits ?? 0),
          })),
        ),
      };
    });
  }
}
