import type { CanonicalEntityName, CanonicalRecord, MetricEntityName, MetricRow } from '@dev-health/schemas';

/** What a store must offer to be a sink: idempotent writes of canonical records and metric rows. */
export interface SinkWriter {
  /** "postgres", "clickhouse", "mongo": names the consumer group and the metrics label. */
  readonly store: string;
  /** Canonical entities this store keeps; their topics are consumed. */
  readonly entities: readonly CanonicalEntityName[];
  /** Upserts by canonical id; returns rows written. Must be durable when it resolves. */
  writeEntities(entity: CanonicalEntityName, records: CanonicalRecord[]): Promise<number>;
  /** Appends metric rows (a replayed row changes nothing); returns rows written. */
  writeMetrics(metric: MetricEntityName, rows: MetricRow[]): Promise<number>;
}
