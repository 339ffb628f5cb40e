/**
 * What keeping raw topics forever costs: a synthetic org published by connector-synthetic alone, then
 * the raw topic's bytes on the broker's disk (Kafka's LogDirsCommand) per million raw records, as
 * stored (lz4 batches, one replica; multiply by the replication factor).
 * Run: npm run bench -- raw-storage [days]
 */
import type { SyntheticOptions } from '@dev-health/synthetic';
import { createTestDatabase, stackEndpoints } from '@dev-health/testing';
import {
  Fleet,
  ORG_OF_120,
  pipelineEnvironment,
  publishedRecords,
  runMain,
  syntheticPipelineEnvironment,
  writeResult,
} from './harness';
import { java } from './kafka-ceiling';

export interface RawStorageResult {
  days: number;
  rawRecords: number;
  bytesOnDisk: number;
  bytesPerRecord: number;
  mbPerMillionRecords: number;
}

export async function measureRawStorage(days = 365): Promise<RawStorageResult> {
  const endpoints = stackEndpoints();
  const database = await createTestDatabase(endpoints.databaseUri, 'bench_raw_storage');
  const options: SyntheticOptions = {
    seed: 'raw-storage',
    startDate: '2025-01-06',
    days,
    ...ORG_OF_120,
  };
  const pipeline = pipelineEnvironment('bench_raw_storage', database.uri);
  const fleet = new Fleet(syntheticPipelineEnvironment(pipeline.env, options));
  try {
    const connector = fleet.start('connector-synthetic');
    if ((await connector.exited) !== 0) throw new Error(`connector failed:\n${connector.logs()}`);
    const rawRecords = publishedRecords(connector);
    const topic = `${pipeline.prefix}.raw.synthetic`;
    const output = java('org.apache.kafka.tools.LogDirsCommand', [
      '--bootstrap-server',
      endpoints.kafkaBrokers.join(','),
      '--describe',
      '--topic-list',
      topic,
    ]);
    const json = output.split('\n').find((line) => line.trim().startsWith('{'));
    if (!json) throw new Error(`unexpected LogDirsCommand output:\n${output}`);
    const described = JSON.parse(json) as {
      brokers: { logDirs: { partitions: { partition: string; size: number }[] }[] }[];
    };
    const bytesOnDisk = described.brokers
      .flatMap((broker) => broker.logDirs)
      .flatMap((dir) => dir.partitions)
      .filter((partition) => partition.partition.startsWith(`${topic}-`))
      .reduce((sum, partition) => sum + partition.size, 0);
    return {
      days,
      rawRecords,
      bytesOnDisk,
      bytesPerRecord: Math.round(bytesOnDisk / rawRecords),
      mbPerMillionRecords: Math.round(((bytesOnDisk / rawRecords) * 1e6) / 1e5) / 10,
    };
  } finally {
    await fleet.stop();
    await database.drop();
  }
}

if (require.main === module)
  runMain(async () => {
    const result = await measureRawStorage(Number(process.argv[2] ?? 365));
    writeResult('raw-storage', result);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  });
