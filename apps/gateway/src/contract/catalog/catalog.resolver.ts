import { Inject } from '@nestjs/common';
import { Args, Context, Field, Int, ObjectType, Query, Resolver, registerEnumType } from '@nestjs/graphql';
import { type GatewayContext, orgFor } from '../../auth/request-context';
import type { GatewayLimits } from '../../config';
import { GatewayLimitsToken } from '../../protection/limits-token';
import type { AnalyticsStore } from '../analytics/analytics-store';
import { ANALYTICS } from '../control-plane-reads';
import { FilterInput } from '../shared/filters';

export enum DimensionInput {
  TEAM = 'TEAM',
  REPO = 'REPO',
  AUTHOR = 'AUTHOR',
  WORK_TYPE = 'WORK_TYPE',
  THEME = 'THEME',
  SUBCATEGORY = 'SUBCATEGORY',
}
registerEnumType(DimensionInput, { name: 'DimensionInput' });

@ObjectType()
export class CatalogDimension {
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
}

@ObjectType()
export class CatalogMeasure {
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
}

@ObjectType()
export class CatalogLimits {
  @Field(() => Int) maxDays!: number;
  @Field(() => Int) maxBuckets!: number;
  @Field(() => Int) maxTopN!: number;
  @Field(() => Int) maxSankeyNodes!: number;
  @Field(() => Int) maxSankeyEdges!: number;
  @Field(() => Int) maxSubRequests!: number;
}

@ObjectType()
export class CatalogValueItem {
  @Field(() => String) value!: string;
  @Field(() => Int) count!: number;
}

@ObjectType()
export class CatalogResult {
  @Field(() => [CatalogDimension]) dimensions!: CatalogDimension[];
  @Field(() => [CatalogMeasure]) measures!: CatalogMeasure[];
  @Field(() => CatalogLimits) limits!: CatalogLimits;
  @Field(() => [CatalogValueItem], {
    nullable: true,
    description:
      'The values of `dimension` with how often they occur; null without one, or for THEME and SUBCATEGORY (not classified yet).',
  })
  values!: CatalogValueItem[] | null;
}

const DIMENSIONS: CatalogDimension[] = [
  { name: 'TEAM', description: 'Teams by id; count: members.' },
  { name: 'REPO', description: 'Repositories by full name; count: pull requests stored.' },
  { name: 'AUTHOR', description: 'People by display name; count: commits authored.' },
  { name: 'WORK_TYPE', description: 'Work-item types (story, bug, task, epic, incident); count: work items.' },
  { name: 'THEME', description: 'Investment themes (not classified yet).' },
  { name: 'SUBCATEGORY', description: 'Investment subcategories (not classified yet).' },
];

const MEASURES: CatalogMeasure[] = [
  { name: 'commits', description: 'Commits per day (repo_metrics_daily).' },
  { name: 'prs_merged', description: 'Pull requests merged per day.' },
  { name: 'pr_cycle_time', description: 'Hours from opening to merge, daily median.' },
  { name: 'reviews', description: 'Reviews submitted per day.' },
  { name: 'deployments', description: 'Production deployments per day (DORA).' },
  { name: 'lead_time', description: 'Hours from commit to production, daily median (DORA).' },
  { name: 'change_failure_rate', description: 'Failed production deployments over all (DORA).' },
  { name: 'time_to_restore', description: 'Hours from incident to resolution, daily median (DORA).' },
  { name: 'work_items_completed', description: 'Work items done per day (work_item_metrics_daily).' },
];

/** The bounds part 2's analytics batches obey (the catalog states them; the batch resolver enforces them). */
export const ANALYTICS_LIMITS = {
  maxBuckets: 366,
  maxTopN: 100,
  maxSankeyNodes: 200,
  maxSankeyEdges: 1_000,
  maxSubRequests: 10,
};

@Resolver()
export class CatalogResolver {
  constructor(
    @Inject(ANALYTICS) private readonly analytics: AnalyticsStore,
    @Inject(GatewayLimitsToken) private readonly limits: GatewayLimits,
  ) {}

  @Query(() => CatalogResult, {
    description: 'Dimensions, measures and limits; with a dimension, its values and counts.',
  })
  async catalog(
    @Context() context: GatewayContext,
    @Args('orgId') orgId: string,
    @Args('dimension', { type: () => DimensionInput, nullable: true, defaultValue: null })
    dimension: DimensionInput | null,
    @Args('filters', { type: () => FilterInput, nullable: true, defaultValue: null }) _filters: FilterInput | null,
  ): Promise<CatalogResult> {
    const org = orgFor(context, orgId);
    return {
      dimensions: DIMENSIONS,
      measures: MEASURES,
      limits: { maxDays: this.limits.maxWindowDays, ...ANALYTICS_LIMITS },
      values: dimension === null ? null : await this.values(org, dimension),
    };
  }

  private async values(org: string, dimension: DimensionInput): Promise<CatalogValueItem[] | null> {
    const counted = async (sql: Parameters<AnalyticsStore['select']>[0]) =>
      (await this.analytics.select<{ value: string; count: number }>(sql))
        .map((row) => ({ value: String(row.value), count: Number(row.count) }))
        .filter((row) => row.value !== '')
        .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    switch (dimension) {
      case DimensionInput.TEAM:
        return counted(
          (sql) =>
            `SELECT team_id AS value, count(*) AS count FROM ${sql.table('team_memberships')}
              WHERE org_id = ${sql.value(org)} GROUP BY team_id`,
        );
      case DimensionInput.REPO: {
        const [repositories, pulls] = await Promise.all([
          this.analytics.select<{ id: string; full_name: string }>(
            (sql) => `SELECT id, full_name FROM ${sql.table('repositories')} WHERE org_id = ${sql.value(org)}`,
          ),
          this.analytics.select<{ id: string; count: number }>(
            (sql) =>
              `SELECT repository_id AS id, count(*) AS count FROM ${sql.table('pull_requests')}
                WHERE org_id = ${sql.value(org)} GROUP BY repository_id`,
          ),
        ]);
        const byRepository = new Map(pulls.map((row) => [row.id, Number(row.count)]));
        return repositories
          .map((repository) => ({ value: repository.full_name, count: byRepository.get(repository.id) ?? 0 }))
          .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
      }
      case DimensionInput.AUTHOR: {
        const [commits, people] = await Promise.all([
          this.analytics.select<{ id: string; count: number }>(
            (sql) =>
              `SELECT author_identity_id AS id, count(*) AS count FROM ${sql.table('commits')}
                WHERE org_id = ${sql.value(org)} GROUP BY author_identity_id`,
          ),
          this.analytics.select<{ id: string; display_name: string }>(
            (sql) => `SELECT id, display_name FROM ${sql.table('identities')} WHERE org_id = ${sql.value(org)}`,
          ),
        ]);
        const names = new Map(people.map((row) => [row.id, row.display_name]));
        const byName = new Map<string, number>();
        for (const row of commits) {
          const name = names.get(row.id);
          // Never an address: a person known only by an email is left out of the picker.
          if (!name || name.includes('@')) continue;
          byName.set(name, (byName.get(name) ?? 0) + Number(row.count));
        }
        return [...byName]
          .map(([value, count]) => ({ value, count }))
          .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
      }
      case DimensionInput.WORK_TYPE:
        return counted(
          (sql) =>
            `SELECT type AS value, count(*) AS count FROM ${sql.table('work_items')}
              WHERE org_id = ${sql.value(org)} GROUP BY type`,
        );
      case DimensionInput.THEME:
      case DimensionInput.SUBCATEGORY:
        return null;
    }
  }
}
