import {
  CORRELATION_HEADERS,
  describeError,
  type BatchOutcome,
  type IncomingRecord,
  type OutgoingRecord,
  type RecordProducer,
  type RejectedRecord,
} from '@dev-health/kafka';
import { SchemaMismatchError, decodeBatch } from '@dev-health/registry';
import {
  CANONICAL_ENTITY_NAMES,
  PROVIDERS,
  SchemaCatalog,
  Topology,
  canonicalSchemaFile,
  type RawRecord,
} from '@dev-health/schemas';
import type { ServiceRuntime } from '@dev-health/runtime';
import { type IdentityResolver, NormalizationError } from '@dev-health/normalize';
import { normalize } from './normalize/normalize';

/** Consumer group and topics of the processor (its topology table). */
export function processorTopology(topology: Topology) {
  return {
    group: topology.group('processor'),
    consumes: PROVIDERS.map((provider) => topology.raw(provider)),
    produces: CANONICAL_ENTITY_NAMES.map((entity) => topology.canonical(entity)),
    deadLetter: topology.deadLetter('processor'),
  };
}

/** Raw topics → canonical topics. The only logic is the pure normalize(); this wraps it in Kafka. */
export class Processor {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly producer: RecordProducer,
    private readonly identities: IdentityResolver,
  ) {}

  async prepare(): Promise<void> {
    const { topology, kafka, serde } = this.runtime;
    const wiring = processorTopology(topology);
    await kafka.ensureTopics([
      // The raw topics: created with (or corrected to) their retention, whoever comes first.
      ...wiring.consumes.map((topic) => ({
        topic,
        partitions: 'data' as const,
        retentionMs: this.runtime.kafkaConfig.rawRetentionMs,
      })),
      ...wiring.produces.map((topic) => ({ topic, partitions: 'data' as const })),
      { topic: wiring.deadLetter, partitions: 'deadLetter' as const },
    ]);
    const catalog = SchemaCatalog.load();
    // Raw records of every version read as the current schema: one written before tenancy has org_id "default".
    for (const topic of wiring.consumes) serde.readAs(topic, catalog.get('raw', 'raw-record').schema);
    for (const entity of CANONICAL_ENTITY_NAMES) {
      await serde.register(
        Topology.subject(topology.canonical(entity)),
        catalog.get('canonical', canonicalSchemaFile(entity)).schema,
      );
    }
  }

  /** Live processing: generation 0. */
  readonly handleBatch = (records: IncomingRecord[]): Promise<BatchOutcome> => this.process(records, 0);

  /**
   * A replay re-derives records under its reprocessing generation, so its output outranks every
   * earlier derivation of the same source versions in the stores (see recordVersion).
   */
  async process(records: IncomingRecord[], reprocessingGeneration: number): Promise<BatchOutcome> {
    const { serde, topology } = this.runtime;
    const { decoded, rejected } = await decodeBatch<RawRecord>(serde, records);
    const outgoing: OutgoingRecord[] = [];
    const poison: RejectedRecord[] = [...rejected];
    for (const record of decoded) {
      const raw = record.decoded;
      const provenance = {
        raw_topic: record.topic,
        raw_partition: record.partition,
        raw_offset: Number(record.offset),
        raw_source_id: raw.source_id,
        fetched_at: raw.fetched_at,
        reprocessing_generation: reprocessingGeneration,
      };
      const syncRunId = record.headers[CORRELATION_HEADERS.syncRun];
      let outputs: ReturnType<typeof normalize>;
      try {
        outputs = normalize(raw, { provenance, identities: this.identities });
      } catch (error: unknown) {
        // normalize() is pure: whatever it throws, it throws again for this record. Poison, with its stack.
        const reason = error instanceof NormalizationError ? error.message : describeError(error);
        poison.push({ record, reason, error, attempts: 1 });
        continue;
      }
      try {
        const encoded: OutgoingRecord[] = [];
        for (const output of outputs) {
          const topic = topology.canonical(output.entity);
          encoded.push({
            topic,
            key: output.record.id,
            value: await serde.encode(Topology.subject(topic), output.record),
            headers: {
              'dho.sync-mode': raw.sync_mode,
              [CORRELATION_HEADERS.rawRecord]: `${record.topic}/${record.partition}/${record.offset}`,
              ...(syncRunId === undefined ? {} : { [CORRELATION_HEADERS.syncRun]: syncRunId }),
            },
          });
        }
        outgoing.push(...encoded);
      } catch (error: unknown) {
        // A record that does not fit its schema is poison; a registry that is away is retried.
        if (error instanceof SchemaMismatchError) {
          poison.push({ record, reason: error.message, error, attempts: 1 });
          continue;
        }
        throw error;
      }
    }
    await this.producer.send(outgoing);
    return { rejected: poison };
  }
}
