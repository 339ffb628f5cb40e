import { DEAD_LETTER_HEADERS, KafkaClient } from '@dev-health/kafka';
import { JsonLogger } from '@dev-health/observability';
import { Topology } from '@dev-health/schemas';
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

/**
 * The GitHub connector against a local fake GitHub, on the real stack (admin → commands →
 * connector-github → raw topic → processor → Postgres): a full sync of an org, unchanged and changed
 * re-syncs, a rate-limit storm, a bad token and a malformed payload.
 */
describe('GitHub connector against a fake GitHub (real stack)', () => {
  const endpoints = stackEndpoints();
  const services: RunningService[] = [];
  const fake: FakeGitHub = fakeOrganization('acme-inc', 5, 60);
  const kafka = new KafkaClient(
    { brokers: endpoints.kafkaBrokers, clientId: 'github-test' },
    new JsonLogger('t', 'error'),
  );
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let topology: Topology;
  let api: AdminApi;
  let integration: string;

  const call = (method: string, path: string, body?: unknown) => api.call(method, path, body);
  const sync = async (integrationId: string) =>
    api.waitForEnd('acme', (await api.requestSync('acme', integrationId)).run.id, 120_000);
  const count = async (sql: string) => Number((await queryRows<{ n: string }>(database.uri, sql))[0]?.n);
  const stored = async () => ({
    repositories: await count(`SELECT count(*) AS n FROM repositories WHERE provider = 'github'`),
    pullRequests: await count(`SELECT count(*) AS n FROM pull_requests WHERE provider = 'github'`),
    reviews: await count(`SELECT count(*) AS n FROM reviews WHERE provider = 'github'`),
  });
  const touch = (repository: number, number: number, title: string) => {
    const pr = fake.repositories[repository]?.pullRequests.find((candidate) => candidate.number === number);
    if (!pr) throw new Error('no such PR');
    pr.title = title;
    pr.updatedAt = new Date().toISOString();
  };
  const expectedReviews = fake.repositories
    .flatMap((repository) => repository.pullRequests)
    .reduce((sum, pr) => sum + pr.reviews.filter((review) => review.state !== 'PENDING').length, 0);

  beforeAll(async () => {
    const apiUrl = await fake.start();
    database = await createTestDatabase(endpoints.databaseUri, 'github');
    const pipeline = pipelineEnvironment('github', database.uri);
    topology = new Topology(pipeline.prefix);
    const env = { ...pipeline.env, ADMIN_TICK_SECONDS: '1', SYNC_HEARTBEAT_SECONDS: '1' };
    const token = await issueApiKey(env);
    const admin = startService('admin', env);
    const connector = startService('connector-github', {
      ...env,
      GITHUB_API_URL: apiUrl,
      GITHUB_TOKEN: fake.token ?? '',
      GITHUB_BAD_TOKEN: 'ghp_revoked',
      GITHUB_PAGE_SIZE: '5',
      GITHUB_LIST_PAGE_SIZE: '2',
    });
    services.push(admin, connector, startService('processor', env), startService('sink-postgres', env));
    api = new AdminApi(await listeningUrl(admin), token);
    await connector.waitForLog(/"message":"connector consuming commands"/);
    expect((await call('POST', '/orgs', { slug: 'acme', name: 'Acme' })).status).toBe(201);
    const created = await call('POST', '/orgs/acme/integrations', {
      provider: 'github',
      name: 'github',
      scope: { owner: 'acme-inc' },
      credential_ref: 'env:GITHUB_TOKEN',
    });
    expect(created.status).toBe(201);
    integration = created.body.id as string;
  });

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await fake.stop();
    await database?.drop();
  });

  it('syncs a whole org: every repository, PR and review lands once, paging through 12 GraphQL pages per repository', async () => {
    const run = await sync(integration);
    expect(run).toMatchObject({ status: 'succeeded', records: { repository: 5, pull_request: 300 } });
    await waitFor(async () => (await stored()).reviews === expectedReviews && (await stored()).pullRequests === 300, {
      description: 'every PR and review in Postgres',
      timeoutMs: 90_000,
      intervalMs: 500,
    });
    expect(await stored()).toEqual({ repositories: 5, pullRequests: 300, reviews: expectedReviews });
    // 3 pages of repositories, a probe per repository, 12 GraphQL pages (5 PRs with reviews) per repository.
    const graphql = fake.requests.filter((request) => request.path === '/graphql');
    expect(graphql).toHaveLength(5 * 12);
    expect(fake.counted()).toHaveLength(3 + 5 + 5 * 12);
  });

  it('re-syncs an unchanged org with 304s only, publishing nothing', async () => {
    const from = fake.requests.length;
    const run = await sync(integration);
    expect(run.status).toBe('succeeded');
    expect(run.records).toEqual({});
    expect(fake.counted(from)).toEqual([]);
    expect(fake.requests.length - from).toBe(3 + 5);
  });

  it('publishes only the PR that changed', async () => {
    touch(2, 17, 'Renamed change');
    const from = fake.requests.length;
    const run = await sync(integration);
    expect(run).toMatchObject({ status: 'succeeded', records: { pull_request: 1 } });
    expect(fake.counted(from).map((request) => request.path)).toEqual([
      '/repos/acme-inc/service-02/pulls?state=all&sort=updated&direction=desc&per_page=1',
      '/graphql',
    ]);
    await waitFor(
      async () =>
        (
          await queryRows<{ title: string }>(
            database.uri,
            `SELECT title FROM pull_requests WHERE number = 17 AND repository_id LIKE '%:100002'`,
          )
        )[0]?.title === 'Renamed change',
      { description: 'the renamed PR in Postgres', timeoutMs: 30_000 },
    );
  });

  it('in a rate-limit storm sends nothing while limited and completes after the reset', async () => {
    touch(0, 5, 'Changed during a storm');
    fake.exhaust(3);
    fake.secondaryLimited = 2;
    const resetAt = fake.resetAt * 1000;
    const from = fake.requests.length;
    const run = await sync(integration);
    expect(run).toMatchObject({ status: 'succeeded', records: { pull_request: 1 } });
    const during = fake.requests.slice(from).filter((request) => request.at < resetAt);
    // Only the request that found the limit exhausted: the connector then waited for the reset.
    expect(during.map((request) => request.status)).toEqual([403]);
    const statuses = fake.requests.slice(from).map((request) => request.status);
    // After the reset, two secondary limits (429 with Retry-After), each waited out once.
    expect(statuses.filter((status) => status === 429)).toHaveLength(2);
    const secondary = fake.requests.slice(from).filter((request) => request.status === 429);
    const afterSecondary = fake.requests.slice(from).find((request) => request.at > (secondary[1]?.at ?? 0));
    expect((afterSecondary?.at ?? 0) - (secondary[1]?.at ?? 0)).toBeGreaterThanOrEqual(
      1_000 * fake.retryAfterSeconds - 50,
    );
  });

  it('rides out a burst of server errors with retries', async () => {
    touch(1, 33, 'Changed during an outage');
    fake.serverErrors = 2;
    const from = fake.requests.length;
    const run = await sync(integration);
    expect(run).toMatchObject({ status: 'succeeded', records: { pull_request: 1 } });
    expect(fake.requests.slice(from).filter((request) => request.status === 502)).toHaveLength(2);
  });

  it('fails a sync with a bad token at stage "auth", and integration health shows it', async () => {
    const created = await call('POST', '/orgs/acme/integrations', {
      provider: 'github',
      name: 'github-revoked',
      scope: { owner: 'acme-inc' },
      credential_ref: 'env:GITHUB_BAD_TOKEN',
    });
    const run = await sync(created.body.id as string);
    expect(run).toMatchObject({ status: 'failed', error_stage: 'auth' });
    expect(run.error_message).toMatch(/401 Bad credentials/);
    expect(run.error_message).not.toContain('ghp_revoked');
    const health = (await call('GET', '/orgs/acme/health')).body.integrations as {
      integration_id: string;
      last_failure_stage: string | null;
    }[];
    expect(health.find((entry) => entry.integration_id === created.body.id)?.last_failure_stage).toBe('auth');
  });

  it('sends a malformed payload to the dead-letter topic with the reason', async () => {
    fake.malformedRepository = 'service-03';
    touch(3, 9, 'Will be malformed');
    const run = await sync(integration);
    expect(run.status).toBe('succeeded');
    const reasons = await waitFor(
      async () => {
        const found: string[] = [];
        await kafka.readToEnd(topology.deadLetter('processor'), (record) => {
          const reason = record.headers[DEAD_LETTER_HEADERS.reason];
          if (reason) found.push(reason);
        });
        return found.length > 0 && found;
      },
      { description: 'a dead letter from the processor', timeoutMs: 30_000 },
    );
    expect(reasons.join('\n')).toMatch(/github\/pull_request 100003#\d+: unmapped state "UNHEARD_OF"/);
    fake.malformedRepository = null;
  });
});
