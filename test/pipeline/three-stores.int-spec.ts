import { ClickHouseStore } from '@dev-health/clickhouse';
import { KafkaClient } from '@dev-health/kafka';
import { MongoStore } from '@dev-health/mongo';
import { JsonLogger } from '@dev-health/observability';
import { Topology } from '@dev-health/schemas';
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

  async function metricsByStore() {
    const fromPostgres = await queryRows<{ day: string; commits: number; additions: number; deletions: number }>(
      postgres.uri,
      `SELECT DISTINCT ON (day) to_char(day, 'YYYY-MM-DD') AS day, commits, additions, deletions FROM repo_metrics_daily
       WHERE repository_id = $1 ORDER BY day, computed_at DESC`,
      [repositoryId],
    );
    const pick = ({ day, commits, additions, deletions }: Record<string, unknown>) => ({
      day,
      commits,
      additions,
      deletions,
    });
    const fromClickhouse = (
      await clickhouse.latestMetrics('repo_metrics_daily', { repository_id: repositoryId }, '2000-01-01', '2099-12-31')
    ).map(pick);
    const fromMongo = (await mongo.latestMetrics('repo_metrics_daily', { repository_id: repositoryId })).map(pick);
    return { fromPostgres, fromClickhouse, fromMongo };
  }

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
  });

  afterAll(async () => {
    await Promise.all([...services.values()].map((service) => service.stop('SIGKILL')));
    await clickhouse?.client.command({ query: `DROP DATABASE IF EXISTS ${clickhouseDatabase}` });
    await clickhouse?.close();
    await mongo?.db.dropDatabase();
    await mongo?.close();
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

  it('has identical metric values in every store', async () => {
    await waitFor(
      async () => {
        const { fromPostgres, fromClickhouse, fromMongo } = await metricsByStore();
        const total = fromPostgres.reduce((sum, row) => sum + row.commits, 0);
        return (
          total === COMMITS &&
          JSON.stringify(fromClickhouse) === JSON.stringify(fromPostgres) &&
          JSON.stringify(fromMongo) === JSON.stringify(fromPostgres)
        );
      },
      { description: 'the same metrics in all stores', timeoutMs: 45_000, intervalMs: 500 },
    ).catch(() => undefined); // the assertions below show the difference
    const { fromPostgres, fromClickhouse, fromMongo } = await metricsByStore();
    expect(fromPostgres.length).toBe(Math.ceil((COMMITS * 3_600) / 86_400));
    expect(fromPostgres.reduce((sum, row) => sum + row.commits, 0)).toBe(COMMITS);
    expect(fromClickhouse).toEqual(fromPostgres);
    expect(fromMongo).toEqual(fromPostgres);
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
