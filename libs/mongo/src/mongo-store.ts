import { type AnyBulkWriteOperation, type Db, MongoClient } from 'mongodb';
import {
  ENTITY_TABLE_NAMES,
  METRIC_COMPUTATIONS_TABLE,
  METRIC_ENTITY_NAMES,
  METRIC_KEYS,
  METRIC_SCOPES,
  DEFAULT_ORG,
  STORED_ENTITY_NAMES,
  dayToIsoDate,
  orgScopedId,
  type CanonicalRecord,
  type MetricEntityName,
  type MetricRow,
  type MetricsUpdated,
  type StoredEntityName,
  newestVersions,
  paddedRecordVersion,
} from '@dev-health/schemas';

/** Canonical entities kept in MongoDB: one collection each, _id = canonical id. */
export const MONGO_COLLECTIONS = ENTITY_TABLE_NAMES;
export type MongoEntityName = StoredEntityName;
export const MONGO_ENTITY_NAMES = STORED_ENTITY_NAMES;

/** Natural keys enforced as unique indexes (besides _id). */
const UNIQUE_INDEXES: Record<string, Record<string, 1>[]> = {
  commits: [{ org_id: 1, repository_id: 1, sha: 1 }],
  commit_file_changes: [{ commit_id: 1, path: 1 }],
  // One push per provider event, whatever re-runs or replays deliver.
  pushes: [{ org_id: 1, event_id: 1 }],
  // Metric collections: key + computed_at, one computation per key and instant.
  ...Object.fromEntries(
    METRIC_ENTITY_NAMES.map((metric) => [
      metric,
      [Object.fromEntries([...METRIC_KEYS[metric], 'computed_at'].map((column) => [column, 1 as const]))],
    ]),
  ),
  [METRIC_COMPUTATIONS_TABLE]: [{ org_id: 1, kind: 1, scope_id: 1, provider: 1, team_id: 1, day: 1, computed_at: 1 }],
};

/** One-off data migrations applied to this database, by name. */
const MIGRATIONS_COLLECTION = 'schema_migrations';
const TENANCY_MIGRATION = 'tenancy-default-org';

/** Org listings: repositories, teams, people, work scopes (as in Postgres). */
const ORG_INDEXES: Record<string, Record<string, 1>> = {
  repositories: { org_id: 1, full_name: 1 },
  teams: { org_id: 1 },
  identities: { org_id: 1 },
  work_items: { org_id: 1, work_scope_id: 1 },
};

/** _id of a metric row or computation: its key parts and computed_at, org-scoped like canonical ids. */
function metricDocumentId(org: string, parts: readonly unknown[]): string {
  return orgScopedId(org, parts.map(String).join('/'));
}

type Document = Record<string, unknown> & { _id: string };

/** The one adapter for MongoDB (or a wire-compatible server): bulk upserts, unique indexes, counts. */
export class MongoStore {
  /** Resolves when the server answers a ping: the readiness probe. */
  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  private constructor(
    private readonly client: MongoClient,
    readonly db: Db,
  ) {}

