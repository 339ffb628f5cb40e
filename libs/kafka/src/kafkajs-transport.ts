import { CompressionTypes, type Consumer, type IHeaders, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import type { Logger, PipelineMetrics } from '@dev-health/observability';
import { ConsumerRestarts } from './errors';
import { Murmur2Partitioner } from './partitioner';
import type { IncomingRecord, OutgoingRecord } from './records';
import type { BatchSource, BatchSourceOptions, PartitionBatch, ProducerTransport } from './transport';

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) result[name] = first.toString();
  }
  return result;
}

export function kafkajsIncoming(topic: string, partition: number, message: KafkaMessage): IncomingRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ? message.key.toString() : null,
    value: message.value,
    headers: headersToStrings(message.headers),
    timestamp: message.timestamp,
  };
}

export class KafkajsProducerTransport implements ProducerTransport {
  private readonly producer: Producer;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // kafkajs's DefaultPartitioner, same partitions, without its BigInt hash (partitioner.ts).
      createPartitioner: Murmur2Partitioner,
      // An idempotent producer must keep retrying (a bounded count breaks its guarantees); a broker
      // outage therefore blocks the send, and with it the offset commit, instead of losing records.
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 200, maxRetryTime: 10_000 },
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async send(byTopic: Map<string, OutgoingRecord[]>): Promise<void> {
    await this.producer.sendBatch({
      acks: -1,
      compression: CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((record) => ({ key: record.key, value: record.value, headers: record.headers ?? {} })),
      })),
    });
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}

/** Heartbeat answers meaning "this member's partitions are being taken": a rebalance, or fencing. */
const REBALANCE_ERRORS = new Set([
  'REBALANCE_IN_PROGRESS',
  'UNKNOWN_MEMBER_ID',
  'ILLEGAL_GENERATION',
  'FENCED_INSTANCE_ID',
]);

function isRebalanceError(error: unknown): boolean {
  return REBALANCE_ERRORS.has(String((error as { type?: unknown } | null)?.type));
}

/**
 * kafkajs's consumer, batch by batch. kafkajs restarts itself after retriable failures only; a
 * non-retriable one (the coordinator forgot the member, say, after a broker restart) leaves it stopped
 * inside a live process. That crash is answered here with a new consumer after a backoff.
 * kafkajs rejoins only once every batch in hand has returned; a heartbeat that hears of a rebalance
 * marks those batches revoked, so they end (commit what is durable, start no new write) and the
 * member rejoins well within the rebalance timeout instead of being dropped while it still writes.
 */
export class KafkajsBatchSource implements BatchSource {
  private consumer: Consumer | null = null;
  private stopping = false;
  /** A heartbeat was told the group is rebalancing; cleared when the member has rejoined. */
  private rebalancing = false;
  /** The broker's refusal that said so: what a batch abandoned for the rebalance ends with. */
  private rebalanceSignal: Error | null = null;
  private readonly restarts: ConsumerRestarts;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: BatchSourceOptions,
    logger: Logger,
    private readonly metrics?: PipelineMetrics,
  ) {
    this.restarts = new ConsumerRestarts(logger, options.groupId);
  }

  /** "topic:partition" whose lag this member has reported, so a rebalance can withdraw them. */
  private readonly reportedLag = new Set<string>();

  async start(onBatch: (batch: PartitionBatch) => Promise<void>): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs,
      rebalanceTimeout: this.options.rebalanceTimeoutMs,
      heartbeatInterval: this.options.heartbeatIntervalMs,
      maxBytesPerPartition: this.options.maxBytesPerPartition,
      maxWaitTimeInMs: 200,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.END_BATCH_PROCESS, (event) => {
      this.restarts.reset();
      this.reportedLag.add(`${event.payload.topic}:${event.payload.partition}`);
      this.metrics?.consumerLag.set(
        { group: this.options.groupId, topic: event.payload.topic, partition: String(event.payload.partition) },
        Number(event.payload.offsetLag),
      );
    });
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      this.rebalancing = false;
      this.rebalanceSignal = null;
      // Partitions given to another member: their lag is that member's to report; stale values never fall.
      const assigned = new Set(
        Object.entries(event.payload.memberAssignment).flatMap(([topic, partitions]) =>
          partitions.map((partition) => `${topic}:${partition}`),
        ),
      );
      for (const key of [...this.reportedLag]) {
        if (assigned.has(key)) continue;
        this.reportedLag.delete(key);
        const cut = key.lastIndexOf(':');
        this.metrics?.consumerLag.remove({
          group: this.options.groupId,
          topic: key.slice(0, cut),
          partition: key.slice(cut + 1),
        });
      }
    });
    consumer.on(consumer.events.CRASH, (event) => {
      if (!event.payload.restart) void this.restart(onBatch, event.payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConcurrently,
      eachBatch: async (payload) => {
        const { batch } = payload;
        if (batch.messages.length === 0) return;
        const records = batch.messages.map((message) => kafkajsIncoming(batch.topic, batch.partition, message));
        const revoked = () => this.stopping || this.rebalancing || !payload.isRunning() || payload.isStale();
        try {
          await onBatch({
            topic: batch.topic,
            partition: batch.partition,
            records,
            // isStale: a seek made this batch's position obsolete (we never seek, but then it is).
            isRevoked: revoked,
            heartbeat: async () => {
              try {
                await payload.heartbeat();
              } catch (error: unknown) {
                if (isRebalanceError(error)) {
                  this.rebalancing = true;
                  this.rebalanceSignal = error instanceof Error ? error : null;
                }
                throw error;
              }
            },
            commit: async (offset) => {
              const last = records.at(-1);
              if (last) payload.resolveOffset(last.offset);
              await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset }]);
            },
          });
        } catch (error: unknown) {
          // Abandoned for a rebalance: kafkajs gets the broker's own refusal back, on which it rejoins at
          // once; any other error would make it retry the batch (abandoned again) and then crash.
          if (this.rebalancing && this.rebalanceSignal) throw this.rebalanceSignal;
          throw error;
        }
      },
    });
  }

  private async restart(onBatch: (batch: PartitionBatch) => Promise<void>, error: unknown): Promise<void> {
    if (this.stopping) return;
    await this.consumer?.disconnect().catch(() => undefined);
    await this.restarts.wait(error);
    if (this.stopping) return;
    await this.start(onBatch).catch((next: unknown) => this.restart(onBatch, next));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.stop();
    await this.consumer?.disconnect();
  }
}
