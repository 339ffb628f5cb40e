import { CORRELATION_HEADERS, DEAD_LETTER_HEADERS, type IncomingRecord, KafkaClient } from '@dev-health/kafka';
import { JsonLogger } from '@dev-health/observability';
import { AvroSerde } from '@dev-health/registry';
import { type RawRecord, SchemaCatalog, Topology } from '@dev-health/schemas';
import {
  type RunningService,
  createTestDatabase,
  queryRows,
  stackEndpoints,
  startService,
  uniqueName,
  waitFor,
} from '@dev-health/testing';

/** Poison raw records go to the processor's dead-letter topic with a reason; the rest of the batch proceeds. */
describe('processor dead-letter topic (real stack)', () => {
  const endpoints = stackEndpoints();
  const prefix = uniqueName('dlq');
  const topology = new Topology(prefix);
  const kafka = new KafkaClient(
    { brokers: endpoints.kafkaBrokers, clientId: 'dlq-test' },
    new JsonLogger('test', 'error'),
  );
  const serde = new AvroSerde(endpoints.schemaRegistryUrl);
  let processor: RunningService;

  beforeAll(async () => {
    processor = startService('processor', {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
      TOPIC_PREFIX: prefix,
    });
    await processor.waitForLog(/consuming/);
  });

  afterAll(async () => {
    await processor?.stop();
  });

  function commitPayload(sha: string, subject = 's'): string {
    return JSON.stringify({
      sha,
      parents: [],
      author: { name: 'A', email: 'a@x.io', timestamp: 1_767_225_600, timezone: '+0000' },
      committer: { name: 'A', email: 'a@x.io', timestamp: 1_767_225_600, timezone: '+0000' },
      subject,
      files: [{ path: 'f', additions: 1, deletions: 0 }],
    });
  }

  function raw(sourceId: string, payload: string): RawRecord {
    return {
      org_id: 'default',
      provider: 'git',
      entity_kind: 'commit',
      source_id: sourceId,
      scope: 'org/repo',
      fetched_at: Date.UTC(2026, 0, 1),
      request: null,
      cursor: null,
      sync_mode: 'incremental',
      backfill_job_id: null,
      payload,
    };
  }

  it('routes undecodable and unnormalizable records to the DLQ with reasons and processes the good one', async () => {
    const rawTopic = topology.raw('git');
    await serde.register(Topology.subject(rawTopic), SchemaCatalog.load().get('raw', 'raw-record').schema);
    const goodSha = 'a'.repeat(40);
    const good = raw(goodSha, commitPayload(goodSha));
    const producer = kafka.createProducer();
    await producer.send([
      { topic: rawTopic, key: 'not-avro', value: Buffer.from('{"this is":"plain json"}') },
      {
        topic: rawTopic,
        key: 'bad-json',
        value: await serde.encode(Topology.subject(rawTopic), raw('b'.repeat(40), '{broken')),
      },
      { topic: rawTopic, key: 'good', value: await serde.encode(Topology.subject(rawTopic), good) },
    ]);
    await producer.disconnect();

    const deadLetters: IncomingRecord[] = [];
    await waitFor(
      async () => {
        deadLetters.length = 0;
        await kafka.readToEnd(topology.deadLetter('processor'), (record) => deadLetters.push(record));
        return deadLetters.length >= 2;
      },
      { description: 'two dead letters', timeoutMs: 60_000, intervalMs: 500 },
    );
    const reasons: Record<string, string | undefined> = Object.fromEntries(
      deadLetters.map((record) => [record.key ?? '', record.headers[DEAD_LETTER_HEADERS.reason]]),
    );
    expect(reasons['not-avro']).toMatch(/not in Confluent Avro wire format/);
    expect(reasons['bad-json']).toMatch(/payload is not JSON/);
    for (const record of deadLetters) {
      expect(record.headers[DEAD_LETTER_HEADERS.sourceTopic]).toBe(rawTopic);
      expect(record.headers[DEAD_LETTER_HEADERS.sourceOffset]).toMatch(/^\d+$/);
    }

    const commits: unknown[] = [];
    await waitFor(
      async () => {
        commits.length = 0;
        await kafka.readToEnd(topology.canonical('commit'), (record) => commits.push(record));
        return commits.length === 1;
      },
      { description: 'the good commit on the canonical topic', timeoutMs: 30_000, intervalMs: 500 },
    );
  });

  it('reads a raw record written before tenancy into the default org, and dead-letters an org_id that is not a slug', async () => {
    const rawTopic = topology.raw('git');
    const current = SchemaCatalog.load().get('raw', 'raw-record').schema;
    const preTenancy = { ...current, fields: current.fields.filter((field) => field.name !== 'org_id') };
    const oldSha = 'c'.repeat(40);
    const { org_id: _org, ...oldRecord } = raw(oldSha, commitPayload(oldSha));
    const oldSubject = Topology.subject(rawTopic);
    // The old schema is a version of the same subject (as it was before the upgrade).
    const oldSerde = new AvroSerde(endpoints.schemaRegistryUrl);
    await oldSerde.register(oldSubject, preTenancy);
    const written = await oldSerde.encode(oldSubject, oldRecord);
    await serde.register(oldSubject, current);
    const producer = kafka.createProducer();
    await producer.send([
      { topic: rawTopic, key: 'pre-tenancy', value: written },
      {
        topic: rawTopic,
        key: 'bad-org',
        value: await serde.encode(oldSubject, {
          ...raw('d'.repeat(40), commitPayload('d'.repeat(40))),
          org_id: 'Acme',
        }),
      },
    ]);
    await producer.disconnect();

    const canonicalSerde = new AvroSerde(endpoints.schemaRegistryUrl);
    await waitFor(
      async () => {
        const commits: { id: string; org_id: string }[] = [];
        const values: Buffer[] = [];
        await kafka.readToEnd(topology.canonical('commit'), (record) => {
          if (record.value) values.push(record.value);
        });
        for (const value of values) commits.push(await canonicalSerde.decode(value));
        const old = commits.find((commit) => commit.id.endsWith(oldSha));
        return old !== undefined && old.org_id === 'default' && old.id === `git:commit:org/repo/${oldSha}`;
      },
      { description: 'the pre-tenancy commit in the default org', timeoutMs: 30_000, intervalMs: 500 },
    );
    await waitFor(
      async () => {
        const reasons: string[] = [];
        await kafka.readToEnd(topology.deadLetter('processor'), (record) => {
          if (record.key === 'bad-org') reasons.push(record.headers[DEAD_LETTER_HEADERS.reason] ?? '');
        });
        return reasons.some((reason) => /org_id "Acme" is not an org slug/.test(reason));
      },
      { description: 'the bad org_id dead-lettered with its reason', timeoutMs: 30_000, intervalMs: 500 },
    );
  });

  it('a row the store refuses for its content (a NUL byte) is isolated and dead-lettered by the sink; the rest lands', async () => {
    const database = await createTestDatabase(endpoints.databaseUri, 'dlq_nul');
    const sinkPrefix = uniqueName('dlq-sink');
    const sinkTopology = new Topology(sinkPrefix);
    const env = {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
      TOPIC_PREFIX: sinkPrefix,
      DATABASE_URI: database.uri,
    };
    const services = [startService('processor', env, 'processor-nul'), startService('sink-postgres', env)];
    try {
      await Promise.all(services.map((service) => service.waitForLog(/consuming/)));
      const rawTopic = sinkTopology.raw('git');
      const subject = Topology.subject(rawTopic);
      await serde.register(subject, SchemaCatalog.load().get('raw', 'raw-record').schema);
      const shas = ['1', '2', '3', '4', '5', '6'].map((digit) => digit.repeat(40));
      const nulSha = shas[2] ?? '';
      const producer = kafka.createProducer();
      const records = [];
      for (const sha of shas)
        records.push({
          topic: rawTopic,
          key: `org/repo/${sha}`,
          value: await serde.encode(
            subject,
            raw(sha, commitPayload(sha, sha === nulSha ? 'fix\u0000bad' : `ok ${sha}`)),
          ),
        });
      await producer.send(records);
      await producer.disconnect();

      await waitFor(
        async () => {
          const [row] = await queryRows<{ commits: number }>(
            database.uri,
            `SELECT count(*)::int AS commits FROM commits WHERE to_regclass('public.commits') IS NOT NULL`,
          ).catch(() => [{ commits: 0 }]);
          return row?.commits === shas.length - 1;
        },
        { description: 'every commit but the NUL one in Postgres', timeoutMs: 60_000, intervalMs: 500 },
      );
      const letters: IncomingRecord[] = [];
      await waitFor(
        async () => {
          letters.length = 0;
          await kafka.readToEnd(sinkTopology.deadLetter('sink-postgres'), (record) => letters.push(record));
          return letters.length > 0;
        },
        { description: 'the NUL commit in the sink’s dead-letter topic', timeoutMs: 30_000, intervalMs: 500 },
      );
      expect(letters.map((letter) => letter.key)).toEqual([`git:commit:org/repo/${nulSha}`]);
      const headers = letters[0]?.headers ?? {};
      expect(headers[DEAD_LETTER_HEADERS.reason]).toMatch(/\[22P05\].*\\u0000/);
      expect(Number(headers[DEAD_LETTER_HEADERS.attempts])).toBeGreaterThanOrEqual(3);
      expect(headers[DEAD_LETTER_HEADERS.errorStack]).toMatch(/at /);
      expect(headers[DEAD_LETTER_HEADERS.sourceTopic]).toBe(sinkTopology.canonical('commit'));
      // The raw record it was derived from, carried by the processor through the sink into the DLQ.
      expect(headers[CORRELATION_HEADERS.rawRecord]).toMatch(
        new RegExp(`^${rawTopic.replace(/\./g, '\\.')}/\\d+/\\d+$`),
      );
      const [stored] = await queryRows<{ missing: number }>(
        database.uri,
        `SELECT count(*)::int AS missing FROM unnest($1::text[]) AS sha WHERE NOT EXISTS (SELECT 1 FROM commits c WHERE c.sha = sha)`,
        [shas.filter((sha) => sha !== nulSha)],
      );
      expect(stored?.missing).toBe(0);
    } finally {
      await Promise.all(services.map((service) => service.stop()));
      await database.drop();
    }
  });
});
