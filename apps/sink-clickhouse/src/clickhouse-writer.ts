import { CLICKHOUSE_ENTITY_NAMES, type ClickHouseStore, clickhouseRetriability } from '@dev-health/clickhouse';
import type {
  CanonicalEntityName,
  CanonicalRecord,
  MetricEntityName,
  MetricRow,
  MetricsUpdated,
} from '@dev-health/schemas';
import type { EntityWriteResult, SinkWriter } from '@dev-health/sink';

/** ClickHouse as a sink: one JSONEachRow insert per batch (inserts are atomic per block). */
export class ClickHouseWriter implements SinkWriter {
  readonly store = 'clickhouse' as const;
  /** What the store's errors say about retrying (SQLSTATE, error codes). */
  readonly retriability = clickhouseRetriability;
  readonly entities: readonly CanonicalEntityName[] = CLICKHOUSE_ENTITY_NAMES;

  constructor(private readonly clickhouse: ClickHouseStore) {}

  ping(): Promise<void> {
    return this.clickhouse.ping();
  }

  async writeEntities(entity: CanonicalEntityName, records: CanonicalRecord[]): Promise<EntityWriteResult> {
    return { written: await this.clickhouse.insertEntities(entity, records), changed: null };
  }

  writeMetrics(metric: MetricEntityName, rows: MetricRow[]): Promise<number> {
    return this.clickhouse.insertMetrics(metric, rows);
  }

  writeComputations(computations: MetricsUpdated[]): Promise<number> {
    return this.clickhouse.insertComputations(computations);
  }
}
