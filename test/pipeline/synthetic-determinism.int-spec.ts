import { createHash } from 'node:crypto';
import { KafkaClient } from '@dev-health/kafka';
import { JsonLogger } from '@dev-health/observability';
import { AvroSerde } from '@dev-health/registry';
import { CANONICAL_ENTITY_NAMES, Topology, type CanonicalRecord } from '@dev-health/schemas';
import {
  SyntheticGenerator,
  identityAliases,
  type SyntheticOptions,
  type SyntheticPullRequestPayload,
} from '@dev-health/synthetic';
import {
  type RunningService,
  createTestDatabase,
  queryRows,
  runToCompletion,
  stackEndpoints,
  startService,
  uniqueName,
  waitFor,
} from '@dev-health/testing';
import { syntheticEnvironment } from '../../apps/connector-synthetic/src/config';

const OPTIONS: SyntheticOptions = {
  seed: 'determinism',
  startDate: '2026-03-02',
  days: 6,
  repos: 3,
  teams: 2,
  people: 8,
  commitsPerDay: 25,
  pullRequestsPerDay: 6,
  workItemsPerDay: 5,
};

const SYNTHETIC_ENV = {
  ...syntheticEnvironment(OPTIONS),
  // Small batches: the stream is the same however it is cut.
  BATCH_SIZE: '97',
};

/**
 * The synthetic organisation through the real connector, broker, registry and processor, twice, on
 * separate topic sets: the canonical topics hold the same records (digests compared per topic), and
 * the Postgres sink ends with each PR in its final state even though its versions arrive separately.
 */
describe('synthetic connector (real stack)', () => {
  const endpoints = stackEndpoints();
  const kafka = new KafkaClient(
    { brokers: endpoints.kafkaBrokers, clientId: 'synthetic-test' },
    new JsonLogger('test', 'error'),
  );
  const serde = new AvroSerde(endpoints.schemaRegistryUrl);
  const services: RunningService[] = [];
  let postgres: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    postgres = await createTestDatabase(endpoints.databaseUri, 'synthetic');
  });
  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop('SIGKILL')));
    await postgres?.drop();
  });

  function baseEnv(prefix: string): Record<string, string> {
    return {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
      TOPIC_PREFIX: prefix,
      DATABASE_URI: postgres.uri,
      IDENTITY_ALIASES: JSON.stringify(identityAliases(new SyntheticGenerator(OPTIONS).organisation)),
      ...SYNTHETIC_ENV,
    };
  }

  async function processorCaughtUp(prefix: string): Promise<boolean> {
    const topology = new Topology(prefix);
    const raw = topology.raw('synthetic');
    const [ends, committed] = await Promise.all([
      kafka.endOffsets(raw),
      kafka.committedOffsets(topology.group('processor'), raw),
    ]);
    return [...ends].every(([partition, high]) => committed.get(partition) === high);
  }

  /** Per canonical topic: a digest of its records (key + decoded value, the run's topic prefix removed). */
  async function canonicalDigests(prefix: string): Promise<Record<string, { records: number; digest: string }>> {
    const topology = new Topology(prefix);
    const digests: Record<string, { records: number; digest: string }> = {};
    for (const entity of CANONICAL_ENTITY_NAMES) {
      const encoded: { key: string; value: Buffer }[] = [];
      await kafka.readToEnd(topology.canonical(entity), (record) => {
        if (record.value) encoded.push({ key: record.key ?? '', value: record.value });
      });
      const lines: string[] = [];
      for (const { key, value } of encoded) {
        const record = await serde.decode<CanonicalRecord>(value);
        const portable = {
          ...record,
          provenance: { ...record.provenance, raw_topic: record.provenance.raw_topic.replace(prefix, '<prefix>') },
        };
        lines.push(`${key}\t${JSON.stringify(portable)}`);
      }
      lines.sort();
      digests[entity] = { records: lines.length, digest: createHash('sha256').update(lines.join('\n')).digest('hex') };
    }
    return digests;
  }

  async function run(label: string, withSink: boolean) {
    const prefix = uniqueName(`synthetic-${label}`);
    const env = baseEnv(prefix);
    const processor = startService('processor', env, `processor-${label}`);
    services.push(processor);
    await processor.waitForLog(/consuming/);
    if (withSink) {
      const sink = startService('sink-postgres', env, `sink-postgres-${label}`);
      services.push(sink);
      await sink.waitForLog(/consuming/);
    }
    const connector = await runToCompletion('connector-synthetic', env);
    expect(connector.code).toBe(0);
    await waitFor(() => processorCaughtUp(prefix), {
      description: `processor (${label}) caught up`,
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    return canonicalDigests(prefix);
  }

  it('two runs with the same seed and start date produce identical canonical topic contents', async () => {
    const first = await run('first', true);
    const second = await run('second', false);
    expect(second).toEqual(first);
    // Only git has blame and only GitHub's public events have pushes: every other entity must be there.
    const empty = Object.entries(first).filter(
      ([entity, { records }]) => records === 0 && entity !== 'blame_line' && entity !== 'push',
    );
    expect(empty).toEqual([]);
  });

  it('the Postgres sink keeps every PR in its final state although its versions arrived separately', async () => {
    const finalState = new Map<number, string>();
    for (const batch of new SyntheticGenerator(OPTIONS).batches())
      for (const record of batch)
        if (record.entity_kind === 'pull_request') {
          const pr = JSON.parse(record.payload) as SyntheticPullRequestPayload;
          finalState.set(pr.number, pr.state);
        }
    const expected = { open: 0, closed: 0, merged: 0 };
    for (const state of finalState.values()) expected[state as keyof typeof expected]++;
    for (const state of ['open', 'closed', 'merged'] as const)
      if (expected[state] === 0) delete (expected as Partial<typeof expected>)[state];
    const count = async () =>
      Object.fromEntries(
        (
          await queryRows<{ state: string; count: number }>(
            postgres.uri,
            `SELECT state, count(*)::int AS count FROM pull_requests GROUP BY state`,
          )
        ).map((row) => [row.state, row.count]),
      );
    await waitFor(async () => sameCounts(await count(), expected), {
      description: 'final PR states in Postgres',
      timeoutMs: 60_000,
      intervalMs: 500,
    }).catch(() => undefined);
    expect(await count()).toEqual(expected);
  });
});

function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const canonical = (value: Record<string, number>) => JSON.stringify(Object.entries(value).sort());
  return canonical(a) === canonical(b);
}
