import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ClickHouseStore } from '@dev-health/clickhouse';
import { MongoStore } from '@dev-health/mongo';
import {
  AdminApi,
  type RunningService,
  createTestDatabase,
  issueApiKey,
  listeningUrl,
  pipelineEnvironment,
  queryRows,
  stackEndpoints,
  startService,
  waitFor,
} from '@dev-health/testing';
import { type FakeGitHub, fakeOrganization } from '../fakes/github/fake-github';
import type { PublicEventsSimulation } from '../fakes/github/simulate-public-events';

const root = path.resolve(__dirname, '../..');

/**
 * GitHub's public-events mode: three simulated hours without a token stay within 60 requests/hour
 * with enrichment cached; on the real stack, pushes land once per event in every store, enriched,
 * whatever re-runs deliver.
 */
describe('GitHub public events', () => {
  it('holds under 60 requests/hour over 3 busy simulated hours, ingestion never waits for enrichment', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', '@swc-node/register', 'test/fakes/github/simulate-public-events.ts'],
      { cwd: root, env: { ...process.env, NODE_OPTIONS: '' } },
    );
    const result = JSON.parse(stdout) as PublicEventsSimulation;
    // Each clock hour, and GitHub never had to refuse a request (it would at the 61st of a window).
    expect(result.requestsPerHour).toHaveLength(8);
    for (const requests of result.requestsPerHour) expect(requests).toBeLessThanOrEqual(60);
    expect(result.refusals).toBe(0);
    // Polling kept its share: no request waited for a reset, every event was in within one budgeted
    // poll interval (120 s: half of 60/hour), while enrichment fell behind and caught up later.
    expect(result.pauses).toBe(0);
    expect(result.maxIngestDelaySeconds).toBeLessThanOrEqual(120);
    expect(result.pendingAfterBusyHours).toBeGreaterThan(0);
    // Every event published, each id once (a push again only with its compare).
    expect(result.eventsPublished).toBe(result.eventsMade);
    expect(result.eventRecords).toBe(result.eventsMade + result.compareRequests);
    // Enrichment: each actor and repository fetched once (cached 24 h), every trimmed push completed.
    expect(Object.values(result.userRequestsByLogin)).toEqual(new Array(8).fill(1));
    expect(result.repositoryRequests).toBe(3);
    expect(result.pushesCompared).toBe(result.pushesComparable);
    expect(result.pushesComparable).toBe(result.pushesMade - 3);
    expect(result.pendingAtEnd).toBe(0);
  }, 120_000);

  describe('on the real stack', () => {
    const endpoints = stackEndpoints();
    const services: RunningService[] = [];
    const fake: FakeGitHub = fakeOrganization('acme-inc', 3, 0);
    let database: Awaited<ReturnType<typeof createTestDatabase>>;
    let api: AdminApi;
    let integration: string;
    let clickhouse: ClickHouseStore;
    let mongo: MongoStore;
    let clickhouseDatabase: string;

    const sync = async () => api.waitForEnd('acme', (await api.requestSync('acme', integration)).run.id, 60_000);
    const pushes = async () => ({
      postgres: Number(
        (await queryRows<{ n: string }>(database.uri, `SELECT count(*) AS n FROM pushes WHERE org_id = 'acme'`))[0]?.n,
      ),
      clickhouse: await clickhouse.countEntities('push'),
      mongo: await mongo.countEntities('push'),
    });
    const settle = (expected: number) =>
      waitFor(
        async () =>
          JSON.stringify(await pushes()) ===
          JSON.stringify({ postgres: expected, clickhouse: expected, mongo: expected }),
        {
          description: `${expected} pushes in every store`,
          timeoutMs: 60_000,
          intervalMs: 500,
        },
      );

    beforeAll(async () => {
      // No token: the fake accepts requests without one. Its limit is generous so polls are 2 s apart.
      fake.token = null;
      fake.pollIntervalSeconds = 1;
      fake.userNames.set('ada', 'Ada Lovelace');
      const apiUrl = await fake.start();
      database = await createTestDatabase(endpoints.databaseUri, 'github_events');
      const pipeline = pipelineEnvironment('github_events', database.uri);
      clickhouseDatabase = pipeline.clickhouseDatabase;
      const env = { ...pipeline.env, ADMIN_TICK_SECONDS: '1', SYNC_HEARTBEAT_SECONDS: '1' };
      const token = await issueApiKey(env);
      const admin = startService('admin', env);
      const connector = startService('connector-github', { ...env, GITHUB_API_URL: apiUrl });
      services.push(admin, connector);
      const pipelineServices = (['processor', 'sink-postgres', 'sink-clickhouse', 'sink-mongo'] as const).map((name) =>
        startService(name, env),
      );
      services.push(...pipelineServices);
      // The sinks migrate their stores at boot: the test's own connections wait until they have.
      for (const service of pipelineServices) await service.waitForLog(/consuming/);
      api = new AdminApi(await listeningUrl(admin), token);
      await connector.waitForLog(/"message":"connector consuming commands"/);
      expect((await api.call('POST', '/orgs', { slug: 'acme', name: 'Acme' })).status).toBe(201);
      const created = await api.call('POST', '/orgs/acme/integrations', {
        provider: 'github',
        name: 'public events',
        scope: { owner: 'acme-inc', mode: 'public_events' },
      });
      expect(created.status).toBe(201);
      integration = created.body.id as string;
      clickhouse = await ClickHouseStore.connect(endpoints.clickhouseUrl, clickhouseDatabase);
      mongo = await MongoStore.connect(pipeline.mongoUri);
    });

    afterAll(async () => {
      await Promise.all(services.map((service) => service.stop()));
      await fake.stop();
      await clickhouse?.client.command({ query: `DROP DATABASE IF EXISTS ${clickhouseDatabase}` });
      await clickhouse?.close();
      await mongo?.db.dropDatabase();
      await mongo?.close();
      await database?.drop();
    });

    it('lands each push once in every store, with its commits from the compare and its actor named', async () => {
      for (let n = 0; n < 6; n++) fake.push(n % 2 === 0 ? 'ada' : 'bob', `service-0${n % 3}`, 1 + n);
      fake.star('cy', 'service-01');
      const run = await sync();
      expect(run).toMatchObject({ status: 'succeeded', records: { event: 7 + 3, user: 3, repository: 3 } });
      await settle(6);
      const rows = await queryRows<{ size: number; complete: boolean; shas: number }>(
        database.uri,
        `SELECT size, commits_complete AS complete, cardinality(commit_shas) AS shas FROM pushes ORDER BY event_id`,
      );
      // Pushes 4–6 follow a push to the same repository: their commits come from the compare.
      expect(rows).toEqual(
        fake.events
          .filter((event) => event.push)
          .map((event) => ({
            size: /^0+$/.test(event.push?.before ?? '') ? 0 : (event.push?.commits.length ?? 0),
            complete: !/^0+$/.test(event.push?.before ?? ''),
            shas: /^0+$/.test(event.push?.before ?? '') ? 0 : (event.push?.commits.length ?? 0),
          })),
      );
      const named = await queryRows<{ display_name: string }>(
        database.uri,
        `SELECT display_name FROM identities WHERE 'github:ada' = ANY (logins)`,
      );
      expect(named.map((row) => row.display_name)).toEqual(['Ada Lovelace']);
    });

    it('publishes nothing new on an unchanged poll, only the new push after one', async () => {
      await new Promise((resolve) => setTimeout(resolve, 2_100)); // the poll interval
      const unchanged = await sync();
      expect(unchanged.records).toEqual({});
      fake.push('cy', 'service-02', 2);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const changed = await sync();
      // The push, then its compare; cy and the repository were enriched in the last 24 h or are new.
      expect(changed).toMatchObject({ status: 'succeeded', records: { event: 2 } });
      await settle(7);
    });

    it('a re-run that forgot where it was (watermarks and ETags lost) duplicates nothing', async () => {
      await queryRows(database.uri, `DELETE FROM sync_watermarks WHERE integration_id = '${integration}'`);
      await queryRows(database.uri, `DELETE FROM http_cache WHERE integration_id = '${integration}'`);
      const run = await sync();
      expect(run.status).toBe('succeeded');
      // Every event again, and the pushes' compares and enrichment again: the same records.
      expect(run.records.event).toBeGreaterThanOrEqual(fake.events.length);
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      await settle(7);
      const [row] = await queryRows<{ events: string; ids: string }>(
        database.uri,
        `SELECT count(*) AS events, count(DISTINCT event_id) AS ids FROM pushes`,
      );
      expect(row).toEqual({ events: '7', ids: '7' });
    });
  });
});
