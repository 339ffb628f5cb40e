import { Module } from '@nestjs/common';
import type { ConnectorSyncConfig } from '@dev-health/config';
import type { SyncRun } from '@dev-health/control-plane';
import type { RecordProducer } from '@dev-health/kafka';
import { ControlPlaneStore, type NewIntegration, PostgresStore } from '@dev-health/postgres';
import { RuntimeModule, type ServiceRuntime, startHttpService } from '@dev-health/runtime';
import type { Provider } from '@dev-health/schemas';
import { RawPublisher } from './raw-publisher';
import { SyncCommandService, commandsGroup } from './sync-command-service';
import { SyncControlTopics } from './sync-control';
import type { SyncJob } from './sync-job';
import { type RunEnd, SyncRunner } from './sync-runner';

/**
 * What every connector service is around its provider's SyncJob: the control plane (sync runs,
 * watermarks), the raw topic, the control topics, and either the long-running command consumer
 * (`serve`) or one run of an env-configured integration (`runOnce`, for Jobs and local use).
 */
export class ConnectorHost {
  private constructor(
    private readonly runtime: ServiceRuntime,
    private readonly config: ConnectorSyncConfig,
    private readonly provider: Provider,
    private readonly postgres: PostgresStore,
    readonly store: ControlPlaneStore,
    private readonly producer: RecordProducer,
    readonly publisher: RawPublisher,
    private readonly control: SyncControlTopics,
  ) {}

  static async create(
    runtime: ServiceRuntime,
    config: ConnectorSyncConfig,
    provider: Provider,
  ): Promise<ConnectorHost> {
    const postgres = await PostgresStore.connect(config.databaseUri, runtime.base.serviceName);
    const producer = runtime.kafka.createProducer();
    const publisher = new RawPublisher(
      runtime.kafka,
      runtime.serde,
      runtime.topology,
      producer,
      runtime.kafkaConfig.rawRetentionMs,
    );
    const control = new SyncControlTopics(runtime.kafka, runtime.serde, runtime.topology, producer);
    await publisher.prepare(provider);
    await control.prepare();
    await producer.connect();
    return new ConnectorHost(
      runtime,
      config,
      provider,
      postgres,
      new ControlPlaneStore(postgres.dataSource),
      producer,
      publisher,
      control,
    );
  }

  runner(job: SyncJob): SyncRunner {
    return new SyncRunner({
      provider: this.provider,
      job,
      store: this.store,
      publisher: this.publisher,
      control: this.control,
      logger: this.runtime.logger.child('sync'),
      metrics: this.runtime.metrics,
      heartbeatMs: this.config.heartbeatSeconds * 1000,
    });
  }

  /**
   * Runs one sync of the integration the environment describes (created or updated to that scope),
   * in this process. A run left "running" by a killed earlier job is failed first, after the usual
   * silence, so one crash does not block every later job.
   */
  async runOnce(integration: NewIntegration, job: SyncJob): Promise<{ run: SyncRun; end: RunEnd }> {
    await this.store.ensureOrganization(integration.org_id);
    await this.store.failSilentRuns(this.config.silentRunSeconds * 1000);
    const stored = await this.store.ensureIntegration(integration);
    const { run, created } = await this.store.requestSync(stored.id, 'incremental');
    if (!created)
      throw new Error(`integration ${stored.name} of ${stored.org_id} has an active sync run already (${run.id})`);
    const end = await this.runner(job).run(run, new AbortController().signal);
    return { run: await this.store.getRun(run.id), end };
  }

  /**
   * The long-running service: health and metrics over HTTP, sync.requested consumed from the commands
   * topic. SIGTERM hands running syncs back to the queue, then exits.
   */
  async serve(job: SyncJob): Promise<void> {
    const { runtime } = this;
    @Module({ imports: [RuntimeModule.forRuntime(runtime)] })
    class ConnectorModule {}
    const app = await startHttpService(ConnectorModule, runtime);
    // Two streams, two budgets: backfill chunks never take the slots incremental syncs need.
    const streams = [
      { stream: 'incremental' as const, topic: runtime.topology.commands(), slots: this.config.maxConcurrentRuns },
      {
        stream: 'backfill' as const,
        topic: runtime.topology.backfillCommands(),
        slots: this.config.maxConcurrentBackfillRuns,
      },
    ];
    const services = streams.map(({ stream, topic, slots }) => {
      const group = commandsGroup(runtime.topology, this.provider, stream);
      const consumer = runtime.kafka.createBatchConsumer({
        groupId: group,
        topics: [topic],
        deadLetterTopic: runtime.topology.deadLetter(group),
        partitionsConcurrently: 1,
      });
      return new SyncCommandService(consumer, runtime.serde, this.store, this.runner(job), runtime.logger, {
        provider: this.provider,
        maxConcurrentRuns: slots,
      });
    });
    runtime.health.set('commands', false, 'starting');
    for (const service of services) await service.start();
    runtime.health.set('commands', true);
    runtime.logger.info('connector consuming commands', {
      provider: this.provider,
      groups: streams.map(({ stream }) => commandsGroup(runtime.topology, this.provider, stream)),
      maxConcurrentRuns: this.config.maxConcurrentRuns,
      maxConcurrentBackfillRuns: this.config.maxConcurrentBackfillRuns,
    });
    const shutdown = async () => {
      runtime.health.set('commands', false, 'stopping');
      await Promise.all(services.map((service) => service.stop()));
      await app.close();
      await this.close();
      process.exit(0);
    };
    process.once('SIGTERM', () => void shutdown());
    process.once('SIGINT', () => void shutdown());
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
    await this.postgres.close();
  }
}
