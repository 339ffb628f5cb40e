import type { ClickHouseStore } from '@dev-health/clickhouse';
import type { MongoStore } from '@dev-health/mongo';
import { MetricsReader, type PostgresStore } from '@dev-health/postgres';
import {
  ENTITY_TABLE_NAMES,
  METRIC_ENTITY_NAMES,
  SchemaCatalog,
  STORED_ENTITY_NAMES,
  type MetricEntityName,
  type StoredEntityName,
  isOrgSlug,
  metricSchemaFile,
  stableJson,
} from '@dev-health/schemas';

export const STORES = ['postgres', 'clickhouse', 'mongo'] as const;
export type StoreName = (typeof STORES)[number];

/** One entity of one org in one store: stored rows as the store's readers see them, and distinct natural keys among them. */
export interface EntityCount {
  rows: number;
  keys: number;
}

export type EntityCounts = Record<StoredEntityName, EntityCount>;
/** Per metric table, the latest rows of one org, each as one canonical line. */
export type MetricLines = Record<MetricEntityName, string[]>;

export interface OrgCensus {
  entities: Record<StoreName, EntityCounts>;
  metrics: Record<StoreName, MetricLines>;
}

export interface StoreHandles {
  postgres: PostgresStore;
  clickhouse: ClickHouseStore;
  mongo: MongoStore;
}

const FROM = '1970-01-02';
const TO = '2100-12-31';

/**
 * Everything one org has in the three stores. Natural keys: canonical ids are derived from each record's
 * natural key (provider, scope, source id) and the org, so distinct ids are distinct natural keys.
 */
export async function takeCensus(stores: StoreHandles, org: string): Promise<OrgCensus> {
  if (!isOrgSlug(org)) throw new Error(`${org} is not an org slug`); // it is inlined in ClickHouse SQL below
  return {
    entities: {
      postgres: await postgresCounts(stores.postgres, org),
      clickhouse: await clickhouseCounts(stores.clickhouse, org),
      mongo: await mongoCounts(stores.mongo, org),
    },
    metrics: await metricLines(stores, org),
  };
}

async function postgresCounts(postgres: PostgresStore, org: string): Promise<EntityCounts> {
  const rows = await postgres.dataSource.query<{ entity: StoredEntityName; rows: number; keys: number }[]>(
    STORED_ENTITY_NAMES.map(
      (entity) =>
        `SELECT '${entity}' AS entity, count(*)::int AS rows, count(DISTINCT id)::int AS keys
         FROM ${ENTITY_TABLE_NAMES[entity]} WHERE org_id = $1`,
    ).join(' UNION ALL '),
    [org],
  );
  return countsByEntity(rows);
}

/** FINAL: what ClickHouse's readers see once a ReplacingMergeTree collapses the versions it has not merged yet. */
async function clickhouseCounts(clickhouse: ClickHouseStore, org: string): Promise<EntityCounts> {
  const rows: { entity: StoredEntityName; rows: number; keys: number }[] = [];
  for (const entity of STORED_ENTITY_NAMES) {
    const result = await clickhouse.client.query({
      query: `SELECT count() AS rows, uniqExact(id) AS keys FROM ${ENTITY_TABLE_NAMES[entity]} FINAL WHERE org_id = '${org}'`,
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ rows: string | number; keys: string | number }>();
    rows.push({ entity, rows: Number(row?.rows ?? 0), keys: Number(row?.keys ?? 0) });
  }
  return countsByEntity(rows);
}

async function mongoCounts(mongo: MongoStore, org: string): Promise<EntityCounts> {
  const rows: { entity: StoredEntityName; rows: number; keys: number }[] = [];
  for (const entity of STORED_ENTITY_NAMES) {
    const documents = await mongo.db
      .collection(ENTITY_TABLE_NAMES[entity])
      .find({ org_id: org }, { projection: { id: 1 } })
      .toArray();
    rows.push({ entity, rows: documents.length, keys: new Set(documents.map((document) => String(document.id))).size });
  }
  return countsByEntity(rows);
}

function countsByEntity(rows: readonly { entity: StoredEntityName; rows: number; keys: number }[]): EntityCounts {
  const counts = Object.fromEntries(
    STORED_ENTITY_NAMES.map((entity) => [entity, { rows: 0, keys: 0 }]),
  ) as EntityCounts;
  for (const row of rows) counts[row.entity] = { rows: Number(row.rows), keys: Number(row.keys) };
  return counts;
}

/**
 * The latest rows of every metric table for the org as each store's own reader returns them, every
 * column of the metric's schema but computed_at (it differs between runs by nature), in one shape.
 */
async function metricLines(stores: StoreHandles, org: string): Promise<Record<StoreName, MetricLines>> {
  const catalog = SchemaCatalog.load();
  const reader = new MetricsReader(stores.postgres.dataSource);
  const result = { postgres: {}, clickhouse: {}, mongo: {} } as Record<StoreName, MetricLines>;
  for (const metric of METRIC_ENTITY_NAMES) {
    const columns = catalog
      .get('internal', metricSchemaFile(metric))
      .schema.fields.map((field) => field.name)
      .filter((column) => column !== 'computed_at');
    const lines = (rows: Record<string, unknown>[]) =>
      rows
        .map((row) =>
          stableJson(Object.fromEntries(columns.map((column) => [column, comparable(column, row[column])]))),
        )
        .sort();
    result.postgres[metric] = lines(await reader.latest(metric, { org_id: org }, FROM, TO));
    result.clickhouse[metric] = lines(await stores.clickhouse.latestMetrics(metric, { org_id: org }, FROM, TO));
    result.mongo[metric] = lines(await stores.mongo.latestMetrics(metric, { org_id: org }));
  }
  return result;
}

/** One representation per value whatever the store's driver returns: numbers as numbers, days as YYYY-MM-DD. */
function comparable(column: string, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return column === 'day' ? value.toISOString().slice(0, 10) : value.getTime();
  if (column === 'day' && typeof value === 'string') return value.slice(0, 10);
  if (typeof value === 'string' && value !== '' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (typeof value === 'bigint') return Number(value);
  return value;
}

/** Lines in one list and not the other, counted with multiplicity: 0 when both hold the same rows. */
export function differingLines(expected: readonly string[], actual: readonly string[]): number {
  const balance = new Map<string, number>();
  for (const line of expected) balance.set(line, (balance.get(line) ?? 0) + 1);
  for (const line of actual) balance.set(line, (balance.get(line) ?? 0) - 1);
  let differing = 0;
  for (const count of balance.values()) differing += Math.abs(count);
  return differing;
}

/** A short fingerprint of a census, to see it hold still between two reads. */
export function censusSignature(census: OrgCensus): string {
  return stableJson(census);
}
