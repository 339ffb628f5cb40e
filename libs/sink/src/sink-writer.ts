import type {
  CanonicalEntityName,
  CanonicalRecord,
  MetricEntityName,
  MetricRow,
  MetricsUpdated,
} from '@dev-health/schemas';
import type { Retriability } from '@dev-health/kafka';
import type { ChangedRecord } from './store-changes';

/** What an entity write did. */
export interface EntityWriteResult {
  written: number;
  /**
   * Records whose write took effect (an older version arriving late does not) with the version each
   * replaced. Only a store that can tell (the primary, Postgres) reports it; null otherwise.
   */
  changed: ChangedRecord[] | null;
}

/** The stores a sink service writes (one service each). */
export type SinkStore = 'postgres' | 'clickhouse' | 'mongo';

/** What a store must offer to be a sink: idempotent writes of canonical records and metric rows. */
export interface SinkWriter {
  /** "postgres", "clickhouse", "mongo": names the consumer group and the metrics label. */
  readonly store: SinkStore;
  /** Canonical entities this store keeps; their topics are consumed. */
  readonly entities: readonly CanonicalEntityName[];
  /**
   * Upserts by canonical id, keeping the newest version by the one ordering rule (recordVersion)
   * whatever order versions arrive in. Must be durable when it resolves.
   */
  writeEntities(entity: CanonicalEntityName, records: CanonicalRecord[]): Promise<EntityWriteResult>;
  /** Appends metric rows (a replayed row changes nothing); returns rows written. */
  writeMetrics(metric: MetricEntityName, rows: MetricRow[]): Promise<number>;
  /** Appends computations of metric keys (metrics.updated); a replayed one changes nothing. */
  writeComputations(computations: MetricsUpdated[]): Promise<number>;
  /**
   * Whether one of this store's errors can pass on retry (a restart, a timeout) or comes from the rows
   * (a NUL byte, a value out of range); undefined when the error is not the store's to judge.
   */
  retriability(error: unknown): Retriability | undefined;
  /** Resolves when the store answers now: the sink's readiness probe. */
  ping(): Promise<void>;
}
