/**
 * Throughput at steady state: a synthetic organisation large enough for ≥1M canonical records goes
 * connector-synthetic → processor → sinks (+ metrics). Every 500 ms each service's own Prometheus
 * counters are read; a stage's rate is the slope between 10 % and 90 % of its final count.
 * Run: npm run bench -- throughput [commitsPerDay] [days]   (BENCH_SINKS=postgres,clickhouse,mongo)
 */
import { createTestDatabase, stackEndpoints, waitFor } from '@dev-health/testing';
import { availableParallelism } from 'node:os';
import {
  cpuMs,
  Fleet,
  machineCpuMs,
  largeOrg,
  pipelineEnvironment,
  publishedRecords,
  runMain,
  scrapeCounter,
  secondsSince,
  steadyRate,
  syntheticPipelineEnvironment,
  waitForMetricsCatchUp,
  writeResult,
} from './harness';

export interface ThroughputResult {
  canonicalRecords: number;
  rawRecords: number;
  connectorSeconds: number;
  totalSeconds: number;
  recordsPerSecond: Record<string, number | null>;
  /** After the last sink write: until the metrics service had recomputed every change it was sent. */
  metricsCatchUpSeconds: number;
  metricKeysRecomputed: number;
  peakRssMb: Record<string, number>;
  /**
   * The CPU budget: CPU-ms per 1,000 canonical records of each service, of everything else on the
   * machine (broker, registry, databases) and in total, over the run from the connector's start to
   * the last sink write; and the rate the machine's cores could sustain at that total.
   */
  cpuMsPer1000: Record<string, number>;
  cores: number;
  sustainableRecordsPerSecond: number;
}

const SINK_SERVICES = { postgres: 'sink-postgres', clickhouse: 'sink-clickhouse', mongo: 'sink-mongo' } as const;

export async function measureThroughput(
  commitsPerDay = 4_500,
  days = 70,
  sinks = ['postgres'],
): Promise<ThroughputResult> {
  const endpoints = stackEndpoints();
  const database = await createTestDatabase(endpoints.databaseUri, 'bench_tp');
  const fleet = new Fleet(
    syntheticPipelineEnvironment(
      pipelineEnvironment('bench_tp', database.uri).env,
      largeOrg('throughput', commitsPerDay, days),
    ),
  );
  const stages = ['processor', ...sinks.map((sink) => SINK_SERVICES[sink as keyof typeof SINK_SERVICES])] as const;
  try {
    await fleet.startConsuming([...stages, 'metrics']);
    const urls = new Map<string, string>();
    for (const stage of stages) urls.set(stage, await fleet.metricsUrl(stage));
    const started = process.hrtime.bigint();
    const machineAtStart = machineCpuMs();
    const pids = new Map([...stages, 'metrics'].map((stage) => [stage, fleet.services.get(stage)?.child.pid] as const));
    const cpuAtStart = new Map([...pids].map(([stage, pid]) => [stage, cpuMs(pid)]));
    const connector = fleet.start('connector-synthetic');
    pids.set('connector-synthetic', connector.child.pid);
    cpuAtStart.set('connector-synthetic', 0);
    const cpuLatest = new Map<string, number>();
    let connectorSeconds = Number.NaN;
    void connector.exited.then(() => (connectorSeconds = secondsSince(started)));
    const samples = new Map<string, { t: number; count: number }[]>(stages.map((stage) => [stage, []]));
    const sample = async () => {
      const t = secondsSince(started);
      // The last reading of an exited process (the connector) stands.
      for (const [stage, pid] of pids) {
        const used = cpuMs(pid);
        if (!Number.isNaN(used)) cpuLatest.set(stage, used);
      }
      for (const stage of stages) {
        const url = urls.get(stage) ?? '';
        const count =
          stage === 'processor'
            ? await scrapeCounter(url, 'dho_records_produced_total', '.canonical.')
            : await scrapeCounter(url, 'dho_records_consumed_total', '.canonical.');
        samples.get(stage)?.push({ t, count });
      }
    };
    const last = (stage: string) => samples.get(stage)?.at(-1)?.count ?? 0;
    let stableSince = 0;
    await waitFor(
      async () => {
        await sample();
        const done =
          connector.child.exitCode !== null &&
          stages.every((stage) => last(stage) >= last('processor') && last(stage) > 0);
        stableSince = done ? stableSince || Date.now() : 0;
        return done && Date.now() - stableSince > 2_000;
      },
      { description: 'every stage to pass every canonical record', timeoutMs: 3_600_000, intervalMs: 500 },
    );
    if ((await connector.exited) !== 0) throw new Error(`connector failed:\n${connector.logs()}`);
    const sinksDone = secondsSince(started);
    const canonical = last('processor');
    const per1000 = (ms: number) => Math.round((ms / canonical) * 1_000 * 10) / 10;
    const cpuMsPer1000: Record<string, number> = {};
    let ours = 0;
    for (const [stage, latest] of cpuLatest) {
      const used = latest - (cpuAtStart.get(stage) ?? 0);
      ours += used;
      cpuMsPer1000[stage] = per1000(used);
    }
    const machine = machineCpuMs() - machineAtStart;
    cpuMsPer1000['everything else (broker, registry, databases, bench)'] = per1000(Math.max(0, machine - ours));
    cpuMsPer1000.total = per1000(machine);
    const cores = availableParallelism();
    const metricsUrl = await fleet.metricsUrl('metrics');
    const sinkUrl = urls.get('sink-postgres') ?? '';
    await waitForMetricsCatchUp(sinkUrl, metricsUrl);
    const metricsCatchUpSeconds = secondsSince(started) - sinksDone - 2;
    const metricKeysRecomputed = await scrapeCounter(metricsUrl, 'dho_metric_keys_recomputed_total');
    const totalSeconds = sinksDone;
    return {
      canonicalRecords: last('processor'),
      rawRecords: publishedRecords(connector),
      connectorSeconds: +connectorSeconds.toFixed(2),
      totalSeconds: +totalSeconds.toFixed(2),
      recordsPerSecond: Object.fromEntries(
        stages.map((stage) => {
          const rate = steadyRate(samples.get(stage) ?? []);
          return [stage, rate === null ? null : Math.round(rate)];
        }),
      ),
      metricsCatchUpSeconds: +Math.max(0, metricsCatchUpSeconds).toFixed(2),
      metricKeysRecomputed,
      peakRssMb: Object.fromEntries(fleet.peaks),
      cpuMsPer1000,
      cores,
      sustainableRecordsPerSecond: Math.round((cores * 1_000 * 1_000) / (cpuMsPer1000.total ?? Number.NaN)),
    };
  } finally {
    await fleet.stop();
    await database.drop();
  }
}

if (require.main === module)
  runMain(async () => {
    const sinks = (process.env.BENCH_SINKS ?? 'postgres').split(',').filter(Boolean);
    const result = await measureThroughput(Number(process.argv[2] ?? 4_500), Number(process.argv[3] ?? 70), sinks);
    writeResult('throughput', result);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  });
