import { isDeepStrictEqual } from 'node:util';
import { ClickHouseStore } from '@dev-health/clickhouse';
import { KafkaClient, type OutgoingRecord } from '@dev-health/kafka';
import { MongoStore } from '@dev-health/mongo';
import { JsonLogger } from '@dev-health/observability';
import { MetricsReader, PostgresStore } from '@dev-health/postgres';
import { AvroSerde } from '@dev-health/registry';
import {
  METRIC_ENTITY_NAMES,
  SchemaCatalog,
  Topology,
  canonicalSchemaFile,
  stableJson,
  type CanonicalEntities,
  type CanonicalEntityName,
  type DeploymentStatus,
  type MetricEntityName,
  type WorkItemStatusCategory,
  type WorkItemType,
} from '@dev-health/schemas';
import {
  type RunningService,
  createTestDatabase,
  graphqlQuery,
  listeningUrl,
  stackEndpoints,
  startService,
  uniqueName,
  waitFor,
  issueApiKey,
} from '@dev-health/testing';

/*
 * One fixed dataset, published once in causal order and in several seeded arrival orders, each order
 * interleaved across topics and all of them at once, every order under its own namespace (ids
 * prefixed "o<n>:"). Children arrive before parents (reviews and comments before their PR,
 * transitions before their work item, a deployment's final status before its start, memberships
 * before their team), a commit correction moves a day, an alias added later moves a commit to
 * another person, a work item moves to a team. Whatever the order, every store and the gateway must
 * end with the same rows, row for row, once the namespace is taken off.
 */
const H = 3_600_000;
const SUN = Date.UTC(2026, 0, 4);
const MON = SUN + 24 * H;
const TUE = MON + 24 * H;
const THU = TUE + 48 * H;
const FRI = THU + 24 * H;
const FETCHED = Date.UTC(2026, 0, 12);
const CORRECTED = Date.UTC(2026, 0, 13);
const SHUFFLED_ORDERS = 5;
const FROM = '2026-01-01';
const TO = '2026-01-31';

type Outgoing = { [E in CanonicalEntityName]: { entity: E; record: CanonicalEntities[E] } }[CanonicalEntityName];
type Row = Record<string, unknown>;

