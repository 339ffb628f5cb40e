import { type ClickHouseClient, createClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import { stackEndpoints, uniqueName } from '@dev-health/testing';
import {
  METRIC_ENTITY_NAMES,
  SchemaCatalog,
  metricSchemaFile,
  type Commit,
  type RepoMetricsDaily,
} from '@dev-health/schemas';
import { ClickHouseStore, type MigrateOptions } from './clickhouse-store';
import { CLICKHOUSE_MIGRATIONS } from './migrations';
import { sqlString } from './sql-literal';

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

const provenance = {
  raw_topic: 't',
  raw_partition: 0,
  raw_offset: 7,
  reprocessing_generation: 0,
  raw_source_id: 's',
  fetched_at: Date.UTC(2026, 0, 3),
};

function commit(index: number, overrides: Partial<Commit> = {}): Commit {
  return {
    id: `git:commit:o/r/${index}`,
    org_id: 'default',
    provider: 'git',
    provenance,
    repository_id: 'git:repository:o/r',
    sha: String(index).padStart(40, '0'),
    parent_shas: [],
    author_identity_id: 'identity:a@x',
    author_name: "O'Brien \\ \n",
    author_email: 'a@x',
    authored_at: Date.UTC(2026, 0, 1 + (index % 40), 12),
    author_utc_offset_minutes: 330,
    committer_identity_id: 'identity:a@x',
    committer_email: 'a@x',
    committed_at: Date.UTC(2026, 0, 1 + (index % 40), 12),
    committer_utc_offset_minutes: -480,
    message_subject: `subject ${index}`,
    work_item_keys: [],
    files_changed: 1,
    additions: index,
    deletions: 1,
    is_merge: false,
    size_bucket: 'small',
    ...overrides,
  };
}

/** A repo metric row: the schema's defaults (0 and null), then the columns this test varies. */
function metric(day: number, computedAt: number, commits: number): RepoMetricsDaily {
  const defaults = Object.fromEntries(
    SchemaCatalog.load()
      .get('internal', 'repo-metrics-daily')
      .schema.fields.map((field) => [field.name, field.default ?? null]),
  );
  return {
    ...(defaults as unknown as RepoMetricsDaily),
    repository_id: 'git:repository:o/r',
    day,
    computed_at: computedAt,
    commits,
    additions: commits * 10,
    deletions: 0,
    files_changed: commits,
    large_commits: 0,
    avg_commit_size: commits === 0 ? null : 10.5,
  };
}

/** The same DDL, writes and queries against Debian's ClickHouse 18.16 and current ClickHouse (chdb). */
function describeDialect(
  name: string,
  open: (options?: MigrateOptions) => Promise<ClickHouseStore>,
  dispose: (store: ClickHouseStore) => Promise<void>,
) {
  describe(`ClickHouseStore on ${name}`, () => {
    let store: ClickHouseStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await dispose(store);
    });

    it('applies every migration once, also when connected again', async () => {
      expect(await store.appliedMigrations()).toEqual(CLICKHOUSE_MIGRATIONS.map((migration) => migration.version));
    });

    it('upgrades pre-tenancy tables: rows land in the default org under ORDER BY org_id, also after a rebuild stopped half-way', async () => {
      const old = await open({ migrateThrough: '0005_metric_computations' });
      const table = (name: string) => `${old.database}.${name}`;
      try {
        expect(await old.appliedMigrations()).not.toContain('0006_tenancy');
        await old.client.command({
          query: `INSERT INTO ${table('commits')} (id, repository_id, sha, authored_at, committed_at, _version)
                  VALUES ('git:commit:o/r/1', 'git:repository:o/r', 'abc', '2026-01-05 10:00:00', '2026-01-05 10:00:00', 5)`,
        });
        await old.client.command({
          query: `INSERT INTO ${table('repo_metrics_daily')} (repository_id, day, computed_at, computed_at_ms, commits)
                  VALUES ('git:repository:o/r', '2026-01-05', '2026-01-06 00:00:00', 1767657600000, 1)`,
        });
        await old.client.command({
          query: `INSERT INTO ${table('metric_computations')} (kind, scope_id, provider, team_id, day, computed_at, computed_at_ms, tables, rows)
                  VALUES ('repo', 'git:repository:o/r', '', '', '2026-01-05', '2026-01-06 00:00:00', 1767657600000, ['repo_metrics_daily'], 1)`,
        });
        // As if a rebuild stopped between its two renames: the table is set aside.
        await old.client.command({ query: `RENAME TABLE ${table('commits')} TO ${table('commits__before_rebuild')}` });

        const upgraded = await ClickHouseStore.withClient(old.client, old.database);
        expect(await upgraded.appliedMigrations()).toEqual(CLICKHOUSE_MIGRATIONS.map((migration) => migration.version));
        expect(await upgraded.latestEntities('commit')).toEqual([
          expect.objectContaining({ id: 'git:commit:o/r/1', org_id: 'default', sha: 'abc' }),
        ]);
        expect(
          await upgraded.latestMetrics('repo_metrics_daily', { org_id: 'default' }, '2026-01-01', '2026-01-31'),
        ).toEqual([expect.objectContaining({ org_id: 'default', repository_id: 'git:repository:o/r', commits: 1 })]);
        for (const name of ['commits', 'repo_metrics_daily', 'metric_computations']) {
          const [created] = await upgraded.select<{ statement: string }>(`SHOW CREATE TABLE ${table(name)}`);
          expect(created?.statement.replace(/\s+/g, ' ')).toMatch(/ORDER BY \(org_id, /);
        }
        const leftovers = await upgraded.select<{ name: string }>(
          `SELECT name FROM system.tables WHERE database = ${sqlString(old.database)} AND name LIKE '%rebuild%'`,
        );
        expect(leftovers).toEqual([]);
      } finally {
        await dispose(old);
      }
    });

    it('has one column per Avro field in every metric table (plus computed_at_ms)', async () => {
      const catalog = SchemaCatalog.load();
      for (const metric of METRIC_ENTITY_NAMES) {
        const columns = await store.select<{ name: string }>(
          `SELECT name FROM system.columns WHERE database = ${sqlString(store.database)} AND table = ${sqlString(metric)}`,
        );
        const fields = catalog.get('internal', metricSchemaFile(metric)).schema.fields.map((field) => field.name);
        expect({ metric, columns: columns.map((column) => column.name).sort() }).toEqual({
          metric,
          columns: [...fields, 'computed_at_ms'].sort(),
        });
      }
    });

    it('stores entities idempotently: a replayed batch changes no count, the newest version wins', async () => {
      const commits = Array.from({ length: 500 }, (_, index) => commit(index));
      await store.insertEntities('commit', commits);
      await store.insertEntities('commit', commits);
      await store.insertEntities('commit', [
        commit(3, {
          message_subject: 'rewritten',
          work_item_keys: [],
          provenance: { ...provenance, fetched_at: provenance.fetched_at + 1000 },
        }),
      ]);
      expect(await store.countEntities('commit')).toBe(500);
      const [row] = await store.select<{ author_name: string; message_subject: string; is_merge: number }>(
        `SELECT author_name, message_subject, is_merge FROM ${store.database}.commits FINAL WHERE id = ${sqlString('git:commit:o/r/3')}`,
      );
      expect(row).toEqual({ author_name: "O'Brien \\ \n", message_subject: 'rewritten', is_merge: 0 });
      const partitions = await store.select<{ partition: string }>(
        `SELECT DISTINCT partition FROM system.parts WHERE database = ${sqlString(store.database)} AND table = 'commits' AND active ORDER BY partition`,
      );
      expect(partitions.map((partition) => partition.partition)).toEqual(['202601', '202602']);
    });

    it('returns metric values exactly as written (18.16 parses some decimals one ulp off)', async () => {
      const day = 20_500;
      const values = [3.6447, 1.1764, 1.3658, 1.7533, 0.3333];
      await store.insertMetrics(
        'repo_metrics_daily',
        values.map((value, index) => ({
          ...metric(day + index, 1_000, 1),
          repository_id: 'git:repository:o/floats',
          pr_cycle_time_p50_hours: value,
        })),
      );
      await store.insertComputations(
        values.map((_value, index) => ({
          org_id: 'default',
          kind: 'repo',
          scope_id: 'git:repository:o/floats',
          provider: '',
          team_id: '',
          day: day + index,
          tables: ['repo_metrics_daily'],
          rows: 1,
          computed_at: 1_000,
        })),
      );
      const latest = await store.latestMetrics(
        'repo_metrics_daily',
        { repository_id: 'git:repository:o/floats' },
        '2026-01-01',
        '2026-12-31',
      );
      expect(latest.map((row) => row.pr_cycle_time_p50_hours)).toEqual(values);
    });

    it('reads the rows of the latest computation per day with argMax, even within the same second; a computation without rows withdraws them', async () => {
      const day = 20_454; // 2026-01-01
      const second = Date.UTC(2026, 0, 2, 0, 0, 0);
      await store.insertMetrics('repo_metrics_daily', [
        metric(day, second + 100, 3),
        metric(day, second + 900, 5),
        metric(day + 1, second, 0),
      ]);
      await store.insertMetrics('repo_metrics_daily', [metric(day, second + 100, 3)]); // replay
      const computation = (computedDay: number, computedAt: number, rows: number) => ({
        org_id: 'default',
        kind: 'repo',
        scope_id: 'git:repository:o/r',
        provider: '',
        team_id: '',
        day: computedDay,
        tables: rows === 0 ? [] : ['repo_metrics_daily'],
        rows,
        computed_at: computedAt,
      });
      await store.insertComputations([
        computation(day, second + 100, 1),
        computation(day, second + 900, 1),
        computation(day + 1, second, 1),
        computation(day + 2, second, 1),
      ]);
      // Day 3 was computed once with a row, then again with none: its row is withdrawn.
      await store.insertMetrics('repo_metrics_daily', [metric(day + 2, second, 2)]);
      await store.insertComputations([computation(day + 2, second + 1, 0)]);
      const latest = await store.latestMetrics(
        'repo_metrics_daily',
        { repository_id: 'git:repository:o/r' },
        '2026-01-01',
        '2026-01-31',
      );
      expect(
        latest.map(
          ({
            repository_id,
            day,
            commits,
            additions,
            deletions,
            files_changed,
            large_commits,
            avg_commit_size,
            computed_at,
          }) => ({
            repository_id,
            day,
            commits,
            additions,
            deletions,
            files_changed,
            large_commits,
            avg_commit_size,
            computed_at,
          }),
        ),
      ).toEqual([
        {
          repository_id: 'git:repository:o/r',
          day: '2026-01-01',
          commits: 5,
          additions: 50,
          deletions: 0,
          files_changed: 5,
          large_commits: 0,
          avg_commit_size: 10.5,
          computed_at: second + 900,
        },
        {
          repository_id: 'git:repository:o/r',
          day: '2026-01-02',
          commits: 0,
          additions: 0,
          deletions: 0,
          files_changed: 0,
          large_commits: 0,
          avg_commit_size: null,
          computed_at: second,
        },
      ]);
    });
  });
}

