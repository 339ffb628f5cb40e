import { type ClickHouseStore, formatDateTime, sqlIdentifier, sqlLiteral } from '@dev-health/clickhouse';
import type { PostgresStore } from '@dev-health/postgres';

/** What a query writes its values and tables with; one per statement (Postgres collects parameters). */
export interface SqlBuilder {
  /** A table's latest versions: ClickHouse collapses versions with FINAL; Postgres stores only the latest. */
  table(name: string): string;
  /** Every stored version of a table's rows (no FINAL): for aggregates any version answers, like max(fetched_at). */
  allVersions(name: string): string;
  value(value: string | number | boolean | null): string;
  /** A UTC instant in the store's timestamp type. */
  time(epochMs: number): string;
  /** Whether the array column holds the value. */
  has(arrayColumn: string, value: string): string;
  /** Whether the array column holds anything. */
  nonEmpty(arrayColumn: string): string;
  /** A table's latest versions, a row per element of an array column (named `alias`): FROM … for joins on elements. */
  unnest(table: string, arrayColumn: string, alias: string): string;
  /** A list of values for IN (…); never empty (an empty list matches nothing). */
  list(values: readonly string[]): string;
  /** A metric table's computation time as epoch ms (ClickHouse stores ms, Postgres a timestamptz). */
  readonly computedAtMs: string;
  /** The column a metric row and its metric_computations row share exactly (ms, or the timestamptz). */
  readonly computation: string;
  /** A calendar day (YYYY-MM-DD) as the store's date type. */
  date(day: string): string;
  /** When a canonical record was fetched from its provider, as a timestamp in whole seconds (both stores alike). */
  readonly fetchedAt: string;
  /** A date column as YYYY-MM-DD text. */
  dayText(column: string): string;
}

export type AnalyticsStoreName = 'clickhouse' | 'postgres';

/**
 * Analytics reads, written once against `SqlBuilder` and run on ClickHouse (the default) or Postgres
 * (the fallback): the same statement text but for FINAL, literals and timestamps. Timestamps come back
 * as epoch ms, counts as numbers, whatever the store's driver returns.
 */
export interface AnalyticsStore {
  readonly name: AnalyticsStoreName;
  select<T extends Record<string, unknown>>(build: (sql: SqlBuilder) => string): Promise<T[]>;
  /** Statements run so far (per-request counts are differences): the N+1 test reads it. */
  readonly statements: number;
  close(): Promise<void>;
}

/** Columns named `*_at` come back as epoch ms (or null); `count`/`*_count` columns as numbers. */
function normalizeRow(row: Record<string, unknown>, store: AnalyticsStoreName): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === null || value === undefined) out[key] = null;
    else if (key.endsWith('_at') || key.endsWith('_ms')) out[key] = toEpochMs(value, store);
    else if (typeof value === 'string' && /^(count|n|total|.*_count|.*_total|.*_sum)$/.test(key))
      out[key] = Number(value);
    else out[key] = value;
  }
  return out;
}

function toEpochMs(value: unknown, store: AnalyticsStoreName): number | null {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return null;
  if (/^\d+$/.test(value)) return Number(value);
  // ClickHouse DateTime('UTC') prints "YYYY-MM-DD hh:mm:ss"; the zero date stands for an empty Nullable.
  const text = store === 'clickhouse' && !value.includes('T') ? `${value.replace(' ', 'T')}Z` : value;
  const ms = Date.parse(text);
  return Number.isNaN(ms) || ms === 0 ? null : ms;
}

export class ClickHouseAnalytics implements AnalyticsStore {
  readonly name = 'clickhouse';
  statements = 0;

  constructor(
    private readonly store: ClickHouseStore,
    private readonly database: string,
    private readonly timeoutMs: number,
  ) {}

  async select<T extends Record<string, unknown>>(build: (sql: SqlBuilder) => string): Promise<T[]> {
    const database = sqlIdentifier(this.database);
    const query = build({
      table: (name) => `${database}.${sqlIdentifier(name)} FINAL`,
      allVersions: (name) => `${database}.${sqlIdentifier(name)}`,
      value: (value) => sqlLiteral(value),
      time: (epochMs) => `toDateTime(${sqlLiteral(formatDateTime(epochMs))}, 'UTC')`,
      has: (column, value) => `has(${column}, ${sqlLiteral(value)})`,
      nonEmpty: (column) => `notEmpty(${column})`,
      unnest: (name, column, alias) =>
        `${database}.${sqlIdentifier(name)} FINAL ARRAY JOIN ${sqlIdentifier(column)} AS ${sqlIdentifier(alias)}`,
      list: (values) => `(${values.length === 0 ? 'NULL' : values.map((value) => sqlLiteral(value)).join(', ')})`,
      computedAtMs: 'computed_at_ms',
      computation: 'computed_at_ms',
      fetchedAt: 'fetched_at',
      date: (day) => `toDate(${sqlLiteral(day)})`,
      dayText: (column) => `toString(${column})`,
    });
    this.statements++;
    const rows = await this.store.select<Record<string, unknown>>(query, Math.ceil(this.timeoutMs / 1000));
    return rows.map((row) => normalizeRow(row, 'clickhouse') as T);
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}

export class PostgresAnalytics implements AnalyticsStore {
  readonly name = 'postgres';
  statements = 0;

  constructor(
    private readonly store: PostgresStore,
    private readonly timeoutMs: number,
  ) {}

  async select<T extends Record<string, unknown>>(build: (sql: SqlBuilder) => string): Promise<T[]> {
    const parameters: unknown[] = [];
    const parameter = (value: unknown) => {
      parameters.push(value);
      return `$${parameters.length}`;
    };
    const query = build({
      table: (name) => `"${sqlIdentifier(name)}"`,
      allVersions: (name) => `"${sqlIdentifier(name)}"`,
      value: (value) => parameter(value),
      time: (epochMs) => `${parameter(new Date(epochMs).toISOString())}::timestamptz`,
      has: (column, value) => `${parameter(value)} = ANY (${column})`,
      nonEmpty: (column) => `cardinality(${column}) > 0`,
      unnest: (name, column, alias) =>
        `"${sqlIdentifier(name)}" CROSS JOIN LATERAL unnest(${sqlIdentifier(column)}) AS ${sqlIdentifier(alias)}`,
      list: (values) => `(${values.length === 0 ? 'NULL' : values.map((value) => parameter(value)).join(', ')})`,
      computedAtMs: '(extract(epoch from computed_at) * 1000)::bigint',
      computation: 'computed_at',
      // Postgres keeps provenance as JSON, fetched_at there in epoch ms: to whole seconds, as ClickHouse stores it.
      fetchedAt: `date_trunc('second', to_timestamp((provenance->>'fetched_at')::bigint / 1000.0))`,
      date: (day) => `${parameter(day)}::date`,
      dayText: (column) => `to_char(${column}, 'YYYY-MM-DD')`,
    });
    this.statements++;
    // A timeout scoped to the statement, so a slow read cannot hold a connection.
    const rows = await this.store.selectWithTimeout<Record<string, unknown>>(query, parameters, this.timeoutMs);
    return rows.map((row) => normalizeRow(row, 'postgres') as T);
  }

  async close(): Promise<void> {
    // The data source belongs to the gateway's PostgresStore.
  }
}
