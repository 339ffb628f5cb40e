import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { processEnvironment } from '@dev-health/config';
import { ServiceRuntime, RuntimeModule, TaskWorker, exitOnBootFailure, startHttpService } from '@dev-health/runtime';
import { readProcessorConfig } from './config';
import { IdentityResolver } from '@dev-health/normalize';
import { Processor, processorTopology } from './processor';

async function main(): Promise<void> {
  const config = readProcessorConfig(processEnvironment());
  const runtime = new ServiceRuntime(config.base, config.kafka);
  const producer = runtime.kafka.createProducer();
  const processor = new Processor(runtime, producer, new IdentityResolver(config.identityAliases));
  runtime.health.set('consumer', false, 'starting');
  await processor.prepare();

  @Module({ imports: [RuntimeModule.forRuntime(runtime)] })
  class ProcessorModule {}
  const app = await startHttpService(ProcessorModule, runtime);

  const wiring = processorTopology(runtime.topology);
  const consumer = runtime.kafka.createBatchConsumer({
    groupId: wiring.group,
    topics: wiring.consumes,
    deadLetterTopic: wiring.deadLetter,
  });
  // Replays re-derive raw records under their reprocessing generation, beside the live group.
  const tasks = new TaskWorker(runtime, {
    stage: 'processor',
    group: wiring.group,
    topics: wiring.consumes,
    deadLetterTopic: wiring.deadLetter,
    replay: (records, _context, command) => processor.process(records, command.generation),
  });
  await producer.connect();
  await consumer.start(processor.handleBatch);
  await tasks.start();
  runtime.health.set('consumer', true);
  runtime.logger.info('processor consuming', { topics: wiring.consumes, group: wiring.group });

  const shutdown = async () => {
    runtime.health.set('consumer', false, 'stopping');
    await tasks.stop();
    await consumer.stop();
    await producer.disconnect();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

main().catch((error: unknown) => exitOnBootFailure('processor', error));
