import { hostname } from 'node:os';
import { clickhouseErrorCode } from './errors';
import { type ClickHouseClient, createClient } from '@clickhouse/client';
import {
  ENTITY_TABLE_NAMES,
  METRIC_COMPUTATIONS_TABLE,
  METRIC_ENTITY_NAMES,
  METRIC_KEYS,
  METRIC_SCOPES,
  STORED_ENTITY_NAMES,
  metricSchemaFile,
  SchemaCatalog,
  canonicalSchemaFile,
  dayToIsoDate,
  type CanonicalRecord,
  type MetricEntityName,
  type MetricRow,
  type MetricsUpdated,
  type StoredEntityName,
  recordVersion,
  roundMetricValue,
} from '@dev-health/schemas';
import { CLICKHOUSE_MIGRATIONS, type ClickHouseMigration } from './migrations';
import { formatDateTime, sqlIdentifier, sqlString } from './sql-literal';

/** Canonical entities with a ClickHouse table. */
export const CLICKHOUSE_TABLES = ENTITY_TABLE_NAMES;
export type ClickHouseEntityName = StoredEntityName;
export const CLICKHOUSE_ENTITY_NAMES = STORED_ENTITY_NAMES;

/** Where a table being rebuilt is set aside between the two renames. */
const SET_ASIDE = '__before_rebuild';

export interface MigrateOptions {
  /** Stop after this migration version (tests of an upgrade start from an older schema). */
  migrateThrough?: string;
}

/** The one adapter for ClickHouse: migrations, one JSONEachRow insert per batch, argMax reads. */
/** The table whose existence is the migration lock (see acquireMigrationLock). */
const MIGRATION_LOCK_TABLE = 'schema_migrations_lock';
/** ClickHouse error code TABLE_ALREADY_EXISTS. */
const TABLE_ALREADY_EXISTS = '57';
/** Longer than any migration takes here; a rebuild of a large table could take longer (raise it then). */
const MIGRATION_LOCK_STALE_MS = 10 * 60_000;
const MIGRATION_LOCK_POLL_MS = 250;

/**
 * Nothing waits forever: a request gets 60 s from the client and the server stops a query after 55 s;
 * idle sockets are kept (and dropped before the server's keep-alive timeout of 3 s closes them).
 */
function clientSettings(url: string, database: string) {
  return {
    url,
    database,
    request_timeout: 60_000,
    keep_alive: { enabled: true, idle_socket_ttl: 2_500 },
    clickhouse_settings: { max_execution_time: 55 },
  };
}

export class ClickHouseStore {
  private readonly timestampFields = new Map<ClickHouseEntityName, string[]>();
  /** Value columns of each metric table (everything but its key and computed_at), from its Avro schema. */
  private readonly metricColumns = new Map<MetricEntityName, string[]>();
  /** Its Float64 columns. */
  private readonly metricFloatColumns = new Map<MetricEntityName, string[]>();

  private constructor(
    readonly client: ClickHouseClient,
    readonly database: string,
  ) {
    const catalog = SchemaCatalog.load();
    for (const entity of CLICKHOUSE_ENTITY_NAMES)
      this.timestampFields.set(entity, catalog.timestampFields('canonical', canonicalSchemaFile(entity)));
    for (const metric of METRIC_ENTITY_NAMES) {
      const keys: readonly string[] = METRIC_KEYS[metric];
      const fields = catalog
        .get('internal', metricSchemaFile(metric))
        .schema.fields.filter(({ name }) => !keys.includes(name) && name !== 'computed_at');
      this.metricColumns.set(
        metric,
        fields.map((field) => field.name),
      );
      const isDouble = (type: unknown) => type === 'double' || (Array.isArray(type) && type.includes('double'));
      this.metricFloatColumns.set(
        metric,
        fields.filter((field) => isDouble(field.type)).map((field) => field.name),
      );
    }
  }

