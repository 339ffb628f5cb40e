/**
 * Each stage alone on a pre-filled input topic, so no stage shares the 2 cores with another: the
 * synthetic connector fills the raw topic first; then the processor alone turns it into canonical
 * records; then each sink alone stores them. Per stage: steady rate (rec/s), CPU-ms per 1,000 records
 * (user+sys of the process from /proc over its working window: the figure a noisy machine does not
 * move much) and peak RSS.
 * Run: npm run bench -- stages [commitsPerDay] [days]
 *   (BENCH_SINKS=postgres,clickhouse,mongo; BENCH_KAFKA_CLIENTS=platformatic,kafkajs: one table per client)
 */
import { DEFAULT_KAFKA_CLIENT, KAFKA_CLIENTS, type KafkaClientKind } from '@dev-health/config';
import { createTestDatabase, stackEndpoints, waitFor } from '@dev-health/testing';
import {
  cpuMs,
  Fleet,
  largeOrg,
  pipelineEnvironment,
  publishedRecords,
  runMain,
  scrapeCounter,
  secondsSince,
  steadyRate,
  syntheticPipelineEnvironment,
  writeResult,
} from './harness';

export interface StageResult {
  records: number;
  recordsPerSecond: number | null;
  cpuMsPer1000: number | null;
  peakRssMb: number;
  /** Where the RSS is: the largest V8 heap in use and the largest off-heap (Buffer) memory seen. */
  peakHeapUsedMb: number;
  peakExternalMb: number;
}

export interface StagesResult {
  rawRecords: number;
  canonicalRecords: number;
  stages: Record<string, StageResult>;
}

const SINK_SERVICES = { postgres: 'sink-postgres', clickhouse: 'sink-clickhouse', mongo: 'sink-mongo' } as const;
/** Runs one stage until its counter holds `expected` records for 2 s; its rate, CPU cost and peak RSS. */
async function measureStage(
  fleet: Fleet,
  service: 'processor' | 'sink-postgres' | 'sink-clickhouse' | 'sink-mongo',
  /** The stage is done when this counter holds `expected` (its input read) … */
  counter: { name: string; filter: string },
  expected: number | null,
  /** … and its rate counts this one (canonical records), the input's unless given. */
  output: { name: string; filter: string } = counter,
): Promise<StageResult & { produced: number }> {
  const running = fleet.start(service);
  await running.waitForLog(/consuming/, 120_000);
  const url = await fleet.metricsUrl(service);
  const started = process.hrtime.bigint();
  const samples: { t: number; count: number }[] = [];
  const inputs: number[] = [];
  let cpuAtFirst = Number.NaN;
  let cpuAtLast = Number.NaN;
  let stableSince = 0;
  let peakHeapUsed = 0;
  let peakExternal = 0;
  await waitFor(
    async () => {
      const count = await scrapeCounter(url, counter.name, counter.filter);
      peakHeapUsed = Math.max(peakHeapUsed, await scrapeCounter(url, 'nodejs_heap_size_used_bytes'));
      peakExternal = Math.max(peakExternal, await scrapeCounter(url, 'nodejs_external_memory_bytes'));
      const previous = inputs.at(-1) ?? 0;
      inputs.push(count);
      samples.push({ t: secondsSince(started), count: await scrapeCounter(url, output.name, output.filter) });
      // The working window: from the first record to the last, boot and idle tail left out.
      if (count > 0 && Number.isNaN(cpuAtFirst)) cpuAtFirst = cpuMs(running.child.pid);
      if (count > previous) cpuAtLast = cpuMs(running.child.pid);
      const done = count > 0 && (expected === null || count >= expected) && count === previous;
      stableSince = done ? stableSince || Date.now() : 0;
      return done && Date.now() - stableSince > 2_000;
    },
    { description: `${service} to pass every record`, timeoutMs: 3_600_000, intervalMs: 250 },
  );
  const records = samples.at(-1)?.count ?? 0;
  const rate = steadyRate(samples);
  const produced = await scrapeCounter(url, 'dho_records_produced_total', '.canonical.');
  await running.stop();
  return {
    produced,
    records,
    recordsPerSecond: rate === null ? null : Math.round(rate),
    cpuMsPer1000: records > 0 ? Math.round(((cpuAtLast - cpuAtFirst) / records) * 1_000 * 10) / 10 : null,
    peakRssMb: fleet.peaks.get(service) ?? Number.NaN,
    peakHeapUsedMb: Math.round(peakHeapUsed / 2 ** 20),
    peakExternalMb: Math.round(peakExternal / 2 ** 20),
  };
}

/** The clients a stage bench measures: BENCH_KAFKA_CLIENTS, or every selectable one. */
export function benchKafkaClients(): KafkaClientKind[] {
  const named = (process.env.BENCH_KAFKA_CLIENTS ?? KAFKA_CLIENTS.join(',')).split(',').filter(Boolean);
  const unknown = named.filter((name) => !(KAFKA_CLIENTS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`BENCH_KAFKA_CLIENTS: unknown client(s) ${unknown.join(', ')}`);
  return named as KafkaClientKind[];
}

export async function measureStages(
  commitsPerDay = 4_500,
  days = 70,
  sinks = ['postgres', 'clickhouse'],
  kafkaClient: KafkaClientKind = DEFAULT_KAFKA_CLIENT,
): Promise<StagesResult> {
  const endpoints = stackEndpoints();
  const database = await createTestDatabase(endpoints.databaseUri, 'bench_stages');
  const fleet = new Fleet({
    ...syntheticPipelineEnvironment(
      pipelineEnvironment('bench_stages', database.uri).env,
      largeOrg('throughput', commitsPerDay, days),
    ),
    KAFKA_CLIENT: kafkaClient,
  });
  try {
    const connector = fleet.start('connector-synthetic');
    if ((await connector.exited) !== 0) throw new Error(`connector failed:\n${connector.logs()}`);
    const rawRecords = publishedRecords(connector);
    const stages: Record<string, StageResult> = {};
    // The processor's rate and cost per canonical record it produces, as the sinks' are.
    stages.processor = await measureStage(
      fleet,
      'processor',
      { name: 'dho_records_consumed_total', filter: '.raw.' },
      rawRecords,
      { name: 'dho_records_produced_total', filter: '.canonical.' },
    );
    // What the sinks are to store: every canonical record the processor produced.
    const { produced } = stages.processor as StageResult & { produced: number };
    for (const sink of sinks) {
      const service = SINK_SERVICES[sink as keyof typeof SINK_SERVICES];
      stages[service] = await measureStage(
        fleet,
        service,
        { name: 'dho_records_consumed_total', filter: '.canonical.' },
        produced,
      );
    }
    return { rawRecords, canonicalRecords: produced, stages };
  } finally {
    await fleet.stop();
    await database.drop();
  }
}

if (require.main === module)
  runMain(async () => {
    const sinks = (process.env.BENCH_SINKS ?? 'postgres,clickhouse').split(',').filter(Boolean);
    const result: Record<string, StagesResult> = {};
    for (const client of benchKafkaClients())
      result[client] = await measureStages(
        Number(process.argv[2] ?? 4_500),
        Number(process.argv[3] ?? 70),
        sinks,
        client,
      );
    writeResult('stages', result);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  });
