import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { processEnvironment } from '@dev-health/config';
import { PostgresStore } from '@dev-health/postgres';
import { ServiceRuntime, RuntimeModule, exitOnBootFailure, startHttpService } from '@dev-health/runtime';
import { readMetricsConfig } from './config';
import { MetricsRecomputer, metricsTopology } from './metrics-recomputer';

async function main(): Promise<void> {
  const config = readMetricsConfig(processEnvironment());
  const runtime = new ServiceRuntime(config.base, config.kafka);
  runtime.health.set('consumer', false, 'starting');
  const store = await PostgresStore.connect(config.databaseUri, 'metrics');
  const producer = runtime.kafka.createProducer();
  const recomputer = new MetricsRecomputer(runtime, store, producer);
  await recomputer.prepare();

  @Module({ imports: [RuntimeModule.forRuntime(runtime)] })
  class MetricsModule {}
  const app = await startHttpService(MetricsModule, runtime);

  const wiring = metricsTopology(runtime.topology);
  const consumer = runtime.kafka.createBatchConsumer({
    groupId: wiring.group,
    topics: wiring.consumes,
    deadLetterTopic: wiring.deadLetter,
  });
  await producer.connect();
  await consumer.start(recomputer.handleBatch);
  runtime.health.set('consumer', true);
  runtime.logger.info('metrics consuming', { topics: wiring.consumes, group: wiring.group });

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

main().catch((error: unknown) => exitOnBootFailure('metrics', error));
