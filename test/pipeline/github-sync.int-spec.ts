import { generateKeyPairSync } from 'node:crypto';
import { ClickHouseStore } from '@dev-health/clickhouse';
import { DEAD_LETTER_HEADERS, KafkaClient } from '@dev-health/kafka';
import { MongoStore } from '@dev-health/mongo';
import { MetricsReader, PostgresStore } from '@dev-health/postgres';
import { JsonLogger } from '@dev-health/observability';
import { type StoredEntityName, Topology } from '@dev-health/schemas';
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
import { type FakeGitHub, type FakeRepository, fakeOrganization } from '../fakes/github/fake-github';

/**
 * The GitHub connector against a local fake GitHub, on the real stack (admin → commands →
 * connector-github → raw topic → processor → Postgres): a full sync of an org, unchanged and changed
 * re-syncs, a rate-limit storm, a bad token and a malformed payload.
 */
describe('GitHub connector against a fake GitHub (real stack)', () => {
  const endpoints = stackEndpoints();
  const services: RunningService[] = [];
  const fake: FakeGitHub = fakeOrganization('acme-inc', 5, 60);
  // Histories longer than a page carries (100): a PR with 230 reviews, an issue with 151 state changes.
  const longReviewed = fake.repositories[1]?.pullRequests.find((pr) => pr.number === 2);
  const longLived = fake.repositories[1]?.issues[0];
  if (!longReviewed || !longLived) throw new Error('fake org changed shape');
  longReviewed.reviews = Array.from({ length: 230 }, (_, k) => ({
    databaseId: 800_000 + k,
    state: 'COMMENTED' as const,
    submittedAt: new Date(Date.parse(longReviewed.createdAt) + (k + 1) * 60_000).toISOString(),
    login: k % 2 === 0 ? 'ada' : 'bob',
  }));
  const lastChange = Date.parse(longLived.updatedAt);
  longLived.timeline.push(
    ...Array.from({ length: 150 }, (_, k) => ({
      type: k % 2 === 0 ? ('UnassignedEvent' as const) : ('AssignedEvent' as const),
      at: new Date(lastChange + (k + 1) * 60_000).toISOString(),
      actor: 'cy',
    })),
  );
  longLived.updatedAt = longLived.timeline.at(-1)?.at ?? longLived.updatedAt;
  // A GitHub App installed on the org: the connector mints installation tokens with its key.
  const appKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  fake.app = { id: 4242, installationId: 77, publicKey: appKeys.publicKey };
  const appCredential = JSON.stringify({
    app_id: 4242,
    installation_id: 77,
    private_key: appKeys.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  });
  const kafka = new KafkaClient(
    { brokers: endpoints.kafkaBrokers, clientId: 'github-test' },
    new JsonLogger('t', 'error'),
  );
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let topology: Topology;
  let api: AdminApi;
  let integration: string;
  let clickhouse: ClickHouseStore;
  let mongo: MongoStore;
  let postgres: PostgresStore;
  let clickhouseDatabase: string;

  const call = (method: string, path: string, body?: unknown) => api.call(method, path, body);
  const sync = async (integrationId: string) =>
    api.waitForEnd('acme', (await api.requestSync('acme', integrationId)).run.id, 120_000);
  const count = async (sql: string) => Number((await queryRows<{ n: string }>(database.uri, sql))[0]?.n);
  const stored = async () => ({
    repositories: await count(`SELECT count(*) AS n FROM repositories WHERE provider = 'github'`),
    pullRequests: await count(`SELECT count(*) AS n FROM pull_requests WHERE provider = 'github'`),
    reviews: await count(`SELECT count(*) AS n FROM reviews WHERE provider = 'github'`),
    reviewComments: await count(`SELECT count(*) AS n FROM review_comments WHERE provider = 'github'`),
    deployments: await count(`SELECT count(*) AS n FROM deployments WHERE provider = 'github'`),
    pipelineRuns: await count(`SELECT count(*) AS n FROM pipeline_runs WHERE provider = 'github'`),
    pipelineJobs: await count(`SELECT count(*) AS n FROM pipeline_jobs WHERE provider = 'github'`),
    workItems: await count(`SELECT count(*) AS n FROM work_items WHERE provider = 'github'`),
    transitions: await count(`SELECT count(*) AS n FROM work_item_transitions WHERE provider = 'github'`),
    incidents: await count(`SELECT count(*) AS n FROM incidents WHERE provider = 'github'`),
  });
  const touch = (repository: number, number: number, title: string) => {
    const pr = fake.repositories[repository]?.pullRequests.find((candidate) => candidate.number === number);
    if (!pr) throw new Error('no such PR');
    pr.title = title;
    pr.updatedAt = new Date().toISOString();
  };
  const all = <T>(pick: (repository: FakeRepository) => T[]) => fake.repositories.flatMap(pick);
  const expectedReviews = all((repository) => repository.pullRequests).reduce(
    (sum, pr) => sum + pr.reviews.filter((review) => review.state !== 'PENDING').length,
    0,
  );
  // The first sync reads 90 days of workflow runs (GITHUB_INITIAL_HISTORY_DAYS), jobs of completed ones.
  const horizon = new Date(Date.now() - 90 * 86_400_000).toISOString();
  const recentRuns = all((repository) => repository.workflowRuns).filter((run) => run.createdAt > horizon);
  const completedRuns = recentRuns.filter((run) => run.status === 'completed');
  // One transition for opening, one per event that changes the status (a plain label changes none).
  const expectedTransitions = all((repository) => repository.issues).reduce(
    (sum, issue) =>
      sum + 1 + issue.timeline.filter((event) => !('label' in event) || event.label.startsWith('status:')).length,
    0,
  );
  const expected = {
    repositories: 5,
    pullRequests: 300,
    reviews: expectedReviews,
    reviewComments: all((repository) => repository.pullRequests).reduce((sum, pr) => sum + pr.comments.length, 0),
    deployments: all((repository) => repository.deployments).length,
    pipelineRuns: recentRuns.length,
    pipelineJobs: completedRuns.reduce((sum, run) => sum + run.jobs.length, 0),
    workItems: all((repository) => repository.issues).length,
    transitions: expectedTransitions,
    incidents: 5,
  };

  beforeAll(async () => {
    const apiUrl = await fake.start();
    database = await createTestDatabase(endpoints.databaseUri, 'github');
    const pipeline = pipelineEnvironment('github', database.uri);
    topology = new Topology(pipeline.prefix);
    clickhouseDatabase = pipeline.clickhouseDatabase;
    const env = { ...pipeline.env, ADMIN_TICK_SECONDS: '1', SYNC_HEARTBEAT_SECONDS: '1' };
    const token = await issueApiKey(env);
    const admin = startService('admin', env);
    const connector = startService('connector-github', {
      ...env,
      GITHUB_API_URL: apiUrl,
      GITHUB_TOKEN: fake.token ?? '',
      GITHUB_BAD_TOKEN: 'ghp_revoked',
      GITHUB_APP: appCredential,
      GITHUB_PAGE_SIZE: '5',
      GITHUB_LIST_PAGE_SIZE: '2',
    });
    services.push(admin, connector);
    const pipelineServices = (['processor', 'sink-postgres', 'sink-clickhouse', 'sink-mongo', 'metrics'] as const).map(
      (name) => startService(name, env),
    );
    services.push(...pipelineServices);
    // The sinks migrate their stores at boot: the test's own connections wait until they have.
    for (const service of pipelineServices) await service.waitForLog(/consuming/);
    postgres = await PostgresStore.connect(database.uri, 'github-test');
    clickhouse = await ClickHouseStore.connect(endpoints.clickhouseUrl, clickhouseDatabase);
    mongo = await MongoStore.connect(pipeline.mongoUri);
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
    await postgres?.close();
    await clickhouse?.client.command({ query: `DROP DATABASE IF EXISTS ${clickhouseDatabase}` });
    await clickhouse?.close();
    await mongo?.db.dropDatabase();
    await mongo?.close();
    await database?.drop();
  });

  it('syncs a whole org: repositories, PRs with reviews, deployments, workflow runs with jobs, issues and incidents', async () => {
    const run = await sync(integration);
    expect(run).toMatchObject({
      status: 'succeeded',
      records: {
        repository: 5,
        pull_request: 300,
        review_comment: expected.reviewComments,
        deployment: 40,
        workflow_run: recentRuns.length,
        issue: 50,
      },
    });
    await waitFor(async () => JSON.stringify(await stored()) === JSON.stringify(expected), {
      description: 'every record in Postgres',
      timeoutMs: 90_000,
      intervalMs: 500,
    });
    expect(await stored()).toEqual(expected);
    // Per repository: 3 probes (PRs, deployments, issues); 11 GraphQL pages of 5 PRs with reviews after
    // the first, which the 5 repositories' first pages share (1 request); 10 REST pages of 2 review
    // comments (repository-wide; the first is the probe); 2 of deployments; 6 REST pages of 2 runs (the
    // first is the probe, the 6th reaches past the 90 days); the in-flight run read by id and the
    // in-flight deployment's latest status (their ETags, for free re-checks); one GraphQL request for
    // the jobs of every completed run; 2 GraphQL pages of issues. Plus 3 pages of repositories, and the
    // reviews (2 pages) and state changes (1 page) past the first 100 of the long-lived PR and issue.
    const perRepository = 3 + 11 + expected.reviewComments / 5 / 2 + 2 + 6 + 2 + 1 + 2;
    expect(fake.counted()).toHaveLength(3 + 5 * perRepository + 1 + 3);
    const graphql = fake.requests.filter((request) => request.path === '/graphql');
    expect(graphql).toHaveLength(5 * (11 + 2 + 1 + 2) + 1 + 3);
    expect(graphql.filter((request) => request.operation === 'WorkflowRunJobs')).toHaveLength(5);
    expect(fake.requests.filter((request) => request.path.includes('/jobs'))).toEqual([]);
    expect(graphql.filter((request) => request.operation === 'PullRequestsOfRepositories')).toHaveLength(1);
    expect(graphql.filter((request) => request.operation === 'PullRequestReviews')).toHaveLength(2);
    expect(graphql.filter((request) => request.operation === 'IssueTimeline')).toHaveLength(1);
    const [longHistories] = await queryRows<{ reviews: string; transitions: string }>(
      database.uri,
      `SELECT (SELECT count(*) FROM reviews WHERE pull_request_id LIKE '%:100001/2') AS reviews,
              (SELECT count(*) FROM work_item_transitions WHERE work_item_id LIKE '%:100001/${longLived.number}') AS transitions`,
    );
    expect(longHistories).toEqual({ reviews: '230', transitions: String(longLived.timeline.length + 1) });
  });

  it('lands the same records in ClickHouse and MongoDB, and DORA metrics count them', async () => {
    const entities: [StoredEntityName, number][] = [
      ['repository', expected.repositories],
      ['pull_request', expected.pullRequests],
      ['review', expected.reviews],
      ['review_comment', expected.reviewComments],
      ['deployment', expected.deployments],
      ['pipeline_run', expected.pipelineRuns],
      ['pipeline_job', expected.pipelineJobs],
      ['work_item', expected.workItems],
      ['work_item_transition', expected.transitions],
      ['incident', expected.incidents],
    ];
    const counts = async (store: { countEntities(entity: StoredEntityName): Promise<number> }) => {
      const pairs = await Promise.all(
        entities.map(async ([entity]): Promise<[string, number]> => [entity, await store.countEntities(entity)]),
      );
      return Object.fromEntries(pairs);
    };
    const want = Object.fromEntries(entities);
    await waitFor(async () => JSON.stringify(await counts(clickhouse)) === JSON.stringify(want), {
      description: 'every record in ClickHouse',
      timeoutMs: 90_000,
      intervalMs: 1_000,
    });
    await waitFor(async () => JSON.stringify(await counts(mongo)) === JSON.stringify(want), {
      description: 'every record in MongoDB',
      timeoutMs: 90_000,
      intervalMs: 1_000,
    });
    // Production only (the integration's pattern): 4 successful and 1 failed deployment per repository.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const dora = async () => {
      const rows = await new MetricsReader(postgres.dataSource).latest(
        'dora_metrics_daily',
        { org_id: 'acme' },
        day(-60),
        day(1),
      );
      const sum = (column: string) => rows.reduce((total, row) => total + Number(row[column] ?? 0), 0);
      return { successful: sum('successful_deployments'), failed: sum('failed_deployments') };
    };
    await waitFor(async () => JSON.stringify(await dora()) === JSON.stringify({ successful: 20, failed: 5 }), {
      description: 'DORA metrics over the GitHub deployments',
      timeoutMs: 90_000,
      intervalMs: 1_000,
    });
  });

  it('counts DORA inputs: production is the integration’s pattern, outcomes come from statuses, incidents link deployments', async () => {
    const rows = await queryRows<{ environment: string; status: string; n: string }>(
      database.uri,
      `SELECT environment, status, count(*) AS n FROM deployments WHERE provider = 'github'
         GROUP BY environment, status ORDER BY environment, status`,
    );
    expect(rows.map((row) => [row.environment, row.status, Number(row.n)])).toEqual([
      ['production', 'failed', 5],
      ['production', 'in_progress', 5],
      ['production', 'success', 20],
      ['staging', 'failed', 5],
      ['staging', 'success', 5],
    ]);
    const linked = await queryRows<{ status: string; environment: string; severity: string }>(
      database.uri,
      `SELECT d.status, d.environment, i.severity FROM incidents i JOIN deployments d ON d.id = i.deployment_id
        WHERE i.provider = 'github'`,
    );
    expect(linked).toHaveLength(5);
    expect(new Set(linked.map((row) => `${row.environment}/${row.status}/${row.severity}`))).toEqual(
      new Set(['production/failed/sev2']),
    );
    const runs = await queryRows<{ status: string; n: string }>(
      database.uri,
      `SELECT status, count(*) AS n FROM pipeline_runs WHERE provider = 'github' GROUP BY status ORDER BY status`,
    );
    const byConclusion = (conclusion: string | null) =>
      recentRuns.filter((candidate) => candidate.conclusion === conclusion).length;
    expect(Object.fromEntries(runs.map((row) => [row.status, Number(row.n)]))).toEqual({
      canceled: byConclusion('cancelled'),
      failed: byConclusion('failure'),
      running: byConclusion(null),
      success: byConclusion('success'),
    });
  });

  it('links workflow runs to the pull requests they ran for, in every store', async () => {
    const forPulls = recentRuns.filter((run) => run.pullRequest !== null).length;
    expect(forPulls).toBeGreaterThan(0);
    const [linked] = await queryRows<{ runs: string; joined: string }>(
      database.uri,
      `SELECT (SELECT count(*) FROM pipeline_runs WHERE provider = 'github' AND cardinality(pull_request_ids) = 1) AS runs,
              (SELECT count(*) FROM pipeline_runs r JOIN pull_requests p ON p.id = ANY (r.pull_request_ids)
                WHERE r.provider = 'github') AS joined`,
    );
    expect({ runs: Number(linked?.runs), joined: Number(linked?.joined) }).toEqual({
      runs: forPulls,
      joined: forPulls,
    });
    const result = await clickhouse.client.query({
      query: `SELECT count() AS n FROM ${clickhouseDatabase}.pipeline_runs FINAL WHERE length(pull_request_ids) = 1`,
      format: 'JSONEachRow',
    });
    expect(Number((await result.json<{ n: string }>())[0]?.n)).toBe(forPulls);
    expect(await mongo.db.collection('pipeline_runs').countDocuments({ 'pull_request_ids.0': { $exists: true } })).toBe(
      forPulls,
    );
  });

  it('links PRs to the issues they close, their labels and the people asked to review', async () => {
    const prs = all((repository) => repository.pullRequests);
    const [links] = await queryRows<{ closing: string; linked: string; labelled: string; requested: string }>(
      database.uri,
      `SELECT (SELECT count(*) FROM pull_requests WHERE provider = 'github' AND cardinality(closing_work_item_ids) > 0) AS closing,
              (SELECT count(*) FROM pull_requests p JOIN work_items w ON w.id = ANY (p.closing_work_item_ids)
                WHERE p.provider = 'github') AS linked,
              (SELECT count(*) FROM pull_requests WHERE provider = 'github' AND 'enhancement' = ANY (labels)) AS labelled,
              (SELECT count(*) FROM pull_requests WHERE provider = 'github'
                AND cardinality(requested_reviewer_identity_ids) = 1) AS requested`,
    );
    expect(links).toEqual({
      closing: String(prs.filter((pr) => pr.closes.length > 0).length),
      // Every reference resolves to the work item the issue became.
      linked: String(prs.reduce((sum, pr) => sum + pr.closes.length, 0)),
      labelled: String(prs.filter((pr) => pr.labels.includes('enhancement')).length),
      // Teams are not people: only the user of each request lands.
      requested: String(prs.filter((pr) => pr.requestedReviewers.length > 0).length),
    });
  });

  it('re-syncs an unchanged org with 304s only, publishing nothing', async () => {
    const from = fake.requests.length;
    const run = await sync(integration);
    expect(run.status).toBe('succeeded');
    expect(run.records).toEqual({});
    expect(fake.counted(from)).toEqual([]);
    // Repository pages, 5 probes per repository, and the in-flight deployment and run of each.
    expect(fake.requests.length - from).toBe(3 + 5 * (5 + 2));
  });

  it('publishes only what changed: one PR; a deployment and a run that finished', async () => {
    touch(2, 17, 'Renamed change');
    const repository = fake.repositories[1];
    const deployment = repository?.deployments.at(-1);
    const workflowRun = repository?.workflowRuns.at(-1);
    if (!deployment || !workflowRun) throw new Error('fixture');
    const finished = new Date().toISOString();
    deployment.statuses.push({ state: 'SUCCESS', createdAt: finished });
    Object.assign(workflowRun, { status: 'completed', conclusion: 'success', updatedAt: finished });
    for (const job of workflowRun.jobs)
      Object.assign(job, { status: 'completed', conclusion: 'success', completedAt: finished });
    const from = fake.requests.length;
    const run = await sync(integration);
    expect(run).toMatchObject({ status: 'succeeded', records: { pull_request: 1, deployment: 1, workflow_run: 1 } });
    expect(run.records).not.toHaveProperty('issue');
    expect(fake.counted(from).map((request) => request.path)).toEqual([
      // Every repository's PR probe comes first (one changed: its page is read alone, not batched).
      '/repos/acme-inc/service-02/pulls?state=all&sort=updated&direction=desc&per_page=1',
      '/repos/acme-inc/service-01/deployments/500107/statuses?per_page=1',
      '/graphql',
      '/repos/acme-inc/service-01/actions/runs?per_page=2',
      '/repos/acme-inc/service-01/actions/runs/700111',
      '/graphql',
      '/graphql',
      // The issues list holds PRs too: the PR's update costs one GraphQL page that finds no issue.
      '/repos/acme-inc/service-02/issues?state=all&sort=updated&direction=desc&per_page=1',
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
    await waitFor(
      async () =>
        (await count(`SELECT count(*) AS n FROM deployments WHERE id LIKE '%:100001/500107' AND status = 'success'
                        AND finished_at IS NOT NULL`)) === 1 &&
        (await count(
          `SELECT count(*) AS n FROM pipeline_runs WHERE id LIKE '%:100001/700111' AND status = 'success'`,
        )) === 1 &&
        (await count(`SELECT count(*) AS n FROM pipeline_jobs WHERE provider = 'github'`)) ===
          expected.pipelineJobs + 2,
      { description: 'the finished deployment, run and its jobs in Postgres', timeoutMs: 30_000 },
    );
    // Finished: neither is re-checked any more.
    const again = fake.requests.length;
    await sync(integration);
    expect(fake.requests.slice(again).map((request) => request.path)).not.toContain(
      '/repos/acme-inc/service-01/actions/runs/700111',
    );
  });

  it('turns a newly labelled incident issue into an incident and a work item', async () => {
    const repository = fake.repositories[3];
    if (!repository) throw new Error('fixture');
    const now = new Date().toISOString();
    const failed = repository.deployments[1]?.databaseId;
    repository.issues.push({
      databaseId: 999_001,
      number: 999,
      title: 'Login outage',
      body: `Since https://github.example/acme-inc/service-03/deployments/${failed}`,
      state: 'OPEN',
      stateReason: null,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      author: 'eve',
      labels: ['incident', 'sev1'],
      assignees: [],
      timeline: [],
    });
    const run = await sync(integration);
    expect(run).toMatchObject({ status: 'succeeded', records: { issue: 1 } });
    await waitFor(
      async () =>
        (await count(`SELECT count(*) AS n FROM incidents WHERE provider = 'github' AND status = 'open'
                        AND severity = 'sev1' AND deployment_id LIKE '%:100003/${failed}'`)) === 1 &&
        (await count(`SELECT count(*) AS n FROM work_items WHERE key = 'acme-inc/service-03#999' AND type = 'incident'
                        AND status_category = 'todo'`)) === 1,
      { description: 'the incident and its work item in Postgres', timeoutMs: 30_000 },
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
    // Health shows the rate-limit window the run left, as GitHub last reported it.
    const health = (await call('GET', '/orgs/acme/health')).body.integrations as {
      integration_id: string;
      rate_limit: number | null;
      rate_limit_remaining: number | null;
      rate_limit_reset_at: string | null;
    }[];
    expect(health.find((entry) => entry.integration_id === integration)).toMatchObject({
      rate_limit: fake.limit,
      rate_limit_remaining: fake.remaining,
      rate_limit_reset_at: new Date(fake.resetAt * 1000).toISOString(),
    });
  });

  it('authenticates as a GitHub App installation: a token minted from the app key, then used', async () => {
    const created = await call('POST', '/orgs/acme/integrations', {
      provider: 'github',
      name: 'github-app',
      scope: { owner: 'acme-inc', repositories: ['service-04'], collect: ['pull_requests'] },
      credential_ref: 'env:GITHUB_APP',
    });
    const from = fake.requests.length;
    const run = await sync(created.body.id as string);
    expect(run).toMatchObject({ status: 'succeeded', records: { repository: 1, pull_request: 60 } });
    const requests = fake.requests.slice(from);
    expect(requests.filter((request) => request.path === '/app/installations/77/access_tokens')).toEqual([
      expect.objectContaining({ method: 'POST', status: 201 }),
    ]);
    // Every other request carried the installation token (the fake refuses anything else with 401).
    expect(requests.filter((request) => request.status === 401)).toEqual([]);
    expect(fake.issuedTokens.size).toBe(1);
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

  it('turns status changes on a Projects (v2) board into work-item transitions, against what it saw last', async () => {
    const issueNumber = (repository: number, index: number) =>
      fake.repositories[repository]?.issues[index]?.number ?? 0;
    const item = (id: number, repository: string, number: number, status: string | null) => ({
      id,
      repository,
      issueNumber: number,
      status,
      updatedAt: '2026-03-02T10:00:00Z',
    });
    const board = {
      number: 3,
      statusOptions: ['Todo', 'In Progress', 'In Review', 'Done'],
      items: [
        item(9001, 'service-00', issueNumber(0, 0), 'In Progress'),
        item(9002, 'service-02', issueNumber(2, 3), 'Todo'),
        item(9003, 'service-02', issueNumber(2, 4), null),
        // An issue of a repository the integration does not read: not its work item.
        item(9004, 'elsewhere', 1, 'Done'),
      ],
    };
    fake.projects.push(board);
    const created = await call('POST', '/orgs/acme/integrations', {
      provider: 'github',
      name: 'github-projects',
      scope: { owner: 'acme-inc', collect: [], projects: [3] },
      credential_ref: 'env:GITHUB_TOKEN',
    });
    expect(created.status).toBe(201);
    const projects = created.body.id as string;
    const transitions = () =>
      queryRows<{ work_item_id: string; from_status: string | null; to_status: string; to_category: string }>(
        database.uri,
        `SELECT t.work_item_id, t.from_status, t.to_status, t.to_category
           FROM work_item_transitions t JOIN work_items w ON w.id = t.work_item_id
          WHERE t.id LIKE '%/project/3/%' ORDER BY t.transitioned_at, t.work_item_id`,
      );
    const waitForTransitions = (count: number) =>
      waitFor(async () => (await transitions()).length === count, {
        description: `${count} project transitions of stored work items`,
        timeoutMs: 30_000,
        intervalMs: 300,
      });

    const first = await sync(projects);
    expect(first).toMatchObject({ status: 'succeeded', records: { project_item_status: 2 } });
    await waitForTransitions(2);
    expect(
      (await transitions()).map(({ from_status, to_status, to_category }) => [from_status, to_status, to_category]),
    ).toEqual([
      [null, 'In Progress', 'in_progress'],
      [null, 'Todo', 'todo'],
    ]);

    board.items[0] = {
      ...board.items[0],
      status: 'Done',
      updatedAt: '2026-03-04T16:00:00Z',
    } as (typeof board.items)[0];
    board.items[2] = {
      ...board.items[2],
      status: 'In Review',
      updatedAt: '2026-03-05T09:00:00Z',
    } as (typeof board.items)[0];
    const moved = await sync(projects);
    expect(moved).toMatchObject({ status: 'succeeded', records: { project_item_status: 2 } });
    await waitForTransitions(4);
    expect((await transitions()).slice(2).map(({ from_status, to_status }) => [from_status, to_status])).toEqual([
      ['In Progress', 'Done'],
      [null, 'In Review'],
    ]);

    const from = fake.requests.length;
    const unchanged = await sync(projects);
    expect(unchanged.status).toBe('succeeded');
    expect(unchanged.records).toEqual({});
    expect(fake.counted(from)).toEqual([]);
  });
});
