export { PostgresStore, POSTGRES_ENTITY_NAMES } from './postgres-store';
export type { PostgresEntityName } from './postgres-store';
export { MetricFactsReader } from './metric-facts';
export type { MetricKeysInRange } from './metric-facts';
export { MetricsReader } from './metrics-reader';
export type { StoredMetricRow, RepositoryRow } from './metrics-reader';
export { createDataSource, ENTITIES, MIGRATIONS } from './data-source';
export type { EntityManager } from 'typeorm';
