import { ConfigResourceTypes, Kafka, logLevel as KafkaLogLevel, type Admin, type LogEntry } from 'kafkajs';
import type { Logger, PipelineMetrics } from '@dev-health/observability';
import { backoffDelay, describeError, retriabilityOf, stackOf, type BackoffPolicy, DEFAULT_BACKOFF } from './errors';
import { nextOffset, toDeadLetter } from './dead-letter';
import { KafkajsBatchSource, KafkajsProducerTransport, kafkajsIncoming } from './kafkajs-transport';
import {
  PlatformaticBatchSource,
  PlatformaticProducerTransport,
  commitOffsetsOfEmptyGroup,
} from './platformatic-transport';
import {
  correlationOf,
  type BatchOutcome,
  type IncomingRecord,
  type OutgoingRecord,
  type RejectedRecord,
} from './records';
import {
  DEFAULT_KAFKA_CLIENT,
  DEFAULT_TOPIC_PARTITIONS,
  type KafkaClientKind,
  type KafkaConfig,
  type KafkaSecurity,
  type TopicPolicy,
  type TopicRole,
} from '@dev-health/config';
import { kafkajsSecurity } from './connection-security';
import { chunkBySize } from '@dev-health/schemas';
import type { BatchSource, PartitionBatch, ProducerTransport } from './transport';

/** How much longer than KAFKA_CONSUMER_STALL_SECONDS a handler at work may go without showing progress. */
const HANDLER_STALL_FACTOR = 4;

/** How often a consumer heartbeats, also while its handler is still working on a batch. */
const HEARTBEAT_INTERVAL_MS = 3_000;

export interface KafkaClientSettings {
  brokers: string[];
  clientId: string;
  /** The library that produces and consumes (KAFKA_CLIENT); admin work always uses kafkajs. */
  client?: KafkaClientKind;
  /** Consumers' defaults where a consumer does not set its own (KAFKA_FETCH_BYTES_PER_PARTITION, …). */
  fetchBytesPerPartition?: number;
  partitionsConcurrently?: number;
  /** How topics are created (KAFKA_TOPIC_*); unset: the default partition counts and the broker's defaults. */
  topics?: TopicPolicy;
  /** TLS and SASL (KAFKA_SECURITY_PROTOCOL, …); unset: plaintext. */
  security?: KafkaSecurity;
}

export interface TopicSpec {
  topic: string;
  /** A role (its count comes from the topic policy: KAFKA_TOPIC_PARTITIONS for data topics) or a count. */
  partitions: TopicRole | number;
  /** Compacted topics keep the latest value per key (watermarks, state). */
  compacted?: boolean;
  /**
   * retention.ms, set explicitly (-1: forever) and enforced on an existing topic too, so a cluster's
   * default (7 days) never silently deletes what the topic is the record of. Unset: the cluster's.
   */
  retentionMs?: number;
}

/**
 * The topic-level configs a topic is created with, explicitly, so a cluster's defaults never decide
 * them silently: cleanup policy, retention (the spec's, else the policy's for a deleting topic) and
 * min.insync.replicas.
 */
function topicConfigs(spec: TopicSpec, policy: TopicPolicy | undefined): { name: string; value: string }[] {
  const retentionMs = spec.retentionMs ?? (spec.compacted ? undefined : policy?.retentionMs);
  const minInsync = policy?.minInsyncReplicas;
  return [
    { name: 'cleanup.policy', value: spec.compacted ? 'compact' : 'delete' },
    ...(retentionMs === undefined ? [] : [{ name: 'retention.ms', value: String(retentionMs) }]),
    ...(minInsync === undefined ? [] : [{ name: 'min.insync.replicas', value: String(minInsync) }]),
  ];
}

/** A service's client settings from its validated Kafka configuration. */
export function kafkaSettings(config: KafkaConfig, clientId = config.clientId): KafkaClientSettings {
  return {
    brokers: config.brokers,
    clientId,
    client: config.client,
    fetchBytesPerPartition: config.fetchBytesPerPartition,
    partitionsConcurrently: config.partitionsConcurrently,
    topics: config.topics,
    security: config.security,
  };
}