/** The dataset under a namespace; versions of one record in the order they happened. */
function dataset(ns: string): Outgoing[] {
  const id = (name: string) => `${ns}${name}`;
  const repo = id('repo');
  const provenance = (fetchedAt = FETCHED) => ({
    raw_topic: 'test.raw',
    raw_partition: 0,
    raw_offset: 0,
    reprocessing_generation: 0,
    raw_source_id: 'source',
    fetched_at: fetchedAt,
  });
  const identity = (name: string, emails: string[], displayName: string, fetchedAt = FETCHED): Outgoing => ({
    entity: 'identity',
    record: {
      id: id(name),
      org_id: 'default',
      provider: 'test',
      provenance: provenance(fetchedAt),
      display_name: displayName,
      primary_email: emails[0] ?? '',
      emails,
      logins: [],
    },
  });
  const commit = (sha: string, author: string, authoredAt: number, fetchedAt = FETCHED): Outgoing => ({
    entity: 'commit',
    record: {
      id: id(`commit:${sha}`),
      org_id: 'default',
      provider: 'test',
      provenance: provenance(fetchedAt),
      repository_id: repo,
      sha,
      parent_shas: [],
      author_identity_id: id(author),
      author_name: author,
      author_email: `${author}@example.com`,
      authored_at: authoredAt,
      author_utc_offset_minutes: 0,
      committer_identity_id: id(author),
      committer_email: `${author}@example.com`,
      committed_at: authoredAt,
      committer_utc_offset_minutes: 0,
      message_subject: sha,
      work_item_keys: [],
      files_changed: 1,
      additions: 10,
      deletions: 2,
      is_merge: false,
      size_bucket: 'small',
    },
  });
  const pullRequest = (number: number, author: string, createdAt: number, mergedAt: number | null): Outgoing => ({
    entity: 'pull_request',
    record: {
      id: id(`pr:${number}`),
      org_id: 'default',
      provider: 'test',
      provenance: provenance(),
      repository_id: repo,
      number,
      title: `PR ${number}`,
      state: mergedAt === null ? 'open' : 'merged',
      author_identity_id: id(author),
      created_at: createdAt,
      merged_at: mergedAt,
      closed_at: mergedAt,
      base_branch: 'main',
      head_branch: `b${number}`,
      merge_commit_sha: null,
      additions: 20,
      deletions: 5,
      changed_files: 2,
      is_revert: false,
      is_draft: false,
      labels: [],
      requested_reviewer_identity_ids: [],
      closing_work_item_ids: [],
      work_item_keys: [],
      updated_at: mergedAt ?? createdAt,
    },
  });
  const review = (name: string, pr: number, reviewer: string, at: number): Outgoing => ({
    entity: 'review',
    record: {
      id: id(name),
      org_id: 'default',
      provider: 'test',
      provenance: provenance(),
      pull_request_id: id(`pr:${pr}`),
      repository_id: repo,
      reviewer_identity_id: id(reviewer),
      state: 'approved',
      submitted_at: at,
    },
  });
  const deployment = (
    name: string,
    status: DeploymentStatus,
    createdAt: number,
    finishedAt: number | null,
  ): Outgoing => ({
    entity: 'deployment',
    record: {
      id: id(name),
      org_id: 'default',
      provider: 'test',
      provenance: provenance(),
      repository_id: repo,
      environment: 'production',
      status,
      commit_sha: null,
      service: 'api',
      created_at: createdAt,
      finished_at: finishedAt,
      updated_at: finishedAt ?? createdAt,
    },
  });
  const workItem = (
    key: string,
    type: WorkItemType,
    team: string | null,
    createdAt: number,
    category: WorkItemStatusCategory,
    updatedAt: number,
    startedAt: number | null,
  ): Outgoing => ({
    entity: 'work_item',
    record: {
      id: id(`item:${key}`),
      org_id: 'default',
      provider: 'test',
      provenance: provenance(),
      work_scope_id: id('scope'),
      key,
      title: key,
      type,
      status: category,
      status_category: category,
      assignee_identity_id: null,
      reporter_identity_id: null,
      team_id: team === null ? null : id(team),
      milestone: null,
      iteration: null,
      estimate: null,
      priority: null,
      labels: [],
      components: [],
      parent_work_item_id: null,
      created_at: createdAt,
      started_at: startedAt,
      completed_at: category === 'done' ? updatedAt : null,
      updated_at: updatedAt,
    },
  });
  const transition = (
    key: string,
    index: number,
    from: WorkItemStatusCategory,
    to: WorkItemStatusCategory,
    at: number,
  ): Outgoing => ({
    entity: 'work_item_transition',
    record: {
      id: id(`item:${key}:${index}`),
      org_id: 'default',
      provider: 'test',
      provenance: provenance(),
      work_item_id: id(`item:${key}`),
      from_status: from,
      to_status: to,
      from_category: from,
      to_category: to,
      transitioned_at: at,
      actor_identity_id: null,
    },
  });
  const membership = (member: string): Outgoing => ({
    entity: 'team_membership',
    record: {
      id: id(`core:${member}`),
      org_id: 'default',
      provider: 'test',
      provenance: provenance(),
      team_id: id('core'),
      identity_id: id(member),
      role: null,
      since: null,
    },
  });
  return [
    identity('alice', [`${ns}alice@example.com`], 'Alice'),
    identity('bob', [`${ns}bob@example.com`], 'Bob'),
    identity('carol', [`${ns}carol@example.com`], 'Carol'),
    identity('x', [`${ns}x@example.com`], 'x'),
    {
      entity: 'team',
      record: {
        id: id('core'),
        org_id: 'default',
        provider: 'test',
        provenance: provenance(),
        name: 'Core',
        parent_team_id: null,
      },
    },
    membership('alice'),
    membership('bob'),
    commit('c1', 'alice', MON + 4 * H),
    commit('c2', 'bob', MON + 18 * H),
    commit('c3', 'alice', MON + 10 * H),
    commit('c4', 'x', MON + 12 * H),
    pullRequest(1, 'bob', SUN + 22 * H, null),
    pullRequest(1, 'bob', SUN + 22 * H, MON + 2 * H),
    pullRequest(2, 'alice', MON + 8 * H, TUE + 20 * H),
    review('r1', 1, 'carol', MON + 1 * H),
    review('r2', 2, 'bob', TUE + 10 * H),
    review('r3', 2, 'carol', MON + 15 * H),
    {
      entity: 'review_comment',
      record: {
        id: id('m1'),
        org_id: 'default',
        provider: 'test',
        provenance: provenance(),
        pull_request_id: id('pr:2'),
        repository_id: repo,
        author_identity_id: id('carol'),
        created_at: MON + 9 * H,
        path: 'a.ts',
      },
    },
    deployment('d1', 'in_progress', MON + 11 * H, null),
    deployment('d1', 'success', MON + 11 * H, MON + 12 * H),
    deployment('d2', 'failed', TUE + 9 * H, TUE + 10 * H),
    deployment('d3', 'success', THU + 11 * H, THU + 12 * H),
    {
      entity: 'incident',
      record: {
        id: id('i1'),
        org_id: 'default',
        provider: 'test',
        provenance: provenance(),
        repository_id: repo,
        service: 'api',
        title: 'i1',
        severity: 'sev2',
        status: 'resolved',
        started_at: THU + 13 * H,
        resolved_at: THU + 15 * H,
        deployment_id: id('d3'),
        updated_at: THU + 15 * H,
      },
    },
    workItem('W-1', 'story', 'core', MON + 9 * H, 'in_progress', MON + 10 * H, MON + 10 * H),
    transition('W-1', 0, 'todo', 'in_progress', MON + 10 * H),
    workItem('W-1', 'story', 'core', MON + 9 * H, 'done', TUE + 10 * H, MON + 10 * H),
    transition('W-1', 1, 'in_progress', 'done', TUE + 10 * H),
    // Never finished: in the WIP of every later key day of the scope.
    workItem('W-2', 'bug', 'core', TUE + 9 * H, 'in_progress', TUE + 11 * H, TUE + 11 * H),
    transition('W-2', 0, 'todo', 'in_progress', TUE + 11 * H),
    // Started without a team, finished in Core: its no-team rows are withdrawn.
    workItem('W-3', 'task', null, THU + 9 * H, 'in_progress', THU + 10 * H, THU + 10 * H),
    transition('W-3', 0, 'todo', 'in_progress', THU + 10 * H),
    workItem('W-3', 'task', 'core', THU + 9 * H, 'done', FRI + 10 * H, THU + 10 * H),
    transition('W-3', 1, 'in_progress', 'done', FRI + 10 * H),
    // Corrections, fetched a day later: c3 was really authored on Tuesday; x@ is Alice's second address.
    commit('c3', 'alice', TUE + 10 * H, CORRECTED),
    identity('alice', [`${ns}alice@example.com`, `${ns}x@example.com`], 'Alice A.', CORRECTED),
    commit('c4', 'alice', MON + 12 * H, CORRECTED),
  ];
}

