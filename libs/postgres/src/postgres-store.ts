import type { DataSource, EntityManager, EntityMetadata } from 'typeorm';
import {
  SchemaCatalog,
  canonicalSchemaFile,
  newestVersions,
  dayToIsoDate,
  type CanonicalRecord,
  type MetricEntityName,
  type MetricRow,
  type MetricsUpdated,
} from '@dev-health/schemas';
import { createDataSource } from './data-source';
import { METRIC_TABLES, MetricComputationEntity, TABLES } from './entities/tables';

export type PostgresEntityName = keyof typeof TABLES;
export const POSTGRES_ENTITY_NAMES = Object.keys(TABLES) as PostgresEntityName[];

/** Arbitrary constant shared by every service that migrates this database. */
const MIGRATION_LOCK_KEY = 7_163_240_511;

/** Rows per upsert statement: one JSON parameter each, so only statement size bounds it. */
const ROWS_PER_UPSERT = 5_000;

/**
 * INSERT … SELECT from one jsonb array parameter: no bind-parameter limit and no per-row SQL to build;
 * the columns are the entity's, so the migration-checked schema decides what is written.
 */
function jsonbInsert(metadata: EntityMetadata, onConflict: string): string {
  const table = `"${metadata.tableName}"`;
  const columns = metadata.columns.map((column) => `"${column.databaseName}"`).join(', ');
  return `INSERT INTO ${table} (${columns}) SELECT ${columns} FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb) ${onConflict}`;
}

async function insertInChunks(manager: EntityManager, sql: string, rows: object[]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_UPSERT)
    await manager.query(sql, [JSON.stringify(rows.slice(start, start + ROWS_PER_UPSERT))]);
}

/** The prepared upserts of one table: plain, and one that also returns what each effective write replaced. */
interface UpsertStatements {
  plain: string;
  returningPrevious: string;
}

/** A record whose write took effect, with the version it replaced (null when new). */
export interface UpsertedRecord {
  record: CanonicalRecord;
  previous: CanonicalRecord | null;
  /** The stored version was the written one already: a redelivery. */
  sameVersion: boolean;
}

export interface UpsertResult {
  written: number;
  /** Only when asked for (withPrevious): the records whose write took effect. */
  changed: UpsertedRecord[] | null;
}

/** The one adapter for Postgres: migrations, batched idempotent upserts, metric reads. */
export class PostgresStore {
  /** Resolves when the database answers a query: the readiness probe of services that use it. */
  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  private readonly timestampFields = new Map<PostgresEntityName, string[]>();
  private readonly upsertStatements = new Map<PostgresEntityName, UpsertStatements>();
  private readonly appendStatements = new Map<MetricEntityName, string>();
  private readonly computationsStatement: string;

  private constructor(readonly dataSource: DataSource) {
    const catalog = SchemaCatalog.load();
    for (const entity of POSTGRES_ENTITY_NAMES) {
      this.timestampFields.set(entity, catalog.timestampFields('canonical', canonicalSchemaFile(entity)));
      const metadata = dataSource.getMetadata(TABLES[entity]);
      const columns = metadata.columns.map((column) => column.databaseName);
      const updates = columns
        .filter((column) => column !== 'id')
        .map((column) => `"${column}" = EXCLUDED."${column}"`)
        .join(', ');
      const table = `"${metadata.tableName}"`;
      // An equal version is rewritten (a redelivery changes nothing but is reported, in case the first
      // delivery's change event was lost); an older one is not.
      const onConflict = `ON CONFLICT ("id") DO UPDATE SET ${updates} WHERE ${table}."record_version" <= EXCLUDED."record_version"`;
      const quoted = columns.map((column) => `"${column}"`).join(', ');
      this.upsertStatements.set(entity, {
        plain: jsonbInsert(metadata, onConflict),
        // Every part of one statement sees the same snapshot: "previous" holds the rows as they were.
        returningPrevious: `WITH incoming AS (SELECT ${quoted} FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)),
          previous AS (SELECT t.*, t."record_version"::text AS previous_version FROM ${table} t
                       WHERE t."id" IN (SELECT "id" FROM incoming)),
          written AS (INSERT INTO ${table} (${quoted}) SELECT ${quoted} FROM incoming ${onConflict} RETURNING "id")
          SELECT w."id", p.previous_version, CASE WHEN p."id" IS NULL THEN NULL ELSE to_jsonb(p) END AS previous
          FROM written w LEFT JOIN previous p ON p."id" = w."id"`,
      });
    }
    this.computationsStatement = jsonbInsert(dataSource.getMetadata(MetricComputationEntity), 'ON CONFLICT DO NOTHING');
    // A replayed metric row (same key and computed_at) is ignored.
    for (const [metric, target] of Object.entries(METRIC_TABLES))
      this.appendStatements.set(
        metric as MetricEntityName,
        jsonbInsert(dataSource.getMetadata(target), 'ON CONFLICT DO NOTHING'),
      );
  }

