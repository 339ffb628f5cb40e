import { ClickHouseStore } from '@dev-health/clickhouse';
import type { ReplayJob } from '@dev-health/control-plane';
import { KafkaClient } from '@dev-health/kafka';
import { MongoStore } from '@dev-health/mongo';
import { JsonLogger } from '@dev-health/observability';
import { AvroSerde } from '@dev-health/registry';
import { PROVIDERS, type TaskStatus, Topology } from '@dev-health/schemas';
import { DEFAULT_SYNTHETIC_OPTIONS, buildOrganisation, identityAliases } from '@dev-health/synthetic';
import {
  AdminApi,
  type RunningService,
  createTestDatabase,
  issueApiKey,
  listeningUrl,
  pipelineEnvironment,
  queryRows,
  runToCompletion,
  stackEndpoints,
  startService,
  uniqueName,
  waitFor,
  waitForSettled,
} from '@dev-health/testing';

type Stage = 'processor' | 'sink-postgres' | 'sink-clickhouse' | 'sink-mongo' | 'metrics';

/**
 * Replays on the real stack: a stage reprocesses its input topics for one org, beside its live
 * consumers, and no provider is called again. The three uses an operator has for them: a normalizer
 * fix (processor), a new store (a sink into a fresh database), a change of a metric's definition.
 */
