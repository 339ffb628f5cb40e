import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { type BatchConsumer, type KafkaClient, type IncomingRecord, type RejectedRecord } from '@dev-health/kafka';
import type { Logger } from '@dev-health/observability';
import type { AvroSerde } from '@dev-health/registry';
import { type MetricsUpdated, type SyncEvent, type Topology } from '@dev-health/schemas';
import type { LiveEventHub } from './live-event-hub';

/**
 * Consumes metrics-updated and sync events for this gateway replica alone: a group of its own, from
 * the newest offsets, so every replica sees every event (fan-out) and a restarted one carries on from
 * now. Subscribers are live views: nothing is replayed to them.
 */
export class LiveEventConsumer {
  private consumer: BatchConsumer | undefined;
  readonly groupId: string;

  constructor(
    private readonly kafka: KafkaClient,
    private readonly serde: AvroSerde,
    private readonly topology: Topology,
    private readonly hub: LiveEventHub,
    private readonly logger: Logger,
  ) {
    this.groupId = `${topology.group('gateway-live')}.${hostname()}.${randomBytes(4).toString('hex')}`;
  }

  async start(): Promise<void> {
    const metrics = this.topology.metricsUpdated();
    const sync = this.topology.syncEvents();
    await this.kafka.ensureTopics([
      { topic: metrics, partitions: 'storeChanged' as const },
      { topic: sync, partitions: 'control' as const },
    ]);
    this.consumer = this.kafka.createBatchConsumer({
      groupId: this.groupId,
      topics: [metrics, sync],
      deadLetterTopic: this.topology.deadLetter('gateway-live'),
      fromBeginning: false,
    });
    await this.consumer.start(async (records: IncomingRecord[]) => {
      const rejected: RejectedRecord[] = [];
      for (const record of records) {
        try {
          if (record.topic === metrics)
            this.hub.publish({
              kind: 'metrics',
              event: await this.serde.decode<MetricsUpdated>(record.value, record.topic),
            });
          else
            this.hub.publish({ kind: 'sync', event: await this.serde.decode<SyncEvent>(record.value, record.topic) });
        } catch (error: unknown) {
          rejected.push({ record, reason: error instanceof Error ? error.message : String(error) });
        }
      }
      return { rejected };
    });
    this.logger.info('gateway consuming live events', { group: this.groupId, topics: [metrics, sync] });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }
}
