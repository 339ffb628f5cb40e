import type { KafkaClient, RecordProducer } from '@dev-health/kafka';
import { TOPIC_PARTITIONS, type Topology } from '@dev-health/schemas';

/** Where incremental sync of one scope got to. Backfills never write these. */
export interface Watermark {
  /** e.g. "git:owner/repo:main" */
  key: string;
  /** Provider-specific position: a commit sha, an updated_at timestamp, a page cursor. */
  position: string;
  updatedAt: string;
}

/**
 * Watermarks live in a compacted Kafka topic (as Kafka Connect keeps source offsets): connectors need
 * no database, and the latest value per key survives compaction.
 */
export class WatermarkStore {
  constructor(
    private readonly kafka: KafkaClient,
    private readonly topology: Topology,
    private readonly producer: RecordProducer,
  ) {}

  async prepare(): Promise<void> {
    await this.kafka.ensureTopics([
      { topic: this.topology.watermarks(), partitions: TOPIC_PARTITIONS.state, compacted: true },
    ]);
  }

  async load(keyPrefix: string): Promise<Map<string, Watermark>> {
    const watermarks = new Map<string, Watermark>();
    await this.kafka.readToEnd(this.topology.watermarks(), (record) => {
      if (!record.key?.startsWith(keyPrefix)) return;
      if (!record.value) {
        watermarks.delete(record.key);
        return;
      }
      watermarks.set(record.key, JSON.parse(record.value.toString('utf8')) as Watermark);
    });
    return watermarks;
  }

  async save(watermarks: Watermark[]): Promise<void> {
    await this.producer.send(
      watermarks.map((watermark) => ({
        topic: this.topology.watermarks(),
        key: watermark.key,
        value: Buffer.from(JSON.stringify(watermark)),
      })),
    );
  }
}
