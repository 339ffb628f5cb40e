import { DEAD_LETTER_HEADERS, KafkaClient } from '@dev-health/kafka';
import { IdentityResolver } from '@dev-health/normalize';
import { fuzzCases } from '@dev-health/normalize/testing/raw-payload-arbitraries';
import { JsonLogger } from '@dev-health/observability';
import { AvroSerde, schemaMisfits } from '@dev-health/registry';
import {
  CANONICAL_ENTITY_NAMES,
  PROVIDERS,
  type RawRecord,
  SchemaCatalog,
  Topology,
  canonicalSchemaFile,
} from '@dev-health/schemas';
import { type RunningService, stackEndpoints, startService, uniqueName, waitFor } from '@dev-health/testing';
import { normalize } from '../../apps/processor/src/normalize/normalize';

const CASES = 400;

/**
 * Generated raw payloads of every provider and kind (half valid, half mutated: wrong types, missing
 * fields, long strings, NULs, invalid dates) through the real processor: it consumes all of them,
 * dead-letters exactly those the pure normalizer rejects (each with a reason), and keeps running.
 */
describe('processor under fuzzed raw records (real stack)', () => {
  const endpoints = stackEndpoints();
  const prefix = uniqueName('fuzz');
  const topology = new Topology(prefix);
  const kafka = new KafkaClient(
    { brokers: endpoints.kafkaBrokers, clientId: 'fuzz-test' },
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

  /** What the processor must do with a record: the pure normalizer's verdict, schema fit included. */
  function expectedPoison(raw: RawRecord): boolean {
    const catalog = SchemaCatalog.load();
    try {
      const outputs = normalize(raw, {
        provenance: {
          raw_topic: 't',
          raw_partition: 0,
          raw_offset: 0,
          raw_source_id: raw.source_id,
          fetched_at: raw.fetched_at,
          reprocessing_generation: 0,
        },
        identities: new IdentityResolver({}),
      });
      return outputs.some(
        (output) =>
          schemaMisfits(catalog.get('canonical', canonicalSchemaFile(output.entity)).schema)(output.record).length > 0,
      );
    } catch {
      return true;
    }
  }

  it(`consumes ${CASES} fuzzed records, dead-letters exactly the ones that cannot normalize, and keeps going`, async () => {
    const cases = fuzzCases(CASES, 20_261_206, { hugeStringMaxLength: 100_000 });
    const raw = SchemaCatalog.load().get('raw', 'raw-record').schema;
    const producer = kafka.createProducer();
    const outgoing = [];
    for (const [index, record] of cases.entries()) {
      const topic = topology.raw(record.provider as (typeof PROVIDERS)[number]);
      await serde.register(Topology.subject(topic), raw);
      outgoing.push({ topic, key: `case-${index}`, value: await serde.encode(Topology.subject(topic), record) });
    }
    await producer.send(outgoing);
    const expectedDead = new Set(cases.flatMap((record, index) => (expectedPoison(record) ? [`case-${index}`] : [])));
    expect(expectedDead.size).toBeGreaterThan(CASES / 10); // the mutations do reach the normalizers' checks
    expect(expectedDead.size).toBeLessThan(CASES); // and valid records are among the cases

    // Never stalls: the processor's group commits every raw topic to its end.
    await waitFor(
      async () =>
        (await kafka.groupLag(topology.group('processor'))) === 0 &&
        (
          await kafka.groupPositions(
            topology.group('processor'),
            PROVIDERS.map((provider) => topology.raw(provider)),
          )
        ).size > 0,
      {
        description: 'the processor to consume every fuzzed record',
        timeoutMs: 120_000,
        intervalMs: 1_000,
      },
    );
    const dead = new Map<string, string>();
    await kafka.readToEnd(topology.deadLetter('processor'), (record) =>
      dead.set(record.key ?? '', record.headers[DEAD_LETTER_HEADERS.reason] ?? ''),
    );
    expect([...dead.keys()].sort()).toEqual([...expectedDead].sort());
    for (const reason of dead.values()) expect(reason.length).toBeGreaterThan(0);

    // Never crashes: a good record sent afterwards still comes out the other side.
    const [good] = cases;
    if (!good) throw new Error('no cases');
    const canonicalTopics = CANONICAL_ENTITY_NAMES.map((entity) => topology.canonical(entity));
    const total = async () => {
      let sum = 0;
      for (const topic of canonicalTopics)
        for (const high of (await kafka.endOffsets(topic).catch(() => new Map<number, string>())).values())
          sum += Number(high);
      return sum;
    };
    const canonicalBefore = await total();
    const goodTopic = topology.raw(good.provider as (typeof PROVIDERS)[number]);
    await producer.send([
      { topic: goodTopic, key: 'after', value: await serde.encode(Topology.subject(goodTopic), good) },
    ]);
    await producer.disconnect();
    await waitFor(async () => (await total()) > canonicalBefore, {
      description: 'the processor to normalize a good record after the fuzzed ones',
      timeoutMs: 30_000,
      intervalMs: 500,
    });
    expect(processor.child.exitCode).toBeNull();
  }, 240_000);
});
