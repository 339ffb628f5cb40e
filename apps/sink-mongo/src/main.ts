import 'reflect-metadata';
import { processEnvironment } from '@dev-health/config';
import { MongoStore } from '@dev-health/mongo';
import { ServiceRuntime, exitOnBootFailure } from '@dev-health/runtime';
import { runSink } from '@dev-health/sink';
import { readMongoSinkConfig } from './config';
import { MongoWriter } from './mongo-writer';

async function main(): Promise<void> {
  const config = readMongoSinkConfig(processEnvironment());
  const runtime = new ServiceRuntime(config.base, config.kafka);
  const store = await MongoStore.connect(config.uri);
  await runSink(runtime, new MongoWriter(store), { publishStoreChanges: false }, () => store.close());
}

main().catch((error: unknown) => exitOnBootFailure('sink-mongo', error));
