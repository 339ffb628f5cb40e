import { ClickHouseStore } from '@dev-health/clickhouse';
import { KafkaClient } from '@dev-health/kafka';
import { MongoStore } from '@dev-health/mongo';
import { JsonLogger } from '@dev-health/observability';
import { Topology } from '@dev-health/schemas';
import {
  type RunningService,
  TcpProxy,
  createLargeRepository,
  createTestDatabase,
  listeningUrl,
  queryRows,
  runToCompletion,
  stackEndpoints,
  startService,
  uniqueName,
  waitFor,
} from '@dev-health/testing';

/** The Postgres sink loses and duplicates nothing when killed or when its database goes away. */
describe('sink-postgres resilience (real stack)', () => {
  const endpoints = stackEndpoints();
  const COMMITS = 3_000;
  const FILES_PER_COMMIT = 4;
  const running: RunningService[] = [];
  const kafka = new KafkaClient(
    { brokers: endpoints.kafkaBrokers, clientId: 'sink-resilience-test' },
    new JsonLogger('test', 'error'),
  );

  function baseEnv(prefix: string, databaseUri: string, repository: string): Record<string, string> {
    return {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
      DATABASE_URI: databaseUri,
      TOPIC_PREFIX: prefix,
      GIT_REPOSITORIES: repository,
    };
  }

  /** Rows, and distinct file changes by natural key (commit, path): a change written twice under two ids shows. */
  async function counts(uri: string): Promise<{ commits: number; files: number; distinctFiles: number }> {
    const [row] = await queryRows<{ commits: number; files: number; distinct_files: number }>(
      uri,
      `SELECT (SELECT count(*)::int FROM commits) AS commits, (SELECT count(*)::int FROM commit_file_changes) AS files,
              (SELECT count(DISTINCT (commit_id, path))::int FROM commit_file_changes) AS distinct_files`,
    );
    return { commits: row?.commits ?? 0, files: row?.files ?? 0, distinctFiles: row?.distinct_files ?? 0 };
  }

  async function tableExists(uri: string): Promise<boolean> {
    const rows = await queryRows<{ exists: boolean }>(
      uri,
      `SELECT to_regclass('public.commits') IS NOT NULL AS exists`,
    );
    return rows[0]?.exists ?? false;
  }

  afterEach(async () => {
    await Promise.all(running.splice(0).map((service) => service.stop('SIGKILL')));
  });

  it('SIGKILL mid-stream and restart: every commit and file change exactly once', async () => {
    const repository = await createLargeRepository({
      commits: COMMITS,
      filesPerCommit: FILES_PER_COMMIT,
      linesPerFile: 3,
      authors: 7,
      start: 1_767_225_600,
      secondsBetween: 600,
    });
    const database = await createTestDatabase(endpoints.databaseUri, 'kill');
    const env = baseEnv(uniqueName('kill'), database.uri, repository);
    try {
      const processor = startService('processor', env);
      running.push(processor);
      await processor.waitForLog(/consuming/);
      expect((await runToCompletion('connector-git', env)).code).toBe(0);

      const firstSink = startService('sink-postgres', env, 'sink-postgres-killed');
      running.push(firstSink);
      await waitFor(async () => (await tableExists(database.uri)) && (await counts(database.uri)).files > 0, {
        description: 'the first sink to write some rows',
        timeoutMs: 60_000,
        intervalMs: 20,
      });
      firstSink.child.kill('SIGKILL');
      await firstSink.exited;
      const atKill = await counts(database.uri);
      expect(atKill.files).toBeLessThan(COMMITS * FILES_PER_COMMIT);

      const secondSink = startService('sink-postgres', env, 'sink-postgres-restarted');
      running.push(secondSink);
      await waitFor(
        async () =>
          (await counts(database.uri)).files === COMMITS * FILES_PER_COMMIT &&
          (await counts(database.uri)).commits === COMMITS,
        {
          description: 'all rows after restart',
          timeoutMs: 120_000,
          intervalMs: 250,
        },
      );
      // Nothing more arrives later (no duplicates, nothing extra).
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await counts(database.uri)).toEqual({
        commits: COMMITS,
        files: COMMITS * FILES_PER_COMMIT,
        distinctFiles: COMMITS * FILES_PER_COMMIT,
      });
      const [sample] = await queryRows<{ missing: number }>(
        database.uri,
        `SELECT count(*)::int AS missing FROM generate_series(0, ${COMMITS - 1}) AS n
         WHERE NOT EXISTS (SELECT 1 FROM commits WHERE message_subject = 'commit ' || n)`,
      );
      expect(sample?.missing).toBe(0);
    } finally {
      await Promise.all(running.splice(0).map((service) => service.stop('SIGKILL')));
      await database.drop();
    }
  });

  /**
   * Starts the sink against a store reached through `proxy`, cuts the store away, pushes a repository
   * through the pipeline, checks the sink retries and wrote nothing, restores the store and waits for
   * the exact counts.
   */
  async function rideOutOutage(options: {
    sink: 'sink-postgres' | 'sink-clickhouse' | 'sink-mongo';
    env: Record<string, string>;
    proxy: TcpProxy;
    /** The connector's control plane (its sync run, its watermarks), when the proxy cuts the env's Postgres. */
    controlPlaneUri?: string;
    stored: () => Promise<{ commits: number; files: number }>;
    commits: number;
    filesPerCommit: number;
  }): Promise<RunningService> {
    const sink = startService(options.sink, options.env);
    running.push(sink);
    await sink.waitForLog(/consuming/);
    await options.proxy.cut();
    const processor = startService('processor', options.env);
    running.push(processor);
    await processor.waitForLog(/consuming/);
    const connectorEnv = { ...options.env, DATABASE_URI: options.controlPlaneUri ?? options.env.DATABASE_URI ?? '' };
    expect((await runToCompletion('connector-git', connectorEnv)).code).toBe(0);
    await sink.waitForLog(/batch handler failed; retrying/, 60_000);
    // While the store is away: nothing stored, no offset committed, and each retry waits longer.
    const topology = new Topology(options.env.TOPIC_PREFIX ?? '');
    const group = topology.group(options.sink);
    const topics = [topology.canonical('commit'), topology.canonical('commit_file_change')];
    const committedBefore = await kafka.groupPositions(group, topics);
    await waitFor(() => Promise.resolve(retryDelays(sink).length >= 4), {
      description: `${options.sink} to retry four times`,
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    expect((await options.stored()).commits).toBe(0);
    const committedDuring = await kafka.groupPositions(group, topics);
    expect([...committedDuring.values()].every((offset) => offset === '-1')).toBe(true);
    expect(committedDuring).toEqual(committedBefore);
    const delays = retryDelays(sink);
    // Backoff doubles per attempt with ±20 % jitter: the fourth wait is well over twice the first.
    expect(delays[3]).toBeGreaterThan(2 * (delays[0] ?? Infinity));
    // Readiness asks the store for real: not ready while it is away, with the reason.
    const url = await listeningUrl(sink);
    const probe = `${options.sink.replace('sink-', '')}-reachable`;
    const unready = await waitFor(
      async () => {
        const response = await fetch(`${url}/readyz`);
        const body = (await response.json()) as { checks: Record<string, { ready: boolean; detail?: string }> };
        return response.status === 503 && body.checks[probe]?.ready === false && body;
      },
      { description: `${options.sink} /readyz to report its store away`, timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(unready.checks.kafka).toEqual({ ready: true });
    expect((await fetch(`${url}/healthz`)).status).toBe(200); // retrying a dependency is alive
    await options.proxy.restore();
    const expected = JSON.stringify({ commits: options.commits, files: options.commits * options.filesPerCommit });
    await waitFor(async () => JSON.stringify(await options.stored()) === expected, {
      description: `all rows once the store behind ${options.sink} is back`,
      timeoutMs: 90_000,
      intervalMs: 250,
    });
    await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, {
      description: `${options.sink} ready again`,
      timeoutMs: 30_000,
      intervalMs: 500,
    });
    return sink;
  }

  /** The waits a sink logged before each retry of its first failing partition, in order. */
  function retryDelays(sink: RunningService): number[] {
    const retries = sink
      .logs()
      .split('\n')
      .filter((line) => line.includes('batch handler failed; retrying'))
      .map((line) => JSON.parse(line) as { topic: string; partition: number; attempt: number; retryInMs: number });
    const first = retries[0];
    const delays: number[] = [];
    for (const retry of retries) {
      if (retry.topic !== first?.topic || retry.partition !== first.partition) continue;
      if (retry.attempt !== delays.length + 1) break; // a new batch's retries start over
      delays.push(retry.retryInMs);
    }
    return delays;
  }

  const smallRepository = () =>
    createLargeRepository({
      commits: 150,
      filesPerCommit: 2,
      linesPerFile: 2,
      authors: 3,
      start: 1_767_225_600,
      secondsBetween: 60,
    });

  it('Postgres unreachable: the sink retries with backoff, commits no offset, and resumes with nothing lost', async () => {
    const repository = await smallRepository();
    const database = await createTestDatabase(endpoints.databaseUri, 'outage');
    const target = new URL(database.uri);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const proxied = new URL(database.uri);
    proxied.port = String(proxy.port);
    try {
      const sink = await rideOutOutage({
        sink: 'sink-postgres',
        env: baseEnv(uniqueName('outage'), proxied.toString(), repository),
        proxy,
        controlPlaneUri: database.uri,
        stored: async () => {
          const { commits, files } = await counts(database.uri);
          return { commits, files };
        },
        commits: 150,
        filesPerCommit: 2,
      });
      expect(sink.logs()).not.toContain(target.password);
    } finally {
      await Promise.all(running.splice(0).map((service) => service.stop('SIGKILL')));
      await proxy.stop();
      await database.drop();
    }
  });

  it('ClickHouse unreachable: the ClickHouse sink retries, and resumes with exact counts once it is back', async () => {
    const repository = await smallRepository();
    const clickhouseUrl = new URL(endpoints.clickhouseUrl);
    const proxy = new TcpProxy(clickhouseUrl.hostname, Number(clickhouseUrl.port || 8123));
    await proxy.start();
    const database = uniqueName('ch_outage');
    const reader = await ClickHouseStore.connect(endpoints.clickhouseUrl, database);
    try {
      await rideOutOutage({
        sink: 'sink-clickhouse',
        env: {
          ...baseEnv(uniqueName('ch_outage'), endpoints.databaseUri, repository),
          CLICKHOUSE_URL: `http://127.0.0.1:${proxy.port}`,
          CLICKHOUSE_DATABASE: database,
        },
        proxy,
        stored: async () => ({
          commits: await reader.countEntities('commit'),
          files: await reader.countEntities('commit_file_change'),
        }),
        commits: 150,
        filesPerCommit: 2,
      });
    } finally {
      await Promise.all(running.splice(0).map((service) => service.stop('SIGKILL')));
      await proxy.stop();
      await reader.client.command({ query: `DROP DATABASE IF EXISTS ${database}` });
      await reader.close();
    }
  });

  it('MongoDB unreachable: the Mongo sink retries, and resumes with exact counts once it is back', async () => {
    const repository = await smallRepository();
    const mongoUrl = new URL(endpoints.mongodbUri);
    const proxy = new TcpProxy(mongoUrl.hostname, Number(mongoUrl.port || 27017));
    await proxy.start();
    const database = uniqueName('mongo_outage');
    const direct = new URL(endpoints.mongodbUri);
    direct.pathname = `/${database}`;
    const proxied = new URL(direct.toString());
    proxied.port = String(proxy.port);
    const reader = await MongoStore.connect(direct.toString());
    try {
      await rideOutOutage({
        sink: 'sink-mongo',
        env: {
          ...baseEnv(uniqueName('mongo_outage'), endpoints.databaseUri, repository),
          MONGODB_URI: proxied.toString(),
        },
        proxy,
        stored: async () => ({
          commits: await reader.countEntities('commit'),
          files: await reader.countEntities('commit_file_change'),
        }),
        commits: 150,
        filesPerCommit: 2,
      });
    } finally {
      await Promise.all(running.splice(0).map((service) => service.stop('SIGKILL')));
      await proxy.stop();
      await reader.db.dropDatabase();
      await reader.close();
    }
  });
});
