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

/**
 * One entity of one org in one store: stored rows as the store's readers see them, and the distinct
 * natural keys among them (sorted), so a lost key and an unexpected one cannot cancel out in a count.
 */
export interface EntityCount {
  rows: number;
  keys: string[];
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
 * Everything each org has in the three stores, read in one pass per table (the Mongo-wire server has no
 * secondary indexes: a query per org would scan every collection once per org). Natural keys: canonical
 * ids are derived from each record's natural key (provider, scope, source id) and the org, so distinct
 * ids are distinct natural keys.
 */
export async function takeCensuses(stores: StoreHandles, orgs: readonly string[]): Promise<Map<string, OrgCensus>> {
  for (const org of orgs) if (!isOrgSlug(org)) throw new Error(`${org} is not an org slug`); // inlined in SQL below
  const postgres = await postgresCounts(stores.postgres, orgs);
  const clickhouse = await clickhouseCounts(stores.clickhouse, orgs);
  const mongo = await mongoCounts(stores.mongo, orgs);
  const metrics = await metricLines(stores, orgs);
  return new Map(
    orgs.map((org) => [
      org,
      {
        entities: {
          postgres: countsOf(postgres, org),
          clickhouse: countsOf(clickhouse, org),
          mongo: countsOf(mongo, org),
        },
        metrics: metrics.get(org) ?? {
          postgres: emptyMetricLines(),
          clickhouse: emptyMetricLines(),
          mongo: emptyMetricLines(),
        },
      },
    ]),
  );
}

export async function takeCensus(stores: StoreHandles, org: string): Promise<OrgCensus> {
  const census = (await takeCensuses(stores, [org])).get(org);
  if (!census) throw new Error(`no census of ${org}`);
  return census;
}

/** One stored row: its org, entity and natural key. */
interface KeyRow {
  org_id: string;
  entity: StoredEntityName;
  id: string;
}

function countsOf(rows: readonly KeyRow[], org: string): EntityCounts {
  const ids = new Map<StoredEntityName, string[]>(STORED_ENTITY_NAMES.map((entity) => [entity, []]));
  for (const row of rows) if (row.org_id === org) ids.get(row.entity)?.push(String(row.id));
  return Object.fromEntries(
    STORED_ENTITY_NAMES.map((entity) => {
      const all = ids.get(entity) ?? [];
      return [entity, { rows: all.length, keys: [...new Set(all)].sort() }];
    }),
  ) as EntityCounts;
}

async function postgresCounts(postgres: PostgresStore, orgs: readonly string[]): Promise<KeyRow[]> {
  return postgres.dataSource.query<KeyRow[]>(
    STORED_ENTITY_NAMES.map(
      (entity) =>
        `SELECT org_id, '${entity}' AS entity, id::text AS id FROM ${ENTITY_TABLE_NAMES[entity]} WHERE org_id = ANY($1)`,
    ).join(' UNION ALL '),
    [orgs],
  );
}

/** FINAL: what ClickHouse's readers see once a ReplacingMergeTree collapses the versions it has not merged yet. */
async function clickhouseCounts(clickhouse: ClickHouseStore, orgs: readonly string[]): Promise<KeyRow[]> {
  const rows: KeyRow[] = [];
  const inList = orgs.map((org) => `'${org}'`).join(', ');
  for (const entity of STORED_ENTITY_NAMES) {
    const result = await clickhouse.client.query({
      query: `SELECT org_id, toString(id) AS id FROM ${ENTITY_TABLE_NAMES[entity]} FINAL WHERE org_id IN (${inList})`,
      format: 'JSONEachRow',
    });
    for (const row of await result.json<{ org_id: string; id: string }>())
      rows.push({ org_id: row.org_id, entity, id: row.id });
  }
  return rows;
}

async function mongoCounts(mongo: MongoStore, orgs: readonly string[]): Promise<KeyRow[]> {
  const rows: KeyRow[] = [];
  for (const entity of STORED_ENTITY_NAMES) {
    const documents = await mongo.db
      .collection(ENTITY_TABLE_NAMES[entity])
      .find({ org_id: { $in: [...orgs] } }, { projection: { org_id: 1, id: 1 } })
      .toArray();
    for (const document of documents) rows.push({ org_id: String(document.org_id), entity, id: String(document.id) });
  }
  return rows;
}

/** Keys of `from` that `other` lacks (both sorted). */
export function keysMissingFrom(from: readonly string[], other: readonly string[]): number {
  const present = new Set(other);
  return from.filter((key) => !present.has(key)).length;
}

function emptyMetricLines(): MetricLines {
  return Object.fromEntries(METRIC_ENTITY_NAMES.map((metric) => [metric, []])) as unknown as MetricLines;
}

/**
 * The latest rows of every metric table per org as each store's own reader returns them, every column
 * of the metric's schema but computed_at (it differs between runs by nature), in one shape.
 */
async function metricLines(
  stores: StoreHandles,
  orgs: readonly string[],
): Promise<Map<string, Record<StoreName, MetricLines>>> {
  const catalog = SchemaCatalog.load();
  const reader = new MetricsReader(stores.postgres.dataSource);
  const result = new Map(
    orgs.map((org) => [
      org,
      { postgres: emptyMetricLines(), clickhouse: emptyMetricLines(), mongo: emptyMetricLines() },
    ]),
  );
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
    // One Mongo read for every org (a filter would not spare the scan), split by org here.
    const mongoRows = await stores.mongo.latestMetrics(metric, orgs.length === 1 ? { org_id: orgs[0] ?? '' } : {});
    for (const org of orgs) {
      const census = result.get(org);
      if (!census) continue;
      census.postgres[metric] = lines(await reader.latest(metric, { org_id: org }, FROM, TO));
      census.clickhouse[metric] = lines(await stores.clickhouse.latestMetrics(metric, { org_id: org }, FROM, TO));
      census.mongo[metric] = lines(mongoRows.filter((row) => row.org_id === org));
    }
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
