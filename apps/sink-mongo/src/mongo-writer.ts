import { MONGO_ENTITY_NAMES, type MongoStore, mongoRetriability } from '@dev-health/mongo';
import type {
  CanonicalEntityName,
  CanonicalRecord,
  MetricEntityName,
  MetricRow,
  MetricsUpdated,
} from '@dev-health/schemas';
import type { EntityWriteResult, SinkWriter } from '@dev-health/sink';

/** MongoDB as a sink: one unordered bulkWrite of upserts per batch. */
export class MongoWriter implements SinkWriter {
  readonly store = 'mongo' as const;
  /** What the store's errors say about retrying (SQLSTATE, error codes). */
  readonly retriability = mongoRetriability;
  readonly entities: readonly CanonicalEntityName[] = MONGO_ENTITY_NAMES;

  constructor(private readonly mongo: MongoStore) {}

  ping(): Promise<void> {
    return this.mongo.ping();
  }

  async writeEntities(entity: CanonicalEntityName, records: CanonicalRecord[]): Promise<EntityWriteResult> {
    return { written: await this.mongo.upsertEntities(entity, records), changed: null };
  }

  writeMetrics(metric: MetricEntityName, rows: MetricRow[]): Promise<number> {
    return this.mongo.appendMetrics(metric, rows);
  }

  writeComputations(computations: MetricsUpdated[]): Promise<number> {
    return this.mongo.appendComputations(computations);
  }
}
