/**
 * Gateway read latency: dev-health-web’s Home (POST, as urql sends it) and PrDetail (GET) at 1, 10 and
 * 50 concurrent clients, and part 2's operations (forecasts, bus factor, operating review, work graph) at 10, against a 365-day synthetic org of 120 people, from a gateway reading
 * ClickHouse and one reading Postgres. The org goes through the whole pipeline first (connector,
 * processor, both sinks, metrics); latency is measured once both gateways answer Home alike.
 * Run: npm run bench -- gateway [days] [requestsPerClient]
 * BENCH_KEEP_DATA=true keeps the loaded org's databases and prints how to reach them, for profiling queries.
 */
import { SyntheticGenerator, type SyntheticOptions } from '@dev-health/synthetic';
import {
  createTestDatabase,
  firstDifference,
  issueApiKey,
  listeningUrl,
  queryRows,
  stackEndpoints,
  waitFor,
} from '@dev-health/testing';
import { type UiOperation, sendAsUi } from '../test/web/ui-documents';
import {
  Fleet,
  ORG_OF_120,
  percentile,
  pipelineEnvironment,
  runMain,
  scrapeCounter,
  syntheticPipelineEnvironment,
  waitForMetricsCatchUp,
  writeResult,
} from './harness';

const CLIENTS = [1, 10, 50] as const;