describeDialect(
  'ClickHouse server (local stack: Debian 18.16; Docker: current)',
  async (options) => {
    const database = uniqueName('ch_store');
    await ClickHouseStore.connect(stackEndpoints().clickhouseUrl, database, options);
    return ClickHouseStore.connect(stackEndpoints().clickhouseUrl, database, options);
  },
  async (store) => {
    await store.client.command({ query: `DROP DATABASE IF EXISTS ${store.database}` });
    await store.close();
  },
);

describeDialect(
  'current ClickHouse in-process (chdb)',
  async (options) => {
    const database = uniqueName('chdb_store');
    // chdb builds against its own copy of @clickhouse/client-common: same interface, distinct type identity.
    const connection = createChdbConnection({ path: ':memory:' }) as unknown as ClientConnection;
    const client: ClickHouseClient = createClient({ connection });
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
    await ClickHouseStore.withClient(client, database, options);
    return ClickHouseStore.withClient(client, database, options);
  },
  async (store) => {
    await store.client.command({ query: `DROP DATABASE IF EXISTS ${store.database}` });
    await store.close();
  },
);

describe('ClickHouse migrations under concurrent start-ups (local stack server)', () => {
  it('three stores connecting at once to a new database apply each migration exactly once', async () => {
    const database = uniqueName('ch_race');
    const url = stackEndpoints().clickhouseUrl;
    const stores = await Promise.all([0, 1, 2].map(() => ClickHouseStore.connect(url, database)));
    try {
      const [first] = stores;
      expect(await first?.appliedMigrations()).toEqual(CLICKHOUSE_MIGRATIONS.map((migration) => migration.version));
      const locks = await first?.client.query({
        query: `SELECT count() AS locks FROM system.tables WHERE database = '${database}' AND name = 'schema_migrations_lock'`,
        format: 'JSONEachRow',
      });
      expect(await locks?.json()).toEqual([{ locks: '0' }]);
    } finally {
      await stores[0]?.client.command({ query: `DROP DATABASE IF EXISTS ${database}` });
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