/** Deterministic permutation (mulberry32): the same seed always gives the same order. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const result = [...items];
  for (let index = result.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [result[index], result[other]] = [result[other] as T, result[index] as T];
  }
  return result;
}

const namespaces = Array.from({ length: SHUFFLED_ORDERS + 1 }, (_, index) => `o${index}:`);

/** Takes a namespace off every string in a value, so the orders' rows can be compared. */
function withoutNamespace(value: unknown, ns: string): unknown {
  if (typeof value === 'string') return value.split(ns).join('');
  if (Array.isArray(value)) return value.map((item) => withoutNamespace(item, ns));
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, withoutNamespace(field, ns)]));
  return value;
}

/** Per table, the rows only one side has (as JSON): a readable failure. */
function differences(actual: Record<string, Row[]>, expected: Record<string, Row[]>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const table of new Set([...Object.keys(actual), ...Object.keys(expected)])) {
    const mine = new Set((actual[table] ?? []).map((row) => JSON.stringify(row)));
    const theirs = new Set((expected[table] ?? []).map((row) => JSON.stringify(row)));
    const extra = [...mine].filter((row) => !theirs.has(row));
    const missing = [...theirs].filter((row) => !mine.has(row));
    if (extra.length + missing.length > 0) result[table] = { extra, missing };
  }
  return result;
}