  static async connect(uri: string, database?: string): Promise<MongoStore> {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
    await client.connect();
    const store = new MongoStore(client, client.db(database));
    await store.ensureIndexes();
    return store;
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async ensureIndexes(): Promise<void> {
    await this.backfillDefaultOrg();
    for (const [collection, indexes] of Object.entries(UNIQUE_INDEXES)) {
      for (const keys of indexes) await this.db.collection(collection).createIndex(keys, { unique: true });
    }
    for (const [collection, keys] of Object.entries(ORG_INDEXES))
      await this.db.collection(collection).createIndex(keys);
  }

  /**
   * Documents written before tenancy belong to the default org (their ids are unchanged): set once,
   * before the unique indexes that lead with org_id, and recorded so later start-ups skip the scans.
   * Idempotent if interrupted: the marker is written last.
   */
  private async backfillDefaultOrg(): Promise<void> {
    const migrations = this.db.collection<{ _id: string; applied_at: Date }>(MIGRATIONS_COLLECTION);
    if (await migrations.findOne({ _id: TENANCY_MIGRATION })) return;
    for (const collection of [...Object.values(MONGO_COLLECTIONS), ...Object.keys(UNIQUE_INDEXES)])
      await this.db
        .collection(collection)
        .updateMany({ org_id: { $exists: false } }, { $set: { org_id: DEFAULT_ORG } });
    await migrations.updateOne({ _id: TENANCY_MIGRATION }, { $set: { applied_at: new Date() } }, { upsert: true });
  }

  /**
   * One bulkWrite of replace-upserts per batch, of the records whose version is at least the stored one
   * (recordVersion, kept zero-padded so string order is numeric order): an older version arriving late
   * changes nothing. The stored versions are read first with one `_id $in` query: a compound filter
   * on every replace makes the wire server scan its collection per operation. Safe because one id is
   * written by one consumer at a time (records are keyed by id, so an id stays on one partition).
   */
  async upsertEntities(entity: MongoEntityName, records: CanonicalRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    const newest = new Map(
      [...newestVersions(records)].map(([id, { record, version }]) => [
        id,
        { record, version: paddedRecordVersion(version) },
      ]),
    );
    const collection = this.db.collection<Document>(MONGO_COLLECTIONS[entity]);
    const stored = await collection
      .find({ _id: { $in: [...newest.keys()] } }, { projection: { record_version: 1 } })
      .toArray();
    for (const document of stored) {
      const incoming = newest.get(document._id);
      const version = typeof document.record_version === 'string' ? document.record_version : '';
      if (incoming && version > incoming.version) newest.delete(document._id);
    }
    if (newest.size === 0) return 0;
    const operations: AnyBulkWriteOperation<Document>[] = [...newest.values()].map(({ record, version }) => ({
      replaceOne: {
        filter: { _id: record.id },
        replacement: { ...record, _id: record.id, record_version: version },
        upsert: true,
      },
    }));
    await collection.bulkWrite(operations, { ordered: false });
    return operations.length;
  }

  /** Appends metric rows; _id = key + computed_at, so a replayed row rewrites the same document. */
  async appendMetrics(metric: MetricEntityName, rows: readonly MetricRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    const keys: readonly string[] = METRIC_KEYS[metric];
    const documents = rows.map((row) => {
      const fields = row as unknown as Record<string, unknown>;
      const key = keys
        .filter((column) => column !== 'org_id')
        .map((column) => (column === 'day' ? dayToIsoDate(row.day) : String(fields[column])));
      return { ...fields, _id: metricDocumentId(row.org_id, [...key, row.computed_at]), day: dayToIsoDate(row.day) };
    });
    await this.db.collection<Document>(metric).bulkWrite(
      documents.map((document) => ({
        replaceOne: { filter: { _id: document._id }, replacement: document, upsert: true },
      })),
      { ordered: false },
    );
    return documents.length;
  }

  /** Appends computations of metric keys; _id = key + computed_at, so a replay rewrites the same document. */
  async appendComputations(computations: readonly MetricsUpdated[]): Promise<number> {
    if (computations.length === 0) return 0;
    await this.db.collection<Document>(METRIC_COMPUTATIONS_TABLE).bulkWrite(
      computations.map((computation) => {
        const document = { ...computation, day: dayToIsoDate(computation.day) };
        const _id = metricDocumentId(document.org_id, [
          document.kind,
          document.scope_id,
          document.provider,
          document.team_id,
          document.day,
          document.computed_at,
        ]);
        return { replaceOne: { filter: { _id }, replacement: { ...document, _id }, upsert: true } };
      }),
      { ordered: false },
    );
    return computations.length;
  }

  /** Every stored document of an entity, by id. */
  async entities(entity: MongoEntityName): Promise<Record<string, unknown>[]> {
    return this.db.collection<Document>(MONGO_COLLECTIONS[entity]).find({}).sort({ _id: 1 }).toArray();
  }

  async countEntities(entity: MongoEntityName): Promise<number> {
    return this.db.collection(MONGO_COLLECTIONS[entity]).countDocuments();
  }

  /**
   * Rows of the latest computation of each key (a recompute withdraws the rows it no longer produces):
   * the latest computation per scope and day from metric_computations, then the rows that belong to it.
   * Plain finds and sorts: the aggregation the wire server supports.
   */
  async latestMetrics(metric: MetricEntityName, filter: Record<string, string>): Promise<Record<string, unknown>[]> {
    const keys: readonly string[] = METRIC_KEYS[metric];
    const scope = METRIC_SCOPES[metric];
    const scopeOfRow = (row: Record<string, unknown>) =>
      [
        row.org_id,
        row[scope.scope],
        scope.provider ? row[scope.provider] : '',
        scope.team ? row[scope.team] : '',
        row.day,
      ].join('/');
    const latestComputation = new Map<string, unknown>();
    const computations = await this.db
      .collection<Document>(METRIC_COMPUTATIONS_TABLE)
      .find({ kind: scope.kind, ...(filter.org_id === undefined ? {} : { org_id: filter.org_id }) })
      .sort({ computed_at: -1 })
      .toArray();
    for (const computation of computations) {
      const key = [
        computation.org_id,
        computation.scope_id,
        computation.provider,
        computation.team_id,
        computation.day,
      ].join('/');
      if (!latestComputation.has(key)) latestComputation.set(key, computation.computed_at);
    }
    const rows = await this.db.collection<Document>(metric).find(filter).sort({ day: 1, computed_at: -1 }).toArray();
    const latest = new Map<string, Record<string, unknown>>();
    for (const row of rows) {
      if (latestComputation.get(scopeOfRow(row)) !== row.computed_at) continue;
      const key = keys.map((column) => String(row[column])).join('/');
      if (!latest.has(key)) latest.set(key, row);
    }
    return [...latest.values()];
  }
}
