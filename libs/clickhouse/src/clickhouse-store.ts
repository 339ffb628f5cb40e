import { type ClickHouseClient, createClient } from '@clickhouse/client';
import {
  ENTITY_TABLE_NAMES,
  STORED_ENTITY_NAMES,
  SchemaCatalog,
  canonicalSchemaFile,
  dayToIsoDate,
  type CanonicalRecord,
  type RepoMetricsDaily,
  type StoredEntityName,
  type UserMetricsDaily,
} from '@dev-health/schemas';
import { CLICKHOUSE_MIGRATIONS } from './migrations';
import { formatDateTime, sqlIdentifier, sqlString } from './sql-literal';

/** Canonical entities with a ClickHouse table. */
export const CLICKHOUSE_TABLES = ENTITY_TABLE_NAMES;
export type ClickHouseEntityName = StoredEntityName;
export const CLICKHOUSE_ENTITY_NAMES = STORED_ENTITY_NAMES;

export interface LatestRepoMetrics {
  repository_id: string;
  day: string;
  commits: number;
  additions: number;
  deletions: number;
  files_changed: number;
  large_commits: number;
  avg_commit_size: number | null;
}

/** The one adapter for ClickHouse: migrations, one JSONEachRow insert per batch, argMax reads. */
export class ClickHouseStore {
  private readonly timestampFields = new Map<ClickHouseEntityName, string[]>();

  private constructor(
    readonly client: ClickHouseClient,
    readonly database: string,
  ) {
    const catalog = SchemaCatalog.load();
    for (const entity of CLICKHOUSE_ENTITY_NAMES)
      this.timestampFields.set(entity, catalog.timestampFields('canonical', canonicalSchemaFile(entity)));
  }

  /** Connects over HTTP, creates the database if needed and applies pending migrations. */
  static async connect(url: string, database: string): Promise<ClickHouseStore> {
    const bootstrap = createClient({ url, request_timeout: 30_000 });
    await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${sqlIdentifier(database)}` });
    await bootstrap.close();
    return ClickHouseStore.withClient(createClient({ url, database, request_timeout: 60_000 }), database);
  }

  /** Uses a ready client (e.g. one over an in-process chdb connection) whose database exists. */
  static async withClient(client: ClickHouseClient, database: string): Promise<ClickHouseStore> {
    const store = new ClickHouseStore(client, database);
    await store.migrate();
    return store;
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private table(name: string): string {
    return `${sqlIdentifier(this.database)}.${sqlIdentifier(name)}`;
  }

  private async migrate(): Promise<void> {
    await this.client.command({
      query: `CREATE TABLE IF NOT EXISTS ${this.table('schema_migrations')} (version String, applied_at DateTime('UTC')) ENGINE = MergeTree() ORDER BY version`,
    });
    const applied = new Set(
      (await this.select<{ version: string }>(`SELECT version FROM ${this.table('schema_migrations')}`)).map(
        (row) => row.version,
      ),
    );
    for (const migration of CLICKHOUSE_MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements) {
        await this.client.command({
          query: statement.replace(
            /CREATE TABLE IF NOT EXISTS (\w+)/,
            (_match, name: string) => `CREATE TABLE IF NOT EXISTS ${this.table(name)}`,
          ),
        });
      }
      await this.client.insert({
        table: this.table('schema_migrations'),
        format: 'JSONEachRow',
        values: [{ version: migration.version, applied_at: formatDateTime(Date.now()) }],
      });
    }
  }

  async select<T>(query: string): Promise<T[]> {
    const result = await this.client.query({ query, format: 'JSONEachRow' });
    return result.json<T>();
  }

  async appliedMigrations(): Promise<string[]> {
    const rows = await this.select<{ version: string }>(
      `SELECT DISTINCT version FROM ${this.table('schema_migrations')} ORDER BY version`,
    );
    return rows.map((row) => row.version);
  }

  /** One insert for the whole batch; replays collapse by id (ReplacingMergeTree on the newest fetch). */
  async insertEntities(entity: ClickHouseEntityName, records: CanonicalRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    const timestamps = this.timestampFields.get(entity) ?? [];
    const rows = records.map((record) => {
      const { provenance, ...fields } = record;
      const row: Record<string, unknown> = {
        ...fields,
        raw_topic: provenance.raw_topic,
        raw_partition: provenance.raw_partition,
        raw_offset: provenance.raw_offset,
        raw_source_id: provenance.raw_source_id,
        fetched_at: formatDateTime(provenance.fetched_at),
        // Versioned entities: the newest updated_at wins whatever order versions arrive in.
        _version: 'updated_at' in record ? record.updated_at : provenance.fetched_at,
      };
      for (const field of timestamps) {
        const value = row[field];
        if (typeof value === 'number') row[field] = formatDateTime(value);
      }
      for (const [key, value] of Object.entries(row)) if (typeof value === 'boolean') row[key] = value ? 1 : 0;
      return row;
    });
    await this.client.insert({ table: this.table(CLICKHOUSE_TABLES[entity]), format: 'JSONEachRow', values: rows });
    return rows.length;
  }

  async insertRepoMetrics(rows: RepoMetricsDaily[]): Promise<number> {
    return this.insertMetrics('repo_metrics_daily', rows);
  }

  async insertUserMetrics(rows: UserMetricsDaily[]): Promise<number> {
    return this.insertMetrics('user_metrics_daily', rows);
  }

  private async insertMetrics(table: string, rows: (RepoMetricsDaily | UserMetricsDaily)[]): Promise<number> {
    if (rows.length === 0) return 0;
    await this.client.insert({
      table: this.table(table),
      format: 'JSONEachRow',
      values: rows.map((row) => ({
        ...row,
        day: dayToIsoDate(row.day),
        computed_at: formatDateTime(row.computed_at),
        computed_at_ms: row.computed_at,
      })),
    });
    return rows.length;
  }

  /** Distinct entities stored (FINAL collapses versions not merged yet). */
  async countEntities(entity: ClickHouseEntityName): Promise<number> {
    const [row] = await this.select<{ count: string | number }>(
      `SELECT count() AS count FROM ${this.table(CLICKHOUSE_TABLES[entity])} FINAL`,
    );
    return Number(row?.count ?? 0);
  }

  /** Latest computation per (repository, day): argMax over the append-only rows. */
  async latestRepoMetrics(repositoryId: string, from: string, to: string): Promise<LatestRepoMetrics[]> {
    const rows = await this.select<Record<string, string | number | null>>(
      `SELECT repository_id, toString(day) AS day_iso,
              argMax(commits, computed_at_ms) AS commits, argMax(additions, computed_at_ms) AS additions,
              argMax(deletions, computed_at_ms) AS deletions, argMax(files_changed, computed_at_ms) AS files_changed,
              argMax(large_commits, computed_at_ms) AS large_commits, argMax(avg_commit_size, computed_at_ms) AS avg_commit_size
       FROM ${this.table('repo_metrics_daily')}
       WHERE repository_id = ${sqlString(repositoryId)} AND day >= toDate(${sqlString(from)}) AND day <= toDate(${sqlString(to)})
       GROUP BY repository_id, day ORDER BY day_iso`,
    );
    return rows.map((row) => ({
      repository_id: String(row.repository_id),
      day: String(row.day_iso),
      commits: Number(row.commits),
      additions: Number(row.additions),
      deletions: Number(row.deletions),
      files_changed: Number(row.files_changed),
      large_commits: Number(row.large_commits),
      avg_commit_size: row.avg_commit_size === null ? null : Number(row.avg_commit_size),
    }));
  }
}
