/**
 * The Kafka client libraries side by side on the pipeline's own traffic pattern: idempotent sends of
 * request-sized batches acknowledged by all replicas, then a group consumer taking batches and
 * committing after each. kafkajs and @platformatic/kafka go through libs/kafka (what the services
 * run); @confluentinc/kafka-javascript through its KafkaJS-compatible API, the same eachBatch shape
 * libs/kafka drives kafkajs with. Its native addon is built from source (no prebuilt binary can be
 * downloaded here) into .stack/bench-clients on first use, and that install is timed.
 * Per client: produce and consume rate, CPU-ms per 1,000 records (this process), peak RSS.
 * Run: npm run bench -- kafka-clients [records] [recordBytes]   (BENCH_CONFLUENT=false skips it)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { KAFKA_CLIENTS, type KafkaClientKind } from '@dev-health/config';
import { KafkaClient } from '@dev-health/kafka';
import { JsonLogger } from '@dev-health/observability';
import { stackEndpoints, uniqueName, waitFor } from '@dev-health/testing';
import { runMain, writeResult } from './harness';

const ROOT = path.resolve(__dirname, '..');
const CONFLUENT_VERSION = '1.10.1';
const CONFLUENT_DIR = path.join(ROOT, '.stack', 'bench-clients');
const SEND_BATCH = 1_500;

export interface ClientRates {
  produceRecordsPerSecond: number;
  produceCpuMsPer1000: number;
  consumeRecordsPerSecond: number;
  consumeCpuMsPer1000: number;
  peakRssMb: number;
}

export interface KafkaClientsResult {
  records: number;
  recordBytes: number;
  clients: Record<string, ClientRates>;
  confluentInstallSeconds: number | null;
}

const cpuMsNow = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1_000;
};

async function timed(records: number, work: () => Promise<void>): Promise<{ rate: number; cpuPer1000: number }> {
  const started = performance.now();
  const cpu = cpuMsNow();
  await work();
  const seconds = (performance.now() - started) / 1_000;
  return {
    rate: Math.round(records / seconds),
    cpuPer1000: Math.round(((cpuMsNow() - cpu) / records) * 1_000 * 10) / 10,
  };
}

function payload(topic: string, from: number, count: number, value: Buffer) {
  return Array.from({ length: count }, (_, offset) => ({
    topic,
    key: `repo-${(from + offset) % 64}`,
    value,
    headers: { 'dho.record-id': String(from + offset) },
  }));
}

async function measureAdapter(client: KafkaClientKind, records: number, value: Buffer): Promise<ClientRates> {
  const kafka = new KafkaClient(
    { brokers: stackEndpoints().kafkaBrokers, clientId: uniqueName(`bench_${client}`), client },
    new JsonLogger('bench', 'error'),
  );
  const topic = uniqueName(`bench_clients_${client}`);
  await kafka.ensureTopics([{ topic, partitions: 6 }]);
  const producer = kafka.createProducer();
  await producer.connect();
  const produced = await timed(records, async () => {
    for (let from = 0; from < records; from += SEND_BATCH)
      await producer.send(payload(topic, from, Math.min(SEND_BATCH, records - from), value));
  });
  await producer.disconnect();
  let seen = 0;
  const consumer = kafka.createBatchConsumer({ groupId: topic, topics: [topic], deadLetterTopic: `${topic}.dlq` });
  const consumed = await timed(records, async () => {
    await consumer.start((batch) => {
      seen += batch.length;
      return Promise.resolve({ rejected: [] });
    });
    await waitFor(() => seen >= records, { description: 'every record consumed', timeoutMs: 600_000, intervalMs: 20 });
  });
  await consumer.stop();
  return rates(produced, consumed);
}

function rates(
  produced: { rate: number; cpuPer1000: number },
  consumed: { rate: number; cpuPer1000: number },
): ClientRates {
  return {
    produceRecordsPerSecond: produced.rate,
    produceCpuMsPer1000: produced.cpuPer1000,
    consumeRecordsPerSecond: consumed.rate,
    consumeCpuMsPer1000: consumed.cpuPer1000,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1_024),
  };
}

/** Builds @confluentinc/kafka-javascript from source against the system's OpenSSL; seconds taken, null if present. */
function installConfluent(): number | null {
  if (existsSync(path.join(CONFLUENT_DIR, 'node_modules', '@confluentinc', 'kafka-javascript', 'build', 'Release')))
    return null;
  mkdirSync(CONFLUENT_DIR, { recursive: true });
  const started = performance.now();
  const npmInstall = (prefix: string, spec: string, env: Record<string, string> = {}) =>
    execFileSync('npm', ['install', '--no-save', '--no-package-lock', '--prefix', prefix, spec], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, ...env },
    });
  // node-gyp needs this Node's headers and cannot download them: the official build on npm carries them.
  // In a prefix of its own: an install with --no-save prunes what it did not install.
  const headers = path.join(CONFLUENT_DIR, 'headers');
  npmInstall(headers, `node-${process.platform}-${process.arch}@${process.versions.node}`);
  // As --nodedir, node-gyp wants a source tree's layout: common.gypi at the top, headers in include/node.
  const nodeDir = path.join(headers, 'node_modules', `node-${process.platform}-${process.arch}`);
  for (const file of ['common.gypi', 'config.gypi'])
    if (!existsSync(path.join(nodeDir, file)))
      symlinkSync(path.join('include', 'node', file), path.join(nodeDir, file));
  npmInstall(CONFLUENT_DIR, `@confluentinc/kafka-javascript@${CONFLUENT_VERSION}`, {
    // Dynamic linking uses the system's OpenSSL and zlib instead of downloading their sources.
    CKJS_LINKING: 'dynamic',
    npm_config_nodedir: nodeDir,
    npm_config_foreground_scripts: 'true',
  });
  return Math.round((performance.now() - started) / 1_000);
}

