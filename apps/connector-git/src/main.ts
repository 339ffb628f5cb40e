import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { processEnvironment } from '@dev-health/config';
import { RawPublisher, WatermarkStore } from '@dev-health/connector';
import { ServiceRuntime, RuntimeModule, exitOnBootFailure, startHttpService } from '@dev-health/runtime';
import { readGitConnectorConfig } from './config';
import { GitConnector } from './git-connector';

async function main(): Promise<void> {
  const config = readGitConnectorConfig(processEnvironment());
  const runtime = new ServiceRuntime(config.base, config.kafka);
  const producer = runtime.kafka.createProducer();
  const publisher = new RawPublisher(runtime.kafka, runtime.serde, runtime.topology, producer);
  const watermarks = new WatermarkStore(runtime.kafka, runtime.topology, producer);
  const connector = new GitConnector(publisher, watermarks, config, runtime.logger.child('git'));
  await publisher.prepare('git');
  await watermarks.prepare();

  const syncOnce = async () => {
    const started = Date.now();
    const results = await connector.syncAll(config.repositories);
    const commits = results.reduce((sum, result) => sum + result.commitsPublished, 0);
    runtime.logger.info('sync finished', {
      repositories: results.length,
      commits,
      seconds: (Date.now() - started) / 1000,
    });
    return results;
  };

  if (config.syncIntervalSeconds === 0) {
    try {
      const results = await syncOnce();
      process.stdout.write(`${JSON.stringify({ synced: results })}\n`);
    } finally {
      await producer.disconnect();
    }
    return;
  }

  @Module({ imports: [RuntimeModule.forRuntime(runtime)] })
  class ConnectorGitModule {}
  const app = await startHttpService(ConnectorGitModule, runtime);
  let stopping = false;
  const loop = async () => {
    while (!stopping) {
      try {
        await syncOnce();
        runtime.health.set('last-sync', true);
      } catch (error: unknown) {
        runtime.health.set('last-sync', false, error instanceof Error ? error.message : String(error));
        runtime.logger.error('sync failed', { error });
      }
      await new Promise((resolve) => setTimeout(resolve, config.syncIntervalSeconds * 1000));
    }
  };
  const running = loop();
  const shutdown = async () => {
    stopping = true;
    await app.close();
    await producer.disconnect();
    await running.catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

main().catch((error: unknown) => exitOnBootFailure('connector-git', error));