/** A partition's offsets: `low` is the oldest still kept, `high` the next to be written. */
export interface PartitionOffsets {
  partition: number;
  low: string;
  high: string;
}

export interface TopicOffsets {
  topic: string;
  partitions: PartitionOffsets[];
}

function sortedPartitionOffsets(offsets: PartitionOffsets[]): PartitionOffsets[] {
  return offsets
    .map(({ partition, low, high }) => ({ partition, low, high }))
    .sort((a, b) => a.partition - b.partition);
}

export interface BatchConsumerOptions {
  groupId: string;
  topics: string[];
  deadLetterTopic: string;
  /** Start from the earliest offset when the group has no committed offset. */
  fromBeginning?: boolean;
  backoff?: BackoffPolicy;
  /** Upper bound of bytes fetched per partition per request: large batches amortise per-batch writes. */
  maxBytesPerPartition?: number;
  /**
   * Where to start in partitions the group has no committed offset for (a replay's planned start),
   * instead of the earliest/latest offset. Applied when each partition is first assigned.
   */
  startAt?: { topic: string; partition: number; offset: string }[];
  /**
   * Partitions handled at once in this process. Each partition's batches stay strictly ordered; several
   * partitions overlap their round trips (produce acks, database commits). Default 3.
   */
  partitionsConcurrently?: number;
  /**
   * Tries of a whole batch that fails deterministically (retriabilityOf) before the records causing it
   * are isolated and dead-lettered. Default 3.
   */
  deterministicAttempts?: number;
}

export type BatchHandler = (records: IncomingRecord[], context: BatchContext) => Promise<BatchOutcome>;

export interface BatchContext {
  heartbeat(): Promise<void>;
  /** True once shutdown began: long handlers should finish quickly. */
  isStopping(): boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The only door to Kafka. Producers are idempotent and batched; consumers hand whole batches to a
 * handler and commit offsets only after the handler's writes (and any dead letters) are durable.
 */
export class KafkaClient {
  private readonly kafka: Kafka;
  /** Consumers created here and not stopped: what liveness looks at. */
  private readonly consumers = new Set<BatchConsumer>();

  constructor(
    private readonly settings: KafkaClientSettings,
    private readonly logger: Logger,
    private readonly metrics?: PipelineMetrics,
  ) {
    this.kafka = new Kafka({
      clientId: settings.clientId,
      brokers: settings.brokers,
      logLevel: KafkaLogLevel.WARN,
      logCreator: () => (entry: LogEntry) => this.logKafka(entry),
      retry: { initialRetryTime: 200, retries: 8 },
      ...kafkajsSecurity(settings.security),
    });
  }

  /**
   * Creates missing topics; existing ones are left as they are. Services start together and race to
   * create shared topics, so a failed attempt is retried after listing again.
   */
  async ensureTopics(specs: TopicSpec[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.createMissingTopics(specs);
        await this.waitForLeaders(specs.map((spec) => spec.topic));
        return;
      } catch (error: unknown) {
        if (attempt >= 5) throw error;
        this.logger.warn('topic creation failed; retrying', { attempt, error: describeError(error) });
        await sleep(backoffDelay(attempt));
      }
    }
  }

