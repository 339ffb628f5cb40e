import { ClickHouseStore } from '@dev-health/clickhouse';
import { KafkaClient } from '@dev-health/kafka';
import { MongoStore } from '@dev-health/mongo';
import { JsonLogger } from '@dev-health/observability';
import { MetricsReader, PostgresStore } from '@dev-health/postgres';
import { METRIC_ENTITY_NAMES, METRIC_KEYS, SchemaCatalog, Topology, metricSchemaFile } from '@dev-health/schemas';
import { sinkTopology } from '@dev-health/sink';
import {
  type RunningService,
  createLargeRepository,
  createTestDatabase,
  queryRows,
  runToCompletion,
  stackEndpoints,
  startService,
  uniqueName,
  waitFor,
} from '@dev-health/testing';

const COMMITS = 2_000;
const FILES = 3;
const AUTHORS = 5;

interface StoreCounts {
  repositories: number;
  commits: number;
  files: number;
  identities: number;
}

/**
 * The same dataset through three sinks, each its own service and consumer group: identical entity
 * counts and metric values in Postgres, ClickHouse and MongoDB; a replay from the beginning and a
 * SIGKILL mid-stream change no count.
 */
describe('Postgres, ClickHouse and MongoDB sinks (real stack)', () => {
  const endpoints = stackEndpoints();
  const prefix = uniqueName('stores');
  const topology = new Topology(prefix);
  const kafka = new KafkaClient(
    { brokers: endpoints.kafkaBrokers, clientId: 'stores-test' },
    new JsonLogger('test', 'error'),
  );
  const clickhouseDatabase = uniqueName('stores_ch');
  const mongoDatabase = uniqueName('stores_mongo');
  const services = new Map<string, RunningService>();
  let postgres: Awaited<ReturnType<typeof createTestDatabase>>;
  let clickhouse: ClickHouseStore;
  let postgresStore: PostgresStore;
  let mongo: MongoStore;
  let env: Record<string, string>;
  let repositoryId: string;

  function start(
    name: 'processor' | 'sink-postgres' | 'sink-clickhouse' | 'sink-mongo' | 'metrics',
    label: string = name,
  ): RunningService {
    const service = startService(name, env, label);
    services.set(label, service);
    return service;
  }

  async function postgresCounts(): Promise<StoreCounts> {
    const [row] = await queryRows<StoreCounts>(
      postgres.uri,
      `SELECT (SELECT count(*)::int FROM repositories) AS repositories, (SELECT count(*)::int FROM commits) AS commits,
              (SELECT count(*)::int FROM commit_file_changes) AS files, (SELECT count(*)::int FROM identities) AS identities`,
    );
    return row as StoreCounts;
  }
  async function clickhouseCounts(): Promise<StoreCounts> {
    return {
      repositories: await clickhouse.countEntities('repository'),
      commits: await clickhouse.countEntities('commit'),
      files: await clickhouse.countEntities('commit_file_change'),
      identities: await clickhouse.countEntities('identity'),
    };
  }
  async function mongoCounts(): Promise<StoreCounts> {
    return {
      repositories: await mongo.countEntities('repository'),
      commits: await mongo.countEntities('commit'),
      files: await mongo.countEntities('commit_file_change'),
      identities: await mongo.countEntities('identity'),
    };
  }
  const expected: StoreCounts = { repositories: 1, commits: COMMITS, files: COMMITS * FILES, identities: AUTHORS };

  /**
   * Every metric table's latest rows as each store reads them, every column of the metric's schema,
   * in one shape (numbers as numbers, days as YYYY-MM-DD, computed_at in ms), sorted by key.
   */
  async function metricsByStore(): Promise<Record<'postgres' | 'clickhouse' | 'mongo', Record<string, unknown[]>>> {
    const catalog = SchemaCatalog.load();
    const result = { postgres: {}, clickhouse: {}, mongo: {} } as Record<
      'postgres' | 'clickhouse' | 'mongo',
      Record<string, unknown[]>
    >;
    const reader = new MetricsReader(postgresStore.dataSource);
    for (const metric of METRIC_ENTITY_NAMES) {
      const columns = catalog.get('internal', metricSchemaFile(metric)).schema.fields.map((field) => field.name);
      const keys: readonly string[] = METRIC_KEYS[metric];
      const shape = (rows: Record<string, unknown>[]) =>
        rows
          .map((row) => Object.fromEntries(columns.map((column) => [column, comparable(column, row[column])])))
          .sort((a, b) => sortKey(a, keys).localeCompare(sortKey(b, keys)));
      result.postgres[metric] = shape(await reader.latest(metric, {}, '2000-01-01', '2099-12-31'));
      result.clickhouse[metric] = shape(await clickhouse.latestMetrics(metric, {}, '2000-01-01', '2099-12-31'));
      result.mongo[metric] = shape(await mongo.latestMetrics(metric, {}));
    }
    return result;
  }

  function comparable(column: string, value: unknown): unknown {
    if (value === undefined || value === null) return null;
    if (value instanceof Date) return column === 'day' ? value.toISOString().slice(0, 10) : value.getTime();
    if (column === 'day' && typeof value === 'string') return value.slice(0, 10);
    if (column === 'computed_at')
      return typeof value === 'string' && !/^\d+$/.test(value) ? Date.parse(value) : Number(value);
    if (typeof value === 'string' && value !== '' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
    if (typeof value === 'bigint') return Number(value);
    return value;
  }

  const sortKey = (row: Record<string, unknown>, keys: readonly string[]) =>
    keys.map((key) => String(row[key])).join('\u0001');

  beforeAll(async () => {
    const repository = await createLargeRepository({
      commits: COMMITS,
      filesPerCommit: FILES,
      linesPerFile: 4,
      authors: AUTHORS,
      start: 1_767_225_600,
      secondsBetween: 3_600,
    });
    repositoryId = `git:repository:${repository.split('/').pop() ?? ''}`;
    postgres = await createTestDatabase(endpoints.databaseUri, 'stores');
    const mongoUri = new URL(endpoints.mongodbUri);
    mongoUri.pathname = `/${mongoDatabase}`;
    env = {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
      TOPIC_PREFIX: prefix,
      GIT_REPOSITORIES: repository,
      DATABASE_URI: postgres.uri,
      CLICKHOUSE_URL: endpoints.clickhouseUrl,
      CLICKHOUSE_DATABASE: clickhouseDatabase,
      MONGODB_URI: mongoUri.toString(),
    };
    for (const name of ['processor', 'sink-postgres', 'sink-mongo', 'metrics'] as const)
      await start(name).waitForLog(/consuming/);
    clickhouse = await ClickHouseStore.connect(endpoints.clickhouseUrl, clickhouseDatabase);
    mongo = await MongoStore.connect(mongoUri.toString());
    postgresStore = await PostgresStore.connect(postgres.uri, 'three-stores-test');
  });

  afterAll(async () => {
    await Promise.all([...services.values()].map((service) => service.stop('SIGKILL')));
    await clickhouse?.client.command({ query: `DROP DATABASE IF EXISTS ${clickhouseDatabase}` });
    await clickhouse?.close();
    await mongo?.db.dropDatabase();
    await mongo?.close();
    await postgresStore?.close();
    await postgres?.drop();
  });

  it('lands the same dataset in all three stores, surviving a SIGKILL of the ClickHouse sink mid-stream', async () => {
    expect((await runToCompletion('connector-git', env)).code).toBe(0);
    const first = start('sink-clickhouse', 'sink-clickhouse-killed');
    await waitFor(async () => (await clickhouse.countEntities('commit_file_change').catch(() => 0)) > 0, {
      description: 'the ClickHouse sink to write something',
      timeoutMs: 60_000,
      intervalMs: 20,
    });
    first.child.kill('SIGKILL');
    await first.exited;
    expect((await clickhouseCounts()).files).toBeLessThan(expected.files);
    await start('sink-clickhouse', 'sink-clickhouse-restarted').waitForLog(/consuming/);

    for (const [store, counts] of [
      ['postgres', postgresCounts],
      ['clickhouse', clickhouseCounts],
      ['mongo', mongoCounts],
    ] as const) {
      await waitFor(async () => JSON.stringify(await counts()) === JSON.stringify(expected), {
        description: `${store} counts`,
        timeoutMs: 120_000,
        intervalMs: 500,
      });
    }
  });

  it('has identical metric values in every store: every metric table, every column, every key', async () => {
    const repoCommits = (rows: unknown[] = []) =>
      (rows as { repository_id: string; commits: number }[])
        .filter((row) => row.repository_id === repositoryId)
        .reduce((sum, row) => sum + row.commits, 0);
    await waitFor(
      async () => {
        const stores = await metricsByStore();
        return (
          repoCommits(stores.postgres.repo_metrics_daily) === COMMITS &&
          JSON.stringify(stores.clickhouse) === JSON.stringify(stores.postgres) &&
          JSON.stringify(stores.mongo) === JSON.stringify(stores.postgres)
        );
      },
      { description: 'the same metrics in all stores', timeoutMs: 45_000, intervalMs: 500 },
    ).catch(() => undefined); // the assertions below show the difference
    const stores = await metricsByStore();
    const repoDays = (stores.postgres.repo_metrics_daily ?? []) as { repository_id: string }[];
    expect(repoDays.filter((row) => row.repository_id === repositoryId)).toHaveLength(
      Math.ceil((COMMITS * 3_600) / 86_400),
    );
    expect(repoCommits(stores.postgres.repo_metrics_daily)).toBe(COMMITS);
    // The comparison covers more than one table, and whole rows.
    const tablesWithRows = Object.entries(stores.postgres).filter(([, rows]) => rows.length > 0);
    expect(tablesWithRows.map(([metric]) => metric)).toEqual(
      expect.arrayContaining(['repo_metrics_daily', 'user_metrics_daily']),
    );
    expect(Object.keys(stores.postgres.user_metrics_daily?.[0] ?? {}).length).toBeGreaterThan(8);
    expect(stores.clickhouse).toEqual(stores.postgres);
    expect(stores.mongo).toEqual(stores.postgres);
  });

  it('replaying every topic from the beginning changes no count in any store', async () => {
    const sinks = [
      ['sink-postgres', 'postgres'],
      ['sink-clickhouse-restarted', 'clickhouse'],
      ['sink-mongo', 'mongo'],
    ] as const;
    await Promise.all(
      sinks.map(async ([label, store]) => {
        await services.get(label)?.stop();
        const wiring = sinkTopology(topology, {
          store,
          entities: ['repository', 'commit', 'commit_file_change', 'blame_line', 'identity'],
        });
        await kafka.rewindGroup(wiring.group, wiring.consumes);
      }),
    );
    const replayed = [
      start('sink-postgres', 'sink-postgres-replay'),
      start('sink-clickhouse', 'sink-clickhouse-replay'),
      start('sink-mongo', 'sink-mongo-replay'),
    ];
    for (const service of replayed) await service.waitForLog(/consuming/);
    // Caught up = each replaying group has committed up to the end of the commit-file-change topic again.
    const fileTopic = topology.canonical('commit_file_change');
    const ends = await kafka.endOffsets(fileTopic);
    for (const store of ['postgres', 'clickhouse', 'mongo'] as const) {
      const group = sinkTopology(topology, { store, entities: [] }).group;
      await waitFor(
        async () => {
          const committed = await kafka.committedOffsets(group, fileTopic);
          return [...ends].every(([partition, high]) => committed.get(partition) === high);
        },
        { description: `${store} replay to catch up`, timeoutMs: 120_000, intervalMs: 500 },
      );
    }
    expect(await postgresCounts()).toEqual(expected);
    expect(await clickhouseCounts()).toEqual(expected);
    expect(await mongoCounts()).toEqual(expected);
  }, 300_000);
});
