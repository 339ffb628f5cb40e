import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ClickHouseStore } from '@dev-health/clickhouse';
import { DEAD_LETTER_HEADERS, KafkaClient } from '@dev-health/kafka';
import { MongoStore } from '@dev-health/mongo';
import { JsonLogger } from '@dev-health/observability';
import { MetricsReader, PostgresStore } from '@dev-health/postgres';
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
import { FakeGitLab, fakeMergeRequestDiffs } from '../fakes/gitlab/fake-gitlab';
import { type FakeGitLabProject, fakeGitLabDataset, materializeRepositories } from '../fakes/gitlab/gitlab-dataset';

const FINISHED = new Set(['success', 'failed', 'canceled', 'skipped']);

/**
 * The GitLab connector against a local fake GitLab, on the real stack (admin → commands →
 * connector-gitlab → raw topic → processor → sinks → metrics): a full sync of a nested group, an
 * unchanged re-sync, a 429 storm, a bad token and a malformed payload.
 */
describe('GitLab connector against a fake GitLab (real stack)', () => {
  const endpoints = stackEndpoints();
  const services: RunningService[] = [];
  const fake = new FakeGitLab(fakeGitLabDataset(7));
  const top = fake.dataset.groups.find((group) => group.parentId === null);
  if (!top) throw new Error('the fake has no top group');
  const kafka = new KafkaClient(
    { brokers: endpoints.kafkaBrokers, clientId: 'gitlab-test' },
    new JsonLogger('t', 'error'),
  );
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let topology: Topology;
  let api: AdminApi;
  let integration: string;
  let clickhouse: ClickHouseStore;
  let clickhouseDatabase: string;
  let mongo: MongoStore;
  let postgres: PostgresStore;

  const sync = async (integrationId: string) =>
    api.waitForEnd('acme', (await api.requestSync('acme', integrationId)).run.id, 180_000);
  const count = async (table: string) =>
    Number(
      (await queryRows<{ n: string }>(database.uri, `SELECT count(*) AS n FROM ${table} WHERE provider = 'gitlab'`))[0]
        ?.n,
    );
  const all = <T>(pick: (project: FakeGitLabProject) => T[]) => fake.dataset.projects.flatMap(pick);

  // What the dataset should become, worked out from the fake's own records.
  const mergeRequests = all((project) => project.mergeRequests);
  const expectedReviews = mergeRequests.reduce((sum, mr) => {
    const approvals = mr.notes.filter((note) => note.kind === 'system' && note.body === 'approved this merge request');
    const commenters = new Set(
      mr.notes.filter((note) => note.kind !== 'system' && note.authorId !== mr.authorId).map((note) => note.authorId),
    );
    return sum + approvals.length + commenters.size;
  }, 0);
  const expectedReviewComments = mergeRequests.reduce(
    (sum, mr) => sum + mr.notes.filter((note) => note.kind === 'DiffNote' && note.authorId !== mr.authorId).length,
    0,
  );
  const pipelines = all((project) => project.pipelines);
  const issues = all((project) => project.issues);
  const expected = {
    repositories: fake.dataset.projects.length,
    commits: all((project) => project.plannedCommits).length,
    pullRequests: mergeRequests.length,
    reviews: expectedReviews,
    reviewComments: expectedReviewComments,
    pipelineRuns: pipelines.length,
    pipelineJobs: pipelines
      .filter((pipeline) => FINISHED.has(pipeline.status))
      .reduce((sum, p) => sum + p.jobs.length, 0),
    deployments: all((project) => project.deployments).length,
    workItems: issues.length,
    incidents: issues.filter((issue) => issue.issueType === 'incident' || issue.labels.includes('incident')).length,
  };
  const stored = async () => ({
    repositories: await count('repositories'),
    commits: await count('commits'),
    pullRequests: await count('pull_requests'),
    reviews: await count('reviews'),
    reviewComments: await count('review_comments'),
    pipelineRuns: await count('pipeline_runs'),
    pipelineJobs: await count('pipeline_jobs'),
    deployments: await count('deployments'),
    workItems: await count('work_items'),
    incidents: await count('incidents'),
  });

  beforeAll(async () => {
    // Each project's history as a real repository, cloned over HTTP by the connector.
    const root = mkdtempSync(path.join(tmpdir(), 'gitlab-fake-'));
    await materializeRepositories(fake.dataset, path.join(root, 'repositories'));
    const url = await fake.start();
    database = await createTestDatabase(endpoints.databaseUri, 'gitlab');
    const pipeline = pipelineEnvironment('gitlab', database.uri);
    topology = new Topology(pipeline.prefix);
    clickhouseDatabase = pipeline.clickhouseDatabase;
    const env = { ...pipeline.env, ADMIN_TICK_SECONDS: '1', SYNC_HEARTBEAT_SECONDS: '1' };
    const token = await issueApiKey(env);
    const admin = startService('admin', env);
    const connector = startService('connector-gitlab', {
      ...env,
      GITLAB_URL: url,
      GITLAB_TOKEN: fake.token ?? '',
      GITLAB_BAD_TOKEN: 'glpat-revoked',
      // Small pages, so every list is walked over several; the dataset's history is older than 90 days.
      GITLAB_PAGE_SIZE: '20',
      GITLAB_INITIAL_HISTORY_DAYS: '3650',
      GITLAB_CLONE_DIR: path.join(root, 'clones'),
    });
    services.push(admin, connector);
    const pipelineServices = (['processor', 'sink-postgres', 'sink-clickhouse', 'sink-mongo', 'metrics'] as const).map(
      (name) => startService(name, env),
    );
    services.push(...pipelineServices);
    for (const service of pipelineServices) await service.waitForLog(/consuming/);
    postgres = await PostgresStore.connect(database.uri, 'gitlab-test');
    clickhouse = await ClickHouseStore.connect(endpoints.clickhouseUrl, clickhouseDatabase);
    mongo = await MongoStore.connect(pipeline.mongoUri);
    api = new AdminApi(await listeningUrl(admin), token);
    await connector.waitForLog(/"message":"connector consuming commands"/);
    await api.ok('POST', '/orgs', { slug: 'acme', name: 'Acme', tier: 'enterprise' });
    const created = await api.ok('POST', '/orgs/acme/integrations', {
      provider: 'gitlab',
      name: 'gitlab',
      scope: { group: top.fullPath },
      credential_ref: 'env:GITLAB_TOKEN',
    });
    integration = created.id as string;
  }, 180_000);

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

  it('syncs a nested group: projects, MRs with reviews, pipelines with jobs, deployments, issues and incidents', async () => {
    const depth = (fullPath: string) => fullPath.split('/').length;
    expect(Math.max(...fake.dataset.groups.map((group) => depth(group.fullPath)))).toBeGreaterThanOrEqual(4);
    expect(fake.dataset.projects.length).toBeGreaterThanOrEqual(5);
    expect(mergeRequests.length).toBeGreaterThanOrEqual(200);
    const run = await sync(integration);
    expect(run).toMatchObject({
      status: 'succeeded',
      records: {
        project: expected.repositories,
        commit: expected.commits,
        merge_request: expected.pullRequests,
        pipeline: expected.pipelineRuns,
        deployment: expected.deployments,
        issue: expected.workItems,
      },
    });
    await waitFor(async () => JSON.stringify(await stored()) === JSON.stringify(expected), {
      description: 'every record in Postgres',
      timeoutMs: 120_000,
      intervalMs: 500,
    });
    expect(await stored()).toEqual(expected);
    expect(fake.retryAfterViolations()).toEqual([]);
    // Planning fields: milestone, iteration and weight (as the estimate), where the issue has them.
    const [planning] = await queryRows<{ milestone: string; iteration: string; estimate: string }>(
      database.uri,
      `SELECT count(milestone) AS milestone, count(iteration) AS iteration, count(estimate) AS estimate
         FROM work_items WHERE provider = 'gitlab'`,
    );
    const withIteration = issues.filter((issue) =>
      fake.dataset.iterations.some((iteration) => iteration.id === issue.iterationId && iteration.title),
    ).length;
    expect(planning).toEqual({
      milestone: String(issues.filter((issue) => issue.milestoneIid !== null).length),
      iteration: String(withIteration),
      estimate: String(issues.filter((issue) => issue.weight !== null).length),
    });
    expect(Number(planning?.estimate)).toBeGreaterThan(0);
    // Drafts, and the size: files changed and lines added/removed, counted from each MR's diffs.
    const [drafts] = await queryRows<{ n: string }>(
      database.uri,
      `SELECT count(*) AS n FROM pull_requests WHERE provider = 'gitlab' AND is_draft`,
    );
    expect(Number(drafts?.n)).toBe(mergeRequests.filter((mr) => mr.draft).length);
    const lines = (diff: string, sign: string) => diff.split('\n').filter((line) => line.startsWith(sign)).length;
    const diffs = mergeRequests.flatMap((mr) => fakeMergeRequestDiffs(mr));
    const [size] = await queryRows<{ files: string; additions: string; deletions: string }>(
      database.uri,
      `SELECT sum(changed_files) AS files, sum(additions) AS additions, sum(deletions) AS deletions
         FROM pull_requests WHERE provider = 'gitlab'`,
    );
    expect(size).toEqual({
      files: String(diffs.length),
      additions: String(diffs.reduce((sum, diff) => sum + lines(diff.diff, '+'), 0)),
      deletions: String(diffs.reduce((sum, diff) => sum + lines(diff.diff, '-'), 0)),
    });
  }, 240_000);

  it('lands the same records in ClickHouse and MongoDB, and DORA counts the production deployments', async () => {
    const entities: [StoredEntityName, number][] = [
      ['repository', expected.repositories],
      ['commit', expected.commits],
      ['pull_request', expected.pullRequests],
      ['review', expected.reviews],
      ['review_comment', expected.reviewComments],
      ['pipeline_run', expected.pipelineRuns],
      ['pipeline_job', expected.pipelineJobs],
      ['deployment', expected.deployments],
      ['work_item', expected.workItems],
      ['incident', expected.incidents],
    ];
    const counts = async (store: { countEntities(entity: StoredEntityName): Promise<number> }) =>
      Object.fromEntries(
        await Promise.all(
          entities.map(async ([entity]): Promise<[string, number]> => [entity, await store.countEntities(entity)]),
        ),
      );
    const want = Object.fromEntries(entities);
    for (const [name, store] of [
      ['ClickHouse', clickhouse],
      ['MongoDB', mongo],
    ] as const)
      await waitFor(async () => JSON.stringify(await counts(store)) === JSON.stringify(want), {
        description: `every record in ${name}`,
        timeoutMs: 120_000,
        intervalMs: 1_000,
      });
    // Production by GitLab's environment tier: successful and failed deployments there.
    const production = all((project) =>
      project.deployments.filter(
        (deployment) =>
          project.environments.find((environment) => environment.id === deployment.environmentId)?.tier ===
          'production',
      ),
    );
    const want2 = {
      successful: production.filter((deployment) => deployment.status === 'success').length,
      failed: production.filter((deployment) => deployment.status === 'failed').length,
    };
    expect(want2.successful).toBeGreaterThan(0);
    const dora = async () => {
      const rows = await new MetricsReader(postgres.dataSource).latest(
        'dora_metrics_daily',
        { org_id: 'acme' },
        '2020-01-01',
        '2030-01-01',
      );
      const sum = (column: string) => rows.reduce((total, row) => total + Number(row[column] ?? 0), 0);
      return { successful: sum('successful_deployments'), failed: sum('failed_deployments') };
    };
    await waitFor(async () => (await dora()).successful === want2.successful, {
      description: 'DORA over the GitLab production deployments',
      timeoutMs: 120_000,
      intervalMs: 1_000,
    });
    // Repository metrics count every commit, every opened and every merged MR once.
    const repoMetrics = async () => {
      const rows = (
        await new MetricsReader(postgres.dataSource).latest(
          'repo_metrics_daily',
          { org_id: 'acme' },
          '2020-01-01',
          '2030-01-01',
        )
      ).filter((row) => String(row.repository_id).includes('gitlab:repository'));
      const sum = (column: string) => rows.reduce((total, row) => total + Number(row[column] ?? 0), 0);
      return { commits: sum('commits'), opened: sum('prs_opened'), merged: sum('prs_merged') };
    };
    const wantRepo = {
      commits: expected.commits,
      opened: mergeRequests.length,
      merged: mergeRequests.filter((mr) => mr.mergedAt !== null && mr.state === 'merged').length,
    };
    await waitFor(async () => JSON.stringify(await repoMetrics()) === JSON.stringify(wantRepo), {
      description: 'repository metrics over the GitLab commits and MRs',
      timeoutMs: 120_000,
      intervalMs: 1_000,
    });
  }, 300_000);

  it('an unchanged re-sync publishes nothing; from then on every list answers 304', async () => {
    // The first re-sync asks from the new watermarks (a new query: 200s whose records are all at or
    // before them); the next one finds those answers unchanged.
    for (const _ of [1, 2]) {
      const run = await sync(integration);
      expect(run.status).toBe('succeeded');
      expect(Object.values(run.records).reduce((sum, n) => sum + n, 0)).toBe(0);
    }
    const from = fake.requests.length;
    const run = await sync(integration);
    expect(Object.values(run.records).reduce((sum, n) => sum + n, 0)).toBe(0);
    const answered = fake.requests.slice(from);
    // The project list (keyset pages), then one conditional first page per project and list.
    const lists = answered.filter((request) =>
      /\/projects\/\d+\/(merge_requests|pipelines|deployments|issues)$/.test(request.path),
    );
    expect(lists).toHaveLength(fake.dataset.projects.length * 4);
    expect(lists.every((request) => request.status === 304)).toBe(true);
  }, 240_000);

  it('a 429 storm: no request before Retry-After, and the sync completes with the change', async () => {
    const project = fake.dataset.projects[0] as FakeGitLabProject;
    const mr = project.mergeRequests[0];
    if (!mr) throw new Error('no MR');
    fake.updateMergeRequest(project.id, mr.iid, { title: 'Retitled during a storm' });
    const from = fake.requests.length;
    fake.rateLimitStorm(4, 2);
    const run = await sync(integration);
    expect(run.status).toBe('succeeded');
    expect(run.records.merge_request).toBe(1);
    expect(fake.requests.slice(from).filter((request) => request.status === 429)).toHaveLength(4);
    expect(fake.retryAfterViolations(from)).toEqual([]);
    await waitFor(
      async () =>
        (
          await queryRows<{ title: string }>(
            database.uri,
            `SELECT title FROM pull_requests WHERE provider = 'gitlab' AND number = $1 AND repository_id LIKE $2`,
            [mr.iid, `%:${project.id}`],
          )
        )[0]?.title === 'Retitled during a storm',
      { description: 'the retitled MR stored', timeoutMs: 60_000, intervalMs: 250 },
    );
  }, 240_000);

  it('a 5xx burst (GitLab’s JSON 500, the proxy’s HTML 502/503) is retried and the sync completes', async () => {
    const project = fake.dataset.projects[2] as FakeGitLabProject;
    const mr = project.mergeRequests[2];
    if (!mr) throw new Error('no MR');
    fake.updateMergeRequest(project.id, mr.iid, { title: 'Retitled through a 5xx burst' });
    const from = fake.requests.length;
    fake.serverErrorBurst(3);
    const run = await sync(integration);
    expect(run.status).toBe('succeeded');
    expect(run.records.merge_request).toBe(1);
    expect(fake.requests.slice(from).filter((request) => request.status >= 500)).toHaveLength(3);
  }, 240_000);

  it('a scope of listed projects syncs those projects only', async () => {
    const [first, second] = fake.dataset.projects.slice(-2) as [FakeGitLabProject, FakeGitLabProject];
    const listed = await api.ok('POST', '/orgs/acme/integrations', {
      provider: 'gitlab',
      name: 'gitlab-two-projects',
      scope: { group: top.fullPath, projects: [first.pathWithNamespace, second.pathWithNamespace] },
      credential_ref: 'env:GITLAB_TOKEN',
    });
    const run = await sync(listed.id as string);
    expect(run).toMatchObject({
      status: 'succeeded',
      records: {
        project: 2,
        merge_request: first.mergeRequests.length + second.mergeRequests.length,
        issue: first.issues.length + second.issues.length,
      },
    });
  }, 240_000);

  it('a bad token fails the run at stage "auth"', async () => {
    const bad = await api.ok('POST', '/orgs/acme/integrations', {
      provider: 'gitlab',
      name: 'gitlab-bad-token',
      scope: { group: top.fullPath },
      credential_ref: 'env:GITLAB_BAD_TOKEN',
    });
    const run = await sync(bad.id as string);
    expect(run).toMatchObject({ status: 'failed', error_stage: 'auth' });
    expect(run.error_message).toContain('401');
    expect(run.error_message).not.toContain('glpat-revoked');
  }, 120_000);

  it('a malformed merge request goes to the DLQ with its reason; the rest of the sync lands', async () => {
    const project = fake.dataset.projects[1] as FakeGitLabProject;
    const mr = project.mergeRequests[1];
    if (!mr) throw new Error('no MR');
    fake.updateMergeRequest(project.id, mr.iid, { title: 'Broken on the way' });
    fake.malform('merge_request', project.id, mr.iid, 'missing-fields');
    const run = await sync(integration);
    expect(run.status).toBe('succeeded');
    const reasons: string[] = [];
    await waitFor(
      async () => {
        reasons.length = 0;
        await kafka.readToEnd(topology.deadLetter('processor'), (record) => {
          const reason = record.headers[DEAD_LETTER_HEADERS.reason];
          if (reason) reasons.push(reason);
        });
        return reasons.some((reason) => reason.includes('gitlab/merge_request'));
      },
      { description: 'the malformed MR in the processor DLQ', timeoutMs: 60_000, intervalMs: 500 },
    );
    fake.clearFailures();
  }, 240_000);
});
