import { POSTGRES_ENTITY_NAMES, type PostgresStore, postgresRetriability } from '@dev-health/postgres';
import type {
  CanonicalEntityName,
  CanonicalRecord,
  MetricEntityName,
  MetricRow,
  MetricsUpdated,
} from '@dev-health/schemas';
import { type EntityWriteResult, type SinkWriter, feedsMetrics } from '@dev-health/sink';

/**
 * Postgres as a sink: one transaction per batch, upserts by id, metric rows appended. The primary
 * store: for entities that feed metrics it reports which writes took effect and what they replaced.
 */
export class PostgresWriter implements SinkWriter {
  readonly store = 'postgres' as const;
  /** What the store's errors say about retrying (SQLSTATE, error codes). */
  readonly retriability = postgresRetriability;
  readonly entities: readonly CanonicalEntityName[] = POSTGRES_ENTITY_NAMES;

  constructor(private readonly postgres: PostgresStore) {}

  ping(): Promise<void> {
    return this.postgres.ping();
  }

  writeEntities(entity: CanonicalEntityName, records: CanonicalRecord[]): Promise<EntityWriteResult> {
    return this.postgres.transaction((manager) =>
      this.postgres.upsert(manager, entity, records, { withPrevious: feedsMetrics(entity) }),
    );
  }

  writeMetrics(metric: MetricEntityName, rows: MetricRow[]): Promise<number> {
    return this.postgres.transaction((manager) => this.postgres.appendMetrics(manager, metric, rows));
  }

  writeComputations(computations: MetricsUpdated[]): Promise<number> {
    return this.postgres.transaction((manager) => this.postgres.appendComputations(manager, computations));
  }
}