interface ConfluentKafkaJs {
  Kafka: new (config: unknown) => {
    producer(config: unknown): {
      connect(): Promise<void>;
      sendBatch(batch: unknown): Promise<unknown>;
      disconnect(): Promise<void>;
    };
    consumer(config: unknown): {
      connect(): Promise<void>;
      subscribe(subscription: unknown): Promise<void>;
      run(config: unknown): Promise<void>;
      commitOffsets(offsets: unknown): Promise<void>;
      disconnect(): Promise<void>;
    };
  };
}

async function measureConfluent(records: number, value: Buffer): Promise<ClientRates> {
  // Loaded from the bench's own install: not a dependency of the services.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { KafkaJS } = require(path.join(CONFLUENT_DIR, 'node_modules', '@confluentinc', 'kafka-javascript')) as {
    KafkaJS: ConfluentKafkaJs;
  };
  const brokers = stackEndpoints().kafkaBrokers;
  const kafka = new KafkaJS.Kafka({ kafkaJS: { brokers, logLevel: 1 } });
  const topic = uniqueName('bench_clients_confluent');
  const admin = new KafkaClient({ brokers, clientId: uniqueName('bench_admin') }, new JsonLogger('bench', 'error'));
  await admin.ensureTopics([{ topic, partitions: 6 }]);
  const producer = kafka.producer({ kafkaJS: { idempotent: true, acks: -1 } });
  await producer.connect();
  const produced = await timed(records, async () => {
    for (let from = 0; from < records; from += SEND_BATCH)
      await producer.sendBatch({
        topicMessages: [{ topic, messages: payload(topic, from, Math.min(SEND_BATCH, records - from), value) }],
      });
  });
  await producer.disconnect();
  const consumer = kafka.consumer({ kafkaJS: { groupId: topic, fromBeginning: true, autoCommit: false } });
  let seen = 0;
  const consumed = await timed(records, async () => {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    await consumer.run({
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 3,
      eachBatch: async ({
        batch,
        resolveOffset,
      }: {
        batch: { partition: number; messages: { offset: string }[] };
        resolveOffset: (offset: string) => void;
      }) => {
        seen += batch.messages.length;
        const last = batch.messages.at(-1);
        if (!last) return;
        resolveOffset(last.offset);
        await consumer.commitOffsets([{ topic, partition: batch.partition, offset: String(BigInt(last.offset) + 1n) }]);
      },
    });
    await waitFor(() => seen >= records, { description: 'every record consumed', timeoutMs: 600_000, intervalMs: 20 });
  });
  await consumer.disconnect();
  return rates(produced, consumed);
}

/** Each client in a process of its own, so its peak RSS is its own. */
function measureInChild(client: string, records: number, recordBytes: number): ClientRates {
  const output = execFileSync(
    process.execPath,
    ['-r', '@swc-node/register', __filename, '--one', client, String(records), String(recordBytes)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 << 20 },
  );
  return JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as ClientRates;
}

export function measureKafkaClients(records = 300_000, recordBytes = 400): KafkaClientsResult {
  const clients: Record<string, ClientRates> = {};
  for (const client of KAFKA_CLIENTS) clients[client] = measureInChild(client, records, recordBytes);
  let confluentInstallSeconds: number | null = null;
  if (process.env.BENCH_CONFLUENT !== 'false') {
    confluentInstallSeconds = installConfluent();
    clients.confluent = measureInChild('confluent', records, recordBytes);
  }
  return { records, recordBytes, clients, confluentInstallSeconds };
}

if (require.main === module)
  runMain(async () => {
    if (process.argv[2] === '--one') {
      const [client, records, recordBytes] = [process.argv[3], Number(process.argv[4]), Number(process.argv[5])];
      const value = Buffer.alloc(recordBytes, 'x');
      const measured =
        client === 'confluent'
          ? await measureConfluent(records, value)
          : await measureAdapter(client as KafkaClientKind, records, value);
      process.stdout.write(`${JSON.stringify(measured)}\n`);
      return;
    }
    const result = measureKafkaClients(Number(process.argv[2] ?? 300_000), Number(process.argv[3] ?? 400));
    writeResult('kafka-clients', result);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  });
