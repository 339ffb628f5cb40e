import { ClickHouseStore } from '@dev-health/clickhouse';
import { DEAD_LETTER_HEADERS, KafkaClient } from '@dev-health/kafka';
import { percentile } from '@dev-health/metric-definitions';
import { JsonLogger } from '@dev-health/observability';
import { MetricsReader, PostgresStore } from '@dev-health/postgres';
import { AvroSerde } from '@dev-health/registry';
import { type PullRequest, SchemaCatalog, Topology, canonicalSchemaFile } from '@dev-health/schemas';
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
import { siteKey } from '@dev-health/jira';
import { jiraProjectScope, jiraTeamId } from '@dev-health/jira/normalize/normalize-jira';
import {
  type AnalyticsStore,
  ClickHouseAnalytics,
  PostgresAnalytics,
} from '../../apps/gateway/src/contract/analytics/analytics-store';
import { linkedToWorkItem } from '../../apps/gateway/src/contract/analytics/work-links';
import { workGraphEdges } from '../../apps/gateway/src/contract/work-graph/work-graph-builder';
import { readWorkGraphFacts } from '../../apps/gateway/src/contract/work-graph/work-graph.resolver';
import { FakeJira } from '../fakes/jira/fake-jira';
import {
  type FakeJiraDataset,
  type FakeJiraIssue,
  fakeJiraDataset,
  parseJiraDate,
  statusCategoryOf,
  statusChanges,
} from '../fakes/jira/jira-dataset';

const DAY = 86_400_000;
const ORG = 'acme';

/** What the pipeline must make of an issue, worked out from the fake's own records (categories by status id). */
function expectedItem(dataset: FakeJiraDataset, issue: FakeJiraIssue) {
  const changes = issue.histories.flatMap((history) =>
    history.items
      .filter((item) => item.fieldId === 'status')
      .map((item) => ({ item, at: parseJiraDate(history.created) })),
  );
  const category = (id: string | null) => statusCategoryOf(dataset, id);
  const current = category(issue.statusId);
  const started = changes.find((change) => category(change.item.to) === 'indeterminate');
  const done = changes.filter((change) => category(change.item.to) === 'done').at(-1);
  const completed = current === 'done' ? (done?.at ?? parseJiraDate(issue.resolutiondate ?? issue.created)) : null;
  return {
    created: parseJiraDate(issue.created),
    started: started?.at ?? null,
    completed,
    reopens: changes
      .filter((change) => category(change.item.from) === 'done' && category(change.item.to) !== 'done')
      .map((change) => change.at),
  };
}

/**
 * The Jira connector against a local fake Jira Cloud, on the real stack (admin → commands →
 * connector-jira → raw topic → processor → sinks → metrics): a full sync of 2 projects with long
 * changelogs, reopens and team moves, checked against work-item metrics worked out by hand; an
 * unchanged re-sync; a 429 storm; a bad credential; a malformed issue; and Data Center.
 */
