/**
 * Determinism at scale: one synthetic organisation (≥250k canonical records) through the whole pipeline
 * in clean runs, each with its own topics and stores, compared by a checksum per metric table of the
 * latest rows (Postgres, the gateway's read, and ClickHouse's argMax read must agree too).
 *   live:    every service running while the connector publishes (arrival close to causal order);
 *   backlog: sinks and metrics start only after every canonical record is on Kafka, so each topic is
 *            drained on its own (reviews before their PRs, transitions before their items, …).
 * Also reports what order-independence costs: metric keys recomputed per 1,000 canonical records, and
 * rows appended (metric rows and computations) per latest row.
 * Run: npm run bench -- determinism [commitsPerDay] [days]     (exit code 1 when the checksums differ)
 *      BENCH_MODES=live,backlog picks the runs (default live,live,backlog).
 */
import { createHash } from 'node:crypto';
import { ClickHouseStore } from '@dev-health/clickhouse';
import { MetricsReader, PostgresStore } from '@dev-health/postgres';
import { METRIC_ENTITY_NAMES, stableJson, type MetricEntityName } from '@dev-health/schemas';
import type { SyntheticOptions } from '@dev-health/synthetic';
import { createTestDatabase, stackEndpoints, waitFor } from '@dev-health/testing';
import {
  Fleet,
  dailyActivity,
  pipelineEnvironment,
  publishedRecords,
  runMain,
  scrapeCounter,
  syntheticPipelineEnvironment,
  waitForMetricsCatchUp,
  writeResult,
} from './harness';

type Mode = 'live' | 'backlog';

export interface DeterminismRun {
  mode: Mode;
  canonicalRecords: number;
  metricKeysRecomputed: number;
  keysPerThousandRecords: number;
  /** Per metric table: latest rows, and the checksum of those rows (without computed_at), in Postgres and ClickHouse. */
  tables: Record<
    string,
    {
      latestRows: number;
      checksum: string;
      clickhouseRows: number;
      clickhouseChecksum: string;
      firstDifference?: { postgres: string | undefined; clickhouse: string | undefined };
    }
  >;
  /** Rows appended to the metric tables and to metric_computations, per latest row. */
  rowsAppended: number;
  computationsAppended: number;
  appendedPerLatestRow: number;
  clickhouseAgrees: boolean;
}

export interface DeterminismResult {
  runs: DeterminismRun[];
  identical: boolean;
}

const FROM = '1970-01-02';
const TO = '2100-12-31';

/** The latest rows of a table, each without computed_at and with its keys sorted, in one order. */
function canonicalLines(rows: Record<string, unknown>[]): string[] {
  return rows.map(({ computed_at: _computedAt, ...row }) => stableJson(row)).sort();
}

function checksum(lines: string[]): string {
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
}

