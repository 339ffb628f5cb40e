import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { processEnvironment } from '@dev-health/config';
import { MetricFactsReader, PostgresStore } from '@dev-health/postgres';
import { ServiceRuntime, RuntimeModule, TaskWorker, exitOnBootFailure, startHttpService } from '@dev-health/runtime';
import { readMetricsConfig } from './config';
import { MetricsRecomputer, metricsTopology } from './metrics-recomputer';
import { parseRebuildArguments } from './rebuild-arguments';

/**
 * `main.js`: the service (consumes change events, recomputes on change).
 * `main.js rebuild --from YYYY-MM-DD --to YYYY-MM-DD`: recomputes every key with data in those days
 * (inclusive) and exits: after a backfill, a replay or a change of definitions.
 */
async function main(argv: string[]): Promise<void> {
  const config = readMetricsConfig(processEnvironment());
  const rebuild = argv[0] === 'rebuild' ? parseRebuildArguments(argv.slice(1)) : undefined;
  const runtime = new ServiceRuntime(config.base, config.kafka);
  const store = await PostgresStore.connect(config.databaseUri, 'metrics');
  const producer = runtime.kafka.createProducer();
  const recomputer = new MetricsRecomputer(runtime, new MetricFactsReader(store.dataSource), producer, config);
  await recomputer.prepare();
  await producer.connect();

  if (rebuild) {
    runtime.logger.info('rebuild starting', { from: rebuild.from, to: rebuild.to });
    const result = await recomputer.rebuild(rebuild.range);
    await producer.disconnect();
    await store.close();
    process.stdout.write(`${JSON.stringify({ from: rebuild.from, to: rebuild.to, ...result })}\n`);
    return;
  }

  runtime.health.set('consumer', false, 'starting');
  runtime.health.addProbe('postgres', () => store.ping());
  @Module({ imports: [RuntimeModule.forRuntime(runtime)] })
  class MetricsModule {}
  const app = await startHttpService(MetricsModule, runtime);

  const wiring = metricsTopology(runtime.topology);
  const consumer = runtime.kafka.createBatchConsumer({
    groupId: wiring.group,
    topics: wiring.consumes,
    deadLetterTopic: wiring.deadLetter,
  });
  // Replays recompute the keys of the org's change events again; rebuilds (after a backfill) every key of a range.
  const tasks = new TaskWorker(runtime, {
    stage: 'metrics',
    group: wiring.group,
    topics: wiring.consumes,
    deadLetterTopic: wiring.deadLetter,
    replay: (records) => recomputer.handleBatch(records),
    rebuild: async (org, range, progress) => {
      const result = await recomputer.rebuild(range, org, progress);
      runtime.logger.info('rebuild finished', { org, ...result });
      return result.keys;
    },
  });
  await consumer.start(recomputer.handleBatch);
  await tasks.start();
  runtime.health.set('consumer', true);
  runtime.logger.info('metrics consuming', {
    topics: wiring.consumes,
    group: wiring.group,
    debounce_ms: config.debounceMs,
    business_hours: config.businessHours,
  });

  const shutdown = async () => {
    runtime.health.set('consumer', false, 'stopping');
    await tasks.stop();
    await consumer.stop();
    await producer.disconnect();
    await store.close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

main(process.argv.slice(2)).catch((error: unknown) => exitOnBootFailure('metrics', error));