describe('replays: reprocessing from Kafka, not from providers (real stack)', () => {
  const endpoints = stackEndpoints();
  const services = new Map<string, RunningService>();
  const seed = uniqueName('replay');
  const days = 5;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let env: Record<string, string>;
  let api: AdminApi;
  let clickhouse: ClickHouseStore;
  let mongo: MongoStore;
  let cliEnv: Record<string, string>;
  let commitsSynced = 0;
  let topology: Topology;
  const serde = new AvroSerde(endpoints.schemaRegistryUrl);
  const kafka = new KafkaClient(
    { brokers: endpoints.kafkaBrokers, clientId: 'replay-test' },
    new JsonLogger('t', 'error'),
  );

  const start = async (
    name: Stage | 'admin' | 'connector-synthetic',
    extra: Record<string, string> = {},
    label: string = name,
  ) => {
    const service = startService(name, { ...env, ...extra }, label);
    services.set(label, service);
    await service.waitForLog(name === 'admin' ? /listening/ : /consuming/);
    return service;
  };
  const restart = async (name: Stage, extra: Record<string, string>, label: string) => {
    await services.get(name)?.stop();
    const service = await start(name, extra, label);
    services.delete(label);
    services.set(name, service);
    return service;
  };

  /** Each commit's author identity, per store (Postgres, ClickHouse's latest versions, Mongo). */
  const authors = async (store: ClickHouseStore = clickhouse) => {
    const postgres = await queryRows<{ id: string; author_identity_id: string }>(
      database.uri,
      `SELECT id, author_identity_id FROM commits WHERE org_id = 'acme' ORDER BY id`,
    );
    const byId = (rows: Record<string, unknown>[]) =>
      Object.fromEntries(rows.map((row) => [String(row.id ?? row._id), String(row.author_identity_id)]));
    return {
      postgres: byId(postgres),
      clickhouse: byId(await store.latestEntities('commit')),
      mongo: byId(await mongo.entities('commit')),
    };
  };
  const distinct = (map: Record<string, string>) => new Set(Object.values(map)).size;
  /** The latest team-day rows in Postgres: commits and after-hours commits. */
  const teamDays = () =>
    queryRows<{ team_id: string; day: string; commits: number; after_hours_commits: number }>(
      database.uri,
      `SELECT DISTINCT ON (team_id, day) team_id, to_char(day, 'YYYY-MM-DD') AS day, commits, after_hours_commits
         FROM team_metrics_daily WHERE org_id = 'acme' ORDER BY team_id, day, computed_at DESC`,
    );
  /** Every stage's group has committed all there is, and the team metrics read the same twice. */
  const pipelineSettled = () =>
    waitForSettled(
      (group) => kafka.groupLag(group),
      (['processor', 'sink-postgres', 'sink-clickhouse', 'sink-mongo', 'metrics'] as const).map((stage) =>
        topology.group(stage),
      ),
      teamDays,
    );
  const sum = (rows: Record<string, unknown>[], field: string) =>
    rows.reduce((total, row) => total + Number(row[field]), 0);

  beforeAll(async () => {
    database = await createTestDatabase(endpoints.databaseUri, 'replay');
    const pipeline = pipelineEnvironment('replay', database.uri);
    topology = new Topology(pipeline.prefix);
    env = { ...pipeline.env, ADMIN_TICK_SECONDS: '1', SYNC_COMMAND_RESEND_SECONDS: '5' };
    const token = await issueApiKey(env);
    const admin = await start('admin');
    api = new AdminApi(await listeningUrl(admin), token);
    cliEnv = { DHO_API_URL: api.baseUrl, DHO_API_KEY: token };
    // The processor starts without the identity table: the "bug" a replay fixes.
    for (const stage of ['processor', 'sink-postgres', 'sink-clickhouse', 'sink-mongo', 'metrics'] as const)
      await start(stage);
    await start('connector-synthetic', { SYNTHETIC_SERVE: 'true' });
    clickhouse = await ClickHouseStore.connect(endpoints.clickhouseUrl, pipeline.clickhouseDatabase);
    mongo = await MongoStore.connect(pipeline.mongoUri);

    await api.ok('POST', '/orgs', { slug: 'acme', name: 'Acme' });
    const integration = await api.ok('POST', '/orgs/acme/integrations', {
      provider: 'synthetic',
      name: 'synthetic',
      scope: { seed, days },
    });
    const run = await api.waitForEnd('acme', (await api.requestSync('acme', String(integration.id))).run.id);
    expect(run.status).toBe('succeeded');
    commitsSynced = run.records.commit ?? 0;
    expect(commitsSynced).toBeGreaterThan(100);
    await waitFor(
      async () => {
        const now = await authors();
        return (
          Object.keys(now.postgres).length === commitsSynced &&
          Object.keys(now.clickhouse).length === commitsSynced &&
          Object.keys(now.mongo).length === commitsSynced &&
          (await teamDays()).length > 0
        );
      },
      { description: 'every commit in every store, and team metrics', timeoutMs: 120_000, intervalMs: 500 },
    );
  }, 300_000);

  afterAll(async () => {
    await Promise.all([...services.values()].map((service) => service.stop('SIGKILL')));
    await clickhouse?.close();
    await mongo?.close();
  });

  it('refuses an unknown stage and a malformed start, naming the field', async () => {
    const unknown = await api.call('POST', '/orgs/acme/replays', { stage: 'connector-git' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([
      { field: 'stage', message: 'must be one of processor, sink-postgres, sink-clickhouse, sink-mongo, metrics' },
    ]);
    const malformed = await api.call('POST', '/orgs/acme/replays', { stage: 'processor', from: 'yesterday' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([
      { field: 'from', message: 'must be "earliest", an ISO 8601 instant or a list of offsets' },
    ]);
    expect((await api.ok('GET', '/orgs/acme/replays')) as unknown as ReplayJob[]).toEqual([]);
  });

  it('a normalizer fix: the processor replays the raw topics and every store shows the corrected values, once', async () => {
    const before = await authors();
    const identitiesBefore = distinct(before.postgres);
    const organisation = buildOrganisation(seed, DEFAULT_SYNTHETIC_OPTIONS);
    // Commits under people's other addresses were separate identities: more than there are people.
    expect(identitiesBefore).toBeGreaterThan(organisation.people.length);

    await restart('processor', { IDENTITY_ALIASES: JSON.stringify(identityAliases(organisation)) }, 'processor-fixed');
    const rawTopics = PROVIDERS.map((provider) => topology.raw(provider));
    const liveBefore = await kafka.groupPositions(topology.group('processor'), rawTopics);
    const job = await api.replay('acme', { stage: 'processor', from: 'earliest' });
    // The replay was a group of its own: the live group's offsets are where they were, and the replay's is gone.
    expect(await kafka.groupPositions(topology.group('processor'), rawTopics)).toEqual(liveBefore);
    const replayGroup = await kafka.groupPositions(`${topology.group('processor')}.replay.${job.id}`, rawTopics);
    expect([...replayGroup.values()].every((offset) => offset === '-1')).toBe(true);
    expect(job).toMatchObject({ status: 'done', generation: 1 });
    expect(job.total).toBeGreaterThanOrEqual(commitsSynced);
    expect(job.done).toBe(job.total);
    expect(job.partitions.every((entry) => entry.position === entry.end)).toBe(true);

    const after = await waitFor(
      async () => {
        const now = await authors();
        const fixed = [now.postgres, now.clickhouse, now.mongo].every(
          (store) => distinct(store) <= organisation.people.length,
        );
        return fixed && now;
      },
      { description: 'merged identities in every store', timeoutMs: 120_000, intervalMs: 500 },
    );
    // Same commits, no duplicates, and the three stores agree commit by commit.
    expect(Object.keys(after.postgres)).toHaveLength(commitsSynced);
    expect(after.clickhouse).toEqual(after.postgres);
    expect(after.mongo).toEqual(after.postgres);
    expect(distinct(after.postgres)).toBeLessThan(identitiesBefore);
    // Nothing was fetched again: the integration has its one sync run.
    const runs = await queryRows<{ count: number }>(database.uri, `SELECT count(*)::int AS count FROM sync_runs`);
    expect(runs[0]?.count).toBe(1);
  }, 300_000);

  it('a metric definition change: the metrics stage replays its change events and the metrics follow', async () => {
    // The processor replay before this one still flows through the sinks into recomputed metrics: read
    // "before" once every stage has caught up and the team metrics hold still.
    const before = await pipelineSettled();
    expect(sum(before, 'after_hours_commits')).toBeGreaterThan(0);
    // Every hour of the day is a business hour now: no commit is after hours (weekends still are weekends).
    await restart('metrics', { METRICS_BUSINESS_HOURS: '00-24' }, 'metrics-redefined');
    const { code, output } = await runToCompletion('cli', cliEnv, 240_000, [
      '--json',
      'replay',
      'run',
      '--org',
      'acme',
      '--stage',
      'metrics',
      '--follow',
      '--interval',
      '250',
    ]);
    expect(code).toBe(0);
    const lines = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as ReplayJob);
    expect(lines.at(-1)).toMatchObject({ stage: 'metrics', status: 'done' });
    const after = await teamDays();
    expect(sum(after, 'after_hours_commits')).toBe(0);
    expect(sum(after, 'commits')).toBe(sum(before, 'commits'));
    // ClickHouse follows through its own sink: every team-day redefined there too, no commit lost.
    await waitFor(
      async () => {
        const rows = await clickhouse.latestMetrics('team_metrics_daily', {}, '2000-01-01', '2099-12-31');
        return (
          rows.length === after.length &&
          sum(rows, 'after_hours_commits') === 0 &&
          sum(rows, 'commits') === sum(before, 'commits')
        );
      },
      {
        description: `ClickHouse to have all ${after.length} redefined team-days and ${sum(before, 'commits')} commits`,
        timeoutMs: 60_000,
        intervalMs: 500,
      },
    );
  }, 300_000);

  it('a new store: a sink pointed at a fresh ClickHouse database replays the canonical topics and matches Postgres', async () => {
    const freshDatabase = uniqueName('replay_fresh_ch');
    // Its live group has consumed everything already: on its own the new database would stay empty.
    await restart('sink-clickhouse', { CLICKHOUSE_DATABASE: freshDatabase }, 'sink-clickhouse-fresh');
    const fresh = await ClickHouseStore.connect(endpoints.clickhouseUrl, freshDatabase);
    try {
      expect(await fresh.countEntities('commit')).toBe(0);
      const job = await api.replay('acme', { stage: 'sink-clickhouse' });
      expect(job.status).toBe('done');
      const counts = await queryRows<Record<string, number>>(
        database.uri,
        `SELECT (SELECT count(*)::int FROM commits) AS commit, (SELECT count(*)::int FROM pull_requests) AS pull_request,
                (SELECT count(*)::int FROM work_items) AS work_item, (SELECT count(*)::int FROM identities) AS identity`,
      );
      const expected = counts[0] as Record<string, number>;
      expect(expected.commit).toBe(commitsSynced);
      for (const entity of ['commit', 'pull_request', 'work_item', 'identity'] as const)
        expect({ entity, count: await fresh.countEntities(entity) }).toEqual({ entity, count: expected[entity] });
      // The corrected identities and the redefined metrics came along: the latest versions were replayed.
      expect((await authors(fresh)).clickhouse).toEqual((await authors()).postgres);
      const metrics = await fresh.latestMetrics('team_metrics_daily', {}, '2000-01-01', '2099-12-31');
      expect(sum(metrics, 'commits')).toBe(sum(await teamDays(), 'commits'));
      expect(sum(metrics, 'after_hours_commits')).toBe(0);
    } finally {
      await fresh.client.command({ query: `DROP DATABASE IF EXISTS ${freshDatabase}` });
      await fresh.close();
    }
  }, 300_000);

  it('a backfill job ends with a metrics rebuild of its org and range, done by the metrics stage', async () => {
    // Enterprise: the synthetic history's pinned start is far beyond the community tier's 30 days.
    await api.ok('POST', '/orgs', { slug: 'initech', name: 'Initech', tier: 'enterprise' });
    const integration = await api.ok('POST', '/orgs/initech/integrations', {
      provider: 'synthetic',
      name: 'synthetic',
      scope: { seed, days },
    });
    const start = Date.parse(`${DEFAULT_SYNTHETIC_OPTIONS.startDate}T00:00:00Z`);
    const DAY_MS = 86_400_000;
    const job = await api.ok('POST', '/orgs/initech/backfills', {
      integration: integration.id,
      since: new Date(start + DAY_MS).toISOString(),
      before: new Date(start + 3 * DAY_MS).toISOString(),
    });
    const ended = await waitFor(
      async () => {
        const view = await api.ok('GET', `/orgs/initech/backfills/${String(job.id)}`);
        return ['done', 'failed'].includes(String(view.rebuild_status)) && view;
      },
      { description: 'the backfill job and its rebuild to end', timeoutMs: 180_000, intervalMs: 250 },
    );
    expect(ended).toMatchObject({ status: 'succeeded', rebuild_status: 'done' });
    // The metrics stage reported the rebuild: done, with the keys it recomputed.
    const statuses: TaskStatus[] = [];
    const values: Buffer[] = [];
    await kafka.readToEnd(topology.taskStatus(), (record) => {
      if (record.key === job.id && record.value) values.push(record.value);
    });
    for (const value of values) statuses.push(await serde.decode<TaskStatus>(value));
    const rebuilt = statuses.filter((status) => status.kind === 'rebuild');
    expect(rebuilt.at(-1)).toMatchObject({ state: 'done', stage: 'metrics', org_id: 'initech' });
    const keys = rebuilt.at(-1)?.total ?? 0;
    expect(keys).toBeGreaterThan(0);
    // It ran behind the barrier, after the live recomputes of the backfilled records: initech's latest
    // computation is the rebuild's, one computed_at for all of its keys, all in the job's two days.
    const [latest] = await queryRows<{ keys: number; first_day: string; last_day: string }>(
      database.uri,
      `SELECT count(*)::int AS keys, to_char(min(day), 'YYYY-MM-DD') AS first_day, to_char(max(day), 'YYYY-MM-DD') AS last_day
         FROM metric_computations WHERE org_id = 'initech'
          AND computed_at = (SELECT max(computed_at) FROM metric_computations WHERE org_id = 'initech')`,
    );
    expect(latest?.keys).toBe(keys);
    expect(latest?.first_day).toBe(new Date(start + DAY_MS).toISOString().slice(0, 10));
    expect(latest?.last_day).toBe(new Date(start + 2 * DAY_MS).toISOString().slice(0, 10));
    // Scoped to the org: acme got no computation after the job ended.
    const acme = await queryRows<{ count: number }>(
      database.uri,
      `SELECT count(*)::int AS count FROM metric_computations WHERE org_id = 'acme' AND computed_at > $1`,
      [ended.finished_at],
    );
    expect(acme[0]?.count).toBe(0);
  }, 300_000);
});
