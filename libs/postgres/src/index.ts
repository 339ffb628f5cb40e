export { PostgresStore, POSTGRES_ENTITY_NAMES } from './postgres-store';
export type { PostgresEntityName, CommitRollup, AuthorRollup } from './postgres-store';
export { MetricsReader } from './metrics-reader';
export type { RepoMetricsRow, UserMetricsRow, RepositoryRow } from './metrics-reader';
export { createDataSource, ENTITIES, MIGRATIONS } from './data-source';
export type { EntityManager } from 'typeorm';
