import { ClickHouseStore } from '@dev-health/clickhouse';
import { KafkaClient } from '@dev-health/kafka';
import { MongoStore } from '@dev-health/mongo';
import { JsonLogger } from '@dev-health/observability';
import { MetricsReader, PostgresStore } from '@dev-health/postgres';
import {
  CANONICAL_ENTITY_NAMES,
  ENTITY_TABLE_NAMES,
  METRIC_ENTITY_NAMES,
  STORED_ENTITY_NAMES,
  Topology,
  orgOfId,
} from '@dev-health/schemas';
import { SyntheticGenerator, type SyntheticOptions } from '@dev-health/synthetic';
import {
  type RunningService,
  createTestDatabase,
  graphqlQuery,
  listeningUrl,
  pipelineEnvironment,
  queryRows,
  runToCompletion,
  stackEndpoints,
  startService,
  waitFor,
  issueApiKey,
} from '@dev-health/testing';
import { syntheticEnvironment } from '../../apps/connector-synthetic/src/config';

/*
 * Two orgs whose synthetic organisations have the same seed and shape: identical repository names,
 * team slugs and people's emails, but different activity (commits per day differ). Through one set of
 * topics, services and databases, each org must end with exactly its own records, metrics and answers.
 */
const SHAPE: Omit<SyntheticOptions, 'commitsPerDay' | 'org'> = {
  seed: 'isolation',
  startDate: '2026-03-02',
  days: 5,
  repos: 2,
  teams: 2,
  people: 6,
  pullRequestsPerDay: 4,
  workItemsPerDay: 3,
};
const ORGS = {
  acme: { ...SHAPE, commitsPerDay: 20, org: 'acme' },
  globex: { ...SHAPE, commitsPerDay: 7, org: 'globex' },
};
type Org = keyof typeof ORGS;
const FROM = '2026-02-01';
const TO = '2026-03-31';

/** A row as text with its keys sorted: stores return the same columns in different orders. */
function canonicalRow({ computed_at: _computedAt, ...row }: Record<string, unknown>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(row).sort(([a], [b]) => (a < b ? -1 : 1))));
}

/** Distinct commits the generator publishes for an org (what its repo metrics must add up to). */
function generatedCommits(options: SyntheticOptions): number {
  const ids = new Set<string>();
  for (const batch of new SyntheticGenerator(options).batches())
    for (const record of batch) if (record.entity_kind === 'commit') ids.add(`${record.scope}/${record.source_id}`);
  return ids.size;
}

