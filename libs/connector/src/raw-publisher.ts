import { CORRELATION_HEADERS, type KafkaClient, type OutgoingRecord, type RecordProducer } from '@dev-health/kafka';
import type { AvroSerde } from '@dev-health/registry';
import { SchemaCatalog, Topology, orgScopedId, type Provider, type RawRecord } from '@dev-health/schemas';

/** Publishes raw provider payloads as Avro to the provider's raw topic: the one exit of every connector. */
export class RawPublisher {
  constructor(
    private readonly kafka: KafkaClient,
    private readonly serde: AvroSerde,
    private readonly topology: Topology,
    private readonly producer: RecordProducer,
    /** RAW_TOPIC_RETENTION_MS: raw topics are the record of what was fetched. */
    private readonly retentionMs: number,
  ) {}

  /** Creates the raw topic and registers its schema (BACKWARD compatible). Call once at boot. */
  async prepare(provider: Provider): Promise<void> {
    const topic = this.topology.raw(provider);
    await this.kafka.ensureTopics([{ topic, partitions: 'data' as const, retentionMs: this.retentionMs }]);
    await this.serde.register(Topology.subject(topic), SchemaCatalog.load().get('raw', 'raw-record').schema);
  }

  /**
   * Sends records in one batch; resolves once the broker has them (acks=all). `syncRunId` travels in a
   * header through every stage (canonical records, dead letters, logs): the correlation id of a sync.
   */
  async publish(records: RawRecord[], syncRunId?: string): Promise<void> {
    const outgoing: OutgoingRecord[] = [];
    for (const record of records) {
      const topic = this.topology.raw(record.provider as Provider);
      outgoing.push({
        topic,
        // All versions of one source entity in one partition, so they stay ordered.
        key: orgScopedId(record.org_id, `${record.scope}/${record.entity_kind}/${record.source_id}`),
        value: await this.serde.encode(Topology.subject(topic), record),
        headers: {
          'dho.entity-kind': record.entity_kind,
          'dho.sync-mode': record.sync_mode,
          ...(syncRunId === undefined ? {} : { [CORRELATION_HEADERS.syncRun]: syncRunId }),
        },
      });
    }
    await this.producer.send(outgoing);
  }
}
