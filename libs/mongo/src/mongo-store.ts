import { type AnyBulkWriteOperation, type Db, MongoClient } from 'mongodb';
import {
  ENTITY_TABLE_NAMES,
  STORED_ENTITY_NAMES,
  dayToIsoDate,
  type CanonicalRecord,
  type RepoMetricsDaily,
  type StoredEntityName,
  type UserMetricsDaily,
} from '@dev-health/schemas';

/** Canonical entities kept in MongoDB: one collection each, _id = canonical id. */
export const MONGO_COLLECTIONS = ENTITY_TABLE_NAMES;
export type MongoEntityName = StoredEntityName;
export const MONGO_ENTITY_NAMES = STORED_ENTITY_NAMES;

/** Natural keys enforced as unique indexes (besides _id). */
const UNIQUE_INDEXES: Record<string, Record<string, 1>[]> = {
  commits: [{ repository_id: 1, sha: 1 }],
  commit_file_changes: [{ commit_id: 1, path: 1 }],
  repo_metrics_daily: [{ repository_id: 1, day: 1, computed_at: 1 }],
  user_metrics_daily: [{ repository_id: 1, author_identity_id: 1, day: 1, computed_at: 1 }],
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

  async appendRepoMetrics(rows: RepoMetricsDaily[]): Promise<number> {
    return this.appendMetrics(
      'repo_metrics_daily',
      rows.map((row) => ({
        ...row,
        _id: `${row.repository_id}/${row.day}/${row.computed_at}`,
        day: dayToIsoDate(row.day),
      })),
    );
  }

  async appendUserMetrics(rows: UserMetricsDaily[]): Promise<number> {
    return this.appendMetrics(
      'user_metrics_daily',
      rows.map((row) => ({
        ...row,
        _id: `${row.repository_id}/${row.author_identity_id}/${row.day}/${row.computed_at}`,
        day: dayToIsoDate(row.day),
      })),
    );
  }

  private async appendMetrics(collection: string, documents: Document[]): Promise<number> {
    if (documents.length === 0) return 0;
    await this.db.collection<Document>(collection).bulkWrite(
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

  /** Latest computation per day (sorted newest first, first per day kept): the aggregation the wire server supports. */
  async latestRepoMetrics(repositoryId: string): Promise<(RepoMetricsDaily & { day: string })[]> {
    const rows = await this.db
      .collection<Document>('repo_metrics_daily')
      .find({ repository_id: repositoryId })
      .sort({ day: 1, computed_at: -1 })
      .toArray();
    const latest = new Map<string, RepoMetricsDaily & { day: string }>();
    for (const row of rows) {
      const typed = row as unknown as RepoMetricsDaily & { day: string };
      if (!latest.has(typed.day)) latest.set(typed.day, typed);
    }
    return [...latest.values()];
  }
}