  private async createMissingTopics(specs: TopicSpec[]): Promise<void> {
    const admin: Admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = specs.filter((spec) => !existing.has(spec.topic));
      if (missing.length > 0) await this.createTopics(admin, missing);
    } finally {
      await admin.disconnect();
    }
    await this.enforceRetention(specs.filter((spec) => spec.retentionMs !== undefined));
  }

  private async createTopics(admin: Admin, missing: TopicSpec[]): Promise<void> {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: spec.topic,
        numPartitions: this.partitionCount(spec),
        replicationFactor: this.settings.topics?.replicationFactor ?? -1,
        configEntries: topicConfigs(spec, this.settings.topics),
      })),
    });
    this.logger.info('created topics', {
      topics: missing.map((spec) => ({
        topic: spec.topic,
        partitions: this.partitionCount(spec),
        configs: topicConfigs(spec, this.settings.topics),
      })),
      replicationFactor: this.settings.topics?.replicationFactor ?? -1,
    });
  }

  /** A spec's partition count: its own number, or its role's count in the topic policy. */
  partitionCount(spec: Pick<TopicSpec, 'partitions'>): number {
    if (typeof spec.partitions === 'number') return spec.partitions;
    return (this.settings.topics?.partitions ?? DEFAULT_TOPIC_PARTITIONS)[spec.partitions];
  }

  /** Existing topics whose retention.ms differs from their spec's get it (and the spec's other configs). */
  private async enforceRetention(specs: TopicSpec[]): Promise<void> {
    if (specs.length === 0) return;
    const admin: Admin = this.kafka.admin();
    await admin.connect();
    try {
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: specs.map((spec) => ({
          type: ConfigResourceTypes.TOPIC,
          name: spec.topic,
          configNames: ['retention.ms'],
        })),
      });
      const current = new Map(
        described.resources.map((resource) => [
          resource.resourceName,
          resource.configEntries.find((entry) => entry.configName === 'retention.ms')?.configValue,
        ]),
      );
      const drifted = specs.filter((spec) => current.get(spec.topic) !== String(spec.retentionMs));
      if (drifted.length === 0) return;
      await admin.alterConfigs({
        validateOnly: false,
        resources: drifted.map((spec) => ({
          type: ConfigResourceTypes.TOPIC,
          name: spec.topic,
          configEntries: topicConfigs(spec, this.settings.topics),
        })),
      });
      this.logger.info('set topic retention', {
        topics: drifted.map((spec) => ({ topic: spec.topic, was: current.get(spec.topic), now: spec.retentionMs })),
      });
    } finally {
      await admin.disconnect();
    }
  }

  /** A topic's retention.ms as the broker has it (tests, operators). */
  async topicRetentionMs(topic: string): Promise<number | null> {
    const value = await this.topicConfig(topic, 'retention.ms');
    return value === null ? null : Number(value);
  }

  /** One topic-level config value as the broker has it. */
  async topicConfig(topic: string, name: string): Promise<string | null> {
    const admin: Admin = this.kafka.admin();
    await admin.connect();
    try {
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: [name] }],
      });
      return described.resources[0]?.configEntries.find((entry) => entry.configName === name)?.configValue ?? null;
    } finally {
      await admin.disconnect();
    }
  }

  /** A topic another process just created has no partition leaders for a moment; wait them out. */
  private async waitForLeaders(topics: string[]): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
          const ready = metadata.every(
            (topic) => topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0),
          );
          if (ready) return;
        } catch (error: unknown) {
          if (attempt >= 20) throw error;
        }
        if (attempt >= 20) throw new Error(`partition leaders not available for ${topics.join(', ')}`);
        await sleep(250);
      }
    } finally {
      await admin.disconnect();
    }
  }

  /** Newest offset + 1 per partition: where a reader that wants "everything so far" must stop. */
  async endOffsets(topic: string): Promise<Map<number, string>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return new Map(offsets.map((entry) => [entry.partition, entry.high]));
    } finally {
      await admin.disconnect();
    }
  }

  /** Per partition: the first offset whose record time is ≥ `timestampMs` (the end offset when none is). */
  async offsetsForTime(topic: string, timestampMs: number): Promise<Map<number, string>> {
    return this.withAdmin(async (admin) => {
      const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, timestampMs);
      return new Map(offsets.map((entry) => [entry.partition, entry.offset]));
    });
  }

  /** Committed offsets of a group for several topics: "topic/partition" → next offset ('-1': none). */
  async groupPositions(groupId: string, topics: string[]): Promise<Map<string, string>> {
    return this.withAdmin(async (admin) => {
      const committed = await admin.fetchOffsets({ groupId, topics });
      return new Map(
        committed.flatMap((entry) =>
          entry.partitions.map((partition) => [`${entry.topic}/${partition.partition}`, partition.offset] as const),
        ),
      );
    });
  }

  /**
   * Records a group has yet to commit, over every topic it has committed on: 0 once it caught up with
   * everything written so far (tests wait for a pipeline to settle on it; operators read it as lag).
   */
  async groupLag(groupId: string): Promise<number> {
    return this.withAdmin(async (admin) => {
      let lag = 0;
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
        const ends = new Map((await admin.fetchTopicOffsets(topic)).map((entry) => [entry.partition, entry.high]));
        for (const { partition, offset } of partitions) {
          const end = Number(ends.get(partition) ?? 0);
          lag += Math.max(0, end - Math.max(0, Number(offset)));
        }
      }
      return lag;
    });
  }

  /** Resolves when a broker answers a metadata request: the readiness probe of every Kafka service. */
  async ping(): Promise<void> {
    await this.withAdmin(async (admin) => {
      await admin.describeCluster();
    });
  }

  /**
   * Consumers of this process that look stuck: started, lag on their group, and no batch handled (or
   * retried, or heartbeated by its handler) for `stallMs`. A restart is what helps them: liveness. A
   * handler at work gets HANDLER_STALL_FACTOR times longer (a large recompute round that does not
   * heartbeat is slow, not stuck); one that never returns is still caught.
   */
  async stalledConsumers(stallMs: number, now = Date.now()): Promise<string[]> {
    const stalled: string[] = [];
    for (const consumer of this.consumers) {
      const idleMs = consumer.idleMs(now);
      const limit = consumer.handling ? stallMs * HANDLER_STALL_FACTOR : stallMs;
      if (idleMs === undefined || idleMs < limit) continue;
      const lag = await this.groupLag(consumer.groupId);
      if (lag > 0)
        stalled.push(`${consumer.groupId}: ${lag} records behind, no progress for ${Math.round(idleMs / 1000)} s`);
    }
    return stalled;
  }

  /** Deletes consumer groups that have no members (a finished replay's); errors are the caller's to log. */
  async deleteGroups(groupIds: string[]): Promise<void> {
    await this.withAdmin(async (admin) => {
      await admin.deleteGroups(groupIds);
    });
  }

  private async withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return await work(admin);
    } finally {
      await admin.disconnect();
    }
  }

  async committedOffsets(groupId: string, topic: string): Promise<Map<number, string>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return new Map((result?.partitions ?? []).map((entry) => [entry.partition, entry.offset]));
    } finally {
      await admin.disconnect();
    }
  }

  /** Low (the oldest offset still kept) and high (the next offset) of every partition of `topic`. */
  async partitionOffsets(topic: string): Promise<PartitionOffsets[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return sortedPartitionOffsets(await admin.fetchTopicOffsets(topic));
    } finally {
      await admin.disconnect();
    }
  }

  /** Every topic whose name starts with `prefix` (the dead-letter topics, say), with its partitions' offsets. */
  async topicsWithPrefix(prefix: string): Promise<TopicOffsets[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const names = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix)).sort();
      const topics: TopicOffsets[] = [];
      for (const topic of names)
        topics.push({ topic, partitions: sortedPartitionOffsets(await admin.fetchTopicOffsets(topic)) });
      return topics;
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Up to `limit` records of one partition, from `fromOffset` (or the oldest still kept) to the
   * partition's current end. Reads through a throwaway group that commits nothing, so no consumer of
   * the topic is disturbed.
   */
  async readPartition(
    topic: string,
    partition: number,
    fromOffset: string,
    limit: number,
    timeoutMs = 30_000,
  ): Promise<IncomingRecord[]> {
    const offsets = (await this.partitionOffsets(topic)).find((entry) => entry.partition === partition);
    if (!offsets) throw new Error(`topic ${topic} has no partition ${partition}`);
    const start = BigInt(fromOffset) > BigInt(offsets.low) ? BigInt(fromOffset) : BigInt(offsets.low);
    const end = BigInt(offsets.high);
    if (start >= end || limit <= 0) return [];
    const records: IncomingRecord[] = [];
    const consumer = this.kafka.consumer({
      groupId: `${this.settings.clientId}-reader-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
      maxWaitTimeInMs: 100,
    });
    await consumer.connect();
    try {
      // A fresh group starts at the end (nothing to read), then jumps to `start` once it owns the partition.
      await consumer.subscribe({ topics: [topic], fromBeginning: false });
      await new Promise<void>((resolve, reject) => {
        let finished = false;
        const timer = setTimeout(() => {
          finished = true;
          reject(new Error(`reading ${topic}/${partition} from ${start} timed out after ${timeoutMs} ms`));
        }, timeoutMs);
        const finish = () => {
          finished = true;
          clearTimeout(timer);
          resolve();
        };
        consumer
          .run({
            autoCommit: false,
            eachBatch: ({ batch }) => {
              if (finished || batch.partition !== partition) return Promise.resolve();
              for (const message of batch.messages) {
                const offset = BigInt(message.offset);
                if (offset < start || offset >= end) continue;
                records.push(kafkajsIncoming(batch.topic, batch.partition, message));
                if (records.length >= limit) break;
              }
              const last = batch.messages.at(-1);
              if (records.length >= limit || (last && BigInt(last.offset) + 1n >= end)) finish();
              return Promise.resolve();
            },
          })
          .then(() => consumer.seek({ topic, partition, offset: start.toString() }))
          .catch((error: unknown) => {
            clearTimeout(timer);
            reject(error instanceof Error ? error : new Error(String(error)));
          });
      });
    } finally {
      await consumer.disconnect();
    }
    return records;
  }

  /** Rewinds a stopped consumer group to the start of `topics` (a replay). */
  async rewindGroup(groupId: string, topics: string[]): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      // Members that just left may still be listed for a moment; offsets can only move once it is empty.
      for (let attempt = 0; ; attempt++) {
        const { groups } = await admin.describeGroups([groupId]);
        const state = groups[0]?.state;
        if (state === 'Empty' || state === 'Dead' || state === undefined) break;
        if (attempt >= 120)
          throw new Error(`consumer group ${groupId} still ${state}; stop its consumers before a replay`);
        await sleep(500);
      }
      for (const topic of topics) await admin.resetOffsets({ groupId, topic, earliest: true });
    } finally {
      await admin.disconnect();
    }
  }

  /** The client library this process produces and consumes with. */
  get client(): KafkaClientKind {
    return this.settings.client ?? DEFAULT_KAFKA_CLIENT;
  }

  createProducer(): RecordProducer {
    const transport: ProducerTransport =
      this.client === 'kafkajs'
        ? new KafkajsProducerTransport(this.kafka)
        : new PlatformaticProducerTransport(this.settings);
    return new RecordProducer(transport, this.metrics);
  }

  createBatchConsumer(options: BatchConsumerOptions): BatchConsumer {
    const logger = this.logger.child(`consumer:${options.groupId}`);
    const sourceOptions = {
      groupId: options.groupId,
      topics: options.topics,
      fromBeginning: options.fromBeginning ?? true,
      maxBytesPerPartition: options.maxBytesPerPartition ?? this.settings.fetchBytesPerPartition ?? 1024 * 1024,
      partitionsConcurrently: options.partitionsConcurrently ?? this.settings.partitionsConcurrently ?? 3,
      // A dead member (OOM-killed pod) is noticed in 10 s; live ones heartbeat every 3 s, also while a
      // handler works and while retrying.
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 30_000,
      heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
    };
    const source: BatchSource =
      this.client === 'kafkajs'
        ? new KafkajsBatchSource(this.kafka, sourceOptions, logger, this.metrics)
        : new PlatformaticBatchSource(this.settings, sourceOptions, logger, this.metrics);
    const consumer = new BatchConsumer(
      source,
      this.createProducer(),
      options,
      () => this.presetGroupOffsets(options.groupId, options.startAt ?? []),
      logger,
      this.metrics,
      () => this.consumers.delete(consumer),
    );
    this.consumers.add(consumer);
    return consumer;
  }

  /**
   * Sets a group's start in partitions it has never committed (a replay's planned start), before any
   * member joins; partitions with a commit keep it.
   */
  private async presetGroupOffsets(
    groupId: string,
    positions: { topic: string; partition: number; offset: string }[],
  ): Promise<void> {
    if (positions.length === 0) return;
    const topics = [...new Set(positions.map((position) => position.topic))];
    const committed = await this.groupPositions(groupId, topics);
    const unset = positions.filter(
      (position) => (committed.get(`${position.topic}/${position.partition}`) ?? '-1') === '-1',
    );
    if (unset.length > 0) await commitOffsetsOfEmptyGroup(this.settings, groupId, unset);
  }

  /** Reads a topic from the beginning up to its current end (compacted state topics). */
  async readToEnd(topic: string, onRecord: (record: IncomingRecord) => void): Promise<void> {
    const ends = await this.endOffsets(topic);
    const remaining = new Map([...ends].filter(([, high]) => high !== '0'));
    if (remaining.size === 0) return;
    const consumer = this.kafka.consumer({ groupId: `${this.settings.clientId}-reader-${process.pid}-${Date.now()}` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              for (const message of batch.messages) onRecord(kafkajsIncoming(batch.topic, batch.partition, message));
              const high = remaining.get(batch.partition);
              const last = batch.messages.at(-1);
              if (high !== undefined && last && BigInt(last.offset) + 1n >= BigInt(high))
                remaining.delete(batch.partition);
              if (remaining.size === 0) resolve();
              return Promise.resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
  }

  private logKafka(entry: LogEntry): void {
    const { message, ...fields } = entry.log;
    const text = `kafka: ${message}`;
    switch (entry.level) {
      case KafkaLogLevel.ERROR:
        this.logger.error(text, { namespace: entry.namespace, ...fields });
        break;
      case KafkaLogLevel.WARN:
        this.logger.warn(text, { namespace: entry.namespace, ...fields });
        break;
      case KafkaLogLevel.INFO:
        this.logger.info(text, { namespace: entry.namespace });
        break;
      default:
        this.logger.debug(text, { namespace: entry.namespace });
    }
  }
}

/**
 * The broker rejects a record batch over message.max.bytes (1 MiB by default); kafkajs puts all of
 * one call's records for a partition into one batch, so calls are kept well under that in total.
 */
const MAX_REQUEST_PAYLOAD_BYTES = 768 * 1024;

/** Records in order, in runs under `maxBytes` (value, key and a record's framing). */
export function chunkRecordsBySize(records: OutgoingRecord[], maxBytes: number): OutgoingRecord[][] {
  return chunkBySize(records, (record) => record.value.length + Buffer.byteLength(record.key) + 64, maxBytes);
}

export class RecordProducer {
  private connected = false;

  constructor(
    private readonly transport: ProducerTransport,
    private readonly metrics?: PipelineMetrics,
  ) {}

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.transport.connect();
    this.connected = true;
  }

  /**
   * Sends records in as few requests as the broker's size limit allows and resolves when every
   * replica acknowledged them. Records keep their order within a key.
   */
  async send(records: OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.connect();
    for (const chunk of chunkRecordsBySize(records, MAX_REQUEST_PAYLOAD_BYTES)) {
      const byTopic = new Map<string, OutgoingRecord[]>();
      for (const record of chunk) {
        const list = byTopic.get(record.topic);
        if (list) list.push(record);
        else byTopic.set(record.topic, [record]);
      }
      await this.transport.send(byTopic);
      for (const [topic, list] of byTopic) this.metrics?.recordsProduced.inc({ topic }, list.length);
    }
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    await this.transport.disconnect();
    this.connected = false;
  }
}

/**
 * A group consumer on either client: hands each partition's batches to a handler, retries a failing
 * batch with backoff (heartbeating), dead-letters what the handler rejects, and commits only after
 * the handler's writes and the dead letters are durable.
 */
export class BatchConsumer {
  private stopping = false;
  private readonly inFlight = new Set<Promise<void>>();
  /** When it last showed life: started, handled or retried a batch, or its handler heartbeated. */
  private lastActivityAt: number | undefined;
  /** Handler calls in progress (one per partition being handled). */
  private handlersRunning = 0;

  constructor(
    private readonly source: BatchSource,
    private readonly deadLetterProducer: RecordProducer,
    private readonly options: BatchConsumerOptions,
    private readonly prepare: () => Promise<void>,
    private readonly logger: Logger,
    private readonly metrics?: PipelineMetrics,
    private readonly onStopped: () => void = () => undefined,
  ) {}

  get groupId(): string {
    return this.options.groupId;
  }

  /** A handler is at work on a batch now. */
  get handling(): boolean {
    return this.handlersRunning > 0;
  }

  /** Milliseconds since it last showed life; undefined before it started or once it stops. */
  idleMs(now = Date.now()): number | undefined {
    return this.lastActivityAt === undefined || this.stopping ? undefined : now - this.lastActivityAt;
  }

  /** Joins the group and starts handing batches to `handler`; resolves once consuming has begun. */
  async start(handler: BatchHandler): Promise<void> {
    this.lastActivityAt = Date.now();
    await this.prepare();
    await this.deadLetterProducer.connect();
    await this.source.start((batch) => {
      const work = this.processBatch(batch, handler);
      this.inFlight.add(work);
      void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
      return work;
    });
  }

  /** Finishes the batch in hand (or abandons its retries), commits what is durable, leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.onStopped();
    await Promise.allSettled([...this.inFlight]);
    await this.source.stop();
    await this.deadLetterProducer.disconnect();
  }

  private async processBatch(batch: PartitionBatch, handler: BatchHandler): Promise<void> {
    const { records } = batch;
    if (records.length === 0) return;
    const heartbeat = () => {
      this.lastActivityAt = Date.now();
      return batch.heartbeat();
    };
    const context: BatchContext = { heartbeat, isStopping: () => this.stopping || batch.isRevoked() };
    const timer = this.metrics?.batchDuration.startTimer({ group: this.options.groupId });
    this.lastActivityAt = Date.now();
    try {
      const rejected = await this.handleUntilDone(batch, records, handler, context, 0);
      if (rejected.length > 0) await this.deadLetter(batch, rejected);
      const commitAt = nextOffset(records);
      if (commitAt !== undefined) await batch.commit(commitAt);
      // Counted once handled and committed: "consumed" means its effects (and anything it produced) exist.
      this.metrics?.recordsConsumed.inc({ topic: batch.topic }, records.length);
      this.lastActivityAt = Date.now();
      this.metrics?.consumerLastProgress.set({ group: this.options.groupId }, this.lastActivityAt / 1000);
      await heartbeat();
    } finally {
      timer?.();
    }
  }

  /**
   * Runs the handler on `records` until it succeeds and returns what it rejected. A transient failure
   * is retried with backoff for as long as it takes. A deterministic one is retried a few times, then
   * the records are split in halves, handled in order, down to each single record that still fails:
   * that one is rejected with its error and attempt count, and the rest of the batch goes on.
   */
  private async handleUntilDone(
    batch: PartitionBatch,
    records: IncomingRecord[],
    handler: BatchHandler,
    context: BatchContext,
    priorAttempts: number,
  ): Promise<RejectedRecord[]> {
    // The whole batch gets a few tries; a part of one already known to fail is split at its first failure.
    const deterministicLimit = priorAttempts === 0 ? (this.options.deterministicAttempts ?? 3) : 1;
    let deterministicFailures = 0;
    for (let attempt = 1; ; attempt++) {
      // Revoked (a rebalance took the partition, the member was fenced) or stopping: no new write starts.
      // Nothing more is committed; the partition's next owner starts again from the last commit.
      if (context.isStopping()) throw this.abandoned(batch, attempt);
      // A handler may take longer than the session timeout (a large recompute round): keep the membership.
      // Not the handler's heartbeat: this one keeps the membership without counting as progress (liveness).
      const keepAlive = setInterval(() => void batch.heartbeat().catch(() => undefined), HEARTBEAT_INTERVAL_MS);
      this.handlersRunning++;
      try {
        const outcome = await handler(records, context).finally(() => {
          clearInterval(keepAlive);
          this.handlersRunning--;
        });
        return outcome.rejected;
      } catch (error: unknown) {
        if (context.isStopping()) throw this.abandoned(batch, attempt, error);
        const retriability = retriabilityOf(error);
        if (retriability === 'deterministic' && ++deterministicFailures >= deterministicLimit) {
          const attempts = priorAttempts + deterministicFailures;
          const [only] = records;
          if (records.length === 1 && only)
            return [{ record: only, reason: `${describeError(error)} (after ${attempts} attempts)`, error, attempts }];
          this.logger.warn('batch fails deterministically; isolating the records that cause it', {
            topic: batch.topic,
            partition: batch.partition,
            firstOffset: records[0]?.offset,
            ...correlationOf(records[0]),
            records: records.length,
            error: describeError(error),
          });
          const middle = Math.ceil(records.length / 2);
          const first = await this.handleUntilDone(batch, records.slice(0, middle), handler, context, attempts);
          const second = await this.handleUntilDone(batch, records.slice(middle), handler, context, attempts);
          return [...first, ...second];
        }
        const delay = backoffDelay(attempt, this.options.backoff ?? DEFAULT_BACKOFF);
        this.metrics?.batchRetries.inc({ group: this.options.groupId });
        this.logger.warn('batch handler failed; retrying', {
          topic: batch.topic,
          partition: batch.partition,
          firstOffset: records[0]?.offset,
          ...correlationOf(records[0]),
          attempt,
          retriability,
          retryInMs: delay,
          error: describeError(error),
          stack: stackOf(error),
        });
        this.lastActivityAt = Date.now(); // retrying a dependency that is away is alive, not stuck
        await this.sleepWithHeartbeats(delay, batch, context);
      }
    }
  }

  private abandoned(batch: PartitionBatch, attempt: number, cause?: unknown): Error {
    this.logger.warn('abandoning batch on shutdown/rebalance; it will be redelivered', {
      topic: batch.topic,
      partition: batch.partition,
      firstOffset: batch.records[0]?.offset,
      attempt,
    });
    return new Error(`batch of ${batch.topic}[${batch.partition}] abandoned: partition revoked or consumer stopping`, {
      cause,
    });
  }

  private async deadLetter(batch: PartitionBatch, rejected: RejectedRecord[]): Promise<void> {
    const now = new Date();
    await this.deadLetterProducer.send(
      rejected.map((entry) => toDeadLetter(entry, this.options.deadLetterTopic, this.options.groupId, now)),
    );
    this.metrics?.recordsDeadLettered.inc({ topic: batch.topic }, rejected.length);
    for (const entry of rejected) {
      this.logger.warn('record sent to dead-letter topic', {
        topic: entry.record.topic,
        partition: entry.record.partition,
        offset: entry.record.offset,
        key: entry.record.key,
        ...correlationOf(entry.record),
        deadLetterTopic: this.options.deadLetterTopic,
        reason: entry.reason,
        attempts: entry.attempts,
      });
    }
  }

  /** Waits out a retry's backoff, heartbeating; ends early once the partition is revoked. */
  private async sleepWithHeartbeats(totalMs: number, batch: PartitionBatch, context: BatchContext): Promise<void> {
    const deadline = Date.now() + totalMs;
    while (Date.now() < deadline && !context.isStopping()) {
      await sleep(Math.min(1_000, deadline - Date.now()));
      // A refused heartbeat (rebalance, fencing) marks the batch revoked in the transport.
      await batch.heartbeat().catch(() => undefined);
    }
  }
}
