import {
  type DynamicModule,
  Module,
  type INestApplication,
  type INestApplicationContext,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { KafkaConfig, ServiceBaseConfig } from '@dev-health/config';
import { KafkaClient, kafkaSettings } from '@dev-health/kafka';
import {
  HealthState,
  JsonLogger,
  type Logger,
  NestLoggerAdapter,
  ObservabilityController,
  PipelineMetrics,
  redactSecrets,
} from '@dev-health/observability';
import { AvroSerde } from '@dev-health/registry';
import { Topology } from '@dev-health/schemas';

/** What every pipeline service has: logger, metrics, health, Kafka, the registry, the topology. */
export class ServiceRuntime {
  readonly logger: Logger;
  readonly metrics: PipelineMetrics;
  readonly health = new HealthState();
  readonly kafka: KafkaClient;
  readonly serde: AvroSerde;
  readonly topology: Topology;

  constructor(
    readonly base: ServiceBaseConfig,
    readonly kafkaConfig: KafkaConfig,
  ) {
    this.logger = new JsonLogger(base.serviceName, base.logLevel);
    this.metrics = new PipelineMetrics(base.serviceName);
    this.kafka = new KafkaClient(kafkaSettings(kafkaConfig), this.logger.child('kafka'), this.metrics);
    this.serde = new AvroSerde(kafkaConfig.schemaRegistryUrl);
    this.topology = new Topology(kafkaConfig.topicPrefix);
    this.health.addProbe('kafka', () => this.kafka.ping());
    this.health.addProbe('schema-registry', () => this.serde.ping());
    const stallMs = kafkaConfig.consumerStallSeconds * 1000;
    this.health.addLivenessCheck('consumers', async () => {
      const stalled = await this.kafka.stalledConsumers(stallMs);
      if (stalled.length === 0) return undefined;
      this.logger.error('consumer stalled: failing liveness so the pod restarts', { stalled });
      return stalled.join('; ');
    });
  }
}

@Module({})
export class RuntimeModule {
  /** Makes the runtime's parts injectable and mounts /healthz, /readyz, /metrics. */
  static forRuntime(runtime: ServiceRuntime): DynamicModule {
    const providers = [
      { provide: ServiceRuntime, useValue: runtime },
      { provide: HealthState, useValue: runtime.health },
      { provide: PipelineMetrics, useValue: runtime.metrics },
    ];
    return {
      module: RuntimeModule,
      global: true,
      controllers: [ObservabilityController],
      providers,
      exports: providers,
    };
  }
}

/**
 * Starts an HTTP service (health, metrics, and whatever the module serves). Nest's own shutdown hooks
 * stay off: they re-raise the signal after closing the app, killing the process before a consumer has
 * drained and left its group. Each service's signal handler closes the app itself.
 */
export async function startHttpService(
  module: Type | DynamicModule,
  runtime: ServiceRuntime,
): Promise<INestApplication> {
  const app = await NestFactory.create(module, {
    logger: new NestLoggerAdapter(runtime.logger.child('nest')),
    bufferLogs: false,
  });
  await app.listen(runtime.base.httpPort, '0.0.0.0');
  runtime.logger.info('listening', { url: await app.getUrl() });
  return app;
}

export async function startJobContext(
  module: Type | DynamicModule,
  runtime: ServiceRuntime,
): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(module, {
    logger: new NestLoggerAdapter(runtime.logger.child('nest')),
  });
  return app;
}

/** Prints a boot failure (config errors name their variables) and exits non-zero. */
export function exitOnBootFailure(serviceName: string, error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(redactSecrets(`${serviceName}: ${message}\n`));
  process.exit(1);
}
