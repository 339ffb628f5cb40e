/**
 * Incremental latency under a backfill: one connector-git service, processor and Postgres sink. A small
 * repository gets one new commit per round and an incremental sync; latency is POST → that commit
 * stored in Postgres. Measured alone, then while a backfill job of a large repository (a year of
 * history, one commit every few minutes) runs through the same connector, raw topic, processor and sink.
 * Reports p50/max of each phase and the ratio of the p50s (the goal: ≤ 2).
 * Run: npm run bench -- backfill-contention [rounds]
 */
import {
  AdminApi,
  appendCommits,
  createGitRepository,
  createLargeRepository,
  createTestDatabase,
  issueApiKey,
  lines,
  listeningUrl,
  queryRows,
  stackEndpoints,
  waitFor,
} from '@dev-health/testing';
import { Fleet, percentile, pipelineEnvironment, runMain, writeResult } from './harness';

const DAY_MS = 86_400_000;

export interface BackfillContentionResult {
  rounds: number;
  backfill: { days: number; commits: number; chunksDoneDuringMeasurement: number };
  aloneMs: { p50: number; max: number };
  underBackfillMs: { p50: number; max: number };
  /** p50 under the backfill ÷ p50 alone. */
  ratio: number;
}

const summary = (values: number[]) => ({
  p50: Math.round(percentile(values, 0.5) ?? -1),
  max: Math.round(Math.max(...values)),
});

export async function measureBackfillContention(
  rounds = 10,
  backfillCommits = 40_000,
): Promise<BackfillContentionResult> {
  const endpoints = stackEndpoints();
  const database = await createTestDatabase(endpoints.databaseUri, 'bench_contention');
  const env = { ...pipelineEnvironment('bench_contention', database.uri).env, ADMIN_TICK_SECONDS: '1' };
  const fleet = new Fleet(env);
  try {
    await fleet.startConsuming(['processor', 'sink-postgres']);
    const api = new AdminApi(await listeningUrl(fleet.start('admin')), await issueApiKey(env));
    // One incremental slot: without a budget of their own, a backfill chunk would hold it.
    await fleet
      .start('connector-git', { CONNECTOR_MAX_CONCURRENT_RUNS: '1', CONNECTOR_MAX_CONCURRENT_BACKFILL_RUNS: '1' })
      .waitForLog(/connector consuming commands/);
    await api.ok('POST', '/orgs', { slug: 'bench', name: 'Bench', tier: 'enterprise' });

    const days = 365;
    const since = Math.floor(Date.now() / DAY_MS) * DAY_MS - days * DAY_MS;
    const large = await createLargeRepository({
      commits: backfillCommits,
      filesPerCommit: 3,
      linesPerFile: 4,
      authors: 20,
      start: since / 1000,
      secondsBetween: Math.floor((days * 86_400) / backfillCommits),
    });
    const small = createGitRepository([
      {
        authorName: 'A',
        authorEmail: 'a@example.com',
        date: new Date().toISOString(),
        message: 'start',
        files: { a: lines(2) },
      },
    ]);
    const integration = async (name: string, path: string) =>
      String(
        (await api.ok('POST', '/orgs/bench/integrations', { provider: 'git', name, scope: { paths: [path] } })).id,
      );
    const smallId = await integration('small', small);
    const largeId = await integration('large', large);
    await api.waitForEnd('bench', (await api.requestSync('bench', smallId)).run.id);

    let round = 0;
    const measureRound = async () => {
      round++;
      const message = `round ${round}`;
      appendCommits(small, [
        {
          authorName: 'A',
          authorEmail: 'a@example.com',
          date: new Date().toISOString(),
          message,
          files: { a: lines(2 + round) },
        },
      ]);
      const posted = performance.now();
      await api.requestSync('bench', smallId);
      await waitFor(
        async () =>
          (
            await queryRows<{ n: number }>(
              database.uri,
              `SELECT count(*)::int AS n FROM commits WHERE message_subject = $1`,
              [message],
            )
          )[0]?.n === 1,
        { description: `commit "${message}" stored`, timeoutMs: 300_000, intervalMs: 20 },
      );
      return performance.now() - posted;
    };

    // Rounds half a second apart, so those under the backfill spread over several of its chunks.
    const measureRounds = async () => {
      const latencies: number[] = [];
      for (let index = 0; index < rounds; index++) {
        latencies.push(await measureRound());
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      return latencies;
    };
    const alone = await measureRounds();

    const job = await api.ok('POST', '/orgs/bench/backfills', {
      integration: largeId,
      since: new Date(since).toISOString(),
      before: new Date(since + days * DAY_MS).toISOString(),
    });
    const jobPath = `/orgs/bench/backfills/${String(job.id)}`;
    type JobView = { status: string; progress: { chunks_done: number } };
    const jobView = async () => (await api.ok('GET', jobPath)) as unknown as JobView;
    // Measure once the backfill is really flowing: its first chunk stored.
    const flowing = await waitFor(async () => ((await jobView()).progress.chunks_done >= 1 ? jobView() : false), {
      description: 'the backfill job to finish its first chunk',
      timeoutMs: 120_000,
      intervalMs: 100,
    });
    const underBackfill = await measureRounds();
    const view = await jobView();
    if (view.status !== 'running') throw new Error(`the backfill ended (${view.status}) before the measurement did`);
    await api.ok('DELETE', jobPath);

    const result: BackfillContentionResult = {
      rounds,
      backfill: {
        days,
        commits: backfillCommits,
        chunksDoneDuringMeasurement: view.progress.chunks_done - flowing.progress.chunks_done,
      },
      aloneMs: summary(alone),
      underBackfillMs: summary(underBackfill),
      ratio: Math.round((summary(underBackfill).p50 / summary(alone).p50) * 100) / 100,
    };
    writeResult('backfill-contention', result);
    return result;
  } finally {
    await fleet.stop();
    await database.drop();
  }
}

if (require.main === module)
  runMain(async () =>
    process.stdout.write(`${JSON.stringify(await measureBackfillContention(Number(process.argv[2] ?? 10)))}\n`),
  );
