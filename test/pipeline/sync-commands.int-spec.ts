import { SyncControlTopics } from '@dev-health/connector';
import { KafkaClient } from '@dev-health/kafka';
import { JsonLogger } from '@dev-health/observability';
import { AvroSerde } from '@dev-health/registry';
import {
  type RawRecord,
  type SyncCommand,
  type SyncEvent,
  type TaskCommand,
  type TaskStatus,
  Topology,
} from '@dev-health/schemas';
import { DEFAULT_SYNTHETIC_OPTIONS, SyntheticGenerator, type SyntheticOptions } from '@dev-health/synthetic';
import {
  AdminApi,
  type RunningService,
  appendCommits,
  createGitRepository,
  createLargeRepository,
  createTestDatabase,
  lines,
  issueApiKey,
  listeningUrl,
  pipelineEnvironment,
  queryRows,
  stackEndpoints,
  startService,
  waitFor,
} from '@dev-health/testing';

const DAY_MS = 86_400_000;

/**
 * Syncs as commands over Kafka, on the real stack with every service a process: the admin API queues a
 * run and sends sync.requested; the long-running git connector claims it, heartbeats progress into
 * sync_runs and onto the sync-events topic, keeps its watermarks in sync_watermarks and ends the run.
 */
describe('sync commands: admin API → commands topic → connector service (real stack)', () => {
  const endpoints = stackEndpoints();
  const services: RunningService[] = [];
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let env: Record<string, string>;
  let topology: Topology;
  let api: AdminApi;
  let connector: RunningService;
  const serde = new AvroSerde(endpoints.schemaRegistryUrl);
  const kafka = new KafkaClient(
    { brokers: endpoints.kafkaBrokers, clientId: 'sync-test' },
    new JsonLogger('t', 'error'),
  );

  const call = (method: string, path: string, body?: unknown) => api.call(method, path, body);
  const addIntegration = async (name: string, paths: string[]) => {
    const created = await call('POST', '/orgs/acme/integrations', { provider: 'git', name, scope: { paths } });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const requestSync = (integrationId: string) => api.requestSync('acme', integrationId);
  const getRun = (runId: string) => api.getRun('acme', runId);
  const finished = (runId: string, timeoutMs = 90_000) => api.waitForEnd('acme', runId, timeoutMs);
  /** Every record of a control topic, decoded. */
  const decodedRecords = async <T>(topic: string) => {
    const values: Buffer[] = [];
    await kafka.readToEnd(topic, (record) => {
      if (record.value) values.push(record.value);
    });
    return Promise.all(values.map((value) => serde.decode<T>(value)));
  };
  const syncEvents = async (runId: string) => {
    const events: SyncEvent[] = [];
    const raw: Buffer[] = [];
    await kafka.readToEnd(topology.syncEvents(), (record) => {
      if (record.key === runId && record.value) raw.push(record.value);
    });
    for (const value of raw) events.push(await serde.decode<SyncEvent>(value));
    return events;
  };
  /** Raw commit records on the git topic, per repository scope. */
  const rawCommitsByScope = async () => {
    const values: Buffer[] = [];
    await kafka.readToEnd(topology.raw('git'), (record) => {
      if (record.value && record.headers['dho.entity-kind'] === 'commit') values.push(record.value);
    });
    const counts = new Map<string, number>();
    for (const value of values) {
      const record = await serde.decode<RawRecord>(value);
      counts.set(record.scope, (counts.get(record.scope) ?? 0) + 1);
    }
    return counts;
  };
  /** A linear history of one-file commits, five authors, from `start` (ms). */
  const largeRepository = (commits: number, start: number, secondsBetween = 300) =>
    createLargeRepository({
      commits,
      filesPerCommit: 1,
      linesPerFile: 2,
      authors: 5,
      start: start / 1000,
      secondsBetween,
    });
  /** Resolves once the run's heartbeats report more than `commits` commits published. */
  const publishing = (runId: string, commits = 0) =>
    waitFor(async () => ((await getRun(runId)).records.commit ?? 0) > commits, {
      description: `run ${runId} to be publishing`,
      timeoutMs: 60_000,
      intervalMs: 50,
    });
  // One record a request: a large sync lasts as long as its acknowledged round trips (8,000 commits:
  // several 1 s heartbeats) however fast the Kafka client is, so the tests that stop, kill or watch a
  // sync mid-run still find it running.
  const startConnector = async (label: string) => {
    const service = startService('connector-git', { ...env, BATCH_SIZE: '1' }, label);
    services.push(service);
    await service.waitForLog(/"message":"connector consuming commands"/);
    return service;
  };

  /** One commit a day from `first` (ms, a UTC midnight), at 10:00. */
  const commitOnDay = (first: number, index: number) => ({
    authorName: 'Ada',
    authorEmail: 'ada@example.com',
    date: new Date(first + index * DAY_MS + 10 * 3_600_000).toISOString(),
    message: `day ${index}`,
    files: { [`d${index}.txt`]: lines(2) },
  });
  /** A repository of one commit a day over the last `days` days (within the community tier's 30), synced once. */
  const dailyRepository = async (name: string, days: number) => {
    const first = Math.floor(Date.now() / DAY_MS) * DAY_MS - days * DAY_MS;
    const repository = createGitRepository(Array.from({ length: days }, (_, index) => commitOnDay(first, index)));
    const integration = await addIntegration(name, [repository]);
    expect((await finished((await requestSync(integration)).run.id)).records.commit).toBe(days);
    return { first, repository, integration };
  };
  const watermarksOf = (integration: string) =>
    queryRows<{ target: string; cursor: string; updated_at: Date }>(
      database.uri,
      `SELECT target, cursor, updated_at FROM sync_watermarks WHERE integration_id = $1 ORDER BY target`,
      [integration],
    );

  beforeAll(async () => {
    database = await createTestDatabase(endpoints.databaseUri, 'sync');
    const pipeline = pipelineEnvironment('sync', database.uri);
    topology = new Topology(pipeline.prefix);
    env = {
      ...pipeline.env,
      ADMIN_TICK_SECONDS: '1',
      SYNC_HEARTBEAT_SECONDS: '1',
      SYNC_SILENT_RUN_SECONDS: '10',
      SYNC_COMMAND_RESEND_SECONDS: '5',
    };
    const token = await issueApiKey(env);
    const admin = startService('admin', env);
    services.push(admin, startService('processor', env), startService('sink-postgres', env));
    api = new AdminApi(await listeningUrl(admin), token);
    expect((await call('POST', '/orgs', { slug: 'acme', name: 'Acme' })).status).toBe(201);
    connector = await startConnector('connector-git-1');
    // Slowed to 300 records/s, so a run lasts long enough to be cancelled mid-way.
    const synthetic = startService('connector-synthetic', {
      ...env,
      SYNTHETIC_SERVE: 'true',
      SYNTHETIC_RATE_LIMIT: '300',
      BATCH_SIZE: '50',
    });
    services.push(synthetic);
    await synthetic.waitForLog(/"message":"connector consuming commands"/);
  });

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await database?.drop();
  });

  it('runs a sync requested over REST, followed through sync_runs and sync events, and the next one is incremental', async () => {
    const repository = createGitRepository(
      [1, 2, 3, 4, 5].map((index) => ({
        authorName: 'Ada',
        authorEmail: 'ada@example.com',
        date: `2026-03-0${index}T10:00:00+00:00`,
        message: `c${index}`,
        files: { [`f${index}.txt`]: lines(index) },
      })),
    );
    const integration = await addIntegration('small', [repository]);
    const { run, created } = await requestSync(integration);
    expect(created).toBe(true);
    expect(run.status).toBe('queued');

    const ended = await finished(run.id);
    // It announced what it would publish (the CLI's bar and ETA): the repository and its 5 commits.
    expect(ended).toMatchObject({ status: 'succeeded', records: { repository: 1, commit: 5, _expected: 6 } });
    expect(ended.started_at).not.toBeNull();

    const events = await syncEvents(run.id);
    expect(events[0]).toMatchObject({ event: 'sync.started', status: 'running', provider: 'git', org_id: 'acme' });
    expect(events.at(-1)).toMatchObject({
      event: 'sync.finished',
      status: 'succeeded',
      records: [
        { entity_kind: '_expected', records: 6 },
        { entity_kind: 'commit', records: 5 },
        { entity_kind: 'repository', records: 1 },
      ],
    });
    const watermarks = await queryRows<{ target: string; cursor: string }>(
      database.uri,
      `SELECT target, cursor FROM sync_watermarks WHERE integration_id = $1`,
      [integration],
    );
    expect(watermarks).toHaveLength(1);
    expect(watermarks[0]?.target).toMatch(/:main$/);
    await waitFor(
      async () =>
        Number(
          (await queryRows<{ n: string }>(database.uri, `SELECT count(*) AS n FROM commits WHERE org_id = 'acme'`))[0]
            ?.n,
        ) === 5,
      { description: 'the 5 commits in Postgres', timeoutMs: 60_000 },
    );

    // The next sync starts from the watermark: nothing new, nothing published again but the repository.
    const next = await finished((await requestSync(integration)).run.id);
    expect(next).toMatchObject({ status: 'succeeded', records: { repository: 1, _expected: 1 } });
    expect(next.records.commit).toBeUndefined();
  });

  it('never starts a sync twice: a second request finds the active run, a re-sent command is skipped', async () => {
    const repository = await largeRepository(8_000, Date.UTC(2026, 0, 5));
    const integration = await addIntegration('large', [repository]);
    const [first, second] = await Promise.all([requestSync(integration), requestSync(integration)]);
    expect(first.run.id).toBe(second.run.id);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    const runId = first.run.id;

    // While it runs, its command arrives again (as after a rebalance or a re-send): the connector skips it.
    await waitFor(async () => (await getRun(runId)).status === 'running', { description: 'run to start' });
    const producer = kafka.createProducer();
    const control = new SyncControlTopics(kafka, serde, topology, producer);
    await control.prepare();
    await producer.connect();
    await control.requestSyncs([{ ...(await getRun(runId)), provider: 'git' }]);
    await control.requestSyncs([{ ...(await getRun(runId)), provider: 'git' }]);
    await producer.disconnect();

    const ended = await finished(runId);
    expect(ended).toMatchObject({ status: 'succeeded', records: { repository: 1, commit: 8_000 } });
    const events = await syncEvents(runId);
    expect(events.filter((event) => event.event === 'sync.started')).toHaveLength(1);
    expect(events.filter((event) => event.event === 'sync.finished')).toHaveLength(1);
    // Progress events report a growing count while it runs.
    const progress = events
      .filter((event) => event.event === 'sync.progress')
      .map((event) => event.records.find((count) => count.entity_kind === 'commit')?.records ?? 0);
    expect(progress.length).toBeGreaterThan(0);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    const published = await rawCommitsByScope();
    const scope = [...published.keys()].find((name) => repository.endsWith(name.split('/').pop() ?? '?'));
    expect(scope).toBeDefined();
    expect(published.get(scope ?? '')).toBe(8_000);
  });

  it('a connector killed mid-sync leaves the run failed, not running; the next sync resumes and duplicates nothing downstream', async () => {
    const done = createGitRepository([
      {
        authorName: 'Bo',
        authorEmail: 'bo@example.com',
        date: '2026-02-01T10:00:00+00:00',
        message: 'd1',
        files: { 'd.txt': lines(3) },
      },
      {
        authorName: 'Bo',
        authorEmail: 'bo@example.com',
        date: '2026-02-02T10:00:00+00:00',
        message: 'd2',
        files: { 'e.txt': lines(4) },
      },
    ]);
    const large = await largeRepository(8_000, Date.UTC(2026, 1, 5));
    const integration = await addIntegration('crashing', [done, large]);
    const { run } = await requestSync(integration);
    // Killed once the small repository is done and the large one is under way.
    await publishing(run.id, 100);
    await connector.stop('SIGKILL');
    expect((await getRun(run.id)).status).toBe('running');

    // The sweeper fails it once its heartbeats stop (SYNC_SILENT_RUN_SECONDS=10).
    const failed = await finished(run.id, 40_000);
    expect(failed).toMatchObject({ status: 'failed', error_stage: 'connector' });

    // Requested while no connector runs: the command waits on the topic for the restarted one.
    const next = await requestSync(integration);
    expect(next.created).toBe(true);
    connector = await startConnector('connector-git-2');
    const resumed = await finished(next.run.id);
    // The small repository's watermark survived the crash: only the large one is published again.
    expect(resumed).toMatchObject({ status: 'succeeded', records: { repository: 2, commit: 8_000 } });

    const published = await rawCommitsByScope();
    const scopeOf = (directory: string) =>
      [...published.keys()].find((name) => directory.endsWith(name.split('/').pop() ?? '?')) ?? '?';
    expect(published.get(scopeOf(done))).toBe(2);
    const commits = async () =>
      Number(
        (
          await queryRows<{ n: string }>(
            database.uri,
            `SELECT count(*) AS n FROM commits c JOIN repositories r ON r.id = c.repository_id
             WHERE r.full_name = ANY($1)`,
            [[scopeOf(done), scopeOf(large)]],
          )
        )[0]?.n,
      );
    await waitFor(async () => (await commits()) === 8_002, {
      description: 'every commit of both repositories in Postgres',
      timeoutMs: 90_000,
    });
    // Settled: a while later still exactly once each.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await commits()).toBe(8_002);
  });

  it('cancels a running sync over REST: the connector stops it at its next heartbeat', async () => {
    const created = await call('POST', '/orgs/acme/integrations', {
      provider: 'synthetic',
      name: 'synthetic-slow',
      scope: { seed: 'cancel', days: 28 },
    });
    expect(created.status).toBe(201);
    const { run } = await requestSync(created.body.id as string);
    await publishing(run.id);
    const cancelled = await call('POST', `/orgs/acme/syncs/${run.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const finishedEvent = await waitFor(
      async () => (await syncEvents(run.id)).find((event) => event.event === 'sync.finished'),
      { description: 'sync.finished of the cancelled run', timeoutMs: 30_000 },
    );
    expect(finishedEvent.status).toBe('cancelled');
    // Stopped: its count no longer grows, and stays far below the whole history.
    const stoppedAt = finishedEvent.records.reduce((sum, count) => sum + count.records, 0);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const after = await getRun(run.id);
    expect(after.status).toBe('cancelled');
    expect(Object.values(after.records).reduce((sum, count) => sum + count, 0)).toBeLessThanOrEqual(stoppedAt);
    expect(stoppedAt).toBeLessThan(3_000);
  });

  it('a git backfill publishes the commits authored in its window; the watermarks stay byte-identical', async () => {
    const { first, repository, integration } = await dailyRepository('windowed', 20);
    const before = await watermarksOf(integration);
    expect(before.length).toBeGreaterThan(0);

    const backfill = await call('POST', `/orgs/acme/integrations/${integration}/syncs`, {
      mode: 'backfill',
      window: { start: new Date(first + 5 * DAY_MS).toISOString(), end: new Date(first + 10 * DAY_MS).toISOString() },
    });
    expect(backfill.status).toBe(202);
    const run = await finished((backfill.body.run as { id: string }).id);
    expect(run).toMatchObject({ status: 'succeeded', records: { repository: 1, commit: 5, _expected: 6 } });
    expect(await watermarksOf(integration)).toEqual(before);

    // The next incremental sync starts from the old watermark: only what is new.
    appendCommits(repository, [commitOnDay(first, 20)]);
    expect((await finished((await requestSync(integration)).run.id)).records.commit).toBe(1);
  });

  it('runs a backfill job chunk by chunk (7 days each), keeps progress per chunk, never moves watermarks', async () => {
    const { first, integration } = await dailyRepository('chunked', 20);
    const before = await watermarksOf(integration);

    // Deeper than the community tier: refused up front, naming the tier, its limit and the earliest date.
    const tooDeep = await call('POST', '/orgs/acme/backfills', {
      integration,
      since: new Date(Date.now() - 31 * DAY_MS).toISOString(),
      before: new Date(first).toISOString(),
    });
    expect(tooDeep.status).toBe(400);
    expect(JSON.stringify(tooDeep.body)).toMatch(/community tier allows 30 days, so the earliest allowed is \d{4}-/);

    const created = await call('POST', '/orgs/acme/backfills', {
      integration,
      since: new Date(first).toISOString(),
      before: new Date(first + 16 * DAY_MS).toISOString(),
    });
    expect(created.status).toBe(202);
    const jobId = created.body.id as string;
    expect((created.body.chunks as { status: string }[]).map((chunk) => chunk.status)).toEqual([
      'pending',
      'pending',
      'pending',
    ]);
    type JobView = {
      status: string;
      progress: { chunks_done: number; percent: number; records: number };
      chunks: {
        status: string;
        run_id: string;
        records: Record<string, number>;
        started_at: string;
        finished_at: string;
      }[];
    };
    const job = await waitFor(
      async () => {
        const view = (await call('GET', `/orgs/acme/backfills/${jobId}`)).body as unknown as JobView;
        return view.status !== 'queued' && view.status !== 'running' && view;
      },
      { description: 'the backfill job to end', timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(job.status).toBe('succeeded');
    expect(job.chunks.map((chunk) => [chunk.status, chunk.records.commit])).toEqual([
      ['done', 7],
      ['done', 7],
      ['done', 2],
    ]);
    expect(job.progress).toMatchObject({ chunks_done: 3, percent: 100, records: 3 + 16 });
    // One after another, each its own backfill run.
    for (let index = 1; index < job.chunks.length; index++)
      expect(Date.parse(job.chunks[index]!.started_at)).toBeGreaterThanOrEqual(
        Date.parse(job.chunks[index - 1]!.finished_at),
      );
    expect(new Set(job.chunks.map((chunk) => chunk.run_id)).size).toBe(3);
    for (const chunk of job.chunks) expect((await getRun(chunk.run_id)).mode).toBe('backfill');
    expect(await watermarksOf(integration)).toEqual(before);
    // Their commands went on the backfill stream (its own consumer group and budget), none on the incremental one.
    const runIds = new Set(job.chunks.map((chunk) => chunk.run_id));
    const backfillCommands = await decodedRecords<SyncCommand>(topology.backfillCommands());
    const incrementalCommands = await decodedRecords<SyncCommand>(topology.commands());
    expect(new Set(backfillCommands.map((command) => command.run_id).filter((id) => runIds.has(id)))).toEqual(runIds);
    expect(incrementalCommands.filter((command) => runIds.has(command.run_id))).toEqual([]);
    // task.status followed the job chunk by chunk, to done.
    const statuses = (await decodedRecords<TaskStatus>(topology.taskStatus())).filter(
      (status) => status.task_id === jobId,
    );
    expect(statuses.every((status) => status.kind === 'backfill' && status.total === 3)).toBe(true);
    expect(statuses.filter((status) => status.state === 'running').map((status) => status.chunk)).toEqual(
      expect.arrayContaining([0, 1, 2]),
    );
    expect(statuses.at(-1)).toMatchObject({ state: 'done', percent: 100, done: 3 });
    // And the metrics rebuild of the org and the job's days was requested from the metrics stage.
    const rebuilds = (await decodedRecords<TaskCommand>(topology.taskCommands())).filter(
      (command) => command.task_id === jobId,
    );
    expect(rebuilds[0]).toMatchObject({
      command: 'rebuild.requested',
      stage: 'metrics',
      org_id: 'acme',
      from_time: first,
      to_time: first + 16 * DAY_MS,
    });

    // Cancelled: it stops, and says so.
    const another = await call('POST', '/orgs/acme/backfills', {
      integration,
      since: new Date(first).toISOString(),
      before: new Date(first + 20 * DAY_MS).toISOString(),
    });
    const cancelled = await call('DELETE', `/orgs/acme/backfills/${String(another.body.id)}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
  });

  it('a connector killed mid-chunk: the job resumes at that chunk, and every commit is stored once', async () => {
    // 12,000 commits 100 s apart, ending yesterday: chunk 0 (about 6,000) is long enough to be killed in.
    const start = Math.floor(Date.now() / DAY_MS) * DAY_MS - 15 * DAY_MS;
    const large = await largeRepository(12_000, start, 100);
    const integration = await addIntegration('backfill-crash', [large]);
    const created = await call('POST', '/orgs/acme/backfills', {
      integration,
      since: new Date(start).toISOString(),
      before: new Date(start + 15 * DAY_MS).toISOString(),
    });
    expect(created.status).toBe(202);
    type JobView = {
      status: string;
      chunks: { status: string; run_id: string | null; attempts: number; records: Record<string, number> }[];
    };
    const view = async () =>
      (await call('GET', `/orgs/acme/backfills/${String(created.body.id)}`)).body as unknown as JobView;
    const firstRun = await waitFor(async () => (await view()).chunks[0]?.run_id ?? false, {
      description: 'chunk 0 queued',
      timeoutMs: 20_000,
      intervalMs: 200,
    });
    await publishing(firstRun, 100);
    await connector.stop('SIGKILL');
    expect((await getRun(firstRun)).status).toBe('running');
    // The sweeper fails the silent run; the driver puts chunk 0 back; a new connector takes it.
    connector = await startConnector('connector-git-backfill');
    const job = await waitFor(
      async () => {
        const current = await view();
        return current.status !== 'queued' && current.status !== 'running' && current;
      },
      { description: 'the backfill job to end', timeoutMs: 150_000, intervalMs: 500 },
    );
    expect(job.status).toBe('succeeded');
    expect(job.chunks[0]).toMatchObject({ status: 'done', attempts: 2 });
    expect((await getRun(firstRun)).status).toBe('failed');
    expect(job.chunks.reduce((sum, chunk) => sum + (chunk.records.commit ?? 0), 0)).toBe(12_000);
    const stored = async () =>
      Number(
        (
          await queryRows<{ n: string }>(
            database.uri,
            `SELECT count(*) AS n FROM commits c JOIN repositories r ON r.id = c.repository_id
              WHERE r.full_name LIKE $1`,
            [`%${large.split('/').pop() ?? '?'}`],
          )
        )[0]?.n,
      );
    await waitFor(async () => (await stored()) === 12_000, {
      description: 'every commit in Postgres once',
      timeoutMs: 90_000,
    });
  }, 300_000);

  it('a synthetic backfill publishes the days of its window, the same records as the history has, marked backfill', async () => {
    // Enterprise: no tier limit, so the generator's pinned start date is within reach.
    expect((await call('POST', '/orgs', { slug: 'initech', name: 'Initech', tier: 'enterprise' })).status).toBe(201);
    const created = await api.call('POST', '/orgs/initech/integrations', {
      provider: 'synthetic',
      name: 'synthetic-window',
      scope: { seed: 'window', days: 10 },
    });
    expect(created.status).toBe(201);
    const options: SyntheticOptions = { ...DEFAULT_SYNTHETIC_OPTIONS, seed: 'window', days: 10, org: 'initech' };
    const startMs = Date.parse(`${options.startDate}T00:00:00Z`);
    const window = { start: new Date(startMs + 3 * DAY_MS + 12 * 3_600_000), end: new Date(startMs + 6 * DAY_MS) };
    const requested = await api.call('POST', `/orgs/initech/integrations/${String(created.body.id)}/syncs`, {
      mode: 'backfill',
      window: { start: window.start.toISOString(), end: window.end.toISOString() },
    });
    expect(requested.status).toBe(202);
    const run = await api.waitForEnd('initech', (requested.body.run as { id: string }).id, 90_000);
    expect(run.status).toBe('succeeded');
    // Days 3, 4 and 5 (and the org chart), kind by kind, as the generator makes them for the whole history.
    const expected: Record<string, number> = {};
    const generator = new SyntheticGenerator(options);
    expect(generator.days({ startMs: window.start.getTime(), endMs: window.end.getTime() })).toEqual([3, 4, 5]);
    for (const batch of generator.batches({ startMs: window.start.getTime(), endMs: window.end.getTime() }))
      for (const record of batch) expected[record.entity_kind] = (expected[record.entity_kind] ?? 0) + 1;
    expect(run.records).toEqual(expected);
    const values: Buffer[] = [];
    await kafka.readToEnd(topology.raw('synthetic'), (record) => {
      if (record.value) values.push(record.value);
    });
    const modes = new Map<string, number>();
    for (const value of values) {
      const record = await serde.decode<RawRecord>(value);
      if (record.org_id === 'initech') modes.set(record.sync_mode, (modes.get(record.sync_mode) ?? 0) + 1);
    }
    expect(Object.fromEntries(modes)).toEqual({
      backfill: Object.values(expected).reduce((sum, count) => sum + count, 0),
    });
  });

  it('a connector stopped with SIGTERM mid-sync hands the run back; the next connector resumes the same run', async () => {
    const large = await largeRepository(8_000, Date.UTC(2026, 3, 1));
    const integration = await addIntegration('handed-back', [large]);
    const { run } = await requestSync(integration);
    await publishing(run.id);
    expect(await connector.stop('SIGTERM')).toBe(0);
    expect(await getRun(run.id)).toMatchObject({ status: 'queued' });

    connector = await startConnector('connector-git-3');
    const resumed = await finished(run.id);
    expect(resumed).toMatchObject({ status: 'succeeded', records: { repository: 1, commit: 8_000 } });
    const events = (await syncEvents(run.id)).filter((event) => event.event !== 'sync.progress');
    expect(events.map((event) => `${event.event}:${event.status}`)).toEqual([
      'sync.started:running',
      'sync.finished:queued',
      'sync.started:running',
      'sync.finished:succeeded',
    ]);
  });
});
