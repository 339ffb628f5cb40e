import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { processEnvironment } from '@dev-health/config';
import { ROLES, type Role } from '@dev-health/control-plane';
import {
  HealthState,
  JsonLogger,
  NestLoggerAdapter,
  ObservabilityModule,
  PipelineMetrics,
} from '@dev-health/observability';
import { SyncControlTopics } from '@dev-health/connector';
import { KafkaClient, kafkaSettings } from '@dev-health/kafka';
import {
  BackfillJobStore,
  ControlPlaneStore,
  Leadership,
  PostgresStore,
  ReplayJobStore,
  SCHEDULER_LOCK_KEY,
} from '@dev-health/postgres';
import { AvroSerde } from '@dev-health/registry';
import { TaskControlTopics, exitOnBootFailure } from '@dev-health/runtime';
import { Topology } from '@dev-health/schemas';
import { AdminModule } from './admin.module';
import { readAdminConfig, readAdminKeyConfig } from './config';
import { DeadLetterService } from './dead-letter-service';
import { openApiDocument } from './openapi';
import { SyncDispatcher } from './sync-dispatcher';
import { TaskDispatcher, TaskStatusListener, taskStatusConsumer } from './task-dispatcher';
import { WriteRateLimit } from './write-rate-limit';

/**
 * `main.js`: the admin REST API, the sweeper that fails syncs whose connector went silent, and (on the
 * one replica holding the scheduler lock) the scheduler that queues due incremental syncs.
 * `main.js create-key --name <n> --role admin|viewer [--orgs a,b]`: issues an API key and prints its
 * token once (no --orgs: an operator key for every org). Run it as a Kubernetes Job or via kubectl exec.
 */
async function main(): Promise<void> {
  if (process.argv[2] === 'create-key') {
    const { databaseUri } = readAdminKeyConfig(processEnvironment());
    const postgres = await PostgresStore.connect(databaseUri, 'admin');
    const store = new ControlPlaneStore(postgres.dataSource);
    const { values } = parseArgs({
      args: process.argv.slice(3),
      options: { name: { type: 'string' }, role: { type: 'string' }, orgs: { type: 'string' } },
    });
    if (!ROLES.includes(values.role as Role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
    const orgs = values.orgs === undefined ? null : values.orgs.split(',').map((org) => org.trim());
    const { principal, token } = await store.createApiKey({ name: values.name ?? '', role: values.role as Role, orgs });
    process.stdout.write(`${JSON.stringify({ id: principal.keyId, role: principal.role, orgs, token })}\n`);
    await postgres.close();
    return;
  }

  const config = readAdminConfig(processEnvironment());
  const logger = new JsonLogger(config.base.serviceName, config.base.logLevel);
  const postgres = await PostgresStore.connect(config.databaseUri, 'admin');
  const store = new ControlPlaneStore(postgres.dataSource);
  const backfills = new BackfillJobStore(postgres.dataSource, store);
  const replays = new ReplayJobStore(postgres.dataSource);

  const health = new HealthState();
  const metrics = new PipelineMetrics(config.base.serviceName);
  health.set('postgres', true);
  const kafka = new KafkaClient(kafkaSettings(config.kafka), logger.child('kafka'), metrics);
  const producer = kafka.createProducer();
  const serde = new AvroSerde(config.kafka.schemaRegistryUrl);
  const topology = new Topology(config.kafka.topicPrefix);
  const control = new SyncControlTopics(kafka, serde, topology, producer);
  await control.prepare();
  const taskControl = new TaskControlTopics(kafka, serde, topology, producer);
  await taskControl.prepare();
  await producer.connect();
  health.set('kafka', true);
  health.addProbe('postgres-reachable', () => postgres.ping());
  health.addProbe('kafka-reachable', () => kafka.ping());
  const dispatcher = new SyncDispatcher(
    store,
    control,
    config.commandResendSeconds * 1000,
    logger.child('dispatch'),
    metrics,
  );
  const tasks = new TaskDispatcher(
    replays,
    backfills,
    taskControl,
    config.commandResendSeconds * 1000,
    logger.child('tasks'),
  );
  const app = await NestFactory.create(
    AdminModule.register(
      store,
      backfills,
      new WriteRateLimit(config.writesPerMinute),
      dispatcher,
      DeadLetterService.create(kafka, producer, postgres.dataSource, config.kafka, logger.child('dlq')),
      replays,
      tasks,
      logger.child('api'),
      ObservabilityModule.of(health, metrics),
    ),
    { logger: new NestLoggerAdapter(logger.child('nest')) },
  );
  // The API's own description, unauthenticated like /healthz (it holds no data).
  const document = openApiDocument(app);
  app
    .getHttpAdapter()
    .get('/api/openapi.json', (_request: unknown, response: { type(t: string): { send(b: string): void } }) =>
      response.type('application/json').send(document),
    );
  await app.listen(config.base.httpPort, '0.0.0.0');
  logger.info('listening', { url: await app.getUrl() });

  // Every tick: fail runs whose connector went silent (or that no connector took); the leading
  // replica also queues scheduled syncs and (re)sends the commands of queued runs.
  const leadership = new Leadership(postgres.dataSource, SCHEDULER_LOCK_KEY);
  const tick = async () => {
    for (const run of await store.failSilentRuns(
      config.silentRunSeconds * 1000,
      config.queuedRunTimeoutSeconds * 1000,
    )) {
      metrics.syncRunsFailedSilent.inc();
      logger.warn('sync run failed', { run: run.id, integration: run.integration_id, reason: run.error_message });
    }
    if (!(await leadership.tryLead())) return;
    for (const run of await store.enqueueDueSyncs())
      logger.info('scheduled sync queued', { run: run.id, integration: run.integration_id, org: run.org_id });
    // Backfill jobs: settle finished chunks, queue each job's next chunk (dispatched just below).
    const advanced = await backfills.advance();
    for (const { job, chunk, run } of advanced.started)
      logger.info('backfill chunk queued', { job, chunk, run: run.id });
    for (const job of advanced.ended)
      logger.info('backfill job ended', { job: job.id, status: job.status, error: job.error ?? undefined });
    await dispatcher.dispatchQueued();
    // task.status for every job that moved; then replay and rebuild commands (a succeeded job's rebuild).
    const moved = new Set([...advanced.started.map((entry) => entry.job), ...advanced.ended.map((job) => job.id)]);
    for (const id of moved) await tasks.publishBackfill(await backfills.get(id));
    await tasks.dispatchQueued();
  };
  // One tick at a time; a finished sync run asks for one at once (the next backfill chunk need not wait).
  let ticking: Promise<void> | null = null;
  let again = false;
  const runTick = () => {
    if (ticking) {
      again = true;
      return;
    }
    ticking = tick()
      .then(() => health.set('scheduler', true))
      .catch((error: unknown) => health.set('scheduler', false, error instanceof Error ? error.message : String(error)))
      .finally(() => {
        ticking = null;
        if (again) {
          again = false;
          runTick();
        }
      });
  };
  const listener = new TaskStatusListener(
    taskStatusConsumer(kafka, topology),
    serde,
    topology,
    replays,
    backfills,
    runTick,
    logger.child('tasks'),
  );
  await listener.start();
  const sweep = setInterval(runTick, config.tickSeconds * 1000);
  const shutdown = async () => {
    clearInterval(sweep);
    await listener.stop();
    await leadership.release();
    await app.close();
    await producer.disconnect();
    await postgres.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

main().catch((error: unknown) => exitOnBootFailure('admin', error));
