import type { DataSource } from 'typeorm';
import { METRIC_KEYS, type MetricEntityName } from '@dev-health/schemas';

/** A metric row as read: every column, the day as YYYY-MM-DD. */
export type StoredMetricRow = Record<string, string | number | Date | null> & { day: string; computed_at: Date };

export interface RepositoryRow {
  id: string;
  full_name: string;
  provider: string;
}

/** Reads metrics for the API: the latest computation per key (append-only tables). */
export class MetricsReader {
  constructor(private readonly dataSource: DataSource) {}

  repositories(): Promise<RepositoryRow[]> {
    return this.dataSource.query<RepositoryRow[]>(
      `SELECT id, full_name, provider FROM repositories ORDER BY full_name`,
    );
  }

  /**
   * The latest row of each key of `metric` with day in [from, to], filtered on key columns, ordered by
   * key then day. Column names come from METRIC_KEYS, never from the caller's values.
   */
  async latest(
    metric: MetricEntityName,
    filter: Partial<Record<string, string | null>>,
    from: string,
    to: string,
  ): Promise<StoredMetricRow[]> {
    const keys: readonly string[] = METRIC_KEYS[metric];
    const parameters: unknown[] = [from, to];
    const conditions = ['day BETWEEN $1::date AND $2::date'];
    for (const [column, value] of Object.entries(filter)) {
      if (value === undefined || value === null) continue;
      if (!keys.includes(column)) throw new Error(`${column} is not a key column of ${metric}`);
      parameters.push(value);
      conditions.push(`"${column}" = $${parameters.length}`);
    }
    const order = keys.filter((key) => key !== 'day').map((key) => `"${key}"`);
    const rows = await this.dataSource.query<StoredMetricRow[]>(
      `SELECT DISTINCT ON (${[...order, 'day'].join(', ')}) *, to_char(day, 'YYYY-MM-DD') AS day_iso
       FROM "${metric}" WHERE ${conditions.join(' AND ')}
       ORDER BY ${[...order, 'day'].join(', ')}, computed_at DESC`,
      parameters,
    );
    return rows.map(({ day_iso, ...row }) => ({ ...row, day: String(day_iso) }));
  }
}
