/**
 * Replay throughput per stage, against the same stage consuming live: a synthetic history is published
 * once to the raw topic, then each stage runs alone (the others stopped, so they do not share the 2
 * cores): processor live, processor replay, Postgres sink live, Postgres sink replay, metrics live,
 * metrics replay. A stage's rate is its own Prometheus counter's growth over the phase: canonical
 * records produced (processor), canonical records consumed (sink), change events consumed (metrics).
 * Run: npm run bench -- replay [commitsPerDay] [days]
 */
import type { ReplayJob } from '@dev-health/control-plane';
import { AdminApi, createTestDatabase, issueApiKey, listeningUrl, stackEndpoints, waitFor } from '@dev-health/testing';
import { syntheticEnvironment } from '../apps/connector-synthetic/src/config';
import { Fleet, largeOrg, pipelineEnvironment, publishedRecords, runMain, scrapeCounter, writeResult } from './harness';

type Stage = 'processor' | 'sink-postgres' | 'metrics';

export interface StageRates {
  records: number;
  liveRecordsPerSecond: number;
  replayRecordsPerSecond: number;
  /** Replay rate ÷ live rate. */
  ratio: number;
}

export interface ReplayBenchResult {
  rawRecords: number;
  stages: Record<Stage, StageRates>;
}

/** The counter a stage's rate is read from. */
const COUNTERS: Record<Stage, { name: string; filter: string }> = {
  processor: { name: 'dho_records_produced_total', filter: '.canonical.' },
  'sink-postgres': { name: 'dho_records_consumed_total', filter: '.canonical.' },
  metrics: { name: 'dho_records_consumed_total', filter: 'store-changed' },
};

export async function measureReplay(commitsPerDay = 1_500, days = 30): Promise<ReplayBenchResult> {
  const endpoints = stackEndpoints();
  const database = await createTestDatabase(endpoints.databaseUri, 'bench_replay');
  const options = largeOrg('replay', commitsPerDay, days);
  const env = {
    ...pipelineEnvironment('bench_replay', database.uri).env,
    ...syntheticEnvironment(options),
    ADMIN_TICK_SECONDS: '1',
  };
  const fleet = new Fleet(env);
  try {
    // The raw topic, filled once: nothing below calls a provider again.
    const connector = fleet.start('connector-synthetic');
    if ((await connector.exited) !== 0) throw new Error(`connector failed:\n${connector.logs()}`);
    const rawRecords = publishedRecords(connector);
    const api = new AdminApi(await listeningUrl(fleet.start('admin')), await issueApiKey(env));

    /** Starts a stage on topics already full and measures its live rate until its counter holds still. */
    const live = async (stage: Stage) => {
      const service = fleet.start(stage);
      await service.waitForLog(/consuming/);
      const url = await fleet.metricsUrl(stage);
      const { name, filter } = COUNTERS[stage];
      const started = performance.now();
      let last = -1;
      let lastChange = started;
      await waitFor(
        async () => {
          const count = await scrapeCounter(url, name, filter);
          if (count !== last) lastChange = performance.now();
          last = count;
          return count > 0 && performance.now() - lastChange > 3_000;
        },
        { description: `${stage} to drain its input`, timeoutMs: 3_600_000, intervalMs: 100 },
      );
      return { records: last, seconds: (lastChange - started) / 1000 };
    };
    /** A replay of the stage from the earliest record, timed by the stage's own status reports. */
    const replay = async (stage: Stage) => {
      const url = await fleet.metricsUrl(stage);
      const { name, filter } = COUNTERS[stage];
      const before = await scrapeCounter(url, name, filter);
      const queued = await api.ok('POST', '/orgs/default/replays', { stage });
      const job = await waitFor(
        async () => {
          const view = (await api.ok('GET', `/orgs/default/replays/${String(queued.id)}`)) as unknown as ReplayJob;
          return ['done', 'failed', 'cancelled'].includes(view.status) && view;
        },
        { description: `the ${stage} replay to end`, timeoutMs: 3_600_000, intervalMs: 100 },
      );
      if (job.status !== 'done') throw new Error(`the ${stage} replay ended ${job.status}: ${job.error ?? ''}`);
      const seconds = (Date.parse(String(job.finished_at)) - Date.parse(String(job.started_at))) / 1000;
      return { records: (await scrapeCounter(url, name, filter)) - before, seconds };
    };
    const stop = async (stage: Stage) => {
      await fleet.services.get(stage)?.stop();
      fleet.services.delete(stage);
    };

    const stages = {} as Record<Stage, StageRates>;
    for (const stage of ['processor', 'sink-postgres', 'metrics'] as const) {
      const liveRun = await live(stage);
      const replayRun = await replay(stage);
      await stop(stage);
      const liveRate = liveRun.records / liveRun.seconds;
      const replayRate = replayRun.records / replayRun.seconds;
      stages[stage] = {
        records: replayRun.records,
        liveRecordsPerSecond: Math.round(liveRate),
        replayRecordsPerSecond: Math.round(replayRate),
        ratio: Math.round((replayRate / liveRate) * 100) / 100,
      };
    }
    const result: ReplayBenchResult = { rawRecords, stages };
    writeResult('replay', result);
    return result;
  } finally {
    await fleet.stop();
    await database.drop();
  }
}

if (require.main === module)
  runMain(async () =>
    process.stdout.write(
      `${JSON.stringify(await measureReplay(Number(process.argv[2] ?? 1_500), Number(process.argv[3] ?? 30)))}\n`,
    ),
  );
