export { ClickHouseStore, CLICKHOUSE_ENTITY_NAMES, CLICKHOUSE_TABLES } from './clickhouse-store';
export type { ClickHouseEntityName, LatestMetricRow, MigrateOptions } from './clickhouse-store';
export { CLICKHOUSE_MIGRATIONS } from './migrations';
export type { ClickHouseMigration } from './migrations';
export { sqlString, sqlIdentifier, sqlLiteral, formatDateTime } from './sql-literal';
export type { SqlValue } from './sql-literal';
export { clickhouseRetriability } from './errors';
