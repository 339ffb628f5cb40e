/**
 * The broker's own limit on this machine: Kafka's ProducerPerformance and ConsumerPerformance (the
 * kafka-*-perf-test tools) against the local broker, acks=all like our producers, records the size
 * of an average canonical record. Every other figure can be read as a fraction of these.
 * Run: npm run bench -- kafka [records] [recordBytes]
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { stackEndpoints, uniqueName } from '@dev-health/testing';
import { runMain, writeResult } from './harness';

const ROOT = path.resolve(__dirname, '..');

export interface KafkaCeiling {
  records: number;
  recordBytes: number;
  producerRecordsPerSecond: number;
  producerMBPerSecond: number;
  consumerRecordsPerSecond: number;
  consumerMBPerSecond: number;
}

/** Runs one of the Kafka distribution's tools (the local stack's jars). */
export function java(mainClass: string, args: string[]): string {
  return execFileSync(
    'java',
    [
      '-Xmx512m',
      '-cp',
      path.join(ROOT, '.stack', 'lib', 'kafka', '*'),
      `-Dlog4j.configuration=file:${path.join(ROOT, 'deploy', 'local', 'kafka', 'log4j.properties')}`,
      mainClass,
      ...args,
    ],
    { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

export function measureKafkaCeiling(records = 1_000_000, recordBytes = 400): KafkaCeiling {
  const brokers = stackEndpoints().kafkaBrokers.join(',');
  const topic = uniqueName('bench-ceiling');
  java('org.apache.kafka.tools.TopicCommand', [
    '--bootstrap-server',
    brokers,
    '--create',
    '--topic',
    topic,
    '--partitions',
    '6',
    '--replication-factor',
    '1',
  ]);
  const produced = java('org.apache.kafka.tools.ProducerPerformance', [
    '--topic',
    topic,
    '--num-records',
    String(records),
    '--record-size',
    String(recordBytes),
    '--throughput',
    '-1',
    '--producer-props',
    `bootstrap.servers=${brokers}`,
    'acks=all',
    'enable.idempotence=true',
    'linger.ms=5',
    'batch.size=262144',
    'compression.type=none',
  ]);
  // "1000000 records sent, 182415.2 records/sec (69.59 MB/sec), ..."
  const producer = /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\)/.exec(produced);
  const consumed = java('org.apache.kafka.tools.ConsumerPerformance', [
    '--bootstrap-server',
    brokers,
    '--topic',
    topic,
    '--messages',
    String(records),
    '--timeout',
    '60000',
  ]);
  // header: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ...
  const row =
    consumed
      .trim()
      .split('\n')
      .pop()
      ?.split(',')
      .map((cell) => cell.trim()) ?? [];
  java('org.apache.kafka.tools.TopicCommand', ['--bootstrap-server', brokers, '--delete', '--topic', topic]);
  if (!producer) throw new Error(`unexpected ProducerPerformance output:\n${produced}`);
  return {
    records,
    recordBytes,
    producerRecordsPerSecond: Math.round(Number(producer[2])),
    producerMBPerSecond: Number(producer[3]),
    consumerRecordsPerSecond: Math.round(Number(row[5])),
    consumerMBPerSecond: Number(row[3]),
  };
}

if (require.main === module)
  runMain(() => {
    const result = measureKafkaCeiling(Number(process.argv[2] ?? 1_000_000), Number(process.argv[3] ?? 400));
    writeResult('kafka-ceiling', result);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return Promise.resolve();
  });
