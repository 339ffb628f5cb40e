import {
  Admin,
  type Consumer,
  Producer,
  type ConsumerOptions,
  type Message,
  type MessagesStream,
} from '@platformatic/kafka';
import type { Logger, PipelineMetrics } from '@dev-health/observability';
import type { KafkaSecurity } from '@dev-health/config';
import { platformaticSecurity } from './connection-security';
import { ConsumerRestarts, markRetriability } from './errors';
import { javaPartitionHash } from './partitioner';
import { RejoinAwareConsumer } from './platformatic-rejoin';
import type { IncomingRecord, OutgoingRecord } from './records';
import type { BatchSource, BatchSourceOptions, PartitionBatch, ProducerTransport } from './transport';

type BufferMessage = Message<Buffer, Buffer, Buffer, Buffer>;
type BufferConsumer = Consumer<Buffer, Buffer, Buffer, Buffer>;

export interface PlatformaticSettings {
  brokers: string[];
  clientId: string;
  security?: KafkaSecurity;
}

/** The first error with `code` in an error's chain (`errors` of MultipleErrors, `cause`). */
function findByCode(error: unknown, code: string, depth = 0): Error | undefined {
  if (!(error instanceof Error) || depth > 8) return undefined;
  if ((error as { code?: unknown }).code === code) return error;
  for (const inner of (error as { errors?: unknown[] }).errors ?? []) {
    const found = findByCode(inner, code, depth + 1);
    if (found) return found;
  }
  return findByCode(error.cause, code, depth + 1);
}

/**
 * With SASL, asks the cluster for its metadata once before producing or consuming. The client reports
 * refused credentials as a connection failure it retries forever; this turns them into an error that
 * names the setting to fix, so a wrong password fails the start instead of hanging it.
 */
async function verifyCredentials(settings: PlatformaticSettings): Promise<void> {
  const sasl = settings.security?.sasl;
  if (!sasl) return;
  const admin = new Admin({
    clientId: `${settings.clientId}-credentials`,
    bootstrapBrokers: settings.brokers,
    ...platformaticSecurity(settings.security),
    retries: 2,
    retryDelay: 200,
  });
  try {
    await admin.metadata({ topics: [] });
  } catch (error: unknown) {
    if (!findByCode(error, 'PLT_KFK_AUTHENTICATION')) throw error;
    const who =
      sasl.mechanism === 'oauthbearer' ? 'the token in KAFKA_SASL_OAUTHBEARER_TOKEN_FILE' : `user "${sasl.username}"`;
    const settingsToCheck =
      sasl.mechanism === 'oauthbearer'
        ? 'KAFKA_SASL_OAUTHBEARER_TOKEN_FILE'
        : 'KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD';
    throw markRetriability(
      new Error(`Kafka refused SASL ${sasl.mechanism} authentication of ${who}: check ${settingsToCheck}`, {
        cause: error,
      }),
      'deterministic',
    );
  } finally {
    await admin.close().catch(() => undefined);
  }
}

/** Retry delays of the client's own connection and request retries: 200 ms doubling to 10 s. */
const retryDelay = (_client: unknown, _operation: string, attempt: number): number =>
  Math.min(10_000, 200 * 2 ** Math.min(attempt, 6));

function toIncoming(message: BufferMessage): IncomingRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of message.headers) headers[name.toString()] = value.toString();
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset.toString(),
    key: message.key && message.key.length > 0 ? message.key.toString() : null,
    value: message.value ?? null,
    headers,
    timestamp: message.timestamp.toString(),
  };
}

export class PlatformaticProducerTransport implements ProducerTransport {
  private readonly producer: Producer<Buffer, Buffer, Buffer, Buffer>;

  constructor(private readonly settings: PlatformaticSettings) {
    this.producer = new Producer({
      clientId: settings.clientId,
      bootstrapBrokers: settings.brokers,
      ...platformaticSecurity(settings.security),
      idempotent: true,
      acks: -1,
      // The Java client's partitions (kafkajs's too), so switching clients never moves a key.
      partitioner: (_message, key) => (key ? javaPartitionHash(key) : 0),
      // As kafkajs's idempotent producer: keep retrying; an outage blocks the send and the commit after it.
      retries: true,
      retryDelay,
    });
  }

  connect(): Promise<void> {
    return verifyCredentials(this.settings);
  }

  async send(byTopic: Map<string, OutgoingRecord[]>): Promise<void> {
    const messages = [];
    for (const [topic, records] of byTopic)
      for (const record of records)
        messages.push({
          topic,
          key: Buffer.from(record.key),
          value: record.value,
          headers: new Map(
            Object.entries(record.headers ?? {}).map(([name, value]) => [Buffer.from(name), Buffer.from(value)]),
          ),
        });
    await this.producer.send({ messages });
  }