describe('Jira connector against a fake Jira (real stack)', () => {
  const endpoints = stackEndpoints();
  const services: RunningService[] = [];
  const dataset = fakeJiraDataset(3);
  const fake = new FakeJira(dataset);
  const server = new FakeJira(fakeJiraDataset(4, { issuesPerProject: [60, 40], heavyIssues: 1 }), {
    deployment: 'datacenter',
  });
  const kafka = new KafkaClient(
    { brokers: endpoints.kafkaBrokers, clientId: 'jira-test' },
    new JsonLogger('t', 'error'),
  );
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let topology: Topology;
  let api: AdminApi;
  let integration: string;
  let site: string;
  let serverSite: string;
  let clickhouse: ClickHouseStore;
  let clickhouseDatabase: string;
  let postgres: PostgresStore;

  const sync = async (integrationId: string) =>
    api.waitForEnd(ORG, (await api.requestSync(ORG, integrationId)).run.id, 180_000);
  const published = (run: { records: Record<string, number> }) =>
    Object.values(run.records).reduce((sum, n) => sum + n, 0);
  const countRows = async (table: string, where = '') =>
    Number(
      (
        await queryRows<{ n: string }>(
          database.uri,
          `SELECT count(*) AS n FROM ${table} WHERE provider = 'jira' ${where}`,
        )
      )[0]?.n,
    );

  beforeAll(async () => {
    site = await fake.start();
    serverSite = await server.start();
    database = await createTestDatabase(endpoints.databaseUri, 'jira');
    const pipeline = pipelineEnvironment('jira', database.uri);
    topology = new Topology(pipeline.prefix);
    clickhouseDatabase = pipeline.clickhouseDatabase;
    const env = { ...pipeline.env, ADMIN_TICK_SECONDS: '1', SYNC_HEARTBEAT_SECONDS: '1' };
    const token = await issueApiKey(env);
    const admin = startService('admin', env);
    const connector = startService('connector-jira', {
      ...env,
      JIRA_CREDENTIAL: `${fake.email}:${fake.apiToken}`,
      JIRA_BAD_CREDENTIAL: `${fake.email}:revoked-token-123`,
      JIRA_DC_TOKEN: server.bearerToken,
      JIRA_OAUTH_TOKEN: fake.bearerToken,
      // The dataset spans 60 days.
      JIRA_INITIAL_HISTORY_DAYS: '120',
      // Changelog pages smaller than a page of issues' histories: an issue's histories span pages.
      JIRA_CHANGELOG_PAGE_SIZE: '150',
      // Every run sweeps for deleted issues.
      JIRA_DELETION_SWEEP_HOURS: '0',
    });
    services.push(admin, connector);
    const pipelineServices = (['processor', 'sink-postgres', 'sink-clickhouse', 'metrics'] as const).map((name) =>
      startService(name, env),
    );
    services.push(...pipelineServices);
    for (const service of pipelineServices) await service.waitForLog(/consuming/);
    postgres = await PostgresStore.connect(database.uri, 'jira-test');
    clickhouse = await ClickHouseStore.connect(endpoints.clickhouseUrl, clickhouseDatabase);
    api = new AdminApi(await listeningUrl(admin), token);
    await connector.waitForLog(/"message":"connector consuming commands"/);
    await api.ok('POST', '/orgs', { slug: ORG, name: 'Acme', tier: 'enterprise' });
    const created = await api.ok('POST', `/orgs/${ORG}/integrations`, {
      provider: 'jira',
      name: 'jira',
      scope: { site, projects: ['PAY', 'OPS'], issue_types: { Spike: 'story' } },
      credential_ref: 'env:JIRA_CREDENTIAL',
    });
    integration = created.id as string;
  }, 180_000);

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await fake.stop();
    await server.stop();
    await postgres?.close();
    await clickhouse?.client.command({ query: `DROP DATABASE IF EXISTS ${clickhouseDatabase}` });
    await clickhouse?.close();
    await database?.drop();
  });

  it('a full sync of 2 projects yields exact work-item metrics (long changelogs, reopens, team moves)', async () => {
    const issues = dataset.issues;
    expect(issues.length).toBeGreaterThanOrEqual(500);
    expect(issues.filter((issue) => issue.histories.length > 100).length).toBeGreaterThanOrEqual(3);
    const run = await sync(integration);
    expect(run).toMatchObject({ status: 'succeeded', records: { issue: issues.length } });
    // Never the old search; changelogs in bulk, over several pages.
    expect(fake.requests.filter((request) => /\/rest\/api\/[23]\/search$/.test(request.path))).toEqual([]);
    const histories = issues.reduce((sum, issue) => sum + issue.histories.length, 0);
    expect(
      fake.requests.filter((request) => request.path.endsWith('/changelog/bulkfetch')).length,
    ).toBeGreaterThanOrEqual(Math.ceil(histories / 150));
    expect(fake.retryAfterViolations()).toEqual([]);

    const transitions = issues.reduce((sum, issue) => sum + statusChanges(issue).length, 0);
    await waitFor(
      async () =>
        (await countRows('work_items')) === issues.length && (await countRows('work_item_transitions')) === transitions,
      { description: 'every issue and status change in Postgres', timeoutMs: 120_000, intervalMs: 500 },
    );
    // The longest changelog is whole.
    const longest = issues.reduce((max, issue) => (issue.histories.length > max.histories.length ? issue : max));
    const [long] = await queryRows<{ n: string }>(
      database.uri,
      `SELECT count(*) AS n FROM work_item_transitions t JOIN work_items w ON w.id = t.work_item_id WHERE w.key = $1`,
      [longest.key],
    );
    expect(Number(long?.n)).toBe(statusChanges(longest).length);
    expect(Number(long?.n)).toBeGreaterThan(50);

    // Story points and teams were found by name and type (the field ids are the seed's own).
    const withPoints = issues.filter((issue) => issue.storyPoints !== null).length;
    const [planning] = await queryRows<{ points: string; teams: string; sprints: string }>(
      database.uri,
      `SELECT count(estimate) AS points, count(team_id) AS teams, count(iteration) AS sprints FROM work_items WHERE provider = 'jira'`,
    );
    expect(planning).toEqual({
      points: String(withPoints),
      teams: String(issues.filter((issue) => issue.teamId !== null).length),
      sprints: String(issues.filter((issue) => issue.sprintIds.length > 0).length),
    });

    // Work-item metrics per project and team, summed over days, against the hand-worked values.
    const key = siteKey(site);
    const expected = new Map<string, { created: number; started: number; completed: number; reopened: number }>();
    for (const issue of issues) {
      const project = dataset.projects.find((candidate) => candidate.id === issue.projectId);
      const group = `${jiraProjectScope(ORG, key, issue.projectId)}|${issue.teamId ? jiraTeamId(ORG, key, issue.teamId) : ''}`;
      expect(project).toBeDefined();
      const item = expectedItem(dataset, issue);
      const sums = expected.get(group) ?? { created: 0, started: 0, completed: 0, reopened: 0 };
      sums.created++;
      if (item.started !== null) sums.started++;
      if (item.completed !== null) sums.completed++;
      sums.reopened += item.reopens.length;
      expected.set(group, sums);
    }
    const actual = async () => {
      const rows = await new MetricsReader(postgres.dataSource).latest(
        'work_item_metrics_daily',
        { org_id: ORG, provider: 'jira' },
        '2020-01-01',
        '2035-01-01',
      );
      const sums = new Map<string, { created: number; started: number; completed: number; reopened: number }>();
      for (const row of rows) {
        const group = `${String(row.work_scope_id)}|${String(row.team_id ?? '')}`;
        const entry = sums.get(group) ?? { created: 0, started: 0, completed: 0, reopened: 0 };
        entry.created += Number(row.items_created);
        entry.started += Number(row.items_started);
        entry.completed += Number(row.items_completed);
        entry.reopened += Number(row.reopened);
        sums.set(group, entry);
      }
      return { rows, sums };
    };
    const sorted = (map: Map<string, unknown>) => JSON.stringify([...map].sort(([a], [b]) => a.localeCompare(b)));
    await waitFor(async () => sorted((await actual()).sums) === sorted(expected), {
      description: 'work-item metrics per project and team equal the hand-worked sums',
      timeoutMs: 180_000,
      intervalMs: 1_000,
    });
    const totals = [...expected.values()].reduce((sum, entry) => sum + entry.reopened, 0);
    expect(totals).toBeGreaterThanOrEqual(40);

    // One day's cycle time, worked out by hand: the busiest completion day of the busiest group.
    const { rows } = await actual();
    const busiest = rows.reduce((max, row) => (Number(row.items_completed) > Number(max.items_completed) ? row : max));
    const dayStart = Date.parse(`${String(busiest.day).slice(0, 10)}T00:00:00Z`);
    const cycles = dataset.issues.flatMap((issue) => {
      const group = `${jiraProjectScope(ORG, key, issue.projectId)}|${issue.teamId ? jiraTeamId(ORG, key, issue.teamId) : ''}`;
      const item = expectedItem(dataset, issue);
      return group === `${String(busiest.work_scope_id)}|${String(busiest.team_id ?? '')}` &&
        item.completed !== null &&
        item.completed >= dayStart &&
        item.completed < dayStart + DAY &&
        item.started !== null
        ? [(item.completed - item.started) / 3_600_000]
        : [];
    });
    expect(cycles.length).toBeGreaterThan(0);
    expect(Number(busiest.cycle_time_p50_hours)).toBeCloseTo(percentile(cycles, 0.5) ?? Number.NaN, 3);
  }, 360_000);

  it('ClickHouse holds the same work items and transitions', async () => {
    const transitions = dataset.issues.reduce((sum, issue) => sum + statusChanges(issue).length, 0);
    await waitFor(
      async () =>
        (await clickhouse.countEntities('work_item')) >= dataset.issues.length &&
        (await clickhouse.countEntities('work_item_transition')) >= transitions,
      { description: 'the work items in ClickHouse', timeoutMs: 120_000, intervalMs: 1_000 },
    );
    expect(await clickhouse.countEntities('work_item')).toBe(dataset.issues.length);
  }, 180_000);

  it('an unchanged re-sync publishes nothing (the overlap re-reads, and skips)', async () => {
    for (const _ of [1, 2]) {
      const run = await sync(integration);
      expect(run.status).toBe('succeeded');
      expect(published(run)).toBe(0);
    }
  }, 240_000);

  it('a change, a move to another team and a reopen are picked up; a 429 storm is waited out', async () => {
    const [first, second] = dataset.issues.filter((issue) => statusCategoryOf(dataset, issue.statusId) === 'done');
    if (!first || !second) throw new Error('no done issues');
    fake.editSummary(first.key, 'Retitled during a storm');
    const otherTeam = dataset.teams.find((team) => team.id !== second.teamId);
    fake.setTeam(second.key, otherTeam?.id ?? null);
    const reopen = dataset.statuses.find((status) => status.category === 'indeterminate');
    fake.transition(second.key, reopen?.id ?? '');
    const from = fake.requests.length;
    fake.rateLimitStorm(4, 2);
    const run = await sync(integration);
    expect(run).toMatchObject({ status: 'succeeded', records: { issue: 2 } });
    expect(fake.requests.slice(from).filter((request) => request.status === 429)).toHaveLength(4);
    expect(fake.retryAfterViolations(from)).toEqual([]);
    await waitFor(
      async () =>
        (
          await queryRows<{ title: string }>(database.uri, `SELECT title FROM work_items WHERE key = $1`, [first.key])
        )[0]?.title === 'Retitled during a storm',
      { description: 'the retitled issue stored', timeoutMs: 60_000, intervalMs: 250 },
    );
    const [moved] = await queryRows<{ team_id: string; status_category: string }>(
      database.uri,
      `SELECT team_id, status_category FROM work_items WHERE key = $1`,
      [second.key],
    );
    expect(moved).toEqual({
      team_id: jiraTeamId(ORG, siteKey(site), otherTeam?.id ?? ''),
      status_category: 'in_progress',
    });
  }, 240_000);

  it('a 5xx burst and a cut-off page are retried, and the sync completes with the change', async () => {
    const issue = dataset.issues[30] as FakeJiraIssue;
    fake.editSummary(issue.key, 'Retitled through a 5xx burst');
    const from = fake.requests.length;
    fake.serverErrorBurst(3);
    fake.malformPage(/\/changelog\/bulkfetch$/, 1, 'truncated');
    const run = await sync(integration);
    expect(run).toMatchObject({ status: 'succeeded', records: { issue: 1 } });
    expect(fake.requests.slice(from).filter((request) => request.status >= 500)).toHaveLength(3);
    await waitFor(
      async () =>
        (
          await queryRows<{ title: string }>(database.uri, `SELECT title FROM work_items WHERE key = $1`, [issue.key])
        )[0]?.title === 'Retitled through a 5xx burst',
      { description: 'the retitled issue stored', timeoutMs: 60_000, intervalMs: 250 },
    );
  }, 240_000);

  it('an OAuth 2.0 bearer token on Cloud: the same sync, by a scope of one project', async () => {
    const created = await api.ok('POST', `/orgs/${ORG}/integrations`, {
      provider: 'jira',
      name: 'jira-oauth',
      scope: { site, projects: ['OPS'] },
      credential_ref: 'env:JIRA_OAUTH_TOKEN',
    });
    const from = fake.requests.length;
    const run = await sync(created.id as string);
    const ops = dataset.issues.filter((issue) => issue.key.startsWith('OPS-')).length;
    expect(run).toMatchObject({ status: 'succeeded', records: { issue: ops } });
    expect(fake.requests.slice(from).every((request) => request.status !== 401)).toBe(true);
  }, 240_000);

  it('a site without the bulk changelog endpoint: each issue’s changelog, paged', async () => {
    fake.bulkChangelogAvailable = false;
    const heavy = dataset.issues.find((issue) => issue.histories.length > 100);
    if (!heavy) throw new Error('no heavy issue');
    fake.editSummary(heavy.key, 'Read page by page');
    const from = fake.requests.length;
    const run = await sync(integration);
    fake.bulkChangelogAvailable = true;
    expect(run).toMatchObject({ status: 'succeeded', records: { issue: 1 } });
    const pages = fake.requests.slice(from).filter((request) => /\/issue\/[^/]+\/changelog$/.test(request.path));
    expect(pages.length).toBe(Math.ceil(heavy.histories.length / 100));
  }, 240_000);

  it('a deleted issue leaves WIP (canceled from when it was found gone); a moved one keeps its id, with its new key', async () => {
    const key = siteKey(site);
    const groupOf = (issue: FakeJiraIssue) =>
      `${jiraProjectScope(ORG, key, issue.projectId)}|${issue.teamId ? jiraTeamId(ORG, key, issue.teamId) : ''}`;
    const parents = new Set(dataset.issues.map((issue) => issue.parentId));
    const doomed = dataset.issues.find(
      (issue) => statusCategoryOf(dataset, issue.statusId) === 'indeterminate' && !parents.has(issue.id),
    );
    const moving = dataset.issues.find((issue) => issue.key.startsWith('PAY-') && !parents.has(issue.id));
    if (!doomed || !moving) throw new Error('no issue to delete or move');
    const group = groupOf(doomed);
    const movingId = moving.id;
    fake.deleteIssue(doomed.key);
    const moved = fake.moveIssue(moving.key, 'OPS');
    const run = await sync(integration);
    expect(run).toMatchObject({ status: 'succeeded', records: { issue: 1, issue_removed: 1 } });
    const [removal] = await waitFor(
      async () => {
        const rows = await queryRows<{ to_status: string; to_category: string }>(
          database.uri,
          `SELECT t.to_status, t.to_category FROM work_item_transitions t JOIN work_items w ON w.id = t.work_item_id
            WHERE w.key = $1 AND t.to_category = 'canceled'`,
          [doomed.key],
        );
        return rows.length > 0 ? rows : undefined;
      },
      { description: 'the deletion stored as a last transition', timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(removal).toEqual({ to_status: 'Deleted', to_category: 'canceled' });
    // The move lands on another topic than the removal: wait for it too.
    const movedRow = { key: moved.key, work_scope_id: jiraProjectScope(ORG, key, moved.projectId) };
    await waitFor(
      async () => {
        const [row] = await queryRows<{ key: string; work_scope_id: string }>(
          database.uri,
          `SELECT key, work_scope_id FROM work_items WHERE id LIKE $1`,
          [`%/${movingId}`],
        );
        return JSON.stringify(row) === JSON.stringify(movedRow);
      },
      { description: `the moved issue under its new key ${moved.key}`, timeoutMs: 60_000, intervalMs: 250 },
    );
    // Today's WIP of the deleted issue's project and team: its in-progress issues but the deleted one.
    const today = new Date().toISOString().slice(0, 10);
    const wip = dataset.issues.filter(
      (issue) => groupOf(issue) === group && statusCategoryOf(dataset, issue.statusId) === 'indeterminate',
    ).length;
    await waitFor(
      async () => {
        const rows = await new MetricsReader(postgres.dataSource).latest(
          'work_item_metrics_daily',
          { org_id: ORG, provider: 'jira' },
          today,
          today,
        );
        const mine = rows.find(
          (candidate) => `${String(candidate.work_scope_id)}|${String(candidate.team_id ?? '')}` === group,
        );
        return Number(mine?.wip_end_of_day) === wip;
      },
      { description: `today's WIP without the deleted issue (${wip})`, timeoutMs: 120_000, intervalMs: 1_000 },
    );
  }, 240_000);

  it('pull requests that mention an issue key in their title or branch are linked to its work item', async () => {
    const [titled, branched] = dataset.issues.slice(20, 22) as [FakeJiraIssue, FakeJiraIssue];
    const now = Date.now();
    const pullRequest = (number: number, title: string, branch: string): PullRequest => ({
      id: `${ORG}/github:pull_request:1/${number}`,
      org_id: ORG,
      provider: 'github',
      provenance: {
        raw_topic: 'test.raw',
        raw_partition: 0,
        raw_offset: number,
        raw_source_id: String(number),
        fetched_at: now,
        reprocessing_generation: 0,
      },
      repository_id: `${ORG}/github:repository:1`,
      number,
      title,
      state: 'merged',
      author_identity_id: `${ORG}/identity:dev@acme.example`,
      created_at: now - 3_600_000,
      merged_at: now,
      closed_at: now,
      base_branch: 'main',
      head_branch: branch,
      merge_commit_sha: null,
      additions: 1,
      deletions: 1,
      changed_files: 1,
      is_revert: false,
      is_draft: false,
      labels: [],
      requested_reviewer_identity_ids: [],
      closing_work_item_ids: [],
      // What the PR normalizers extract (workItemKeys): look-alikes included, resolved on reading.
      work_item_keys: number === 1 ? [titled.key] : number === 2 ? [branched.key] : ['UTF-8'],
      updated_at: now,
    });
    const pulls = [
      pullRequest(1, `${titled.key}: fix the rounding`, 'fix/rounding'),
      pullRequest(2, 'Tidy the ledger', `feature/${branched.key}-ledger`),
      pullRequest(3, 'Decode UTF-8 names', 'fix/names'),
    ];
    const topic = topology.canonical('pull_request');
    const serde = new AvroSerde(endpoints.schemaRegistryUrl);
    await serde.register(
      Topology.subject(topic),
      SchemaCatalog.load().get('canonical', canonicalSchemaFile('pull_request')).schema,
    );
    const producer = kafka.createProducer();
    await producer.connect();
    await producer.send(
      await Promise.all(
        pulls.map(async (pull) => ({ topic, key: pull.id, value: await serde.encode(Topology.subject(topic), pull) })),
      ),
    );
    await producer.disconnect();
    const stores: AnalyticsStore[] = [
      new PostgresAnalytics(postgres, 10_000),
      new ClickHouseAnalytics(clickhouse, clickhouseDatabase, 10_000),
    ];
    for (const store of stores)
      await waitFor(
        async () => {
          const rows = await store.select<{ number: number; linked: number }>(
            (sql) =>
              `SELECT number, CASE WHEN ${linkedToWorkItem(sql, ORG)} THEN 1 ELSE 0 END AS linked
                 FROM ${sql.table('pull_requests')} WHERE org_id = ${sql.value(ORG)} AND provider = 'github' ORDER BY number`,
          );
          return JSON.stringify(rows.map((row) => [Number(row.number), Number(row.linked)])) ===
            JSON.stringify([
              [1, 1],
              [2, 1],
              [3, 0],
            ])
            ? rows
            : undefined;
        },
        { description: `the links in ${store.name}`, timeoutMs: 60_000, intervalMs: 500 },
      );
    // The work graph from either store: the two key references, and each sub-task's and epic child's parent.
    const [children] = await queryRows<{ n: string }>(
      database.uri,
      `SELECT count(*) AS n FROM work_items WHERE provider = 'jira' AND parent_work_item_id IS NOT NULL`,
    );
    expect(Number(children?.n)).toBeGreaterThanOrEqual(dataset.issues.filter((issue) => issue.parentId).length);
    // Each sink lands the earlier tests' edits on its own time: compare the stores once they agree.
    const graphs = await waitFor(
      async () => {
        const both = await Promise.all(
          stores.map(async (store) => workGraphEdges(await readWorkGraphFacts(store, ORG))),
        );
        return JSON.stringify(both[0]) === JSON.stringify(both[1]) ? both : undefined;
      },
      { description: 'the same work graph from both stores', timeoutMs: 60_000, intervalMs: 500 },
    );
    for (const edges of graphs) {
      const references = edges.filter((edge) => edge.edgeType === 'REFERENCES');
      expect(references.map((edge) => [edge.sourceId, edge.targetDisplayName?.split(' ')[0]]).sort()).toEqual(
        [
          [pulls[0]?.id, titled.key],
          [pulls[1]?.id, branched.key],
        ].sort(),
      );
      expect(references.every((edge) => edge.provenance === 'EXPLICIT_TEXT' && edge.confidence === 0.8)).toBe(true);
      expect(edges.filter((edge) => edge.edgeType === 'CHILD_OF')).toHaveLength(Number(children?.n));
    }
    expect(graphs[1]).toEqual(graphs[0]);
  }, 120_000);

  it('a bad credential fails the run at stage "auth", without the secret', async () => {
    const bad = await api.ok('POST', `/orgs/${ORG}/integrations`, {
      provider: 'jira',
      name: 'jira-bad-credential',
      scope: { site, projects: ['PAY'] },
      credential_ref: 'env:JIRA_BAD_CREDENTIAL',
    });
    const run = await sync(bad.id as string);
    expect(run).toMatchObject({ status: 'failed', error_stage: 'auth' });
    expect(run.error_message).toContain('401');
    expect(run.error_message).not.toContain('revoked-token-123');
  }, 120_000);

  it('a malformed issue goes to the DLQ with its reason; the rest of the sync lands', async () => {
    const [broken, fine] = dataset.issues.slice(10, 12) as [FakeJiraIssue, FakeJiraIssue];
    fake.editSummary(broken.key, 'Broken on the way');
    fake.editSummary(fine.key, 'Fine on the way');
    fake.malform(broken.key, 'missing-status');
    const run = await sync(integration);
    expect(run).toMatchObject({ status: 'succeeded', records: { issue: 2 } });
    const reasons: string[] = [];
    await waitFor(
      async () => {
        reasons.length = 0;
        await kafka.readToEnd(topology.deadLetter('processor'), (record) => {
          const reason = record.headers[DEAD_LETTER_HEADERS.reason];
          if (reason) reasons.push(reason);
        });
        return reasons.some((reason) => reason.includes('jira/issue') && reason.includes(broken.id));
      },
      { description: 'the malformed issue in the processor DLQ', timeoutMs: 60_000, intervalMs: 500 },
    );
    await waitFor(
      async () =>
        (await queryRows<{ title: string }>(database.uri, `SELECT title FROM work_items WHERE key = $1`, [fine.key]))[0]
          ?.title === 'Fine on the way',
      { description: 'the rest of the sync stored', timeoutMs: 60_000, intervalMs: 250 },
    );
    fake.clearFailures();
  }, 240_000);

  it('Data Center (REST v2, a personal access token): the same canonical work items', async () => {
    const created = await api.ok('POST', `/orgs/${ORG}/integrations`, {
      provider: 'jira',
      name: 'jira-datacenter',
      scope: { site: serverSite, projects: ['PAY', 'OPS'] },
      credential_ref: 'env:JIRA_DC_TOKEN',
    });
    const run = await sync(created.id as string);
    const issues = server.dataset.issues;
    expect(run).toMatchObject({ status: 'succeeded', records: { issue: issues.length } });
    const transitions = issues.reduce((sum, issue) => sum + statusChanges(issue).length, 0);
    const where = `AND id LIKE '%${siteKey(serverSite)}%'`;
    await waitFor(
      async () =>
        (await countRows('work_items', where)) === issues.length &&
        (await countRows('work_item_transitions', where)) === transitions,
      { description: 'the Data Center issues and their whole changelogs', timeoutMs: 120_000, intervalMs: 500 },
    );
    // Detected from the site: its one REST v3 request is the serverInfo probe, which Data Center answers 404.
    expect(
      server.requests.filter((request) => request.path.startsWith('/rest/api/3')).map((request) => request.path),
    ).toEqual(['/rest/api/3/serverInfo']);
  }, 240_000);
});
