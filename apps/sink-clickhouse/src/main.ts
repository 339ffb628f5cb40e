import 'reflect-metadata';
import { ClickHouseStore } from '@dev-health/clickhouse';
import { processEnvironment } from '@dev-health/config';
import { ServiceRuntime, exitOnBootFailure } from '@dev-health/runtime';
import { runSink } from '@dev-health/sink';
import { ClickHouseWriter } from './clickhouse-writer';
import { readClickHouseSinkConfig } from './config';

async function main(): Promise<void> {
  const config = readClickHouseSinkConfig(processEnvironment());
  const runtime = new ServiceRuntime(config.base, config.kafka);
  const store = await ClickHouseStore.connect(config.url, config.database);
  await runSink(runtime, new ClickHouseWriter(store), { publishStoreChanges: false }, () => store.close());
}

main().catch((error: unknown) => exitOnBootFailure('sink-clickhouse', error));
