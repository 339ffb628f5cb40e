import { type AnyBulkWriteOperation, type Db, MongoClient } from 'mongodb';
import {
  ENTITY_TABLE_NAMES,
  METRIC_ENTITY_NAMES,
  METRIC_KEYS,
  STORED_ENTITY_NAMES,
  dayToIsoDate,
  type CanonicalRecord,
  type MetricEntityName,
  type MetricRow,
  type StoredEntityName,
} from '@dev-health/schemas';

/** Canonical entities kept in MongoDB: one collection each, _id = canonical id. */
export const MONGO_COLLECTIONS = ENTITY_TABLE_NAMES;
export type MongoEntityName = StoredEntityName;
export const MONGO_ENTITY_NAMES = STORED_ENTITY_NAMES;

/** Natural keys enforced as unique indexes (besides _id). */
const UNIQUE_INDEXES: Record<string, Record<string, 1>[]> = {
  commits: [{ repository_id: 1, sha: 1 }],
  commit_file_changes: [{ commit_id: 1, path: 1 }],
  // Metric collections: key + computed_at, one computation per key and instant.
  ...Object.fromEntries(
    METRIC_ENTITY_NAMES.map((metric) => [
      metric,
      [Object.fromEntries([...METRIC_KEYS[metric], 'computed_at'].map((column) => [column, 1 as const]))],
    ]),
  ),
};

type Document = Record<string, unknown> & { _id: string };

/** The one adapter for MongoDB (or a wire-compatible server): bulk upserts, unique indexes, counts. */
export class MongoStore {
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
    for (const [collection, indexes] of Object.entries(UNIQUE_INDEXES)) {
      for (const keys of indexes) await this.db.collection(collection).createIndex(keys, { unique: true });
    }
  }

  /** One bulkWrite of replace-upserts per batch: a replay rewrites the same documents. */
  async upsertEntities(entity: MongoEntityName, records: CanonicalRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    const latest = new Map<string, CanonicalRecord>();
    for (const record of records) latest.set(record.id, record);
    const operations: AnyBulkWriteOperation<Document>[] = [...latest.values()].map((record) => ({
      replaceOne: { filter: { _id: record.id }, replacement: { ...record, _id: record.id }, upsert: true },
    }));
    await this.db.collection<Document>(MONGO_COLLECTIONS[entity]).bulkWrite(operations, { ordered: false });
    return operations.length;
  }

  /** Appends metric rows; _id = key + computed_at, so a replayed row rewrites the same document. */
  async appendMetrics(metric: MetricEntityName, rows: readonly MetricRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    const keys: readonly string[] = METRIC_KEYS[metric];
    const documents = rows.map((row) => {
      const fields = row as unknown as Record<string, unknown>;
      const key = keys.map((column) => (column === 'day' ? dayToIsoDate(row.day) : String(fields[column])));
      return { ...fields, _id: [...key, row.computed_at].join('/'), day: dayToIsoDate(row.day) };
    });
    await this.db.collection<Document>(metric).bulkWrite(
      documents.map((document) => ({
        replaceOne: { filter: { _id: document._id }, replacement: document, upsert: true },
      })),
      { ordered: false },
    );
    return documents.length;
  }

  async countEntities(entity: MongoEntityName): Promise<number> {
    return this.db.collection(MONGO_COLLECTIONS[entity]).countDocuments();
  }

  /** Latest computation per key (sorted newest first, first per key kept): the aggregation the wire server supports. */
  async latestMetrics(metric: MetricEntityName, filter: Record<string, string>): Promise<Record<string, unknown>[]> {
    const keys: readonly string[] = METRIC_KEYS[metric];
    const rows = await this.db.collection<Document>(metric).find(filter).sort({ day: 1, computed_at: -1 }).toArray();
    const latest = new Map<string, Record<string, unknown>>();
    for (const row of rows) {
      const key = keys.map((column) => String(row[column])).join('/');
      if (!latest.has(key)) latest.set(key, row);
    }
    return [...latest.values()];
  }
}