  async disconnect(): Promise<void> {
    await this.producer.close();
  }
}

/**
 * Commits offsets for a group no member is in (OffsetCommit with generation -1, as the Java admin's
 * alterConsumerGroupOffsets). kafkajs's setOffsets joins the group with a throwaway member instead,
 * which lingers until its session expires and holds up the real members' join.
 */
export async function commitOffsetsOfEmptyGroup(
  settings: PlatformaticSettings,
  groupId: string,
  positions: { topic: string; partition: number; offset: string }[],
): Promise<void> {
  const admin = new Admin({
    clientId: settings.clientId,
    bootstrapBrokers: settings.brokers,
    ...platformaticSecurity(settings.security),
    retries: 5,
    retryDelay,
  });
  try {
    const topics = [...new Set(positions.map((position) => position.topic))].map((name) => ({
      name,
      partitionOffsets: positions
        .filter((position) => position.topic === name)
        .map(({ partition, offset }) => ({ partition, offset: BigInt(offset) })),
    }));
    await admin.alterConsumerGroupOffsets({ groupId, topics });
  } finally {
    await admin.close();
  }
}

interface PartitionQueue {
  topic: string;
  partition: number;
  messages: BufferMessage[];
  bytes: number;
  /** The next offset to accept: a refetch after a rejoin repeats what is already queued or handled. */
  next: bigint | null;
  /** Which assignment the queue belongs to; a partition revoked and given back starts a new one. */
  assignment: number;
}

/** Bytes queued across partitions before the stream is paused: a bound on what a member holds. */
const QUEUED_BYTES_PER_PARTITION_SLOT = 2;

/**
 * @platformatic/kafka's consumer streams messages; this turns the stream into per-partition batches
 * in offset order, one batch per partition at a time, `partitionsConcurrently` partitions at once.
 * Heartbeats run on the client's own timer, so a long handler keeps its membership without help.
 * A rejoin refetches from the committed offsets: offsets below a queue's `next` are dropped, so a
 * partition's records reach the handler once and in order. A revoked partition's queue is dropped and
 * its batch in hand sees `isRevoked()`. Before the member rejoins (a rebalance, fencing), every batch
 * in hand is revoked and the join waits until they have ended and committed: a partition's next owner
 * never writes while this member still does. A failed stream (the broker fenced the member, say) is
 * replaced by a fresh consumer after a backoff instead of leaving the service up but idle.
 */
export class PlatformaticBatchSource implements BatchSource {
  private consumer: BufferConsumer | null = null;
  private stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | null = null;
  private readonly queues = new Map<string, PartitionQueue>();
  private assignments = 0;
  private readonly assignedAt = new Map<string, number>();
  private queuedBytes = 0;
  /** Partitions with a batch at the handler: at most one batch per partition, across reassignments too. */
  private readonly busy = new Set<string>();
  /** Partitions whose batch in hand may still write: handed out, not yet at its commit. */
  private readonly writing = new Set<string>();
  /** The member is about to rejoin: batches in hand are revoked and no new one starts until it has. */
  private rebalancing = false;
  private stopping = false;
  private restarting = false;
  private dispatchScheduled = false;
  private readonly restarts: ConsumerRestarts;
  private onBatch: ((batch: PartitionBatch) => Promise<void>) | null = null;

  constructor(
    private readonly settings: PlatformaticSettings,
    private readonly options: BatchSourceOptions,
    private readonly logger: Logger,
    private readonly metrics?: PipelineMetrics,
    /** The client's consumer; a unit test passes a scripted one. */
    private readonly createConsumer: (options: ConsumerOptions<Buffer, Buffer, Buffer, Buffer>) => BufferConsumer = (
      consumerOptions,
    ) => new RejoinAwareConsumer(consumerOptions),
  ) {
    this.restarts = new ConsumerRestarts(logger, options.groupId);
  }

  async start(onBatch: (batch: PartitionBatch) => Promise<void>): Promise<void> {
    this.onBatch = onBatch;
    await verifyCredentials(this.settings);
    await this.open();
  }

