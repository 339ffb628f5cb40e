/**
 * Freshness in live mode: connector-synthetic emits activity stamped with the wall clock; the bench
 * polls the gateway's GraphQL every 100 ms for today's commit count per repository. A commit is
 * visible when its repository's count reaches its rank (by author time) among that day's commits;
 * its freshness is that moment minus its author time. Services: processor, sink-postgres, metrics,
 * gateway.
 * Run: npm run bench -- freshness [seconds] [eventsPerSecond]
 */
import { SyntheticGenerator, identityAliases, type SyntheticOptions } from '@dev-health/synthetic';
import { createTestDatabase, issueApiKey, listeningUrl, stackEndpoints } from '@dev-health/testing';
import { syntheticEnvironment } from '../apps/connector-synthetic/src/config';
import { Fleet, commitLatencies, percentile, pipelineEnvironment, runMain, writeResult } from './harness';

export interface FreshnessResult {
  seconds: number;
  eventsPerSecond: number;
  commitsMeasured: number;
  commitsNeverVisible: number;
  freshnessMs: { p50: number | null; p95: number | null; p99: number | null; max: number | null };
  peakRssMb: Record<string, number>;
}

const OPTIONS: SyntheticOptions = {
  seed: 'freshness',
  startDate: '2026-01-05',
  days: 1,
  repos: 6,
  teams: 3,
  people: 24,
  commitsPerDay: 0,
  pullRequestsPerDay: 0,
  workItemsPerDay: 0,
};

export async function measureFreshness(durationSeconds = 60, eventsPerSecond = 20): Promise<FreshnessResult> {
  const endpoints = stackEndpoints();
  const database = await createTestDatabase(endpoints.databaseUri, 'bench_fresh');
  const generator = new SyntheticGenerator(OPTIONS);
  const repositoryIds = generator.organisation.repositories.map(
    (repository) => `synthetic:repository:${repository.fullName}`,
  );
  const env = {
    ...pipelineEnvironment('bench_fresh', database.uri).env,
    ...syntheticEnvironment(OPTIONS),
    IDENTITY_ALIASES: JSON.stringify(identityAliases(generator.organisation)),
    SYNTHETIC_HISTORY: 'false',
    SYNTHETIC_LIVE: 'true',
    SYNTHETIC_LIVE_EVENTS_PER_SECOND: String(eventsPerSecond),
  };
  const fleet = new Fleet(env);
  try {
    await fleet.startConsuming(['processor', 'sink-postgres', 'metrics']);
    const graphql = `${await listeningUrl(fleet.start('gateway'))}/graphql`;
    const token = await issueApiKey(env);
    // (repository, day) → [poll time, commits] as seen through GraphQL
    const seen = new Map<string, { at: number; commits: number }[]>();
    const query = `{ ${repositoryIds
      .map(
        (id, index) =>
          `r${index}: repoMetrics(repositoryId: ${JSON.stringify(id)}, from: "$FROM", to: "$TO") { repositoryId day commits }`,
      )
      .join(' ')} }`;
    const poll = async () => {
      const today = new Date().toISOString().slice(0, 10);
      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      const response = await fetch(graphql, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: query.replaceAll('$FROM', yesterday).replaceAll('$TO', today) }),
      });
      const at = Date.now();
      const body = (await response.json()) as {
        data?: Record<string, { repositoryId: string; day: string; commits: number }[]>;
      };
      for (const rows of Object.values(body.data ?? {}))
        for (const row of rows) {
          const key = `${row.repositoryId}/${row.day}`;
          const history = seen.get(key) ?? [];
          if (history.at(-1)?.commits !== row.commits) history.push({ at, commits: row.commits });
          seen.set(key, history);
        }
    };
    const benchStart = Date.now();
    const connector = fleet.start('connector-synthetic');
    let polling = true;
    const poller = (async () => {
      while (polling) {
        await poll().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, durationSeconds * 1_000));
    await connector.stop();
    const emittedUntil = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 10_000)); // drain
    polling = false;
    await poller;

    const { latencies, neverSeen: neverVisible } = await commitLatencies(database.uri, seen, benchStart, emittedUntil);
    const round = (value: number | null) => (value === null ? null : Math.round(value));
    return {
      seconds: durationSeconds,
      eventsPerSecond,
      commitsMeasured: latencies.length,
      commitsNeverVisible: neverVisible,
      freshnessMs: {
        p50: round(percentile(latencies, 0.5)),
        p95: round(percentile(latencies, 0.95)),
        p99: round(percentile(latencies, 0.99)),
        max: round(percentile(latencies, 1)),
      },
      peakRssMb: Object.fromEntries(fleet.peaks),
    };
  } finally {
    await fleet.stop();
    await database.drop();
  }
}

if (require.main === module)
  runMain(async () => {
    const result = await measureFreshness(Number(process.argv[2] ?? 60), Number(process.argv[3] ?? 20));
    writeResult('freshness', result);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  });
