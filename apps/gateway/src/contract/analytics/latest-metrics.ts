import { METRIC_COMPUTATIONS_TABLE, METRIC_SCOPES, type MetricEntityName } from '@dev-health/schemas';
import type { SqlBuilder } from './analytics-store';

export interface LatestMetricsQuery {
  org: string;
  /** Inclusive YYYY-MM-DD days. */
  first: string;
  last: string;
  /** Value (and key) columns to read besides the day and computed_at. */
  columns: readonly string[];
  /** Narrow a key column to these values (an empty list matches nothing). */
  where?: { column: string; values: readonly string[] }[];
}

/**
 * The rows of the latest computation of each key of a metric table in a day range, the same statement on
 * both stores: metric tables are append-only, so a row counts only when its computation is the newest
 * of its key and day in metric_computations (a recompute withdraws the rows it no longer produces).
 * Returns `metric_day` as YYYY-MM-DD (an alias named `day` would shadow the column in ClickHouse's WHERE) and `computed_at_ms`.
 */
export function latestMetricRows(sql: SqlBuilder, metric: MetricEntityName, query: LatestMetricsQuery): string {
  const scope: { kind: string; scope: string; provider: string | null; team: string | null } = METRIC_SCOPES[metric];
  const rowKey = ['org_id', scope.scope, scope.provider, scope.team].filter((column): column is string => !!column);
  const computationKey = [
    'org_id',
    'scope_id',
    ...(scope.provider ? ['provider'] : []),
    ...(scope.team ? ['team_id'] : []),
  ];
  const days = (column: string) => `${column} >= ${sql.date(query.first)} AND ${column} <= ${sql.date(query.last)}`;
  const narrowed = (query.where ?? []).map(({ column, values }) => `AND ${column} IN ${sql.list(values)}`).join(' ');
  return `SELECT ${sql.dayText('day')} AS metric_day, ${sql.computedAtMs} AS computed_at_ms, ${query.columns.join(', ')}
    FROM ${sql.table(metric)}
    WHERE org_id = ${sql.value(query.org)} AND ${days('day')} ${narrowed}
      AND (${[...rowKey, 'day', sql.computation].join(', ')}) IN (
        SELECT ${[...computationKey, 'day'].join(', ')}, max(${sql.computation}) FROM ${sql.table(METRIC_COMPUTATIONS_TABLE)}
        WHERE kind = ${sql.value(scope.kind)} AND org_id = ${sql.value(query.org)} AND ${days('day')}
        GROUP BY ${[...computationKey, 'day'].join(', ')})`;
}
