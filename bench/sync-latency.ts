/**
 * Control-plane latency: from `POST /orgs/:org/integrations/:id/syncs` to the run's first record on the
 * raw topic (its producer timestamp), through admin → commands topic → connector-git (long-running) →
 * claim in Postgres → git → raw topic. Also POST → run claimed (started_at) and POST → run succeeded.
 * Sequential runs of one small repository; the first is reported apart (its consumer group may still
 * be settling). Services: admin, connector-git.
 * Run: npm run bench -- sync-latency [runs]
 */
import { KafkaClient } from '@dev-health/kafka';
import { JsonLogger } from '@dev-health/observability';
import { Topology } from '@dev-health/schemas';
import {
  AdminApi,
  createGitRepository,
  createTestDatabase,
  issueApiKey,
  lines,
  listeningUrl,
  stackEndpoints,
  waitFor,
} from '@dev-health/testing';
import { Fleet, percentile, pipelineEnvironment, runMain, writeResult } from './harness';

export interface SyncLatencyResult {
  runs: number;
  firstRunMs: { toFirstRawRecord: number; toSucceeded: number };
  toClaimedMs: { p50: number | null; p90: number | null; max: number | null };
  toFirstRawRecordMs: { p50: number | null; p90: number | null; max: number | null };
  toSucceededMs: { p50: number | null; p90: number | null; max: number | null };
}

const rounded = (value: number | null) => (value === null ? null : Math.round(value));
const summarize = (values: number[]) => ({
  p50: rounded(percentile(values, 0.5)),
  p90: rounded(percentile(values, 0.9)),
  max: values.length > 0 ? Math.max(...values) : null,
});

export async function measureSyncLatency(runs = 20): Promise<SyncLatencyResult> {
  const endpoints = stackEndpoints();
  const database = await createTestDatabase(endpoints.databaseUri, 'bench_sync');
  const pipeline = pipelineEnvironment('bench_sync', database.uri);
  const topology = new Topology(pipeline.prefix);
  const kafka = new KafkaClient(
    { brokers: endpoints.kafkaBrokers, clientId: 'bench-sync' },
    new JsonLogger('b', 'error'),
  );
  const env = { ...pipeline.env, ADMIN_TICK_SECONDS: '1', SYNC_HEARTBEAT_SECONDS: '1' };
  const fleet = new Fleet(env);
  try {
    const token = await issueApiKey(env, { name: 'bench' });
    const api = new AdminApi(await listeningUrl(fleet.start('admin')), token);
    await fleet.start('connector-git').waitForLog(/connector consuming commands/);
    const call = (method: string, path: string, body?: unknown) => api.ok(method, path, body);
    await call('POST', '/orgs', { slug: 'bench', name: 'Bench' });
    const repository = createGitRepository([
      {
        authorName: 'A',
        authorEmail: 'a@example.com',
        date: '2026-03-02T10:00:00Z',
        message: 'a',
        files: { a: lines(5) },
      },
    ]);
    const integration = await call('POST', '/orgs/bench/integrations', {
      provider: 'git',
      name: 'latency',
      scope: { paths: [repository] },
    });

    const claimed: number[] = [];
    const firstRecord: number[] = [];
    const succeeded: number[] = [];
    for (let index = 0; index < runs; index++) {
      const before = await kafka.endOffsets(topology.raw('git')).catch(() => new Map<number, string>());
      const posted = Date.now();
      const { run } = (await call('POST', `/orgs/bench/integrations/${String(integration.id)}/syncs`, {
        mode: 'incremental',
      })) as { run: { id: string } };
      const ended = await waitFor(
        async () => {
          const state = await call('GET', `/orgs/bench/syncs/${run.id}`);
          return state.status === 'succeeded' && state;
        },
        { description: `run ${run.id} to succeed`, timeoutMs: 60_000, intervalMs: 5 },
      );
      const done = Date.now();
      let first = Number.POSITIVE_INFINITY;
      await kafka.readToEnd(topology.raw('git'), (record) => {
        if (BigInt(record.offset) >= BigInt(before.get(record.partition) ?? '0'))
          first = Math.min(first, Number(record.timestamp));
      });
      claimed.push(Date.parse(String(ended.started_at)) - posted);
      firstRecord.push(first - posted);
      succeeded.push(done - posted);
    }
    const result: SyncLatencyResult = {
      runs,
      firstRunMs: { toFirstRawRecord: firstRecord[0] ?? -1, toSucceeded: succeeded[0] ?? -1 },
      toClaimedMs: summarize(claimed.slice(1)),
      toFirstRawRecordMs: summarize(firstRecord.slice(1)),
      toSucceededMs: summarize(succeeded.slice(1)),
    };
    writeResult('sync-latency', result);
    return result;
  } finally {
    await fleet.stop();
    await database.drop();
  }
}

if (require.main === module)
  runMain(async () =>
    process.stdout.write(`${JSON.stringify(await measureSyncLatency(Number(process.argv[2] ?? 20)))}\n`),
  );
