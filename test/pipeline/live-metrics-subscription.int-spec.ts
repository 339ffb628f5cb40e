import { SyntheticGenerator, identityAliases, type SyntheticOptions } from '@dev-health/synthetic';
import {
  type RunningService,
  createTestDatabase,
  graphqlWsClient,
  issueApiKey,
  listeningUrl,
  pipelineEnvironment,
  queryRows,
  startService,
  stackEndpoints,
  waitFor,
} from '@dev-health/testing';
import { KafkaClient } from '@dev-health/kafka';
import { JsonLogger } from '@dev-health/observability';
import { syntheticEnvironment } from '../../apps/connector-synthetic/src/config';

/** 400 days: neither the default (-1, forever) nor the local broker's. */
const RAW_RETENTION_MS = 400 * 86_400_000;

const OPTIONS: SyntheticOptions = {
  seed: 'live-subscription',
  startDate: '2026-01-05',
  days: 1,
  repos: 2,
  teams: 1,
  people: 4,
  commitsPerDay: 0,
  pullRequestsPerDay: 0,
  workItemsPerDay: 0,
};

/**
 * Live mode end to end: connector-synthetic publishes commits stamped with the wall clock; the
 * processor, the Postgres sink and the metrics service recompute today's metrics, and a graphql-ws
 * subscriber of the gateway hears `metricsUpdated` for today, once the commit is stored.
 */
describe('live: a synthetic commit reaches a metricsUpdated subscriber (real stack)', () => {
  const services: RunningService[] = [];
  let database: Awaited<ReturnType<typeof createTestDatabase>>;

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await database?.drop();
  });

  it('announces today with the commit stored', async () => {
    database = await createTestDatabase(stackEndpoints().databaseUri, 'live_subscription');
    const pipeline = pipelineEnvironment('live_subscription', database.uri);
    const env = {
      ...pipeline.env,
      ...syntheticEnvironment(OPTIONS),
      IDENTITY_ALIASES: JSON.stringify(identityAliases(new SyntheticGenerator(OPTIONS).organisation)),
      SYNTHETIC_HISTORY: 'false',
      SYNTHETIC_LIVE: 'true',
      SYNTHETIC_LIVE_EVENTS_PER_SECOND: '5',
      METRICS_DEBOUNCE_MS: '200',
      GATEWAY_ANALYTICS_STORE: 'postgres',
      RAW_TOPIC_RETENTION_MS: String(RAW_RETENTION_MS),
    };
    for (const name of ['processor', 'sink-postgres', 'metrics'] as const) {
      const service = startService(name, env);
      services.push(service);
      await service.waitForLog(/consuming/, 60_000);
    }
    const gateway = startService('gateway', env);
    services.push(gateway);
    const url = await listeningUrl(gateway);
    await gateway.waitForLog(/gateway consuming live events/);
    const token = await issueApiKey(env);
    const messages: { day: string; updatedAt: string; at: number }[] = [];
    const client = graphqlWsClient(url, token);
    const stop = client.subscribe(
      { query: 'subscription { metricsUpdated(orgId: "default") { orgId day updatedAt } }' },
      {
        next: (value) =>
          messages.push({
            ...(value.data as { metricsUpdated: { day: string; updatedAt: string } }).metricsUpdated,
            at: Date.now(),
          }),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const today = new Date().toISOString().slice(0, 10);
      const started = Date.now();
      const connector = startService('connector-synthetic', env);
      services.push(connector);
      await waitFor(() => messages.some((message) => message.day === today), {
        description: 'a metricsUpdated message for today',
        timeoutMs: 60_000,
        intervalMs: 100,
      });
      const announced = messages.find((message) => message.day === today)!;
      await connector.stop();
      // The commit the message announces was stored, authored today, before the message arrived.
      const [first] = await queryRows<{ n: string; first_ms: string }>(
        database.uri,
        `SELECT count(*) AS n, (extract(epoch FROM min(authored_at)) * 1000)::bigint::text AS first_ms
           FROM commits WHERE authored_at >= '${today}T00:00:00Z'`,
      );
      expect(Number(first?.n)).toBeGreaterThan(0);
      expect(Number(first?.first_ms)).toBeGreaterThanOrEqual(started - 1_000);
      expect(Number(first?.first_ms)).toBeLessThanOrEqual(announced.at);
      const [metrics] = await queryRows<{ commits: string }>(
        database.uri,
        `SELECT coalesce(sum(commits), 0) AS commits FROM repo_metrics_daily WHERE day = '${today}'`,
      );
      expect(Number(metrics?.commits)).toBeGreaterThan(0);
      // The raw topic is the record of what was fetched: its retention is the configured one, not the broker's.
      const kafka = new KafkaClient(
        { brokers: stackEndpoints().kafkaBrokers, clientId: 'live-test' },
        new JsonLogger('test', 'error'),
      );
      expect(await kafka.topicRetentionMs(`${pipeline.prefix}.raw.synthetic`)).toBe(RAW_RETENTION_MS);
    } finally {
      stop();
      await client.dispose();
    }
  }, 180_000);
});
