import 'reflect-metadata';
import { processEnvironment } from '@dev-health/config';
import {
  HealthState,
  JsonLogger,
  NestLoggerAdapter,
  ObservabilityModule,
  PipelineMetrics,
} from '@dev-health/observability';
import { MetricFactsReader, MetricsReader, PostgresStore } from '@dev-health/postgres';
import { exitOnBootFailure } from '@dev-health/runtime';
import { NestFactory } from '@nestjs/core';
import { readGatewayConfig } from './config';
import { GatewayModule } from './gateway.module';

async function main(): Promise<void> {
  const config = readGatewayConfig(processEnvironment());
  const logger = new JsonLogger(config.base.serviceName, config.base.logLevel);
  const health = new HealthState();
  const metrics = new PipelineMetrics(config.base.serviceName);
  const store = await PostgresStore.connect(config.databaseUri, 'gateway');
  health.set('postgres', true);

  const app = await NestFactory.create(
    GatewayModule.register(
      new MetricsReader(store.dataSource),
      new MetricFactsReader(store.dataSource),
      ObservabilityModule.of(health, metrics),
    ),
    {
      logger: new NestLoggerAdapter(logger.child('nest')),
    },
  );
  await app.listen(config.base.httpPort, '0.0.0.0');
  logger.info('gateway listening', { url: `${await app.getUrl()}/graphql` });
  const shutdown = async () => {
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

main().catch((error: unknown) => exitOnBootFailure('gateway', error));
