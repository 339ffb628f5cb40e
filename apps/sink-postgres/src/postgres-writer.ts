import { POSTGRES_ENTITY_NAMES, type PostgresStore } from '@dev-health/postgres';
import type { CanonicalEntityName, CanonicalRecord, MetricEntityName, MetricRow } from '@dev-health/schemas';
import type { SinkWriter } from '@dev-health/sink';

/** Postgres as a sink: one transaction per batch, upserts by id, metric rows appended. */
export class PostgresWriter implements SinkWriter {
  readonly store = 'postgres';
  readonly entities: readonly CanonicalEntityName[] = POSTGRES_ENTITY_NAMES;

  constructor(private readonly postgres: PostgresStore) {}

  writeEntities(entity: CanonicalEntityName, records: CanonicalRecord[]): Promise<number> {
    return this.postgres.transaction((manager) => this.postgres.upsert(manager, entity, records));
  }

  writeMetrics(metric: MetricEntityName, rows: MetricRow[]): Promise<number> {
    return this.postgres.transaction((manager) => this.postgres.appendMetrics(manager, metric, rows));
  }
}
