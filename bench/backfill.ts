/**
 * Backfill throughput: a 365-day synthetic history pulled in as one backfill job (53 seven-day chunks,
 * one after another, each a backfill sync run) through connector-synthetic, the processor and the
 * Postgres sink. Reports the job's wall time, raw records/s and days of history per minute, and how
 * long the sink took to store everything after the job ended.
 * Run: npm run bench -- backfill [days]
 */
import { createTestDatabase, issueApiKey, listeningUrl, stackEndpoints, waitFor, AdminApi } from '@dev-health/testing';
import { Fleet, ORG_OF_120, pipelineEnvironment, runMain, scrapeCounter, writeResult } from './harness';

const DAY_MS = 86_400_000;

export interface BackfillBenchResult {
  days: number;
  chunks: number;
  rawRecords: number;
  jobSeconds: number;
  recordsPerSecond: number;
  daysPerMinute: number;
  /** After the job ended: until the Postgres sink had stored every canonical record. */
  sinkCatchUpSeconds: number;
  peakRssMb: Record<string, number>;
}

export async function measureBackfill(days = 365): Promise<BackfillBenchResult> {
  const endpoints = stackEndpoints();
  const database = await createTestDatabase(endpoints.databaseUri, 'bench_backfill');
  const start = Math.floor(Date.now() / DAY_MS) * DAY_MS - days * DAY_MS;
  const env = {
    ...pipelineEnvironment('bench_backfill', database.uri).env,
    ADMIN_TICK_SECONDS: '1',
    SYNTHETIC_START_DATE: new Date(start).toISOString().slice(0, 10),
  };
  const fleet = new Fleet(env);
  try {
    await fleet.startConsuming(['processor', 'sink-postgres']);
    const admin = fleet.start('admin');
    await fleet.start('connector-synthetic', { SYNTHETIC_SERVE: 'true' }).waitForLog(/connector consuming commands/);
    const api = new AdminApi(await listeningUrl(admin), await issueApiKey(env));
    await api.ok('POST', '/orgs', { slug: 'bench', name: 'Bench', tier: 'enterprise' });
    const integration = await api.ok('POST', '/orgs/bench/integrations', {
      provider: 'synthetic',
      name: 'history',
      scope: { seed: 'backfill', days, repos: ORG_OF_120.repos, people: ORG_OF_120.people },
    });
    const started = performance.now();
    const job = await api.ok('POST', '/orgs/bench/backfills', {
      integration: integration.id,
      since: new Date(start).toISOString(),
      before: new Date(start + days * DAY_MS).toISOString(),
    });
    type View = { status: string; chunks: unknown[]; progress: { records: number } };
    const ended = await waitFor(
      async () => {
        const view = (await api.ok('GET', `/orgs/bench/backfills/${String(job.id)}`)) as unknown as View;
        return view.status !== 'queued' && view.status !== 'running' && view;
      },
      { description: 'the backfill job to end', timeoutMs: 3_600_000, intervalMs: 250 },
    );
    const jobSeconds = (performance.now() - started) / 1000;
    if (ended.status !== 'succeeded') throw new Error(`backfill job ${ended.status}`);
    const processor = await fleet.metricsUrl('processor');
    const sink = await fleet.metricsUrl('sink-postgres');
    await waitFor(
      async () =>
        (await scrapeCounter(sink, 'dho_records_consumed_total', '.canonical.')) >=
        (await scrapeCounter(processor, 'dho_records_produced_total', '.canonical.')),
      { description: 'the sink to store every canonical record', timeoutMs: 3_600_000, intervalMs: 500 },
    );
    const sinkCatchUpSeconds = (performance.now() - started) / 1000 - jobSeconds;
    const rawRecords = ended.progress.records;
    return {
      days,
      chunks: ended.chunks.length,
      rawRecords,
      jobSeconds: Math.round(jobSeconds * 10) / 10,
      recordsPerSecond: Math.round(rawRecords / jobSeconds),
      daysPerMinute: Math.round((days / jobSeconds) * 60 * 10) / 10,
      sinkCatchUpSeconds: Math.round(sinkCatchUpSeconds * 10) / 10,
      peakRssMb: Object.fromEntries(fleet.peaks),
    };
  } finally {
    await fleet.stop();
    await database.drop();
  }
}

if (require.main === module)
  runMain(async () => {
    const result = await measureBackfill(Number(process.argv[2] ?? 365));
    writeResult('backfill', result);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  });