describe('organizations never mix (real stack: Kafka, registry, Postgres, ClickHouse, MongoDB)', () => {
  const endpoints = stackEndpoints();
  let prefix: string;
  let clickhouseDatabase: string;
  const services: RunningService[] = [];
  const kafka = new KafkaClient(
    { brokers: endpoints.kafkaBrokers, clientId: 'orgs-test' },
    new JsonLogger('test', 'error'),
  );
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let postgres: PostgresStore;
  let clickhouse: ClickHouseStore;
  let mongo: MongoStore;
  let graphqlUrl: string;
  let gatewayToken: string;
  const expectedCommits = { acme: generatedCommits(ORGS.acme), globex: generatedCommits(ORGS.globex) };

  /** The Postgres sink has stored every canonical record and the metrics service has handled every change. */
  async function settled(): Promise<boolean> {
    const topology = new Topology(prefix);
    const consumed = [
      ...CANONICAL_ENTITY_NAMES.map((entity) => [topology.group('sink-postgres'), topology.canonical(entity)] as const),
      [topology.group('metrics'), topology.storeChanged()] as const,
    ];
    for (const [group, topic] of consumed) {
      const [ends, committed] = await Promise.all([kafka.endOffsets(topic), kafka.committedOffsets(group, topic)]);
      for (const [partition, high] of ends) if (high !== '0' && committed.get(partition) !== high) return false;
    }
    return true;
  }

  async function commitsInMetrics(org: Org): Promise<number> {
    const rows = await new MetricsReader(postgres.dataSource).latest('repo_metrics_daily', { org_id: org }, FROM, TO);
    return rows.reduce((sum, row) => sum + Number(row.commits), 0);
  }

  beforeAll(async () => {
    database = await createTestDatabase(endpoints.databaseUri, 'orgs');
    const pipeline = pipelineEnvironment('orgs', database.uri);
    ({ prefix, clickhouseDatabase } = pipeline);
    const { env, mongoUri } = pipeline;
    for (const name of ['processor', 'sink-postgres', 'sink-clickhouse', 'sink-mongo', 'metrics'] as const) {
      const service = startService(name, env);
      services.push(service);
      await service.waitForLog(/consuming/);
    }
    const gateway = startService('gateway', env);
    services.push(gateway);
    graphqlUrl = await listeningUrl(gateway);
    gatewayToken = await issueApiKey(env);
    for (const options of Object.values(ORGS)) {
      const { code, output } = await runToCompletion('connector-synthetic', {
        ...env,
        ...syntheticEnvironment(options),
        ORG_ID: options.org,
      });
      if (code !== 0) throw new Error(`connector-synthetic for ${options.org} failed:\n${output}`);
    }
    postgres = await PostgresStore.connect(database.uri, 'orgs-test');
    clickhouse = await ClickHouseStore.connect(endpoints.clickhouseUrl, clickhouseDatabase);
    mongo = await MongoStore.connect(mongoUri);
    await waitFor(
      async () =>
        (await commitsInMetrics('acme')) === expectedCommits.acme &&
        (await commitsInMetrics('globex')) === expectedCommits.globex,
      { description: "each org's repo metrics to count its own commits", timeoutMs: 120_000, intervalMs: 1_000 },
    );
    await waitFor(settled, { description: 'Postgres and metrics to settle', timeoutMs: 120_000, intervalMs: 1_000 });
  }, 300_000);

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop('SIGKILL')));
    await postgres?.close();
    if (!process.env.KEEP_DB)
      await clickhouse?.client.command({ query: `DROP DATABASE IF EXISTS ${clickhouseDatabase}` });
    await clickhouse?.close();
    await mongo?.db.dropDatabase();
    await mongo?.close();
    await database?.drop();
  });

  it('the two orgs really do share repository names, team slugs and people', () => {
    const names = (org: Org) => new SyntheticGenerator(ORGS[org]).organisation;
    expect(names('acme').repositories.map((repository) => repository.fullName)).toEqual(
      names('globex').repositories.map((repository) => repository.fullName),
    );
    expect(names('acme').people.map((person) => person.primaryEmail)).toEqual(
      names('globex').people.map((person) => person.primaryEmail),
    );
    expect(expectedCommits.acme).not.toBe(expectedCommits.globex);
  });

  it('every stored record carries its org in its org_id and its id, in Postgres, ClickHouse and MongoDB', async () => {
    for (const entity of STORED_ENTITY_NAMES) {
      const table = ENTITY_TABLE_NAMES[entity];
      const rows = await queryRows<{ id: string; org_id: string }>(database.uri, `SELECT id, org_id FROM "${table}"`);
      for (const row of rows) expect(orgOfId(row.id)).toBe(row.org_id);
      const byOrg = (list: Record<string, unknown>[]) =>
        JSON.stringify({
          entity,
          ...Object.fromEntries(
            (['acme', 'globex', 'default'] as const).map((org) => [
              org,
              list.filter((row) => row.org_id === org).length,
            ]),
          ),
        });
      expect(byOrg(rows)).toContain('"default":0');
      // ClickHouse and MongoDB have consumers of their own: equal once they caught up.
      await waitFor(async () => byOrg(await clickhouse.latestEntities(entity)) === byOrg(rows), {
        description: `ClickHouse ${entity} per org equal to Postgres`,
        timeoutMs: 60_000,
        intervalMs: 500,
      });
      await waitFor(async () => byOrg(await mongo.entities(entity)) === byOrg(rows), {
        description: `MongoDB ${entity} per org equal to Postgres`,
        timeoutMs: 60_000,
        intervalMs: 500,
      });
    }
    const [repositories] = await queryRows<{ acme: number; globex: number; shared_ids: number; shared_names: number }>(
      database.uri,
      `SELECT count(*) FILTER (WHERE org_id = 'acme')::int AS acme, count(*) FILTER (WHERE org_id = 'globex')::int AS globex,
              (SELECT count(*)::int FROM repositories a JOIN repositories g ON g.id = a.id AND a.org_id <> g.org_id) AS shared_ids,
              (SELECT count(*)::int FROM repositories a JOIN repositories g ON g.full_name = a.full_name
                 AND a.org_id = 'acme' AND g.org_id = 'globex') AS shared_names
       FROM repositories`,
    );
    expect(repositories).toEqual({ acme: SHAPE.repos, globex: SHAPE.repos, shared_ids: 0, shared_names: SHAPE.repos });
  });

  it("each org's metrics come from its own records only, the same in every store", async () => {
    expect(await commitsInMetrics('acme')).toBe(expectedCommits.acme);
    expect(await commitsInMetrics('globex')).toBe(expectedCommits.globex);
    const reader = new MetricsReader(postgres.dataSource);
    for (const metric of METRIC_ENTITY_NAMES) {
      for (const org of Object.keys(ORGS) as Org[]) {
        const rows = await reader.latest(metric, { org_id: org }, FROM, TO);
        for (const row of rows) {
          expect(row.org_id).toBe(org);
          for (const column of ['repository_id', 'author_identity_id', 'team_id', 'work_scope_id'])
            if (typeof row[column] === 'string' && row[column] !== '') expect(orgOfId(String(row[column]))).toBe(org);
        }
        const pick = (list: Record<string, unknown>[]) => list.map(canonicalRow).sort();
        await waitFor(
          async () =>
            JSON.stringify(pick(await clickhouse.latestMetrics(metric, { org_id: org }, FROM, TO))) ===
            JSON.stringify(pick(rows)),
          { description: `ClickHouse ${metric} of ${org} equal to Postgres`, timeoutMs: 30_000, intervalMs: 500 },
        );
      }
      expect((await reader.latest(metric, { org_id: 'default' }, FROM, TO)).length).toBe(0);
    }
    // Identical emails, different people: each org has its own identities.
    const [identities] = await queryRows<{ acme: number; globex: number; emails_in_both: number }>(
      database.uri,
      `SELECT count(*) FILTER (WHERE org_id = 'acme')::int AS acme, count(*) FILTER (WHERE org_id = 'globex')::int AS globex,
              (SELECT count(*)::int FROM identities a JOIN identities g ON g.primary_email = a.primary_email
                 AND a.org_id = 'acme' AND g.org_id = 'globex') AS emails_in_both
       FROM identities`,
    );
    expect(identities?.acme).toBeGreaterThan(0);
    expect(identities).toEqual({ acme: identities?.acme, globex: identities?.acme, emails_in_both: identities?.acme });
  });

  it('GraphQL answers one org at a time: its repositories, its rows, and no other org through a foreign id', async () => {
    const graphql = <T>(query: string) => graphqlQuery<T>(graphqlUrl, query, gatewayToken);
    const repositories = async (org: string) =>
      (
        await graphql<{ repositories: { id: string; fullName: string }[] }>(
          `{ repositories(orgId: "${org}") { id fullName } }`,
        )
      ).repositories;
    const acme = await repositories('acme');
    const globex = await repositories('globex');
    expect(acme.map((repository) => repository.fullName)).toEqual(globex.map((repository) => repository.fullName));
    expect(acme.every((repository) => repository.id.startsWith('acme/'))).toBe(true);
    expect(globex.every((repository) => repository.id.startsWith('globex/'))).toBe(true);
    expect(await repositories('default')).toEqual([]);
    // Omitting orgId means the default org, which has nothing here.
    expect(
      (
        await graphql<{ repositories: unknown[] }>(`
          {
            repositories {
              id
            }
          }
        `)
      ).repositories,
    ).toEqual([]);

    const commits = async (org: string, repositoryId: string) =>
      (
        await graphql<{ repoMetrics: { commits: number }[] }>(
          `{ repoMetrics(orgId: "${org}", repositoryId: "${repositoryId}", from: "${FROM}", to: "${TO}") { commits } }`,
        )
      ).repoMetrics.reduce((sum, row) => sum + row.commits, 0);
    let acmeTotal = 0;
    let globexTotal = 0;
    for (const [index, repository] of acme.entries()) {
      const other = globex[index];
      if (!other) throw new Error('globex lacks a repository acme has');
      acmeTotal += await commits('acme', repository.id);
      globexTotal += await commits('globex', other.id);
      // An id of the other org finds nothing.
      expect(await commits('acme', other.id)).toBe(0);
      await expect(
        graphql(
          `{ doraSummary(orgId: "acme", repositoryId: "${other.id}", from: "${FROM}", to: "${TO}") { deployments } }`,
        ),
      ).rejects.toThrow(/is not in org acme/);
    }
    expect({ acmeTotal, globexTotal }).toEqual({
      acmeTotal: expectedCommits.acme,
      globexTotal: expectedCommits.globex,
    });
    await expect(
      graphql(`
        {
          repositories(orgId: "Not A Slug") {
            id
          }
        }
      `),
    ).rejects.toThrow(/orgId must be an org slug/);
  });
});
