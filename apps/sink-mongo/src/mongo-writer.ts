import { MONGO_ENTITY_NAMES, type MongoStore } from '@dev-health/mongo';
import type { CanonicalEntityName, CanonicalRecord, MetricEntityName } from '@dev-health/schemas';
import type { MetricRows, SinkWriter } from '@dev-health/sink';

/** MongoDB as a sink: one unordered bulkWrite of upserts per batch. */
export class MongoWriter implements SinkWriter {
  readonly store = 'mongo';
  readonly entities: readonly CanonicalEntityName[] = MONGO_ENTITY_NAMES;

  constructor(private readonly mongo: MongoStore) {}

  writeEntities(entity: CanonicalEntityName, records: CanonicalRecord[]): Promise<number> {
    return this.mongo.upsertEntities(entity, records);
  }

  writeMetrics<M extends MetricEntityName>(metric: M, rows: MetricRows[M]): Promise<number> {
    return metric === 'repo_metrics_daily'
      ? this.mongo.appendRepoMetrics(rows as MetricRows['repo_metrics_daily'])
      : this.mongo.appendUserMetrics(rows as MetricRows['user_metrics_daily']);
  }
}
