import { Module } from '@nestjs/common';
import { RuntimeModule, type ServiceRuntime, TaskWorker, startHttpService } from '@dev-health/runtime';
import { SinkService, type SinkServiceOptions } from './sink-service';
import type { SinkWriter } from './sink-writer';

/** Boots a sink service: topics, HTTP (health, metrics), the batch consumer, graceful shutdown. */
export async function runSink(
  runtime: ServiceRuntime,
  writer: SinkWriter,
  options: SinkServiceOptions,
  close: () => Promise<void>,
): Promise<void> {
  runtime.health.set('consumer', false, 'starting');
  runtime.health.set(writer.store, true);
  runtime.health.addProbe(`${writer.store}-reachable`, () => writer.ping());
  const producer = runtime.kafka.createProducer();
  const sink = new SinkService(runtime, writer, producer, options);
  await sink.prepare();

  @Module({ imports: [RuntimeModule.forRuntime(runtime)] })
  class SinkModule {}
  const app = await startHttpService(SinkModule, runtime);

  const consumer = runtime.kafka.createBatchConsumer({
    groupId: sink.topology.group,
    topics: sink.topology.consumes,
    deadLetterTopic: sink.topology.deadLetter,
  });
  // A replay writes the org's records of the chosen range again (into a new store, say), beside the live group.
  const tasks = new TaskWorker(runtime, {
    stage: `sink-${writer.store}`,
    group: sink.topology.group,
    topics: sink.topology.consumes,
    deadLetterTopic: sink.topology.deadLetter,
    replay: (records) => sink.handleBatch(records),
  });
  await producer.connect();
  await consumer.start(sink.handleBatch);
  await tasks.start();
  runtime.health.set('consumer', true);
  runtime.logger.info(`sink-${writer.store} consuming`, {
    topics: sink.topology.consumes.length,
    group: sink.topology.group,
  });

  const shutdown = async () => {
    runtime.logger.info('shutting down: draining the batch in hand and leaving the group');
    runtime.health.set('consumer', false, 'stopping');
    await tasks.stop();
    await consumer.stop();
    runtime.logger.info('consumer stopped');
    await producer.disconnect();
    await close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}
