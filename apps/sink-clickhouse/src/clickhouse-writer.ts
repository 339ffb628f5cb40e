import { CLICKHOUSE_ENTITY_NAMES, type ClickHouseStore } from '@dev-health/clickhouse';
import type { CanonicalEntityName, CanonicalRecord, MetricEntityName, MetricRow } from '@dev-health/schemas';
import type { SinkWriter } from '@dev-health/sink';

/** ClickHouse as a sink: one JSONEachRow insert per batch (inserts are atomic per block). */
export class ClickHouseWriter implements SinkWriter {
  readonly store = 'clickhouse';
  readonly entities: readonly CanonicalEntityName[] = CLICKHOUSE_ENTITY_NAMES;

  constructor(private readonly clickhouse: ClickHouseStore) {}

  writeEntities(entity: CanonicalEntityName, records: CanonicalRecord[]): Promise<number> {
    return this.clickhouse.insertEntities(entity, records);
  }

  writeMetrics(metric: MetricEntityName, rows: MetricRow[]): Promise<number> {
    return this.clickhouse.insertMetrics(metric, rows);
  }
}