  private async open(): Promise<void> {
    const consumer = this.createConsumer({
      clientId: this.settings.clientId,
      bootstrapBrokers: this.settings.brokers,
      ...platformaticSecurity(this.settings.security),
      groupId: this.options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs,
      rebalanceTimeout: this.options.rebalanceTimeoutMs,
      heartbeatInterval: this.options.heartbeatIntervalMs,
      maxBytesPerPartition: this.options.maxBytesPerPartition,
      maxBytes: this.options.maxBytesPerPartition * Math.max(4, this.options.partitionsConcurrently * 2),
      maxWaitTime: 200,
      autocommit: false,
      retries: 10,
      retryDelay,
    });
    this.consumer = consumer;
    this.rebalancing = false;
    if (consumer instanceof RejoinAwareConsumer) consumer.beforeRejoin = () => this.endBatchesInHand(consumer);
    consumer.on('consumer:group:join', (payload: { assignments?: { topic: string; partitions: number[] }[] }) => {
      this.rebalancing = false;
      this.assign(payload.assignments ?? []);
      this.scheduleDispatch();
    });
    consumer.on('consumer:lag', (lag: Map<string, bigint[]>) => {
      for (const [topic, partitions] of lag)
        partitions.forEach((value, partition) => {
          if (value >= 0n)
            this.metrics?.consumerLag.set(
              { group: this.options.groupId, topic, partition: String(partition) },
              Number(value),
            );
        });
    });
    const stream = await consumer.consume({
      topics: this.options.topics,
      mode: 'committed',
      fallbackMode: this.options.fromBeginning ? 'earliest' : 'latest',
      autocommit: false,
    });
    this.stream = stream;
    consumer.startLagMonitoring({ topics: this.options.topics }, 5_000);
    stream.on('data', (message: BufferMessage) => this.enqueue(message));
    stream.on('error', (error: unknown) => void this.restart(error));
  }

