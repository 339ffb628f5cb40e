import { CLICKHOUSE_ENTITY_NAMES, type ClickHouseStore } from '@dev-health/clickhouse';
import type { CanonicalEntityName, CanonicalRecord, MetricEntityName } from '@dev-health/schemas';
import type { MetricRows, SinkWriter } from '@dev-health/sink';

/** ClickHouse as a sink: one JSONEachRow insert per batch (inserts are atomic per block). */
export class ClickHouseWriter implements SinkWriter {
  readonly store = 'clickhouse';
  readonly entities: readonly CanonicalEntityName[] = CLICKHOUSE_ENTITY_NAMES;

  constructor(private readonly clickhouse: ClickHouseStore) {}

  writeEntities(entity: CanonicalEntityName, records: CanonicalRecord[]): Promise<number> {
    return this.clickhouse.insertEntities(entity, records);
  }

  writeMetrics<M extends MetricEntityName>(metric: M, rows: MetricRows[M]): Promise<number> {
    return metric === 'repo_metrics_daily'
      ? this.clickhouse.insertRepoMetrics(rows as MetricRows['repo_metrics_daily'])
      : this.clickhouse.insertUserMetrics(rows as MetricRows['user_metrics_daily']);
  }
}
