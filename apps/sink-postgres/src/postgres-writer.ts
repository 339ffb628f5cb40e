import { POSTGRES_ENTITY_NAMES, type PostgresStore } from '@dev-health/postgres';
import type { CanonicalEntityName, CanonicalRecord, MetricEntityName } from '@dev-health/schemas';
import type { MetricRows, SinkWriter } from '@dev-health/sink';

/** Postgres as a sink: one transaction per batch, upserts by id, metric rows appended. */
export class PostgresWriter implements SinkWriter {
  readonly store = 'postgres';
  readonly entities: readonly CanonicalEntityName[] = POSTGRES_ENTITY_NAMES;

  constructor(private readonly postgres: PostgresStore) {}

  writeEntities(entity: CanonicalEntityName, records: CanonicalRecord[]): Promise<number> {
    return this.postgres.transaction((manager) => this.postgres.upsert(manager, entity, records));
  }

  writeMetrics<M extends MetricEntityName>(metric: M, rows: MetricRows[M]): Promise<number> {
    return this.postgres.transaction((manager) =>
      metric === 'repo_metrics_daily'
        ? this.postgres.appendRepoMetrics(manager, rows as MetricRows['repo_metrics_daily'])
        : this.postgres.appendUserMetrics(manager, rows as MetricRows['user_metrics_daily']),
    );
  }
}
