import { SignJWT } from 'jose';
import { ControlPlaneStore, MetricsReader, PostgresStore } from '@dev-health/postgres';
import {
  AdminApi,
  type RunningService,
  createTestDatabase,
  firstDifference,
  graphqlWsClient,
  issueApiKey,
  listeningUrl,
  pipelineEnvironment,
  queryRows,
  startService,
  stackEndpoints,
  waitFor,
} from '@dev-health/testing';
import { buildOrganisation, identityAliases } from '@dev-health/synthetic';
import { type UiOperation, UI_DOCUMENTS, sendAsUi } from '../web/ui-documents';

const JWT_SECRET = 'a-test-secret-of-at-least-32-characters!';
const SINCE = '2026-03-01';
const UNTIL = '2026-03-10';
/** Home compares 2026-03-05..10 with the 4 days before. */
const HOME_FIRST = '2026-03-05';
/** A week of the synthetic history (its prior week begins before it: part of it has no data). */
const REVIEW_WEEK = '2026-03-04';
/** The synthetic integration's scope (teams: the generator's default 3). */
const SYNTHETIC_SCOPE = { seed: 'contract', days: 10, repos: 2, people: 8 };
/** 120 days after the day the test runs. */
const FORECAST_TARGET = new Date(Date.now() + 120 * 86_400_000).toISOString().slice(0, 10);

/**
 * dev-health-web's documents against the gateway on the real stack: a synthetic org synced through
 * the control plane into Postgres and ClickHouse, one gateway reading each. Authentication and
 * tenancy over HTTP (GET and POST) and WebSocket, the UI's request conventions, answers equal on both
 * stores, and numbers cross-checked against the stores.
 */
