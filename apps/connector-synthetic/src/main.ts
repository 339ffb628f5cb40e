import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { processEnvironment } from '@dev-health/config';
import { ConnectorHost, RateLimiter, RawPublisher, type SyncJob } from '@dev-health/connector';
import type { IntegrationScopes } from '@dev-health/control-plane';
import { ServiceRuntime, RuntimeModule, exitOnBootFailure, startHttpService } from '@dev-health/runtime';
import { SyntheticGenerator, type SyntheticOptions, buildOrganisation, identityAliases } from '@dev-health/synthetic';
import { type SyntheticConnectorConfig, readSyntheticConnectorConfig } from './config';
import { SyntheticConnector } from './synthetic-connector';

/** The generator options of a synthetic integration: its scope over the connector's defaults. */
export function scopedOptions(
  defaults: SyntheticOptions,
  org: string,
  scope: IntegrationScopes['synthetic'],
): SyntheticOptions {
  return {
    ...defaults,
    ...(scope.seed === undefined ? {} : { seed: scope.seed }),
    ...(scope.days === undefined ? {} : { days: scope.days }),
    ...(scope.repos === undefined ? {} : { repos: scope.repos }),
    ...(scope.people === undefined ? {} : { people: scope.people }),
    org,
  };
}

/** A synthetic integration's sync run: its generated history (ids are deterministic, so re-runs change nothing). */
function syntheticSyncJob(config: SyntheticConnectorConfig, runtime: ServiceRuntime): SyncJob {
  return async (context) => {
    const options = scopedOptions(
      config.generator,
      context.integration.org_id,
      context.integration.scope as IntegrationScopes['synthetic'],
    );
    const connector = new SyntheticConnector(
      new SyntheticGenerator(options),
      context,
      new RateLimiter(config.rateLimit),
      runtime.logger.child('synthetic'),
      config.batchSize,
    );
    // A backfill publishes the days of its window; an incremental run the whole (deterministic) history.
    const { mode, window_start: start, window_end: end } = context.run;
    const window =
      mode === 'backfill' && start && end
        ? { startMs: new Date(start).getTime(), endMs: new Date(end).getTime() }
        : null;
    await connector.publishHistory(() => context.signal.aborted, window);
  };
}

async function main(): Promise<void> {
  const config = readSyntheticConnectorConfig(processEnvironment());
  if (process.argv[2] === 'aliases') {
    // The identity table the processor needs for this organisation (IDENTITY_ALIASES).
    process.stdout.write(
      `${JSON.stringify(identityAliases(buildOrganisation(config.generator.seed, config.generator)))}\n`,
    );
    return;
  }
  const runtime = new ServiceRuntime(config.base, config.kafka);
  if (config.sync) {
    const host = await ConnectorHost.create(runtime, config.sync, 'synthetic');
    await host.serve(syntheticSyncJob(config, runtime));
    return;
  }
  const producer = runtime.kafka.createProducer();
  const publisher = new RawPublisher(
    runtime.kafka,
    runtime.serde,
    runtime.topology,
    producer,
    runtime.kafkaConfig.rawRetentionMs,
  );
  const generator = new SyntheticGenerator(config.generator);
  const connector = new SyntheticConnector(
    generator,
    publisher,
    new RateLimiter(config.rateLimit),
    runtime.logger.child('synthetic'),
    config.batchSize,
  );
  await publisher.prepare('synthetic');
  await producer.connect();
  runtime.logger.info('synthetic organisation', {
    seed: config.generator.seed,
    startDate: config.generator.startDate,
    days: config.generator.days,
    repositories: generator.organisation.repositories.length,
    people: generator.organisation.people.length,
    teams: generator.organisation.teams.length,
  });

  if (!config.live) {
    try {
      const result = await connector.publishHistory();
      process.stdout.write(
        `${JSON.stringify({ published: result.records, byKind: result.byKind, seconds: result.seconds })}\n`,
      );
    } finally {
      await producer.disconnect();
    }
    return;
  }

  @Module({ imports: [RuntimeModule.forRuntime(runtime)] })
  class ConnectorSyntheticModule {}
  const app = await startHttpService(ConnectorSyntheticModule, runtime);
  let stopping = false;
  const run = async () => {
    if (config.history) await connector.publishHistory(() => stopping);
    runtime.health.set('live', true);
    runtime.logger.info('synthetic live mode', { eventsPerSecond: config.liveEventsPerSecond });
    while (!stopping) {
      // Ticks start on whole seconds: payload times have second precision, so this keeps them exact.
      await new Promise((resolve) => setTimeout(resolve, 1_000 - (Date.now() % 1_000)));
      if (stopping) break;
      const tickStart = Date.now();
      try {
        await connector.publishLiveTick(tickStart, config.liveEventsPerSecond);
        runtime.health.set('live', true);
      } catch (error: unknown) {
        runtime.health.set('live', false, error instanceof Error ? error.message : String(error));
        runtime.logger.error('live tick failed', { error });
      }
    }
  };
  const running = run();
  const shutdown = async () => {
    stopping = true;
    await running.catch(() => undefined);
    await producer.disconnect();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
  await running.catch((error: unknown) => exitOnBootFailure('connector-synthetic', error));
}

main().catch((error: unknown) => exitOnBootFailure('connector-synthetic', error));
