import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { processEnvironment } from '@dev-health/config';
import { PostgresStore } from '@dev-health/postgres';
import { ServiceRuntime, RuntimeModule, exitOnBootFailure, startHttpService } from '@dev-health/runtime';
import { readPostgresSinkConfig } from './config';
import { PostgresSink } from './postgres-sink';

async function main(): Promise<void> {
  const config = readPostgresSinkConfig(processEnvironment());
  const runtime = new ServiceRuntime(config.base, config.kafka);
  runtime.health.set('consumer', false, 'starting');
  const store = await PostgresStore.connect(config.databaseUri, 'sink-postgres');
  runtime.health.set('postgres', true);
  const producer = runtime.kafka.createProducer();
  const sink = new PostgresSink(runtime, store, producer);
  await sink.prepare();

  @Module({ imports: [RuntimeModule.forRuntime(runtime)] })
  class SinkPostgresModule {}
  const app = await startHttpService(SinkPostgresModule, runtime);

  const consumer = runtime.kafka.createBatchConsumer({
    groupId: sink.topology.group,
    topics: sink.topology.consumes,
    deadLetterTopic: sink.topology.deadLetter,
  });
  await producer.connect();
  await consumer.start(sink.handleBatch);
  runtime.health.set('consumer', true);
  runtime.logger.info('sink-postgres consuming', { topics: sink.topology.consumes.length, group: sink.topology.group });

  const shutdown = async () => {
    runtime.health.set('consumer', false, 'stopping');
    await consumer.stop();
    await producer.disconnect();
    await store.close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

main().catch((error: unknown) => exitOnBootFailure('sink-postgres', error));
