import type { Provider } from '@nestjs/common';
import { ClickHouseStore } from '@dev-health/clickhouse';
import type { Logger } from '@dev-health/observability';
import { ControlPlaneStore, type PostgresStore } from '@dev-health/postgres';
import type { GatewayConfig } from '../config';
import { type AnalyticsStore, ClickHouseAnalytics, PostgresAnalytics } from './analytics/analytics-store';
import { ANALYTICS, ControlPlaneReads } from './control-plane-reads';
import { DataHealthResolver } from './data-health/data-health.resolver';
import { PullRequestsResolver } from './pull-requests/pull-requests.resolver';
import { CatalogResolver } from './catalog/catalog.resolver';
import { AttributionResolver } from './attribution/attribution.resolver';
import { PeopleReader } from './shared/people';
import { HomeResolver } from './home/home.resolver';
import { ForecastsResolver } from './forecasts/forecasts.resolver';
import { CodeHealthResolver } from './code-health/code-health.resolver';
import { OperatingReviewResolver } from './operating-review/operating-review.resolver';
import { WorkGraphResolver } from './work-graph/work-graph.resolver';
import { CognitiveLoadResolver } from './cognitive-load/cognitive-load.resolver';
import { FlowMatrixResolver } from './flow/flow-matrix.resolver';
import { ResultCache } from './shared/result-cache';
import { GatewayLimitsToken } from '../protection/limits-token';

/**
 * The resolvers of dev-health-web's contract, one per area. Part 2 adds its areas (flow, work graph,
 * code health, forecasts, operating review) beside these, each a resolver over the same two stores.
 */
export const CONTRACT_RESOLVERS = [
  HomeResolver,
  DataHealthResolver,
  PullRequestsResolver,
  CatalogResolver,
  AttributionResolver,
  ForecastsResolver,
  CodeHealthResolver,
  OperatingReviewResolver,
  WorkGraphResolver,
  CognitiveLoadResolver,
  FlowMatrixResolver,
];

/** The contract's resolvers and the stores they read: the analytics store the config names, the control plane. */
export function contractProviders(
  config: GatewayConfig,
  postgres: PostgresStore,
  logger: Logger,
): { providers: Provider[]; analytics: AnalyticsStore; cache: ResultCache; close: () => Promise<void> } {
  const analytics: AnalyticsStore =
    config.analyticsStore === 'clickhouse' && config.clickhouse
      ? new ClickHouseAnalytics(
          ClickHouseStore.reader(config.clickhouse.url, config.clickhouse.database),
          config.clickhouse.database,
          config.limits.queryTimeoutMs,
        )
      : new PostgresAnalytics(postgres, config.limits.queryTimeoutMs);
  logger.info('analytics reads', { store: analytics.name });
  const controlPlane = new ControlPlaneStore(postgres.dataSource);
  const cache = new ResultCache(config.limits.resultCacheSeconds * 1_000);
  return {
    analytics,
    cache,
    providers: [
      ...CONTRACT_RESOLVERS,
      { provide: ANALYTICS, useValue: analytics },
      { provide: ControlPlaneReads, useValue: controlPlane },
      { provide: GatewayLimitsToken, useValue: config.limits },
      PeopleReader,
      { provide: ResultCache, useValue: cache },
    ],
    close: () => analytics.close(),
  };
}