  /** Connects over HTTP, creates the database if needed and applies pending migrations. */
  static async connect(url: string, database: string, options: MigrateOptions = {}): Promise<ClickHouseStore> {
    const bootstrap = createClient({ url, request_timeout: 30_000 });
    await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${sqlIdentifier(database)}` });
    await bootstrap.close();
    return ClickHouseStore.withClient(createClient(clientSettings(url, database)), database, options);
  }

  /**
   * Reads only: no database creation, no migrations (the sink owns the schema, and two services
   * migrating at once could race). For the gateway.
   */
  static reader(url: string, database: string): ClickHouseStore {
    return new ClickHouseStore(createClient(clientSettings(url, database)), database);
  }

  /** Uses a ready client (e.g. one over an in-process chdb connection) whose database exists. */
  static async withClient(
    client: ClickHouseClient,
    database: string,
    options: MigrateOptions = {},
  ): Promise<ClickHouseStore> {
    const store = new ClickHouseStore(client, database);
    await store.migrate(options.migrateThrough);
    return store;
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** Resolves when the server answers a query: the readiness probe. */
  async ping(): Promise<void> {
    await this.select('SELECT 1 AS one');
  }

  private table(name: string): string {
    return `${sqlIdentifier(this.database)}.${sqlIdentifier(name)}`;
  }

  /**
   * Applies pending migrations while holding the database's migration lock, so replicas of a sink that
   * start together apply each migration once (ClickHouse has no advisory locks; see acquireMigrationLock).
   */
  private async migrate(through?: string): Promise<void> {
    await this.acquireMigrationLock();
    try {
      await this.applyPending(through);
    } finally {
      await this.client
        .command({ query: `DROP TABLE IF EXISTS ${this.table(MIGRATION_LOCK_TABLE)}` })
        .catch(() => undefined);
    }
  }

  /**
   * CREATE TABLE without IF NOT EXISTS succeeds for exactly one caller: that table is the lock. Its row
   * says who holds it since when; a lock older than MIGRATION_LOCK_STALE_MS (its holder died) is broken.
   */
  private async acquireMigrationLock(): Promise<void> {
    const holder = `${hostname()}/${process.pid}/${Math.random().toString(36).slice(2)}`;
    const lock = this.table(MIGRATION_LOCK_TABLE);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.command({
          query: `CREATE TABLE ${lock} (holder String, acquired_at_ms UInt64) ENGINE = TinyLog`,
        });
        await this.client.insert({
          table: lock,
          format: 'JSONEachRow',
          values: [{ holder, acquired_at_ms: Date.now() }],
        });
        return;
      } catch (error: unknown) {
        if (clickhouseErrorCode(error) !== TABLE_ALREADY_EXISTS) throw error;
      }
      const [current] = await this.select<{ acquired_at_ms: string }>(`SELECT acquired_at_ms FROM ${lock}`).catch(
        () => [],
      );
      // A lock without its row is being taken right now; one whose holder stopped long ago is broken.
      if (current && Date.now() - Number(current.acquired_at_ms) > MIGRATION_LOCK_STALE_MS)
        await this.client.command({ query: `DROP TABLE IF EXISTS ${lock}` });
      else if (attempt * MIGRATION_LOCK_POLL_MS > MIGRATION_LOCK_STALE_MS * 2)
        throw new Error(`ClickHouse migration lock ${lock} still held after ${attempt} tries`);
      await new Promise((resolve) => setTimeout(resolve, MIGRATION_LOCK_POLL_MS));
    }
  }

  private async applyPending(through?: string): Promise<void> {
    await this.client.command({
      query: `CREATE TABLE IF NOT EXISTS ${this.table('schema_migrations')} (version String, applied_at DateTime('UTC')) ENGINE = MergeTree() ORDER BY version`,
    });
    const applied = new Set(
      (await this.select<{ version: string }>(`SELECT version FROM ${this.table('schema_migrations')}`)).map(
        (row) => row.version,
      ),
    );
    for (const migration of CLICKHOUSE_MIGRATIONS) {
      if (!applied.has(migration.version)) await this.apply(migration);
      if (migration.version === through) break;
    }
  }

  private async apply(migration: ClickHouseMigration): Promise<void> {
    for (const { table } of migration.rebuild ?? []) await this.restoreSetAside(table);
    for (const { table, columns } of migration.addColumns ?? []) {
      const existing = new Set(
        (
          await this.select<{ name: string }>(
            `SELECT name FROM system.columns WHERE database = ${sqlString(this.database)} AND table = ${sqlString(table)}`,
          )
        ).map((row) => row.name),
      );
      const missing = columns.filter(([name]) => !existing.has(name));
      if (missing.length > 0)
        await this.client.command({
          query: `ALTER TABLE ${this.table(table)} ${missing.map(([name, type]) => `ADD COLUMN ${sqlIdentifier(name)} ${type}`).join(', ')}`,
        });
    }
    for (const { table, engine } of migration.rebuild ?? []) await this.rebuildTable(table, engine);
    for (const statement of migration.statements) {
      await this.client.command({
        query: statement
          .replace(
            /CREATE TABLE IF NOT EXISTS (\w+)/,
            (_match, name: string) => `CREATE TABLE IF NOT EXISTS ${this.table(name)}`,
          )
          .replace(/\{table:(\w+)\}/g, (_match, name: string) => this.table(name)),
      });
    }
    await this.client.insert({
      table: this.table('schema_migrations'),
      format: 'JSONEachRow',
      values: [{ version: migration.version, applied_at: formatDateTime(Date.now()) }],
    });
  }

  private async tableExists(name: string): Promise<boolean> {
    const rows = await this.select<{ name: string }>(
      `SELECT name FROM system.tables WHERE database = ${sqlString(this.database)} AND name = ${sqlString(name)}`,
    );
    return rows.length > 0;
  }

  /** A rebuild stopped between its two renames left the table set aside, with every row: put it back. */
  private async restoreSetAside(table: string): Promise<void> {
    const aside = `${table}${SET_ASIDE}`;
    if (!(await this.tableExists(table)) && (await this.tableExists(aside)))
      await this.client.command({ query: `RENAME TABLE ${this.table(aside)} TO ${this.table(table)}` });
  }

  /**
   * Rebuilds `table` under `engine`: copy into <table>__rebuild, RENAME the old one aside and the copy in,
   * drop the old. Interrupted anywhere, running the migration again finishes the job and loses no row.
   */
  private async rebuildTable(table: string, engine: string): Promise<void> {
    const aside = this.table(`${table}${SET_ASIDE}`);
    const copy = this.table(`${table}__rebuild`);
    const command = (query: string) => this.client.command({ query });
    await command(`DROP TABLE IF EXISTS ${copy}`);
    await command(`DROP TABLE IF EXISTS ${aside}`);
    await command(`CREATE TABLE ${copy} AS ${this.table(table)} ENGINE = ${engine}`);
    await command(`INSERT INTO ${copy} SELECT * FROM ${this.table(table)}`);
    await command(`RENAME TABLE ${this.table(table)} TO ${aside}, ${copy} TO ${this.table(table)}`);
    await command(`DROP TABLE ${aside}`);
  }

  /** Rows of a query; `timeoutSeconds` bounds it on the server (max_execution_time). */
  async select<T>(query: string, timeoutSeconds?: number): Promise<T[]> {
    const result = await this.client.query({
      query,
      format: 'JSONEachRow',
      ...(timeoutSeconds === undefined ? {} : { clickhouse_settings: { max_execution_time: timeoutSeconds } }),
    });
    return result.json<T>();
  }

  /** Every applied migration's row, in version order: a migration applied twice shows twice. */
  async appliedMigrations(): Promise<string[]> {
    const rows = await this.select<{ version: string }>(
      `SELECT version FROM ${this.table('schema_migrations')} ORDER BY version`,
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
        // The one ordering rule of every store (a 64-bit decimal string: beyond a JavaScript number).
        _version: recordVersion(record),
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

  /** Appends metric rows; replays (same key and computed_at_ms) collapse in the ReplacingMergeTree. */
  async insertMetrics(metric: MetricEntityName, rows: readonly MetricRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    await this.client.insert({
      table: this.table(metric),
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

  /** Appends computations of metric keys; replays collapse in the ReplacingMergeTree. */
  async insertComputations(computations: readonly MetricsUpdated[]): Promise<number> {
    if (computations.length === 0) return 0;
    await this.client.insert({
      table: this.table(METRIC_COMPUTATIONS_TABLE),
      format: 'JSONEachRow',
      values: computations.map((computation) => ({
        ...computation,
        day: dayToIsoDate(computation.day),
        computed_at: formatDateTime(computation.computed_at),
        computed_at_ms: computation.computed_at,
      })),
    });
    return computations.length;
  }

  /**
   * The stored version of each entity: the row with the highest _version per id, read without FINAL
   * (a version that moved to another month's partition is not merged with the old one).
   */
  async latestEntities(entity: ClickHouseEntityName): Promise<Record<string, unknown>[]> {
    const table = this.table(CLICKHOUSE_TABLES[entity]);
    return this.select<Record<string, unknown>>(
      `SELECT * FROM ${table} WHERE (id, _version) IN (SELECT id, max(_version) FROM ${table} GROUP BY id)
       ORDER BY id LIMIT 1 BY id`,
    );
  }

  /** Distinct entities stored (FINAL collapses versions not merged yet). */
  async countEntities(entity: ClickHouseEntityName): Promise<number> {
    const [row] = await this.select<{ count: string | number }>(
      `SELECT count() AS count FROM ${this.table(CLICKHOUSE_TABLES[entity])} FINAL`,
    );
    return Number(row?.count ?? 0);
  }

  /**
   * The rows of the latest computation of each key of a metric table in a day range (argMax over the
   * append-only rows, so unmerged parts do not matter), optionally filtered on key columns. Days come
   * back as ISO dates.
   */
  async latestMetrics(
    metric: MetricEntityName,
    filter: Partial<Record<string, string>>,
    from: string,
    to: string,
  ): Promise<LatestMetricRow[]> {
    const keys: readonly string[] = METRIC_KEYS[metric];
    const values = this.metricColumns.get(metric) ?? [];
    const conditions = Object.entries(filter).map(([column, value]) => {
      if (!keys.includes(column)) throw new Error(`${column} is not a key column of ${metric}`);
      return `${sqlIdentifier(column)} = ${sqlString(value ?? '')}`;
    });
    const groupKeys = keys.filter((key) => key !== 'day');
    const dayRange = (column: string) => [
      `${column} >= toDate(${sqlString(from)})`,
      `${column} <= toDate(${sqlString(to)})`,
    ];
    // Only rows of the latest computation of their key: a recompute withdraws the rows it no longer produces.
    const scope: { kind: string; scope: string; provider: string | null; team: string | null } = METRIC_SCOPES[metric];
    const rowScope = ['org_id', scope.scope, scope.provider, scope.team].filter(
      (column): column is string => column !== null,
    );
    const computationScope = [
      'org_id',
      'scope_id',
      ...(scope.provider === null ? [] : ['provider']),
      ...(scope.team === null ? [] : ['team_id']),
    ];
    const latestComputation = `(${[...rowScope, 'day', 'computed_at_ms'].map(sqlIdentifier).join(', ')}) IN (
         SELECT ${[...computationScope, 'day'].join(', ')}, max(computed_at_ms) FROM ${this.table(METRIC_COMPUTATIONS_TABLE)}
         WHERE ${[`kind = ${sqlString(scope.kind)}`, ...dayRange('day')].join(' AND ')}
         GROUP BY ${[...computationScope, 'day'].join(', ')})`;
    const rows = await this.select<Record<string, string | number | null>>(
      `SELECT ${groupKeys.map(sqlIdentifier).join(', ')}, toString(day) AS day_iso, max(computed_at_ms) AS latest_ms,
              ${values.map((column) => `argMax(${sqlIdentifier(column)}, computed_at_ms) AS ${sqlIdentifier(column)}`).join(', ')}
       FROM ${this.table(metric)}
       WHERE ${[...conditions, ...dayRange('day'), latestComputation].join(' AND ')}
       GROUP BY ${[...groupKeys.map(sqlIdentifier), 'day'].join(', ')}
       ORDER BY ${[...groupKeys.map(sqlIdentifier), 'day_iso'].join(', ')}`,
    );
    // JSONEachRow quotes 64-bit integers (latest_ms); metric columns are 32-bit or Float64 and stay numbers.
    // ClickHouse 18.16 parses "3.6447" one ulp off (an inexact float parser): values go back to metric
    // precision, so every store returns the number that was written.
    const floats = this.metricFloatColumns.get(metric) ?? [];
    return rows.map(({ day_iso, latest_ms, ...columns }) => {
      for (const column of floats) {
        const value = columns[column];
        if (typeof value === 'number') columns[column] = roundMetricValue(value);
      }
      return { ...columns, day: String(day_iso), computed_at: Number(latest_ms) };
    });
  }
}

export type LatestMetricRow = Record<string, string | number | null>;