describe('gateway: dev-health-web contract (real stack, ClickHouse and Postgres)', () => {
  const endpoints = stackEndpoints();
  const services: RunningService[] = [];
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let clickhouseUrl: string;
  let postgresUrl: string;
  let acmeKey: string;
  let operatorKey: string;
  let pullRequestId: string;
  let adminUrl: string;
  let gatewayEnv: Record<string, string>;

  const jwt = (claims: Record<string, unknown>, secret = JWT_SECRET) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user-1')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret));

  const variablesOf = (operation: UiOperation): Record<string, unknown> => {
    switch (operation) {
      case 'Home':
        return { orgId: 'acme', filters: null, window: { startDate: HOME_FIRST, endDate: UNTIL, compareDays: 4 } };
      case 'CatalogValues':
        return { orgId: 'acme', dimension: 'REPO' };
      case 'PrDetail':
        return { orgId: 'acme', id: pullRequestId };
      case 'ReviewEdges':
        return { input: { orgId: 'acme', sinceDate: SINCE, untilDate: UNTIL, limit: 500 } };
      case 'MetricLineage':
        return { metricId: 'repo_metrics_daily' };
      case 'GetConnectorsDataHealth':
      case 'GetMappingCoverageHealth':
        return { teamId: 'acme' };
      case 'DataHealthIdentity':
        return { team: 'acme' };
      case 'SourceHealth':
        return { orgId: 'acme' };
      case 'WorkItemTeamAttributions':
        return { orgId: 'acme', workItemIds: null, teamId: null };
      // The synthetic org's history is in March: a year of history holds it.
      case 'CapacityForecast':
      case 'CapacityCompletionDistribution':
        return { orgId: 'acme', input: { historyDays: 365, simulations: 2_000, targetDate: FORECAST_TARGET } };
      case 'CapacityForecasts':
        return { orgId: 'acme', filters: { limit: 3 } };
      case 'ThroughputForecast':
        return { orgId: 'acme', input: { historyWeeks: 52 } };
      case 'BusFactor':
        return { orgId: 'acme', scope: null };
      case 'WorkGraphEdges':
      case 'WorkGraphFlow':
      case 'WorkGraphArtifacts':
        return { orgId: 'acme', filters: { limit: 200 } };
      case 'CognitiveLoad':
        return { input: { orgId: 'acme', sinceDate: SINCE, untilDate: UNTIL, teamId: null } };
      case 'OperatingReview':
        return { orgId: 'acme', input: { weekStart: REVIEW_WEEK } };
      case 'Hotspots':
        return {
          input: {
            orgId: 'acme',
            sinceUtc: `${SINCE}T00:00:00Z`,
            untilUtc: `${UNTIL}T23:59:59Z`,
            repoIds: null,
            teamIds: null,
            limit: 50,
          },
        };
      case 'FlowMatrix':
        return flowMatrixVariables('REPO');
    }
  };

  /** A UI document sent as the UI sends it, for acme, with the operator's key. */
  const asOperator = (url: string, operation: UiOperation, variables = variablesOf(operation)) =>
    sendAsUi(url, { operation, variables, org: 'acme', token: operatorKey });

  /** As the UI's chord section sends it. */
  const flowMatrixVariables = (dimension: 'TEAM' | 'REPO' | 'WORK_TYPE') => ({
    orgId: 'acme',
    batch: {
      flowMatrix: {
        dimension,
        measure: 'COUNT',
        dateRange: { startDate: SINCE, endDate: UNTIL },
        maxNodes: 50,
        maxEdges: 200,
        useInvestment: true,
      },
      useInvestment: true,
    },
  });

  /** A new synthetic integration of acme, its first sync requested: the run, for waitForEnd. */
  const startSyntheticSync = async (name: string, scope: Record<string, unknown>) => {
    const api = new AdminApi(adminUrl, operatorKey);
    const integration = await api.ok('POST', '/orgs/acme/integrations', { provider: 'synthetic', name, scope });
    const { run } = await api.requestSync('acme', String(integration.id));
    return { api, run };
  };

  beforeAll(async () => {
    database = await createTestDatabase(endpoints.databaseUri, 'gateway_contract');
    const pipeline = pipelineEnvironment('gateway_contract', database.uri);
    const env = {
      ...pipeline.env,
      ADMIN_TICK_SECONDS: '1',
      SYNC_HEARTBEAT_SECONDS: '1',
      METRICS_DEBOUNCE_MS: '200',
      SYNTHETIC_START_DATE: SINCE,
      SYNTHETIC_COMMITS_PER_DAY: '12',
      SYNTHETIC_PULL_REQUESTS_PER_DAY: '5',
      SYNTHETIC_WORK_ITEMS_PER_DAY: '4',
      // The org's identity table, as the demo configures it: a person's login (reviews, pull requests)
      // and email (commits, team memberships) are one identity.
      IDENTITY_ALIASES: JSON.stringify(
        identityAliases(buildOrganisation(SYNTHETIC_SCOPE.seed, { ...SYNTHETIC_SCOPE, teams: 3 })),
      ),
    };
    operatorKey = await issueApiKey(env);
    const admin = startService('admin', env);
    services.push(admin);
    const synthetic = startService('connector-synthetic', { ...env, SYNTHETIC_SERVE: 'true' });
    services.push(synthetic);
    for (const name of ['processor', 'sink-postgres', 'sink-clickhouse', 'metrics'] as const) {
      const service = startService(name, env);
      services.push(service);
      await service.waitForLog(/consuming/, 60_000);
    }
    // Answers read the stores on every request here (the cache is tested on its own below).
    gatewayEnv = {
      ...env,
      GATEWAY_JWT_SECRET: JWT_SECRET,
      GATEWAY_DIAGNOSTICS: 'true',
      GATEWAY_RESULT_CACHE_SECONDS: '0',
    };
    const onClickHouse = startService(
      'gateway',
      { ...gatewayEnv, GATEWAY_ANALYTICS_STORE: 'clickhouse' },
      'gateway-ch',
    );
    const onPostgres = startService('gateway', { ...gatewayEnv, GATEWAY_ANALYTICS_STORE: 'postgres' }, 'gateway-pg');
    services.push(onClickHouse, onPostgres);
    [clickhouseUrl, postgresUrl] = await Promise.all([listeningUrl(onClickHouse), listeningUrl(onPostgres)]);
    await synthetic.waitForLog(/"message":"connector consuming commands"/);

    adminUrl = await listeningUrl(admin);
    const api = new AdminApi(adminUrl, operatorKey);
    await api.ok('POST', '/orgs', { slug: 'acme', name: 'Acme' });
    await api.ok('POST', '/orgs', { slug: 'globex', name: 'Globex' });
    acmeKey = await issueApiKey(env, { name: 'acme-viewer', role: 'viewer', orgs: 'acme' });
    const integration = await api.ok('POST', '/orgs/acme/integrations', {
      provider: 'synthetic',
      name: 'synthetic',
      scope: SYNTHETIC_SCOPE,
    });
    const run = await api.waitForEnd('acme', (await api.requestSync('acme', String(integration.id))).run.id, 120_000);
    expect(run.status).toBe('succeeded');

    // A second source whose latest sync failed at stage auth (as a connector would report it).
    const postgres = await PostgresStore.connect(database.uri, 'gateway-contract-test');
    try {
      const store = new ControlPlaneStore(postgres.dataSource);
      const broken = await store.createIntegration({
        org_id: 'acme',
        provider: 'github',
        name: 'github',
        scope: { owner: 'acme-inc' },
        credential_ref: 'env:GITHUB_TOKEN',
      });
      const requested = await store.requestSync(broken.id, 'incremental');
      await store.startRun(requested.run.id);
      await store.finishRun(requested.run.id, {
        status: 'failed',
        stage: 'auth',
        message: 'GitHub rejected the credential (401)',
      });
    } finally {
      await postgres.close();
    }

    // Both stores hold every pull request and review before the answers are compared.
    const count = async (table: string) =>
      Number(
        (await queryRows<{ n: string }>(database.uri, `SELECT count(*) AS n FROM ${table} WHERE org_id = 'acme'`))[0]
          ?.n,
      );
    // The run published versions of each PR (opened, merged): wait until the stored count holds still.
    expect(run.records.pull_request ?? 0).toBeGreaterThan(0);
    let seen = -1;
    const pulls = await waitFor(
      async () => {
        const now = await count('pull_requests');
        const settled = now > 0 && now === seen;
        seen = now;
        return settled && now;
      },
      { description: 'pull requests in Postgres, settled', timeoutMs: 60_000, intervalMs: 1_500 },
    );
    const reviews = await count('reviews');
    await waitFor(
      async () => {
        const answer = await asOperator(clickhouseUrl, 'CatalogValues', { orgId: 'acme', dimension: 'REPO' });
        const values = (answer.body.data?.catalog as { values: { count: number }[] } | undefined)?.values ?? [];
        return values.reduce((sum, value) => sum + value.count, 0) === pulls;
      },
      { description: 'every pull request in ClickHouse', timeoutMs: 60_000, intervalMs: 500 },
    );
    const [reviewed] = await queryRows<{ repository_id: string; number: number }>(
      database.uri,
      `SELECT p.repository_id, p.number FROM pull_requests p JOIN reviews r ON r.pull_request_id = p.id
        WHERE p.org_id = 'acme' GROUP BY p.repository_id, p.number ORDER BY count(*) DESC, p.number LIMIT 1`,
    );
    if (!reviewed || reviews === 0) throw new Error('the synthetic org has no reviewed pull request');
    pullRequestId = `${reviewed.repository_id}#pr${reviewed.number}`;

    // The sinks and the metrics service converge on their own time: compare the stores only once every
    // operation answers the same from both, twice in a row.
    let previous = '';
    await waitFor(
      async () => {
        const answers = await Promise.all(
          (Object.keys(UI_DOCUMENTS) as UiOperation[]).map(async (operation) => {
            const request = { operation, variables: variablesOf(operation), org: 'acme', token: operatorKey };
            const [fromClickHouse, fromPostgres] = await Promise.all([
              sendAsUi(clickhouseUrl, request),
              sendAsUi(postgresUrl, request),
            ]);
            const errors = fromClickHouse.body.errors ?? fromPostgres.body.errors;
            if (errors) throw new Error(`${operation}: ${JSON.stringify(errors)}`);
            const difference = firstDifference(fromClickHouse.body.data, fromPostgres.body.data);
            if (difference) throw new Error(`${operation} differs at ${difference}`);
            return JSON.stringify(fromClickHouse.body.data);
          }),
        );
        const snapshot = JSON.stringify(answers);
        const settled = snapshot === previous;
        previous = snapshot;
        return settled;
      },
      { description: 'both stores answering alike, settled', timeoutMs: 90_000, intervalMs: 1_500 },
    );
  }, 300_000);

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await database?.drop();
  });

  it('answers 401 without a valid token, over GET and POST', async () => {
    const get = await sendAsUi(clickhouseUrl, {
      operation: 'SourceHealth',
      variables: { orgId: 'acme' },
      org: 'acme',
      token: null,
    });
    expect(get).toMatchObject({ method: 'GET', status: 401 });
    expect(get.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const post = await fetch(`${clickhouseUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer dho_0123456789abcdef_wrongwrongwrongwrongwrongwrongwrongwrongwro',
      },
      body: JSON.stringify({ query: '{ sourceHealth(orgId: "acme") { provider } }' }),
    });
    expect(post.status).toBe(401);
    const forged = await sendAsUi(clickhouseUrl, {
      operation: 'SourceHealth',
      variables: { orgId: 'acme' },
      org: 'acme',
      token: await jwt({ org_id: 'acme' }, 'another-secret-of-at-least-32-characters'),
    });
    expect(forged.status).toBe(401);
    expect(JSON.stringify(forged.body)).not.toContain('another-secret');
  });

  it('answers 403 for an organization the token does not carry, however it is named', async () => {
    // Named by the request (X-Org-Id): refused whole, HTTP 403.
    const byHeader = await sendAsUi(clickhouseUrl, {
      operation: 'SourceHealth',
      variables: { orgId: 'globex' },
      org: 'globex',
      token: acmeKey,
    });
    expect({ status: byHeader.status, code: byHeader.body.errors?.[0]?.extensions?.code }).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    // Named by an argument only: the field is refused, FORBIDDEN in the errors, no data.
    const byArgument = await sendAsUi(clickhouseUrl, {
      operation: 'SourceHealth',
      variables: { orgId: 'globex' },
      org: 'acme',
      token: acmeKey,
    });
    expect(byArgument.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(byArgument.body.data ?? null).toBeNull();
    const asJwt = await sendAsUi(clickhouseUrl, {
      operation: 'SourceHealth',
      variables: { orgId: 'globex' },
      org: 'globex',
      token: await jwt({ org_id: 'acme' }),
    });
    expect(asJwt.status).toBe(403);
    const allowed = await sendAsUi(clickhouseUrl, {
      operation: 'SourceHealth',
      variables: { orgId: 'acme' },
      org: 'acme',
      token: await jwt({ org_id: 'acme' }),
    });
    expect(allowed).toMatchObject({ status: 200, method: 'GET' });
    expect(allowed.body.errors).toBeUndefined();
  });

  it.each(Object.keys(UI_DOCUMENTS) as UiOperation[])(
    '%s: the UI’s document as its client sends it, with no errors and equal answers from both stores',
    async (operation) => {
      const request = { operation, variables: variablesOf(operation), org: 'acme', token: acmeKey };
      const [fromClickHouse, fromPostgres] = await Promise.all([
        sendAsUi(clickhouseUrl, request),
        sendAsUi(postgresUrl, request),
      ]);
      // urql GETs whatever fits in 2,047 characters: all but Home.
      expect(fromClickHouse.method).toBe(operation === 'Home' ? 'POST' : 'GET');
      expect(fromClickHouse.body.errors).toBeUndefined();
      expect(fromPostgres.body.errors).toBeUndefined();
      expect(fromClickHouse.status).toBe(200);
      expect(fromClickHouse.body.data).toEqual(fromPostgres.body.data);
      expect(JSON.stringify(fromClickHouse.body.data)).toContain('__typename');
    },
  );

  it('cross-checks the numbers against the stores', async () => {
    const answer = async (operation: UiOperation) => {
      const { body } = await sendAsUi(clickhouseUrl, {
        operation,
        variables: variablesOf(operation),
        org: 'acme',
        token: acmeKey,
      });
      if (body.errors) throw new Error(`${operation}: ${JSON.stringify(body.errors)}`);
      return body.data as Record<string, unknown>;
    };
    const home = (await answer('Home')).home as {
      deltas: { metric: string; value: number; hasData: boolean; hasPriorData: boolean; deltaPct: number | null }[];
      freshness: { coverage: { prsLinkedToIssuesPct: number | null }; sources: { provider: string; status: string }[] };
      reworkThemeAllocation: { prsMerged: number }[];
    };
    const delta = (metric: string) => home.deltas.find((entry) => entry.metric === metric);
    const merged = async (first: string, last: string) => {
      const [row] = await queryRows<{ n: string; linked: string }>(
        database.uri,
        `SELECT count(*) AS n, count(*) FILTER (WHERE cardinality(closing_work_item_ids) > 0 OR EXISTS (
                  SELECT 1 FROM work_items w WHERE w.org_id = 'acme' AND w.key = ANY (pull_requests.work_item_keys))) AS linked
           FROM pull_requests WHERE org_id = 'acme'
            AND merged_at >= '${first}T00:00:00Z' AND merged_at < ('${last}'::date + 1)::timestamptz`,
      );
      return { count: Number(row?.n), linked: Number(row?.linked) };
    };
    const inWindow = await merged(HOME_FIRST, UNTIL);
    const before = await merged('2026-03-01', '2026-03-04');
    expect(inWindow.count).toBeGreaterThan(0);
    expect(delta('throughput')).toMatchObject({ value: inWindow.count, hasData: true, hasPriorData: true });
    expect(delta('throughput')?.deltaPct).toBeCloseTo(((inWindow.count - before.count) / before.count) * 100, 0);
    const [commits] = await queryRows<{ n: string }>(
      database.uri,
      `SELECT count(*) AS n FROM commits WHERE org_id = 'acme'
         AND authored_at >= '${HOME_FIRST}T00:00:00Z' AND authored_at < ('${UNTIL}'::date + 1)::timestamptz`,
    );
    expect(delta('commits')?.value).toBe(Number(commits?.n));
    expect(home.freshness.coverage.prsLinkedToIssuesPct).toBeCloseTo((inWindow.linked / inWindow.count) * 100, 2);
    expect(home.reworkThemeAllocation.reduce((sum, theme) => sum + theme.prsMerged, 0)).toBeLessThanOrEqual(
      inWindow.count,
    );
    expect(home.freshness.sources.map(({ provider, status }) => ({ provider, status }))).toEqual([
      { provider: 'github', status: 'down' },
      { provider: 'synthetic', status: 'ok' },
    ]);

    const pr = (await answer('PrDetail')).pr as { reviewsCount: number; reviews: unknown[]; repoName: string };
    const [direct] = await queryRows<{ reviews: string }>(
      database.uri,
      `SELECT count(*) AS reviews FROM reviews WHERE pull_request_id =
        (SELECT id FROM pull_requests WHERE org_id = 'acme' AND repository_id || '#pr' || number = '${pullRequestId}')`,
    );
    expect(pr.reviewsCount).toBe(Number(direct?.reviews));
    expect(pr.reviews).toHaveLength(pr.reviewsCount);
    expect(pr.repoName).toMatch(/\//);

    const edges = (await answer('ReviewEdges')).reviewEdges as {
      edges: { reviewsCount: number }[];
      totalCount: number;
    };
    const [pairs] = await queryRows<{ reviews: string; groups: string }>(
      database.uri,
      `SELECT count(*) AS reviews, count(DISTINCT (r.reviewer_identity_id, p.author_identity_id,
              (r.submitted_at AT TIME ZONE 'UTC')::date, r.repository_id)) AS groups
         FROM reviews r JOIN pull_requests p ON p.id = r.pull_request_id
        WHERE r.org_id = 'acme' AND r.reviewer_identity_id <> p.author_identity_id
          AND r.submitted_at >= '${SINCE}T00:00:00Z' AND r.submitted_at < ('${UNTIL}'::date + 1)::timestamptz`,
    );
    expect(edges.totalCount).toBe(Number(pairs?.groups));
    expect(edges.edges.reduce((sum, edge) => sum + edge.reviewsCount, 0)).toBe(Number(pairs?.reviews));

    const connectors = (
      (await answer('GetConnectorsDataHealth')).dataHealth as { connectors: Record<string, unknown>[] }
    ).connectors;
    const [ingested] = await queryRows<{ rows: string }>(
      database.uri,
      `SELECT sum(value::bigint) AS rows FROM sync_runs, jsonb_each_text(records) WHERE org_id = 'acme'`,
    );
    expect(connectors.reduce((sum, connector) => sum + Number(connector.rowsIngested), 0)).toBe(Number(ingested?.rows));
    expect(connectors.find((connector) => connector.provider === 'github')).toMatchObject({
      lastSyncAt: null,
      lastFailure: { stage: 'auth', message: 'GitHub rejected the credential (401)' },
    });
    const sources = (await answer('SourceHealth')).sourceHealth as { provider: string; lastFailure: unknown }[];
    expect(sources.find((source) => source.provider === 'github')?.lastFailure).toMatchObject({ stage: 'auth' });
    expect(JSON.stringify(sources)).not.toContain('rejected');
  });

  it('forecasts: throughput, backlog and percentiles against the stores; reproducible; another org refused', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const yearBefore = new Date(Date.parse(`${today}T00:00:00Z`) - 365 * 86_400_000).toISOString().slice(0, 10);
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const postgres = await PostgresStore.connect(database.uri, 'gateway-contract-forecast');
    try {
      const rows = await new MetricsReader(postgres.dataSource).latest(
        'work_item_metrics_daily',
        { org_id: 'acme' },
        yearBefore,
        yesterday,
      );
      const completed = rows.reduce((sum, row) => sum + Number(row.items_completed ?? 0), 0);
      const [open] = await queryRows<{ n: string }>(
        database.uri,
        `SELECT count(*) AS n FROM work_items WHERE org_id = 'acme' AND status_category IN ('todo', 'in_progress')`,
      );
      const teams = await queryRows<{ team_id: string }>(
        database.uri,
        `SELECT DISTINCT team_id FROM work_items
          WHERE org_id = 'acme' AND team_id IS NOT NULL AND status_category IN ('todo', 'in_progress')`,
      );
      expect(completed).toBeGreaterThan(0);
      const ask = (operation: 'CapacityForecast' | 'CapacityForecasts' | 'ThroughputForecast') =>
        asOperator(clickhouseUrl, operation);
      const answer = await ask('CapacityForecast');
      expect(answer.body.errors).toBeUndefined();
      const forecast = answer.body.data?.capacityForecast as Record<string, unknown> & {
        completionDistribution: { runs: number; unfinishedRuns: number; days: { count: number }[] };
      };
      expect(forecast).toMatchObject({
        backlogSize: Number(open?.n),
        historyDays: 365,
        throughputMean: Math.round((completed / 365) * 10_000) / 10_000,
        insufficientHistory: false,
        targetDate: FORECAST_TARGET,
      });
      const days = [forecast.p50Days, forecast.p85Days, forecast.p95Days] as (number | null)[];
      expect(days[0]).not.toBeNull();
      expect(days.filter((value): value is number => value !== null)).toEqual(
        [...days.filter((value): value is number => value !== null)].sort((a, b) => a - b),
      );
      const { completionDistribution: distribution } = forecast;
      expect(distribution.days.reduce((sum, bucket) => sum + bucket.count, 0) + distribution.unfinishedRuns).toBe(
        distribution.runs,
      );
      // The same question on the same data: the same answer.
      expect((await ask('CapacityForecast')).body.data).toEqual(answer.body.data);
      const list = (await ask('CapacityForecasts')).body.data?.capacityForecasts as {
        totalCount: number;
        edges: unknown[];
      };
      expect(list.totalCount).toBe(1 + teams.length);
      expect(list.edges).toHaveLength(Math.min(3, 1 + teams.length));
      const weekly = (await ask('ThroughputForecast')).body.data?.throughputForecast as Record<string, unknown>;
      expect(weekly).toMatchObject({ backlogSize: Number(open?.n), historyWeeks: 52 });
      const refused = await sendAsUi(clickhouseUrl, {
        operation: 'CapacityForecast',
        variables: { ...variablesOf('CapacityForecast'), orgId: 'globex' },
        org: 'acme',
        token: acmeKey,
      });
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    } finally {
      await postgres.close();
    }
  }, 120_000);

  it('bus factor: the fewest authors owning half the changed lines, worked out from the commits', async () => {
    const lines = await queryRows<{ repository_id: string; author: string; lines: string; commits: string }>(
      database.uri,
      `SELECT repository_id, author_identity_id AS author, sum(additions + deletions) AS lines, count(*) AS commits
         FROM commits WHERE org_id = 'acme' AND NOT is_merge AND authored_at >= now() - interval '365 days'
        GROUP BY repository_id, author_identity_id`,
    );
    const fewest = (rows: typeof lines) => {
      const byAuthor = new Map<string, number>();
      for (const row of rows) byAuthor.set(row.author, (byAuthor.get(row.author) ?? 0) + Number(row.lines));
      const sorted = [...byAuthor.values()].sort((a, b) => b - a);
      const total = sorted.reduce((sum, value) => sum + value, 0);
      let owned = 0;
      let count = 0;
      while (owned < total / 2) owned += sorted[count++] ?? 0;
      return count;
    };
    const answer = await asOperator(clickhouseUrl, 'BusFactor', { orgId: 'acme', scope: null });
    expect(answer.body.errors).toBeUndefined();
    const busFactor = answer.body.data?.busFactor as {
      value: number;
      evidenceSampleCount: number;
      repos: { repoId: string; value: number }[];
    };
    expect(busFactor.value).toBe(fewest(lines));
    expect(busFactor.value).toBeGreaterThan(0);
    expect(busFactor.evidenceSampleCount).toBe(lines.reduce((sum, row) => sum + Number(row.commits), 0));
    for (const repo of busFactor.repos)
      expect(repo.value).toBe(fewest(lines.filter((row) => row.repository_id === repo.repoId)));
  }, 60_000);

  it('operating review: the week’s merged PRs and completed work items against the stores', async () => {
    const answer = await asOperator(clickhouseUrl, 'OperatingReview', {
      orgId: 'acme',
      input: { weekStart: REVIEW_WEEK },
    });
    expect(answer.body.errors).toBeUndefined();
    const review = answer.body.data?.operatingReview as {
      priorWeekStart: string;
      sections: { metrics: { key: string; value: number; hasData: boolean; delta: { priorValue: number } }[] }[];
    };
    expect(review.priorWeekStart).toBe('2026-02-25');
    const metric = (key: string) => review.sections.flatMap((section) => section.metrics).find((m) => m.key === key);
    const count = async (sql: string) => Number((await queryRows<{ n: string }>(database.uri, sql))[0]?.n);
    const week = `>= '${REVIEW_WEEK}T00:00:00Z' AND %s < ('${REVIEW_WEEK}'::date + 7)::timestamptz`;
    const merged = await count(
      `SELECT count(*) AS n FROM pull_requests WHERE org_id = 'acme' AND merged_at ${week.replace('%s', 'merged_at')}`,
    );
    const done = await count(
      `SELECT count(*) AS n FROM work_items WHERE org_id = 'acme' AND status_category = 'done'
          AND completed_at ${week.replace('%s', 'completed_at')}`,
    );
    expect(merged).toBeGreaterThan(0);
    expect(metric('prs_merged')).toMatchObject({ value: merged, hasData: true });
    expect(metric('throughput')).toMatchObject({ value: done, hasData: true });
  }, 60_000);

  it('cognitive load: reviews given per active developer each day, against the stores', async () => {
    const answer = await asOperator(clickhouseUrl, 'CognitiveLoad');
    expect(answer.body.errors).toBeUndefined();
    const load = answer.body.data?.cognitiveLoad as {
      totalDays: number;
      signals: { day: string; prInterruptionLoad: number; afterHoursCommitRatio: number | null }[];
    };
    expect(load.totalDays).toBe(10);
    expect(load.signals.length).toBeGreaterThan(0);
    // Reviews submitted that day ÷ people with a commit, a review or a PR that day.
    const days = await queryRows<{ day: string; reviews: string; people: string }>(
      database.uri,
      `WITH activity AS (
         SELECT to_char(authored_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, author_identity_id AS person FROM commits WHERE org_id = 'acme'
         UNION ALL SELECT to_char(submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), reviewer_identity_id FROM reviews WHERE org_id = 'acme'
         UNION ALL SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), author_identity_id FROM pull_requests WHERE org_id = 'acme')
       SELECT a.day, count(DISTINCT a.person) AS people,
              (SELECT count(*) FROM reviews r WHERE r.org_id = 'acme'
                 AND to_char(r.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') = a.day) AS reviews
         FROM activity a WHERE a.day BETWEEN '${SINCE}' AND '${UNTIL}' GROUP BY a.day ORDER BY a.day`,
    );
    const expected = Object.fromEntries(
      days.map((row) => [row.day, Math.round((Number(row.reviews) / Number(row.people)) * 10_000) / 10_000]),
    );
    const actual = Object.fromEntries(load.signals.map((signal) => [signal.day, signal.prInterruptionLoad]));
    expect(actual).toEqual(expected);
  }, 60_000);

  it('work graph: the synthetic org’s links, each kind counted from the stores', async () => {
    const count = async (sql: string) => Number((await queryRows<{ n: string }>(database.uri, sql))[0]?.n);
    const expected = {
      // An issue key in a title or message that names a work item of the org.
      'PR REFERENCES ISSUE': await count(
        `SELECT count(*) AS n FROM pull_requests p CROSS JOIN LATERAL unnest(p.work_item_keys) AS k(key)
           JOIN work_items w ON w.org_id = 'acme' AND w.key = k.key
          WHERE p.org_id = 'acme' AND NOT w.id = ANY (p.closing_work_item_ids)`,
      ),
      'COMMIT REFERENCES ISSUE': await count(
        `SELECT count(*) AS n FROM commits c CROSS JOIN LATERAL unnest(c.work_item_keys) AS k(key)
           JOIN work_items w ON w.org_id = 'acme' AND w.key = k.key WHERE c.org_id = 'acme'`,
      ),
      // The merge commit and the deployed sha, in the same repository.
      'PR CONTAINS COMMIT': await count(
        `SELECT count(*) AS n FROM pull_requests p JOIN commits c
            ON c.org_id = 'acme' AND c.sha = p.merge_commit_sha AND c.repository_id = p.repository_id
          WHERE p.org_id = 'acme'`,
      ),
      'DEPLOYMENT DEPLOYS COMMIT': await count(
        `SELECT count(*) AS n FROM deployments d JOIN commits c
            ON c.org_id = 'acme' AND c.sha = d.commit_sha AND c.repository_id = d.repository_id
          WHERE d.org_id = 'acme'`,
      ),
    };
    // The synthetic org links its work as teams that do: every kind is there.
    for (const [kind, n] of Object.entries(expected))
      expect(`${kind}: ${n > 0 ? 'some' : 'none'}`).toBe(`${kind}: some`);
    for (const url of [clickhouseUrl, postgresUrl]) {
      const answer = await asOperator(url, 'WorkGraphEdges', { orgId: 'acme', filters: { limit: 5_000 } });
      expect(answer.body.errors).toBeUndefined();
      const graph = answer.body.data?.workGraphEdges as {
        totalCount: number;
        edges: { sourceType: string; edgeType: string; targetType: string; confidence: number }[];
      };
      const kinds: Record<string, number> = {};
      for (const edge of graph.edges) {
        const kind = `${edge.sourceType} ${edge.edgeType} ${edge.targetType}`;
        kinds[kind] = (kinds[kind] ?? 0) + 1;
      }
      expect(graph.totalCount).toBe(graph.edges.length);
      expect(kinds).toEqual(expected);
      // An issue named by a pull request and by a commit: linked by two kinds of evidence.
      expect(graph.edges.some((edge) => edge.edgeType === 'REFERENCES' && edge.confidence === 0.8)).toBe(true);
    }
  }, 60_000);

  it('hotspots: churn, commits and authors per file over the 30 days, each risk worked out from the stores', async () => {
    const files = await queryRows<{
      repository_id: string;
      path: string;
      lines: string;
      commits: string;
      authors: string;
    }>(
      database.uri,
      `SELECT f.repository_id, f.path, sum(f.additions + f.deletions) AS lines,
              count(DISTINCT f.commit_id) AS commits, count(DISTINCT c.author_identity_id) AS authors
         FROM commit_file_changes f JOIN commits c ON c.id = f.commit_id
        WHERE f.org_id = 'acme' AND f.committed_at >= '${SINCE}T00:00:00Z' AND f.committed_at < ('${UNTIL}'::date + 1)::timestamptz
        GROUP BY f.repository_id, f.path`,
    );
    expect(files.length).toBeGreaterThan(0);
    const most = (column: 'lines' | 'commits' | 'authors') => Math.max(...files.map((file) => Number(file[column])));
    const risk = (file: (typeof files)[number]) =>
      Math.round(
        Math.cbrt(
          (Math.log1p(Number(file.lines)) / Math.log1p(most('lines'))) *
            (Number(file.commits) / most('commits')) *
            (Number(file.authors) / most('authors')),
        ) * 10_000,
      ) / 10_000;
    for (const url of [clickhouseUrl, postgresUrl]) {
      const answer = await asOperator(url, 'Hotspots');
      expect(answer.body.errors).toBeUndefined();
      const { rows, repos } = answer.body.data?.hotspots as {
        rows: {
          filePath: string;
          repoId: string;
          churnLoc30d: number;
          churnCommits30d: number;
          riskScore: number;
          cyclomaticAvg: number;
          blameConcentration: number | null;
          evidenceUrl: string | null;
        }[];
        repos: { repoId: string; topFilePath: string; topRiskScore: number }[];
      };
      expect(rows).toHaveLength(Math.min(50, files.length));
      for (const row of rows) {
        const file = files.find(
          (candidate) => candidate.repository_id === row.repoId && candidate.path === row.filePath,
        );
        expect(file).toBeDefined();
        expect(row).toMatchObject({
          churnLoc30d: Number(file?.lines),
          churnCommits30d: Number(file?.commits),
          riskScore: file ? risk(file) : -1,
          cyclomaticAvg: 0,
          // No blame in a synthetic org, and no file page: honest nulls.
          blameConcentration: null,
          evidenceUrl: null,
        });
      }
      const expected = [...files].sort((a, b) => risk(b) - risk(a))[0];
      expect(rows[0]?.riskScore).toBe(expected ? risk(expected) : -1);
      expect(new Set(repos.map((repo) => repo.repoId))).toEqual(new Set(files.map((file) => file.repository_id)));
    }
    // Its lineage: the records it is computed from, over its window.
    const lineage = await asOperator(clickhouseUrl, 'MetricLineage', { metricId: 'hotspots' });
    const [changes] = await queryRows<{ n: string }>(
      database.uri,
      `SELECT count(*) AS n FROM commit_file_changes WHERE org_id = 'acme'`,
    );
    expect((lineage.body.data?.dataHealth as { metricLineage: unknown }).metricLineage).toMatchObject({
      metricId: 'hotspots',
      sourceTables: ['commit_file_changes', 'commits', 'blame_lines', 'repositories'],
      computeWindow: { kind: 'query_time', durationDays: 30 },
      rowCount: Number(changes?.n),
    });
  }, 60_000);

  it('flow matrix: repository switches, review exchanges between teams and work-type switches, against the stores', async () => {
    const day = `>= '${SINCE}T00:00:00Z' AND %s < ('${UNTIL}'::date + 1)::timestamptz`;
    const expected = {
      // A developer's consecutive non-merge commits of a UTC day.
      REPO: `SELECT source, target, count(*) AS n FROM (
               SELECT lag(repository_id) OVER (PARTITION BY author_identity_id, (authored_at AT TIME ZONE 'UTC')::date
                                              ORDER BY authored_at, id COLLATE "C") AS source, repository_id AS target
                 FROM commits WHERE org_id = 'acme' AND NOT is_merge AND authored_at ${day.replace('%s', 'authored_at')}) s
              WHERE source IS NOT NULL GROUP BY source, target`,
      // Each review: the author's team → the reviewer's team.
      TEAM: `SELECT a.team_id AS source, b.team_id AS target, count(*) AS n
               FROM reviews r JOIN pull_requests p ON p.id = r.pull_request_id
               JOIN team_memberships a ON a.identity_id = p.author_identity_id AND a.org_id = 'acme'
               JOIN team_memberships b ON b.identity_id = r.reviewer_identity_id AND b.org_id = 'acme'
              WHERE r.org_id = 'acme' AND r.reviewer_identity_id <> p.author_identity_id
                AND r.submitted_at ${day.replace('%s', 'r.submitted_at')}
              GROUP BY a.team_id, b.team_id`,
      // An assignee's consecutively completed work items.
      WORK_TYPE: `SELECT source, target, count(*) AS n FROM (
               SELECT lag(type) OVER (PARTITION BY assignee_identity_id ORDER BY completed_at, id COLLATE "C") AS source, type AS target
                 FROM work_items WHERE org_id = 'acme' AND status_category = 'done' AND assignee_identity_id IS NOT NULL
                  AND completed_at ${day.replace('%s', 'completed_at')}) s
              WHERE source IS NOT NULL GROUP BY source, target`,
    } as const;
    const prefix = { REPO: 'repo', TEAM: 'team', WORK_TYPE: 'work_type' } as const;
    for (const dimension of ['REPO', 'TEAM', 'WORK_TYPE'] as const) {
      const pairs = await queryRows<{ source: string; target: string; n: string }>(database.uri, expected[dimension]);
      expect(`${dimension}: ${pairs.length > 0 ? 'flows' : 'none'}`).toBe(`${dimension}: flows`);
      const edges = pairs
        .map((pair) => `${prefix[dimension]}:${pair.source} → ${prefix[dimension]}:${pair.target} = ${Number(pair.n)}`)
        .sort();
      for (const url of [clickhouseUrl, postgresUrl]) {
        const answer = await asOperator(url, 'FlowMatrix', flowMatrixVariables(dimension));
        expect(answer.body.errors).toBeUndefined();
        const matrix = (
          answer.body.data?.analytics as {
            flowMatrix: {
              nodes: { id: string; dimension: string; value: number }[];
              edges: { source: string; target: string; value: number }[];
            };
          }
        ).flowMatrix;
        expect(matrix.edges.map((edge) => `${edge.source} → ${edge.target} = ${edge.value}`).sort()).toEqual(edges);
        const touching = (id: string) =>
          matrix.edges.reduce((sum, edge) => sum + (edge.source === id || edge.target === id ? edge.value : 0), 0);
        for (const node of matrix.nodes)
          expect(node).toMatchObject({ dimension: prefix[dimension], value: touching(node.id) });
      }
    }
    const refused = await sendAsUi(clickhouseUrl, {
      operation: 'FlowMatrix',
      variables: {
        orgId: 'acme',
        batch: { flowMatrix: { ...flowMatrixVariables('REPO').batch.flowMatrix, dimension: 'AUTHOR' } },
      },
      org: 'acme',
      token: operatorKey,
    });
    expect(JSON.stringify(refused.body.errors)).toContain('batch.flowMatrix.dimension');
  }, 60_000);

  it('runs as many store statements for a page of 2 as for a page of 500 (no N+1)', async () => {
    const statements = async (operation: UiOperation, variables: Record<string, unknown>) => {
      const answer = await sendAsUi(clickhouseUrl, { operation, variables, org: 'acme', token: acmeKey });
      expect(answer.body.errors).toBeUndefined();
      return (answer.body as { extensions?: { statements?: number } }).extensions?.statements;
    };
    const edges = (limit: number) => ({ input: { orgId: 'acme', sinceDate: SINCE, untilDate: UNTIL, limit } });
    const few = await statements('ReviewEdges', edges(2));
    expect(few).toBeGreaterThan(0);
    expect(await statements('ReviewEdges', edges(500))).toBe(few);
    const [items] = await queryRows<{ ids: string[] }>(
      database.uri,
      `SELECT array_agg(id ORDER BY id) AS ids FROM (SELECT id FROM work_items WHERE org_id = 'acme' ORDER BY id LIMIT 2) two`,
    );
    const two = await statements('WorkItemTeamAttributions', {
      orgId: 'acme',
      workItemIds: items?.ids ?? [],
      teamId: null,
    });
    expect(await statements('WorkItemTeamAttributions', { orgId: 'acme', workItemIds: null, teamId: null })).toBe(two);
  });

  it('refuses a mutation over GET, and a query past a limit, naming it', async () => {
    const url = new URL(`${clickhouseUrl}/graphql`);
    url.searchParams.set('query', 'mutation Change { noSuch }');
    const mutation = await fetch(url, { headers: { authorization: `Bearer ${acmeKey}`, 'x-org-id': 'acme' } });
    expect([400, 405]).toContain(mutation.status);
    const aliases = Array.from({ length: 31 }, (_, index) => `a${index}: __typename`).join(' ');
    const refused = await fetch(`${clickhouseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${acmeKey}` },
      body: JSON.stringify({ query: `query Many { ${aliases} }` }),
    });
    const body = (await refused.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
    expect(body.errors?.[0]).toMatchObject({
      message: 'Many: 31 aliases exceed the limit of 30 (GATEWAY_MAX_ALIASES)',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('over WebSocket: closes 4401 without a token, refuses another org with FORBIDDEN', async () => {
    const connect = (token: string | null) => graphqlWsClient(clickhouseUrl, token);
    const run = (token: string | null, query: string) =>
      new Promise<{ data?: unknown; error?: unknown }>((resolve) => {
        const client = connect(token);
        client.subscribe(
          { query },
          {
            next: (value) => resolve({ data: value.data, error: value.errors }),
            error: (error: unknown) => {
              resolve({ error });
              void client.dispose();
            },
            complete: () => void client.dispose(),
          },
        );
      });
    const anonymous = await run(null, '{ sourceHealth(orgId: "acme") { provider } }');
    expect((anonymous.error as { code?: number }).code).toBe(4401);
    const other = await run(acmeKey, '{ sourceHealth(orgId: "globex") { provider } }');
    expect(JSON.stringify(other.error)).toContain('FORBIDDEN');
    const own = await run(acmeKey, '{ sourceHealth(orgId: "acme") { provider } }');
    expect(own.error).toBeUndefined();
    expect(
      (own.data as { sourceHealth: { provider: string }[] }).sourceHealth.map((source) => source.provider),
    ).toContain('synthetic');
  });

  it('streams sync progress, the task and the metrics it recomputes to subscribers (graphql-ws)', async () => {
    const client = graphqlWsClient(clickhouseUrl, acmeKey);
    const received: Record<string, unknown[]> = { syncProgress: [], metricsUpdated: [], taskStatus: [] };
    const listen = (query: string, into: string) =>
      client.subscribe(
        { query },
        {
          next: (value) =>
            received[into]?.push((value.data as Record<string, unknown> | undefined)?.[into] ?? value.errors),
          error: (error: unknown) => received[into]?.push({ error }),
          complete: () => undefined,
        },
      );
    const stops = [
      listen(
        'subscription { syncProgress(orgId: "acme") { orgId provider status itemsProcessed itemsTotal updatedAt } }',
        'syncProgress',
      ),
      listen('subscription { metricsUpdated(orgId: "acme") { orgId day updatedAt message } }', 'metricsUpdated'),
    ];
    try {
      // Subscriptions are live: wait until the gateway holds both before anything happens.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const { api, run } = await startSyntheticSync('synthetic-live', {
        seed: 'contract-live',
        days: 2,
        repos: 1,
        people: 4,
      });
      stops.push(
        listen(`subscription { taskStatus(taskId: "${run.id}") { taskId status progress result } }`, 'taskStatus'),
      );
      const ended = await api.waitForEnd('acme', run.id, 120_000);
      expect(ended.status).toBe('succeeded');
      await waitFor(() => (received.metricsUpdated?.length ?? 0) > 0 && (received.taskStatus?.length ?? 0) > 0, {
        description: 'a metrics update and the task status over the subscriptions',
        timeoutMs: 60_000,
        intervalMs: 200,
      });
      const progress = received.syncProgress as { status: string; provider: string; itemsProcessed: number }[];
      expect(progress.at(-1)).toMatchObject({ status: 'completed', provider: 'synthetic' });
      expect(progress.at(-1)?.itemsProcessed).toBe(Object.values(ended.records).reduce((sum, count) => sum + count, 0));
      const update = received.metricsUpdated?.[0] as { orgId: string; day: string } | undefined;
      expect(update?.orgId).toBe('acme');
      expect(update?.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(received.taskStatus?.at(-1)).toMatchObject({ taskId: run.id, status: 'completed', progress: 1 });
    } finally {
      for (const stop of stops) stop();
      await client.dispose();
    }
  });

  it('a subscriber reconnecting after a gateway restart receives again', async () => {
    const first = startService('gateway', { ...gatewayEnv }, 'gateway-restart');
    const url = await listeningUrl(first);
    const port = new URL(url).port;
    const received: { status: string }[] = [];
    const client = graphqlWsClient(url, acmeKey, {
      retryAttempts: 30,
      retryWait: () => new Promise((resolve) => setTimeout(resolve, 500)),
      shouldRetry: () => true,
    });
    const stop = client.subscribe(
      { query: 'subscription { syncProgress(orgId: "acme") { status } }' },
      {
        next: (value) => received.push((value.data as { syncProgress: { status: string } }).syncProgress),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    let second: RunningService | undefined;
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await first.stop();
      second = startService('gateway', { ...gatewayEnv, HTTP_PORT: port }, 'gateway-restarted');
      services.push(second);
      await listeningUrl(second);
      await second.waitForLog(/gateway consuming live events/);
      // The client re-subscribes on its own once the socket is back.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const { api, run } = await startSyntheticSync('synthetic-after-restart', {
        seed: 'contract-restart',
        days: 1,
        repos: 1,
        people: 3,
      });
      await api.waitForEnd('acme', run.id, 120_000);
      await waitFor(() => received.some((progress) => progress.status === 'completed'), {
        description: 'the restarted gateway’s sync progress on the reconnected subscription',
        timeoutMs: 30_000,
        intervalMs: 200,
      });
    } finally {
      stop();
      await client.dispose();
    }
  });

  it('serves Home again from its cache until the org changes, then reads the stores', async () => {
    const cached = startService(
      'gateway',
      { ...gatewayEnv, GATEWAY_ANALYTICS_STORE: 'postgres', GATEWAY_RESULT_CACHE_SECONDS: '3600' },
      'gateway-cached',
    );
    services.push(cached);
    const url = await listeningUrl(cached);
    await cached.waitForLog(/gateway consuming live events/);
    const home = async () => {
      const { body } = await sendAsUi(url, {
        operation: 'Home',
        variables: variablesOf('Home'),
        org: 'acme',
        token: acmeKey,
      });
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      const answer = body.data?.home as { freshness: { latestSuccessfulSyncAt: string | null } };
      const { statements } = (body as { extensions?: { statements?: number } }).extensions ?? {};
      return { latestSync: answer.freshness.latestSuccessfulSyncAt, statements };
    };
    const first = await home();
    expect(first.statements).toBeGreaterThan(0);
    expect(await home()).toEqual({ ...first, statements: 0 });

    // A sync of the org: its events reach this replica's consumer, which drops the org's answers
    // long before the hour-long TTL.
    const { api, run } = await startSyntheticSync('synthetic-cache', {
      seed: 'contract-cache',
      days: 1,
      repos: 1,
      people: 3,
    });
    expect((await api.waitForEnd('acme', run.id, 120_000)).status).toBe('succeeded');
    const after = await waitFor(
      async () => {
        const answer = await home();
        return answer.latestSync !== first.latestSync && answer;
      },
      { description: 'Home recomputed after the sync', timeoutMs: 30_000, intervalMs: 300 },
    );
    expect(after.statements).toBeGreaterThan(0);
    expect(Date.parse(after.latestSync ?? '')).toBeGreaterThan(Date.parse(first.latestSync ?? ''));
  });
});
