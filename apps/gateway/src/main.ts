import 'reflect-metadata';
import { processEnvironment } from '@dev-health/config';
import {
  HealthState,
  JsonLogger,
  NestLoggerAdapter,
  ObservabilityModule,
  PipelineMetrics,
} from '@dev-health/observability';
import { ControlPlaneStore, MetricFactsReader, MetricsReader, PostgresStore } from '@dev-health/postgres';
import { exitOnBootFailure } from '@dev-health/runtime';
import { NestFactory } from '@nestjs/core';
import { CallerAuthenticator } from './auth/caller';
import { readGatewayConfig } from './config';
import { GatewayModule } from './gateway.module';
import { contractProviders } from './contract/contract.providers';
import { KafkaClient, kafkaSettings } from '@dev-health/kafka';
import { AvroSerde } from '@dev-health/registry';
import { Topology } from '@dev-health/schemas';
import { LiveEventConsumer } from './live/live-event-consumer';
import { LiveEventHub } from './live/live-event-hub';
import { LiveResolver } from './live/live.resolver';

async function main(): Promise<void> {
  const config = readGatewayConfig(processEnvironment());
  const logger = new JsonLogger(config.base.serviceName, config.base.logLevel);
  const health = new HealthState();
  const metrics = new PipelineMetrics(config.base.serviceName);
  const store = await PostgresStore.connect(config.databaseUri, 'gateway');
  health.set('postgres', true);
  const controlPlane = new ControlPlaneStore(store.dataSource);
  const contract = contractProviders(config, store, logger);
  health.set(config.analyticsStore, true);
  // Subscriptions: this replica's own consumer of metrics-updated and sync events.
  const hub = new LiveEventHub();
  // Cached dashboard answers of an org are dropped as soon as anything of it changes.
  hub.onEvent((live) => contract.cache.invalidate(live.event.org_id));
  const kafka = new KafkaClient(kafkaSettings(config.kafka, 'gateway'), logger.child('kafka'), metrics);
  const live = new LiveEventConsumer(
    kafka,
    new AvroSerde(config.kafka.schemaRegistryUrl),
    new Topology(config.kafka.topicPrefix),
    hub,
    logger,
  );
  await live.start();
  health.set('live-events', true);
  health.addProbe('postgres-reachable', () => store.ping());
  health.addProbe('kafka-reachable', () => kafka.ping());

  const app = await NestFactory.create(
    GatewayModule.register(
      {
        config,
        logger,
        authenticator: new CallerAuthenticator(config.auth, (token) => controlPlane.authenticate(token)),
        reader: new MetricsReader(store.dataSource),
        facts: new MetricFactsReader(store.dataSource),
        providers: [...contract.providers, LiveResolver, { provide: LiveEventHub, useValue: hub }],
        ...(config.diagnostics ? { statements: () => contract.analytics.statements } : {}),
      },
      ObservabilityModule.of(health, metrics),
    ),
    { logger: new NestLoggerAdapter(logger.child('nest')) },
  );
  await app.listen(config.base.httpPort, '0.0.0.0');
  logger.info('gateway listening', {
    url: `${await app.getUrl()}/graphql`,
    analytics: config.analyticsStore,
    introspection: config.introspection,
  });
  const shutdown = async () => {
    await app.close();
    await live.stop();
    await contract.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

main().catch((error: unknown) => exitOnBootFailure('gateway', error));
