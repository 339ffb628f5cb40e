/**
 * Record in → subscription message, live: connector-synthetic emits commits stamped with the wall
 * clock; a graphql-ws client subscribes to `metricsUpdated` of the org and, on each message, reads
 * today's commit counts per repository. A commit is announced by the first message after which its
 * repository's count reaches its rank (by author time) among the day's commits; its latency is that
 * message's arrival minus its author time. Services: processor, sink-postgres, metrics, gateway
 * (Postgres reads).
 * Run: npm run bench -- subscription [seconds] [eventsPerSecond]
 */
import { SyntheticGenerator, identityAliases, type SyntheticOptions } from '@dev-health/synthetic';
import { createTestDatabase, graphqlWsClient, issueApiKey, listeningUrl, stackEndpoints } from '@dev-health/testing';
import { syntheticEnvironment } from '../apps/connector-synthetic/src/config';
import { Fleet, commitLatencies, percentile, pipelineEnvironment, runMain, writeResult } from './harness';

export interface SubscriptionLatencyResult {
  seconds: number;
  eventsPerSecond: number;
  messages: number;
  commitsMeasured: number;
  commitsNeverAnnounced: number;
  latencyMs: { p50: number | null; p99: number | null; max: number | null };
  gatewayPeakRssMb: number;
}

const OPTIONS: SyntheticOptions = {
  seed: 'subscription',
  startDate: '2026-01-05',
  days: 1,
  repos: 4,
  teams: 2,
  people: 16,
  commitsPerDay: 0,
  pullRequestsPerDay: 0,
  workItemsPerDay: 0,
};

export async function measureSubscriptionLatency(
  durationSeconds = 30,
  eventsPerSecond = 20,
): Promise<SubscriptionLatencyResult> {
  const endpoints = stackEndpoints();
  const database = await createTestDatabase(endpoints.databaseUri, 'bench_subscription');
  const generator = new SyntheticGenerator(OPTIONS);
  const repositoryIds = generator.organisation.repositories.map(
    (repository) => `synthetic:repository:${repository.fullName}`,
  );
  const env = {
    ...pipelineEnvironment('bench_subscription', database.uri).env,
    ...syntheticEnvironment(OPTIONS),
    IDENTITY_ALIASES: JSON.stringify(identityAliases(generator.organisation)),
    SYNTHETIC_HISTORY: 'false',
    SYNTHETIC_LIVE: 'true',
    SYNTHETIC_LIVE_EVENTS_PER_SECOND: String(eventsPerSecond),
    GATEWAY_ANALYTICS_STORE: 'postgres',
  };
  const fleet = new Fleet(env);
  try {
    await fleet.startConsuming(['processor', 'sink-postgres', 'metrics']);
    const baseUrl = await listeningUrl(fleet.start('gateway'));
    const token = await issueApiKey(env);
    const counts = async (): Promise<Map<string, number>> => {
      const today = new Date().toISOString().slice(0, 10);
      const query = `{ ${repositoryIds
        .map(
          (id, index) =>
            `r${index}: repoMetrics(repositoryId: ${JSON.stringify(id)}, from: "${today}", to: "${today}") { repositoryId day commits }`,
        )
        .join(' ')} }`;
      const response = await fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
      });
      const body = (await response.json()) as {
        data?: Record<string, { repositoryId: string; day: string; commits: number }[]>;
      };
      const found = new Map<string, number>();
      for (const rows of Object.values(body.data ?? {}))
        for (const row of rows) found.set(`${row.repositoryId}/${row.day}`, row.commits);
      return found;
    };
    // (repository, day) → [message arrival, commits then]
    const announced = new Map<string, { at: number; commits: number }[]>();
    let messages = 0;
    let reading = Promise.resolve();
    // graphql-ws's own default: reconnect up to 5 times.
    const client = graphqlWsClient(baseUrl, token, { retryAttempts: 5 });
    const stop = client.subscribe(
      { query: 'subscription { metricsUpdated(orgId: "default") { day updatedAt } }' },
      {
        next: () => {
          const at = Date.now();
          messages++;
          // Reads are serialized so each message's counts are at least as new as the previous ones.
          reading = reading.then(async () => {
            for (const [key, commits] of await counts()) {
              const history = announced.get(key) ?? [];
              if (history.at(-1)?.commits !== commits) history.push({ at, commits });
              announced.set(key, history);
            }
          });
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const benchStart = Date.now();
    const connector = fleet.start('connector-synthetic');
    await new Promise((resolve) => setTimeout(resolve, durationSeconds * 1_000));
    await connector.stop();
    const emittedUntil = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 10_000)); // drain
    stop();
    await reading;
    await client.dispose();

    const { latencies, neverSeen: neverAnnounced } = await commitLatencies(
      database.uri,
      announced,
      benchStart,
      emittedUntil,
    );
    const round = (value: number | null) => (value === null ? null : Math.round(value));
    await fleet.stop();
    const result: SubscriptionLatencyResult = {
      seconds: durationSeconds,
      eventsPerSecond,
      messages,
      commitsMeasured: latencies.length,
      commitsNeverAnnounced: neverAnnounced,
      latencyMs: {
        p50: round(percentile(latencies, 0.5)),
        p99: round(percentile(latencies, 0.99)),
        max: round(percentile(latencies, 1)),
      },
      gatewayPeakRssMb: fleet.peaks.get('gateway') ?? 0,
    };
    writeResult('subscription', result);
    return result;
  } finally {
    await fleet.stop();
    await database.drop();
  }
}

if (require.main === module)
  runMain(async () => {
    const result = await measureSubscriptionLatency(Number(process.argv[2] ?? 30), Number(process.argv[3] ?? 20));
    process.stdout.write(`${JSON.stringify(result)}\n`);
  });