async function run(options: SyntheticOptions, mode: Mode): Promise<DeterminismRun> {
  const endpoints = stackEndpoints();
  const database = await createTestDatabase(endpoints.databaseUri, `bench_det_${mode}`);
  const pipeline = pipelineEnvironment(`bench_det_${mode}`, database.uri);
  const fleet = new Fleet(syntheticPipelineEnvironment(pipeline.env, options));
  const downstream = ['sink-postgres', 'sink-clickhouse', 'metrics'] as const;
  try {
    await fleet.startConsuming(mode === 'live' ? ['processor', ...downstream] : ['processor']);
    const processorUrl = await fleet.metricsUrl('processor');
    const produced = () => scrapeCounter(processorUrl, 'dho_records_produced_total', '.canonical.');
    const connector = fleet.start('connector-synthetic');
    if ((await connector.exited) !== 0) throw new Error(`connector failed:\n${connector.logs()}`);
    const published = publishedRecords(connector);
    if (!Number.isFinite(published)) throw new Error(`connector reported no count:\n${connector.logs()}`);
    await waitFor(async () => (await scrapeCounter(processorUrl, 'dho_records_consumed_total', '.raw.')) >= published, {
      description: 'the processor to normalise every raw record',
      timeoutMs: 3_600_000,
      intervalMs: 1_000,
    });
    if (mode === 'backlog') await fleet.startConsuming([...downstream]);
    const canonicalRecords = await produced();
    for (const sink of ['sink-postgres', 'sink-clickhouse']) {
      const url = await fleet.metricsUrl(sink);
      await waitFor(
        async () => (await scrapeCounter(url, 'dho_records_consumed_total', '.canonical.')) >= canonicalRecords,
        { description: `${sink} to store every canonical record`, timeoutMs: 3_600_000, intervalMs: 1_000 },
      );
    }
    const metricsUrl = await fleet.metricsUrl('metrics');
    await waitForMetricsCatchUp(await fleet.metricsUrl('sink-postgres'), metricsUrl);
    const metricKeysRecomputed = await scrapeCounter(metricsUrl, 'dho_metric_keys_recomputed_total');

    const postgres = await PostgresStore.connect(database.uri, 'bench-determinism');
    const clickhouse = await ClickHouseStore.connect(endpoints.clickhouseUrl, pipeline.clickhouseDatabase);
    try {
      const count = async (table: string) =>
        Number(
          (await postgres.dataSource.query<{ count: string }[]>(`SELECT count(*) AS count FROM ${table}`))[0]?.count,
        );
      // The last rows reach ClickHouse through its own consumer: wait until its read agrees or stops moving.
      const read = async (metric: MetricEntityName) => {
        const fromPostgres = canonicalLines(await new MetricsReader(postgres.dataSource).latest(metric, {}, FROM, TO));
        const fromClickhouse = canonicalLines(await clickhouse.latestMetrics(metric, {}, FROM, TO));
        const differs = fromPostgres.findIndex((line, index) => line !== fromClickhouse[index]);
        return {
          latestRows: fromPostgres.length,
          checksum: checksum(fromPostgres),
          clickhouseRows: fromClickhouse.length,
          clickhouseChecksum: checksum(fromClickhouse),
          ...(differs === -1
            ? {}
            : { firstDifference: { postgres: fromPostgres[differs], clickhouse: fromClickhouse[differs] } }),
        };
      };
      const tables: DeterminismRun['tables'] = {};
      let clickhouseAgrees = true;
      let latestRows = 0;
      let rowsAppended = 0;
      for (const metric of METRIC_ENTITY_NAMES) {
        let sums = await read(metric);
        await waitFor(
          async () => {
            sums = await read(metric);
            return sums.checksum === sums.clickhouseChecksum;
          },
          { description: `ClickHouse ${metric} equal to Postgres`, timeoutMs: 60_000, intervalMs: 2_000 },
        ).catch(() => (clickhouseAgrees = false));
        tables[metric] = sums;
        latestRows += sums.latestRows;
        rowsAppended += await count(metric);
      }
      const computationsAppended = await count('metric_computations');
      return {
        mode,
        canonicalRecords,
        metricKeysRecomputed,
        keysPerThousandRecords: +((metricKeysRecomputed / canonicalRecords) * 1_000).toFixed(1),
        tables,
        rowsAppended,
        computationsAppended,
        appendedPerLatestRow: +((rowsAppended + computationsAppended) / Math.max(latestRows, 1)).toFixed(2),
        clickhouseAgrees,
      };
    } finally {
      await clickhouse.client.command({ query: `DROP DATABASE IF EXISTS ${pipeline.clickhouseDatabase}` });
      await clickhouse.close();
      await postgres.close();
    }
  } finally {
    await fleet.stop();
    await database.drop();
  }
}

/** Two live runs and one backlog run of the same organisation; every checksum must match. */
export async function measureDeterminism(commitsPerDay = 2_500, days = 30): Promise<DeterminismResult> {
  const options: SyntheticOptions = {
    seed: 'determinism',
    startDate: '2025-03-03',
    days,
    repos: 20,
    teams: 6,
    people: 150,
    ...dailyActivity(commitsPerDay),
  };
  const runs: DeterminismRun[] = [];
  const modes = (process.env.BENCH_MODES ?? 'live,live,backlog').split(',') as Mode[];
  for (const mode of modes) {
    const result = await run(options, mode);
    runs.push(result);
    process.stderr.write(`determinism: ${JSON.stringify(result)}\n`);
  }
  const signature = (result: DeterminismRun) =>
    JSON.stringify(Object.entries(result.tables).map(([table, { checksum: sum }]) => [table, sum]));
  const identical = runs.every(
    (result) => signature(result) === signature(runs[0] as DeterminismRun) && result.clickhouseAgrees,
  );
  return { runs, identical };
}

if (require.main === module)
  runMain(async () => {
    const result = await measureDeterminism(Number(process.argv[2] ?? 2_500), Number(process.argv[3] ?? 30));
    writeResult('determinism', result);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    if (!result.identical) process.exit(1);
  });