const byDay = (rows: Row[] | undefined) => [...(rows ?? [])].sort((a, b) => String(a.day).localeCompare(String(b.day)));

/** Rows in one order, each with its keys sorted: stores return columns in their own order. */
const sortRows = (rows: unknown[]) =>
  rows
    .map((row) => stableJson(row))
    .sort()
    .map((row) => JSON.parse(row) as Row);

describe('metrics do not depend on arrival order (real stack: Kafka, registry, Postgres, ClickHouse, Mongo)', () => {
  const endpoints = stackEndpoints();
  const prefix = uniqueName('order');
  const topology = new Topology(prefix);
  const kafka = new KafkaClient(
    { brokers: endpoints.kafkaBrokers, clientId: 'order-test' },
    new JsonLogger('test', 'error'),
  );
  const serde = new AvroSerde(endpoints.schemaRegistryUrl);
  const producer = kafka.createProducer();
  const clickhouseDatabase = uniqueName('ch_order');
  const mongoDatabase = uniqueName('mongo_order');
  const running: RunningService[] = [];
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let postgres: PostgresStore;
  let clickhouse: ClickHouseStore;
  let mongo: MongoStore;
  let gatewayUrl: string;
  let gatewayToken: string;

  beforeAll(async () => {
    database = await createTestDatabase(endpoints.databaseUri, 'order');
    const mongoUri = new URL(endpoints.mongodbUri);
    mongoUri.pathname = `/${mongoDatabase}`;
    const env = {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
      TOPIC_PREFIX: prefix,
      DATABASE_URI: database.uri,
      CLICKHOUSE_URL: endpoints.clickhouseUrl,
      CLICKHOUSE_DATABASE: clickhouseDatabase,
      MONGODB_URI: mongoUri.toString(),
      METRICS_DEBOUNCE_MS: '100',
    };
    for (const name of ['sink-postgres', 'sink-clickhouse', 'sink-mongo', 'metrics', 'gateway'] as const)
      running.push(startService(name, env));
    await Promise.all(
      running.filter((service) => service.name !== 'gateway').map((service) => service.waitForLog(/consuming/, 60_000)),
    );
    gatewayUrl = await listeningUrl(running.find((service) => service.name === 'gateway') as RunningService);
    gatewayToken = await issueApiKey(env);
    postgres = await PostgresStore.connect(database.uri, 'order-test');
    clickhouse = await ClickHouseStore.connect(endpoints.clickhouseUrl, clickhouseDatabase);
    mongo = await MongoStore.connect(mongoUri.toString());
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await Promise.all(running.map((service) => service.stop()));
    await clickhouse?.client.command({ query: `DROP DATABASE IF EXISTS ${clickhouseDatabase}` });
    await clickhouse?.close();
    await mongo?.db.dropDatabase();
    await mongo?.close();
    await postgres?.close();
    await database?.drop();
  });

  async function encode({ entity, record }: Outgoing): Promise<OutgoingRecord> {
    const topic = topology.canonical(entity);
    return { topic, key: record.id, value: await serde.encode(Topology.subject(topic), record) };
  }

  /** Every order at once, a few records of each per step, with pauses so the sinks see them in that order. */
  async function publishAllOrders(): Promise<void> {
    const catalog = SchemaCatalog.load();
    const entities = new Set(dataset('').map(({ entity }) => entity));
    for (const entity of entities)
      await serde.register(
        Topology.subject(topology.canonical(entity)),
        catalog.get('canonical', canonicalSchemaFile(entity)).schema,
      );
    const orders = namespaces.map((ns, index) => (index === 0 ? dataset(ns) : shuffled(dataset(ns), 1_000 + index)));
    const length = orders[0]?.length ?? 0;
    for (let start = 0; start < length; start += 3) {
      const step = orders.flatMap((order) => order.slice(start, start + 3));
      await producer.send(await Promise.all(step.map(encode)));
      await new Promise((resolve) => setTimeout(resolve, 80));
    }
  }

  /** Latest rows of every metric table in Postgres (the gateway's read), per namespace, namespace taken off. */
  async function postgresRows(ns: string): Promise<Record<string, Row[]>> {
    const reader = new MetricsReader(postgres.dataSource);
    const tables: Record<string, Row[]> = {};
    for (const metric of METRIC_ENTITY_NAMES) {
      const rows = (await reader.latest(metric, {}, FROM, TO)).filter((row) =>
        Object.values(row).some((value) => typeof value === 'string' && value.startsWith(ns)),
      );
      tables[metric] = sortRows(rows.map(({ computed_at: _computedAt, ...row }) => withoutNamespace(row, ns)));
    }
    return tables;
  }

  async function clickhouseRows(ns: string): Promise<Record<string, Row[]>> {
    const tables: Record<string, Row[]> = {};
    for (const metric of METRIC_ENTITY_NAMES) {
      const rows = (await clickhouse.latestMetrics(metric, {}, FROM, TO)).filter((row) =>
        Object.values(row).some((value) => typeof value === 'string' && value.startsWith(ns)),
      );
      tables[metric] = sortRows(rows.map(({ computed_at: _computedAt, ...row }) => withoutNamespace(row, ns)));
    }
    return tables;
  }

  async function mongoRows(ns: string): Promise<Record<string, Row[]>> {
    const tables: Record<string, Row[]> = {};
    for (const metric of METRIC_ENTITY_NAMES) {
      const rows = (await mongo.latestMetrics(metric, {})).filter((row) =>
        Object.values(row).some((value) => typeof value === 'string' && value.startsWith(ns)),
      );
      tables[metric] = sortRows(
        rows.map(({ _id: _documentId, computed_at: _computedAt, ...row }) => withoutNamespace(row, ns)),
      );
    }
    return tables;
  }

  async function graphqlRows(ns: string): Promise<unknown> {
    const result = await graphqlQuery<Row>(
      gatewayUrl,
      `{ repoMetrics(repositoryId: "${ns}repo", from: "${FROM}", to: "${TO}") { day commits prsOpened prsMerged reviewsPerPr prCycleTimeP50Hours }
         userMetrics(repositoryId: "${ns}repo", from: "${FROM}", to: "${TO}") { day authorIdentityId authorEmail commits reviewsGiven reviewsReceived activeHours }
         teamMetrics(teamId: "${ns}core", from: "${FROM}", to: "${TO}") { day commits afterHoursCommits }
         workItemMetrics(workScopeId: "${ns}scope", from: "${FROM}", to: "${TO}") { day teamId itemsCreated itemsCompleted wipEndOfDay wipAgeP50Days }
         doraMetrics(repositoryId: "${ns}repo", from: "${FROM}", to: "${TO}") { day deployments successfulDeployments changesDeployed leadTimeP50Hours changeFailureRate } }`,
      gatewayToken,
    );
    return withoutNamespace(result, ns);
  }

  /** Stored entities in each store, provenance and namespace taken off. */
  async function entities(ns: string): Promise<Record<string, unknown>> {
    const mine = (rows: Row[]) => rows.filter((row) => typeof row.id === 'string' && row.id.startsWith(ns));
    const stores: Record<string, unknown> = {};
    for (const entity of ['identity', 'commit', 'pull_request', 'deployment', 'work_item'] as const) {
      const table = {
        identity: 'identities',
        commit: 'commits',
        pull_request: 'pull_requests',
        deployment: 'deployments',
        work_item: 'work_items',
      }[entity];
      // Versions hash the content, namespace included: compared across stores here, content across orders.
      const versions: Record<string, string[]> = {};
      const keep = (store: string, rows: Row[], versionColumn: string) => {
        versions[store] = rows.map((row) => `${String(row.id)}=${BigInt(String(row[versionColumn])).toString()}`);
        stores[`${store}.${entity}`] = rows.map((row) => {
          const { [versionColumn]: _version, ...content } = row;
          return withoutNamespace(content, ns);
        });
      };
      const postgresRows = await postgres.dataSource.query<Row[]>(`SELECT * FROM ${table} ORDER BY id`);
      keep(
        'postgres',
        mine(postgresRows).map(({ provenance: _p, ...row }) => row),
        'record_version',
      );
      keep(
        'clickhouse',
        mine(await clickhouse.latestEntities(entity)).map(
          ({ raw_topic: _t, raw_partition: _p, raw_offset: _o, raw_source_id: _s, fetched_at: _f, ...row }) => row,
        ),
        '_version',
      );
      keep(
        'mongo',
        mine(await mongo.entities(entity)).map(({ _id, provenance: _p, ...row }) => row),
        'record_version',
      );
      expect({ entity, ns, clickhouse: versions.clickhouse, mongo: versions.mongo }).toEqual({
        entity,
        ns,
        clickhouse: versions.postgres,
        mongo: versions.postgres,
      });
    }
    return stores;
  }

  it('every arrival order ends with the rows of the causal order in Postgres, ClickHouse, Mongo and GraphQL', async () => {
    await publishAllOrders();
    const [reference, ...others] = namespaces as [string, ...string[]];

    // Settled: every order equals the causal one in Postgres, with the same rows on three polls in a row.
    let expected: Record<string, Row[]> = {};
    let previous = '';
    let stablePolls = 0;
    const settled = async () => {
      expected = await postgresRows(reference);
      const snapshot = JSON.stringify(expected);
      stablePolls = snapshot === previous ? stablePolls + 1 : 0;
      previous = snapshot;
      if (byDay(expected.work_item_metrics_daily).length === 0) return false;
      for (const ns of others) if (!isDeepStrictEqual(await postgresRows(ns), expected)) return false;
      return stablePolls >= 2;
    };
    await waitFor(settled, { description: 'all orders equal in Postgres', timeoutMs: 60_000, intervalMs: 1_000 }).catch(
      async (error: unknown) => {
        for (const ns of others) expect(differences(await postgresRows(ns), expected)).toEqual({});
        throw error;
      },
    );

    // The causal order's rows say what the dataset says (the comparison is not between empty sets).
    const users = expected.user_metrics_daily ?? [];
    expect(users.some((row) => row.author_identity_id === 'x')).toBe(false); // the alias moved c4 to Alice
    expect(users.every((row) => row.author_identity_id !== '' && row.author_email !== '')).toBe(true);
    expect(users.find((row) => row.author_identity_id === 'alice' && row.day === '2026-01-05')).toMatchObject({
      author_email: 'alice@example.com',
      commits: 2, // c1 and c4; c3 moved to Tuesday
    });
    expect(byDay(expected.repo_metrics_daily).map(({ day, commits }) => ({ day, commits }))).toEqual([
      { day: '2026-01-04', commits: 0 },
      { day: '2026-01-05', commits: 3 },
      { day: '2026-01-06', commits: 1 },
    ]);
    expect(byDay(expected.team_metrics_daily).map(({ day, commits }) => ({ day, commits }))).toEqual([
      { day: '2026-01-05', commits: 3 },
      { day: '2026-01-06', commits: 1 },
    ]);
    // W-3's no-team rows withdrawn; W-2, never finished, is in Thursday's and Friday's WIP.
    expect(
      byDay(expected.work_item_metrics_daily).map(({ day, team_id, wip_end_of_day }) => ({
        day,
        team_id,
        wip_end_of_day,
      })),
    ).toEqual([
      { day: '2026-01-05', team_id: 'core', wip_end_of_day: 1 },
      { day: '2026-01-06', team_id: 'core', wip_end_of_day: 1 },
      { day: '2026-01-08', team_id: 'core', wip_end_of_day: 2 },
      { day: '2026-01-09', team_id: 'core', wip_end_of_day: 1 },
    ]);
    expect(
      byDay(expected.dora_metrics_daily).map(({ day, successful_deployments }) => ({ day, successful_deployments })),
    ).toEqual([
      { day: '2026-01-05', successful_deployments: 1 },
      { day: '2026-01-06', successful_deployments: 0 },
      { day: '2026-01-08', successful_deployments: 1 },
    ]);

    // The other stores and the gateway hold the same rows for every order.
    for (const ns of namespaces) {
      for (const [store, read] of [
        ['ClickHouse', clickhouseRows],
        ['Mongo', mongoRows],
      ] as const)
        await waitFor(async () => isDeepStrictEqual(await read(ns), expected), {
          description: `${store} rows of ${ns} equal to Postgres`,
          timeoutMs: 30_000,
          intervalMs: 500,
        }).catch(async (error: unknown) => {
          expect({ store, ns, differences: differences(await read(ns), expected) }).toEqual({
            store,
            ns,
            differences: {},
          });
          throw error;
        });
    }
    const expectedGraphql = await graphqlRows(reference);
    expect(JSON.stringify(expectedGraphql)).toContain('alice@example.com');
    for (const ns of others) expect({ ns, graphql: await graphqlRows(ns) }).toEqual({ ns, graphql: expectedGraphql });

    // Every store keeps the same version of every entity, whatever the order.
    const expectedEntities = await entities(reference);
    expect((expectedEntities['postgres.identity'] as Row[]).find((row) => row.id === 'alice')).toMatchObject({
      display_name: 'Alice A.',
    });
    for (const ns of others) expect({ ns, entities: await entities(ns) }).toEqual({ ns, entities: expectedEntities });
  }, 240_000);

  it('no metric row anywhere carries an empty identity', async () => {
    const empty = async (table: MetricEntityName) =>
      (await new MetricsReader(postgres.dataSource).latest(table, {}, FROM, TO)).filter(
        (row) => row.author_identity_id === '' || row.author_email === '',
      );
    expect(await empty('user_metrics_daily')).toEqual([]);
    const all = await postgres.dataSource.query<Row[]>(
      `SELECT count(*)::int AS count FROM user_metrics_daily WHERE author_identity_id = '' OR author_email = ''`,
    );
    expect(all).toEqual([{ count: 0 }]);
    const clickhouseEmpty = await clickhouse.select<{ count: string }>(
      `SELECT count() AS count FROM ${clickhouseDatabase}.user_metrics_daily WHERE author_identity_id = '' OR author_email = ''`,
    );
    expect(Number(clickhouseEmpty[0]?.count)).toBe(0);
    expect(await mongo.db.collection('user_metrics_daily').countDocuments({ author_identity_id: '' })).toBe(0);
  });
});