  /** Connects and applies pending migrations (in one transaction, under TypeORM's migration lock). */
  static async connect(databaseUri: string, applicationName: string): Promise<PostgresStore> {
    const dataSource = createDataSource(databaseUri, applicationName);
    await dataSource.initialize();
    // Several services start together and each applies migrations; TypeORM does not lock, so we do.
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      await dataSource.runMigrations({ transaction: 'all' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
      await runner.release();
    }
    return new PostgresStore(dataSource);
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  /** Rows of one read-only statement, bounded by a statement timeout scoped to it. */
  async selectWithTimeout<T>(sql: string, parameters: readonly unknown[], timeoutMs: number): Promise<T[]> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
      return manager.query<T[]>(sql, [...parameters]);
    });
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Inserts or replaces rows by canonical id: one statement per chunk, not per row. The newest version
   * (recordVersion) wins whatever order versions arrive in; records with the same id in one call are
   * collapsed to the newest first (Postgres cannot upsert a row twice in a statement). With
   * withPrevious, also returns each record whose write took effect and the version it replaced.
   */
  async upsert(
    manager: EntityManager,
    entity: PostgresEntityName,
    records: CanonicalRecord[],
    options: { withPrevious?: boolean } = {},
  ): Promise<UpsertResult> {
    if (records.length === 0) return { written: 0, changed: options.withPrevious ? [] : null };
    const statements = this.upsertStatements.get(entity);
    if (!statements) throw new Error(`no Postgres table for ${entity}`);
    const newest = newestVersions(records);
    const latest = [...newest.values()];
    const rows = latest.map(({ record, version }) => this.toRow(entity, record, version));
    if (!options.withPrevious) {
      await insertInChunks(manager, statements.plain, rows);
      return { written: rows.length, changed: null };
    }
    const changed: UpsertedRecord[] = [];
    for (let start = 0; start < rows.length; start += ROWS_PER_UPSERT) {
      const results = await manager.query<{ id: string; previous_version: string | null; previous: object | null }[]>(
        statements.returningPrevious,
        [JSON.stringify(rows.slice(start, start + ROWS_PER_UPSERT))],
      );
      for (const result of results) {
        const written = newest.get(result.id);
        if (!written) continue;
        changed.push({
          record: written.record,
          previous: result.previous === null ? null : this.fromRow(entity, result.previous),
          sameVersion: result.previous_version === written.version,
        });
      }
    }
    return { written: rows.length, changed };
  }

  /** Appends metric rows; a replayed row (same key and computed_at) is ignored. */
  async appendMetrics(manager: EntityManager, metric: MetricEntityName, rows: readonly MetricRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    const sql = this.appendStatements.get(metric);
    if (!sql) throw new Error(`no append statement for ${metric}`);
    await insertInChunks(
      manager,
      sql,
      rows.map((row) => ({ ...row, day: dayToIsoDate(row.day), computed_at: new Date(row.computed_at).toISOString() })),
    );
    return rows.length;
  }

  private toRow(entity: PostgresEntityName, record: CanonicalRecord, version: string): Record<string, unknown> {
    const row: Record<string, unknown> = { ...record, record_version: version };
    for (const field of this.timestampFields.get(entity) ?? []) {
      const value = row[field];
      if (typeof value === 'number') row[field] = new Date(value).toISOString();
    }
    return row;
  }

  /** A stored row (to_jsonb) back into its canonical record: timestamps as epoch milliseconds. */
  private fromRow(entity: PostgresEntityName, stored: object): CanonicalRecord {
    const { record_version: _version, previous_version: _previous, ...row } = stored as Record<string, unknown>;
    for (const field of this.timestampFields.get(entity) ?? []) {
      const value = row[field];
      if (typeof value === 'string') row[field] = Date.parse(value);
    }
    return row as unknown as CanonicalRecord;
  }

  /** Appends computations of metric keys; a replayed one (same key and computed_at) is ignored. */
  async appendComputations(manager: EntityManager, computations: readonly MetricsUpdated[]): Promise<number> {
    if (computations.length === 0) return 0;
    await insertInChunks(
      manager,
      this.computationsStatement,
      computations.map(({ org_id, kind, scope_id, provider, team_id, day, computed_at, tables, rows }) => ({
        org_id,
        kind,
        scope_id,
        provider,
        team_id,
        day: dayToIsoDate(day),
        computed_at: new Date(computed_at).toISOString(),
        tables,
        rows,
      })),
    );
    return computations.length;
  }
}
