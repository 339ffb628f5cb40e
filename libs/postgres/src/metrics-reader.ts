import type { DataSource } from 'typeorm';
import { METRIC_COMPUTATIONS_TABLE, METRIC_KEYS, METRIC_SCOPES, type MetricEntityName } from '@dev-health/schemas';

/** A metric row as read: every column, the day as YYYY-MM-DD. */
export type StoredMetricRow = Record<string, string | number | Date | null> & { day: string; computed_at: Date };

export interface RepositoryRow {
  id: string;
  full_name: string;
  provider: string;
}

/** Reads metrics for the API: the rows of the latest computation per key (append-only tables). */
export class MetricsReader {
  constructor(private readonly dataSource: DataSource) {}

  repositories(org: string): Promise<RepositoryRow[]> {
    return this.dataSource.query<RepositoryRow[]>(
      `SELECT id, full_name, provider FROM repositories WHERE org_id = $1 ORDER BY full_name`,
      [org],
    );
  }

  /**
   * The rows of the latest computation of each key of `metric` with day in [from, to], filtered on key
   * columns, ordered by key then day: a recompute that no longer produces a row withdraws it. Column
   * names come from METRIC_KEYS and METRIC_SCOPES, never from the caller's values.
   */
  async latest(
    metric: MetricEntityName,
    filter: Partial<Record<string, string | null>>,
    from: string,
    to: string,
  ): Promise<StoredMetricRow[]> {
    const keys: readonly string[] = METRIC_KEYS[metric];
    const scope: { kind: string; scope: string; provider: string | null; team: string | null } = METRIC_SCOPES[metric];
    const parameters: unknown[] = [from, to, scope.kind];
    const conditions = ['m.day BETWEEN $1::date AND $2::date'];
    // A filter on the scope narrows the computations read too (a repository's rows: its computations only).
    const computationColumn = new Map<string | null, string>([
      ['org_id', 'org_id'],
      [scope.scope, 'scope_id'],
      [scope.provider, 'provider'],
      [scope.team, 'team_id'],
    ]);
    const computationConditions = ['kind = $3', 'day BETWEEN $1::date AND $2::date'];
    for (const [column, value] of Object.entries(filter)) {
      if (value === undefined || value === null) continue;
      if (!keys.includes(column)) throw new Error(`${column} is not a key column of ${metric}`);
      parameters.push(value);
      conditions.push(`m."${column}" = $${parameters.length}`);
      const computation = computationColumn.get(column);
      if (computation !== undefined) computationConditions.push(`${computation} = $${parameters.length}`);
    }
    const rowColumn = (column: string | null) => (column === null ? `''` : `m."${column}"`);
    const order = keys.filter((key) => key !== 'day').map((key) => `m."${key}"`);
    const rows = await this.dataSource.query<StoredMetricRow[]>(
      `WITH latest AS (
         SELECT DISTINCT ON (org_id, scope_id, provider, team_id, day) org_id, scope_id, provider, team_id, day, computed_at
         FROM "${METRIC_COMPUTATIONS_TABLE}" WHERE ${computationConditions.join(' AND ')}
         ORDER BY org_id, scope_id, provider, team_id, day, computed_at DESC)
       SELECT m.*, to_char(m.day, 'YYYY-MM-DD') AS day_iso FROM "${metric}" m
       JOIN latest l ON l.org_id = m.org_id AND l.scope_id = ${rowColumn(scope.scope)} AND l.provider = ${rowColumn(scope.provider)}
         AND l.team_id = ${rowColumn(scope.team)} AND l.day = m.day AND l.computed_at = m.computed_at
       WHERE ${conditions.join(' AND ')}
       ORDER BY ${[...order, 'm.day'].join(', ')}`,
      parameters,
    );
    return rows.map(({ day_iso, ...row }) => ({ ...row, day: String(day_iso) }));
  }
}