  /**
   * Runs before the member rejoins: revokes the batches in hand and waits (heartbeating, so the
   * coordinator keeps the member) until each has ended, within the rebalance timeout.
   */
  private async endBatchesInHand(consumer: RejoinAwareConsumer): Promise<void> {
    this.rebalancing = true;
    if (this.writing.size === 0) return;
    const started = Date.now();
    const deadline = started + Math.max(1_000, this.options.rebalanceTimeoutMs - 5_000);
    let lastHeartbeat = started;
    while (this.writing.size > 0 && Date.now() < deadline) {
      if (Date.now() - lastHeartbeat >= this.options.heartbeatIntervalMs) {
        lastHeartbeat = Date.now();
        await consumer.heartbeatNow();
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const fields = { group: this.options.groupId, waitedMs: Date.now() - started, stillWriting: [...this.writing] };
    if (this.writing.size > 0)
      this.logger.warn('rejoining with batches still in hand past the rebalance bound', fields);
    else this.logger.info('batches in hand ended; rejoining the group', fields);
  }

  /** A (re)join: queues of partitions no longer ours go; newly given partitions start a new assignment. */
  private assign(assignments: { topic: string; partitions: number[] }[]): void {
    this.assignments++;
    if (assignments.length > 0) this.restarts.reset();
    const assigned = new Set(
      assignments.flatMap(({ topic, partitions }) => partitions.map((partition) => `${topic}:${partition}`)),
    );
    for (const key of [...this.assignedAt.keys()]) {
      if (assigned.has(key)) continue;
      this.assignedAt.delete(key);
      // Another member reports this partition's lag now; a stale value here would never fall.
      const [topic, partition] = [key.slice(0, key.lastIndexOf(':')), key.slice(key.lastIndexOf(':') + 1)];
      this.metrics?.consumerLag.remove({ group: this.options.groupId, topic, partition });
    }
    for (const key of assigned) if (!this.assignedAt.has(key)) this.assignedAt.set(key, this.assignments);
    for (const [key, queue] of this.queues) {
      if (this.assignedAt.get(key) === queue.assignment) continue;
      this.queuedBytes -= queue.bytes;
      this.queues.delete(key);
    }
    this.resumeIfRoom();
  }

  private enqueue(message: BufferMessage): void {
    const key = `${message.topic}:${message.partition}`;
    const assignment = this.assignedAt.get(key);
    if (assignment === undefined || this.stopping) return;
    let queue = this.queues.get(key);
    if (!queue || queue.assignment !== assignment) {
      queue = {
        topic: message.topic,
        partition: message.partition,
        messages: [],
        bytes: 0,
        next: null,
        assignment,
      };
      this.queues.set(key, queue);
    }
    if (queue.next !== null && message.offset < queue.next) return;
    queue.next = message.offset + 1n;
    queue.messages.push(message);
    const bytes = (message.value?.length ?? 0) + (message.key?.length ?? 0);
    queue.bytes += bytes;
    this.queuedBytes += bytes;
    if (this.queuedBytes > this.queueLimit()) this.stream?.pause();
    this.scheduleDispatch();
  }

  /**
   * A fetch response's records arrive one 'data' event each, in one turn of the event loop: batches
   * start after it, so a batch holds the whole response instead of its first record.
   */
  private scheduleDispatch(): void {
    if (this.dispatchScheduled) return;
    this.dispatchScheduled = true;
    setImmediate(() => {
      this.dispatchScheduled = false;
      this.dispatch();
    });
  }

  private queueLimit(): number {
    return this.options.maxBytesPerPartition * this.options.partitionsConcurrently * QUEUED_BYTES_PER_PARTITION_SLOT;
  }

  private resumeIfRoom(): void {
    if (this.stream?.isPaused() && this.queuedBytes <= this.queueLimit() / 2 && !this.stopping) this.stream.resume();
  }

  /** Starts batches for idle partitions with records, oldest-queued partition first. */
  private dispatch(): void {
    for (const [key, queue] of this.queues) {
      if (this.busy.size >= this.options.partitionsConcurrently || this.stopping || this.rebalancing) return;
      if (this.busy.has(key) || queue.messages.length === 0) continue;
      // To the back of the line, so partitions take turns.
      this.queues.delete(key);
      this.queues.set(key, queue);
      void this.handle(key, queue);
    }
  }

  private async handle(key: string, queue: PartitionQueue): Promise<void> {
    this.busy.add(key);
    this.writing.add(key);
    let taken = 0;
    let bytes = 0;
    while (taken < queue.messages.length && (taken === 0 || bytes < this.options.maxBytesPerPartition)) {
      const message = queue.messages[taken++] as BufferMessage;
      bytes += (message.value?.length ?? 0) + (message.key?.length ?? 0);
    }
    const messages = queue.messages.splice(0, taken);
    queue.bytes -= bytes;
    this.queuedBytes -= bytes;
    this.resumeIfRoom();
    const assignment = queue.assignment;
    const last = messages.at(-1) as BufferMessage;
    try {
      await this.onBatch?.({
        topic: queue.topic,
        partition: queue.partition,
        records: messages.map(toIncoming),
        isRevoked: () => this.stopping || this.rebalancing || this.assignedAt.get(key) !== assignment,
        heartbeat: () => Promise.resolve(),
        commit: async (offset) => {
          // The batch's writes are durable: a held rejoin may go on while the commit is in flight.
          this.writing.delete(key);
          // The partition moved to another member: it reads this batch again rather than this member
          // committing over that member's progress.
          if (this.assignedAt.get(key) !== assignment) return;
          const consumer = this.consumer;
          try {
            await consumer?.commit({
              offsets: [
                {
                  topic: queue.topic,
                  partition: queue.partition,
                  offset: BigInt(offset),
                  leaderEpoch: last.leaderEpoch,
                },
              ],
            });
          } catch (error: unknown) {
            // The client retried and rejoins by itself on the errors it knows mean "rejoin". What is
            // left is a member it cannot recover: after a broker restart it forgets its member id on
            // UNKNOWN_MEMBER_ID and then sends commits the broker cannot parse, forever, outside the
            // group while it goes on fetching. A new consumer is what recovers it.
            if (consumer === this.consumer) void this.restart(error);
            throw error;
          }
        },
      });
    } catch (error: unknown) {
      // Not committed: a later batch's commit covers it, or the next owner reads it again.
      this.logger.debug('batch ended uncommitted', { topic: queue.topic, partition: queue.partition, error });
      // Abandoned for a rejoin and the partition is still ours: its records go back to the front of the
      // queue (the refetch after the rejoin does not repeat offsets already queued, and with no commit
      // yet it does not go back at all), or the batches queued behind them would commit past them.
      if (this.rebalancing && this.assignedAt.get(key) === assignment) this.requeue(queue, messages, bytes);
    } finally {
      this.writing.delete(key);
      this.busy.delete(key);
      this.resumeIfRoom();
      this.dispatch();
    }
  }

  private requeue(queue: PartitionQueue, messages: BufferMessage[], bytes: number): void {
    queue.messages.unshift(...messages);
    queue.bytes += bytes;
    this.queuedBytes += bytes;
  }

  /** The stream failed (fenced, coordinator gone for longer than the retries): a fresh consumer. */
  private async restart(error: unknown): Promise<void> {
    // A failed stream and failed commits may all report one broken member: it is replaced once.
    if (this.stopping || this.restarting) return;
    this.restarting = true;
    try {
      for (let cause = error; ;) {
        await this.close();
        this.assignedAt.clear();
        this.assign([]);
        await this.restarts.wait(cause);
        // Batches in hand finish (uncommitted ones are read again) before the new member joins.
        while (this.busy.size > 0) await new Promise((resolve) => setTimeout(resolve, 50));
        if (this.stopping) return;
        try {
          await this.open();
          return;
        } catch (next: unknown) {
          cause = next;
        }
      }
    } finally {
      this.restarting = false;
    }
  }

  private async close(): Promise<void> {
    const stream = this.stream;
    const consumer = this.consumer;
    this.stream = null;
    this.consumer = null;
    await stream?.close().catch(() => undefined);
    await consumer?.close(true).catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    while (this.busy.size > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await this.close();
  }
}
