import type { DataSource, EntityManager, EntityMetadata } from 'typeorm';
import {
  SchemaCatalog,
  canonicalSchemaFile,
  dayToIsoDate,
  type CanonicalRecord,
  type MetricEntityName,
  type MetricRow,
} from '@dev-health/schemas';
import { createDataSource } from './data-source';
import { METRIC_TABLES, TABLES } from './entities/tables';

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

/** The prepared upsert of one table: columns, and whether a newer updated_at must win over arrival order. */
interface UpsertStatement {
  sql: string;
  versioned: boolean;
}

/** The one adapter for Postgres: migrations, batched idempotent upserts, metric reads. */
export class PostgresStore {
  private readonly timestampFields = new Map<PostgresEntityName, string[]>();
  private readonly upsertStatements = new Map<PostgresEntityName, UpsertStatement>();
  private readonly appendStatements = new Map<MetricEntityName, string>();

  private constructor(readonly dataSource: DataSource) {
    const catalog = SchemaCatalog.load();
    for (const entity of POSTGRES_ENTITY_NAMES) {
      this.timestampFields.set(entity, catalog.timestampFields('canonical', canonicalSchemaFile(entity)));
      const metadata = dataSource.getMetadata(TABLES[entity]);
      const columns = metadata.columns.map((column) => column.databaseName);
      const versioned = columns.includes('updated_at');
      const updates = columns
        .filter((column) => column !== 'id')
        .map((column) => `"${column}" = EXCLUDED."${column}"`)
        .join(', ');
      const table = `"${metadata.tableName}"`;
      this.upsertStatements.set(entity, {
        versioned,
        sql: jsonbInsert(
          metadata,
          `ON CONFLICT ("id") DO UPDATE SET ${updates}${versioned ? ` WHERE ${table}."updated_at" <= EXCLUDED."updated_at"` : ''}`,
        ),
      });
    }
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

  async ping(): Promise<boolean> {
    return this.dataSource.query('SELECT 1').then(
      () => true,
      () => false,
    );
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Inserts or replaces rows by canonical id: one statement per chunk, not per row. Records with the
   * same id in one call are collapsed to the last (Postgres cannot upsert a row twice in a statement).
   * Entities with an updated_at keep the newest version whatever order versions arrive in.
   */
  async upsert(manager: EntityManager, entity: PostgresEntityName, records: CanonicalRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    const statement = this.upsertStatements.get(entity);
    if (!statement) throw new Error(`no Postgres table for ${entity}`);
    const latest = new Map<string, CanonicalRecord>();
    for (const record of records) {
      const previous = latest.get(record.id);
      if (statement.versioned && previous && versionOf(previous) > versionOf(record)) continue;
      latest.set(record.id, record);
    }
    const rows = [...latest.values()].map((record) => this.toRow(entity, record));
    await insertInChunks(manager, statement.sql, rows);
    return rows.length;
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

  private toRow(entity: PostgresEntityName, record: CanonicalRecord): Record<string, unknown> {
    const row: Record<string, unknown> = { ...record };
    for (const field of this.timestampFields.get(entity) ?? []) {
      const value = row[field];
      if (typeof value === 'number') row[field] = new Date(value).toISOString();
    }
    return row;
  }
}

function versionOf(record: CanonicalRecord): number {
  return 'updated_at' in record ? record.updated_at : 0;
}
