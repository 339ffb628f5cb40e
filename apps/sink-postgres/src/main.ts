import 'reflect-metadata';
import { processEnvironment } from '@dev-health/config';
import { PostgresStore } from '@dev-health/postgres';
import { ServiceRuntime, exitOnBootFailure } from '@dev-health/runtime';
import { runSink } from '@dev-health/sink';
import { readPostgresSinkConfig } from './config';
import { PostgresWriter } from './postgres-writer';

async function main(): Promise<void> {
  const config = readPostgresSinkConfig(processEnvironment());
  const runtime = new ServiceRuntime(config.base, config.kafka);
  const store = await PostgresStore.connect(config.databaseUri, 'sink-postgres');
  // Postgres is the primary store: metrics recompute from it, so it announces what it wrote.
  await runSink(runtime, new PostgresWriter(store), { publishStoreChanges: true }, () => store.close());
}

main().catch((error: unknown) => exitOnBootFailure('sink-postgres', error));