/** The part-2 contract operations and their variables, by label (the org's last days). */
const PART_TWO = (lastDay: string): [string, UiOperation, Record<string, unknown>][] => {
  const daysBack = (days: number) =>
    new Date(Date.parse(`${lastDay}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);
  const flowMatrix = (dimension: string) => ({
    orgId: 'default',
    batch: {
      flowMatrix: {
        dimension,
        measure: 'COUNT',
        dateRange: { startDate: daysBack(29), endDate: lastDay },
        maxNodes: 50,
        maxEdges: 200,
      },
      useInvestment: true,
    },
  });
  return [
    ['CapacityForecast', 'CapacityForecast', { orgId: 'default', input: { historyDays: 90 } }],
    [
      'CapacityCompletionDistribution',
      'CapacityCompletionDistribution',
      {
        orgId: 'default',
        input: { historyDays: 90, targetDate: new Date(Date.now() + 60 * DAY_MS).toISOString().slice(0, 10) },
      },
    ],
    ['CapacityForecasts', 'CapacityForecasts', { orgId: 'default', filters: { limit: 10 } }],
    ['ThroughputForecast', 'ThroughputForecast', { orgId: 'default', input: { historyWeeks: 12 } }],
    ['BusFactor', 'BusFactor', { orgId: 'default', scope: null }],
    [
      'Hotspots',
      'Hotspots',
      {
        input: { orgId: 'default', sinceUtc: `${daysBack(13)}T00:00:00Z`, untilUtc: `${lastDay}T23:59:59Z`, limit: 50 },
      },
    ],
    [
      'CognitiveLoad',
      'CognitiveLoad',
      { input: { orgId: 'default', sinceDate: daysBack(29), untilDate: lastDay, teamId: null } },
    ],
    ['OperatingReview', 'OperatingReview', { orgId: 'default', input: { weekStart: daysBack(6) } }],
    ['WorkGraphEdges', 'WorkGraphEdges', { orgId: 'default', filters: { limit: 1000 } }],
    ['WorkGraphFlow', 'WorkGraphFlow', { orgId: 'default', filters: null }],
    ['WorkGraphArtifacts', 'WorkGraphArtifacts', { orgId: 'default', filters: { limit: 50 } }],
    ['FlowMatrix TEAM', 'FlowMatrix', flowMatrix('TEAM')],
    ['FlowMatrix REPO', 'FlowMatrix', flowMatrix('REPO')],
  ];
};
const DAY_MS = 86_400_000;

interface Latency {
  p50: number;
  p99: number;
  requests: number;
  errors: number;
}

export interface GatewayBenchResult {
  days: number;
  people: number;
  repositories: number;
  pullRequests: number;
  loadSeconds: number;
  /** store → operation → clients → latency (ms) */
  latencyMs: Record<string, Record<string, Record<number, Latency>>>;
  statementsPerHome: Record<string, number>;
  gatewayPeakRssMb: Record<string, number>;
}

/** `clients` loops sending one operation back to back, `perClient` times each; latencies in ms. */
async function drive(clients: number, perClient: number, send: (index: number) => Promise<boolean>): Promise<Latency> {
  const latencies: number[] = [];
  let errors = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let request = 0; request < perClient; request++) {
        const started = performance.now();
        const ok = await send(client * perClient + request);
        latencies.push(performance.now() - started);
        if (!ok) errors++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const round = (value: number | null) => Math.round((value ?? Number.NaN) * 10) / 10;
  return {
    p50: round(percentile(latencies, 0.5)),
    p99: round(percentile(latencies, 0.99)),
    requests: latencies.length,
    errors,
  };
}

export async function measureGateway(days = 365, requestsPerClient = 40): Promise<GatewayBenchResult> {
  const endpoints = stackEndpoints();
  const database = await createTestDatabase(endpoints.databaseUri, 'bench_gateway');
  // The org's history ends yesterday, so Home's default window (the last 14 days) is full.
  const startDate = new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);
  const lastDay = new Date(Date.now() - DAY_MS).toISOString().slice(0, 10);
  const options: SyntheticOptions = {
    seed: 'gateway',
    startDate,
    days,
    ...ORG_OF_120,
  };
  const env: Record<string, string> = syntheticPipelineEnvironment(
    pipelineEnvironment('bench_gateway', database.uri).env,
    options,
  );
  const fleet = new Fleet(env);
  try {
    const loadStarted = performance.now();
    await fleet.startConsuming(['processor', 'sink-postgres', 'sink-clickhouse', 'metrics']);
    const connector = fleet.start('connector-synthetic');
    const processorUrl = await fleet.metricsUrl('processor');
    const sinkUrls = [await fleet.metricsUrl('sink-postgres'), await fleet.metricsUrl('sink-clickhouse')];
    await waitFor(
      async () => {
        if (connector.child.exitCode === null) return false;
        const produced = await scrapeCounter(processorUrl, 'dho_records_produced_total', '.canonical.');
        const consumed = await Promise.all(
          sinkUrls.map((url) => scrapeCounter(url, 'dho_records_consumed_total', '.canonical.')),
        );
        return produced > 0 && consumed.every((count) => count >= produced);
      },
      { description: 'both sinks to store every canonical record', timeoutMs: 3_600_000, intervalMs: 1_000 },
    );
    if ((await connector.exited) !== 0) throw new Error(`connector failed:\n${connector.logs()}`);
    await waitForMetricsCatchUp(sinkUrls[0] ?? '', await fleet.metricsUrl('metrics'));

    // Each store behind two gateways: as deployed (answers cached until the org changes, at most
    // GATEWAY_RESULT_CACHE_SECONDS) and with the cache off, so every Home request reads the store.
    const gateways: Record<string, string> = {};
    for (const store of ['clickhouse', 'postgres'] as const)
      for (const cached of [true, false]) {
        const label = cached ? store : `${store}, uncached`;
        gateways[label] = await listeningUrl(
          fleet.start(
            'gateway',
            {
              GATEWAY_ANALYTICS_STORE: store,
              GATEWAY_DIAGNOSTICS: 'true',
              ...(cached ? {} : { GATEWAY_RESULT_CACHE_SECONDS: '0' }),
            },
            `gateway-${store}${cached ? '' : '-uncached'}`,
          ),
        );
      }
    const token = await issueApiKey(env);
    const send = async (store: string, operation: UiOperation, variables: Record<string, unknown>) =>
      sendAsUi(gateways[store] ?? '', { operation, variables, org: 'default', token });
    const homeVariables = { orgId: 'default', filters: null, window: null };
    // The metric rows reach ClickHouse through its sink after Postgres: compare once both settle.
    let previous = '';
    await waitFor(
      async () => {
        const [clickhouse, postgres] = await Promise.all([
          send('clickhouse, uncached', 'Home', homeVariables),
          send('postgres, uncached', 'Home', homeVariables),
        ]);
        if (clickhouse.body.errors ?? postgres.body.errors)
          throw new Error(JSON.stringify(clickhouse.body.errors ?? postgres.body.errors));
        const difference = firstDifference(clickhouse.body, postgres.body);
        if (difference) throw new Error(`Home differs at ${difference}`);
        const answer = JSON.stringify(clickhouse.body);
        const settled = answer === previous;
        previous = answer;
        return settled;
      },
      { description: 'both gateways answering Home alike', timeoutMs: 600_000, intervalMs: 2_000 },
    );
    const loadSeconds = Math.round((performance.now() - loadStarted) / 100) / 10;

    const pullRequests = await queryRows<{ id: string }>(
      database.uri,
      `SELECT repository_id || '#pr' || number AS id FROM pull_requests ORDER BY md5(id) LIMIT 500`,
    );
    const [counted] = await queryRows<{ n: string }>(database.uri, `SELECT count(*) AS n FROM pull_requests`);
    const latencyMs: GatewayBenchResult['latencyMs'] = {};
    const statementsPerHome: Record<string, number> = {};
    for (const store of Object.keys(gateways)) {
      const home = await send(store, 'Home', homeVariables);
      statementsPerHome[store] = Number(
        (home.body as { extensions?: { statements?: number } }).extensions?.statements ?? Number.NaN,
      );
      const uncached = store.endsWith('uncached');
      latencyMs[store] = uncached ? { Home: {} } : { Home: {}, PrDetail: {} };
      // Warm-up: connections, JIT, the stores' caches.
      await drive(4, 10, async () => !(await send(store, 'Home', homeVariables)).body.errors);
      for (const clients of CLIENTS) {
        latencyMs[store].Home![clients] = await drive(
          clients,
          requestsPerClient,
          async () => !(await send(store, 'Home', homeVariables)).body.errors,
        );
        if (uncached) continue;
        latencyMs[store].PrDetail![clients] = await drive(clients, requestsPerClient, async (index) => {
          const id = pullRequests[index % pullRequests.length]?.id ?? '';
          const answer = await send(store, 'PrDetail', { orgId: 'default', id });
          return !answer.body.errors && answer.method === 'GET';
        });
      }
      // Part 2's operations at 10 clients: as deployed, and computed on every request.
      for (const [label, operation, variables] of PART_TWO(lastDay)) {
        const latency = await drive(
          10,
          requestsPerClient,
          async () => !(await send(store, operation, variables)).body.errors,
        );
        (latencyMs[store][label] ??= {})[10] = latency;
      }
    }
    const generator = new SyntheticGenerator(options);
    return {
      days,
      people: generator.organisation.people.length,
      repositories: generator.organisation.repositories.length,
      pullRequests: Number(counted?.n),
      loadSeconds,
      latencyMs,
      statementsPerHome,
      gatewayPeakRssMb: Object.fromEntries(
        [...fleet.peaks].filter(([label]) => label.startsWith('gateway')).map(([label, mb]) => [label, mb]),
      ),
    };
  } finally {
    await fleet.stop();
    if (process.env.BENCH_KEEP_DATA === 'true')
      process.stderr.write(
        `kept: DATABASE_URI=${database.uri} CLICKHOUSE_DATABASE=${env.CLICKHOUSE_DATABASE} TOPIC_PREFIX=${env.TOPIC_PREFIX}\n`,
      );
    else await database.drop();
  }
}

if (require.main === module)
  runMain(async () => {
    const result = await measureGateway(Number(process.argv[2] ?? 365), Number(process.argv[3] ?? 40));
    writeResult('gateway', result);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  });
