import type { IncomingRecord, OutgoingRecord } from './records';

// Producing and consuming go through the client chosen by KAFKA_CLIENT (libs/config's KAFKA_CLIENTS);
// admin work (topics, offsets, groups) always through kafkajs: it is rare and off the hot path.

/** One client library's producer: idempotent, acks from every in-sync replica, same partitions for a key. */
export interface ProducerTransport {
  connect(): Promise<void>;
  /** Sends one request-sized chunk and resolves once every in-sync replica acknowledged it. */
  send(byTopic: Map<string, OutgoingRecord[]>): Promise<void>;
  disconnect(): Promise<void>;
}

/** A batch of one partition's records, handed out in offset order, one batch per partition at a time. */
export interface PartitionBatch {
  topic: string;
  partition: number;
  records: IncomingRecord[];
  /** The partition was taken from this member (a rebalance) or the consumer stops: write nothing more. */
  isRevoked(): boolean;
  heartbeat(): Promise<void>;
  /** Commits `offset` (the next one to read), once the batch's effects are durable. */
  commit(offset: string): Promise<void>;
}

export interface BatchSourceOptions {
  groupId: string;
  topics: string[];
  fromBeginning: boolean;
  maxBytesPerPartition: number;
  partitionsConcurrently: number;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  heartbeatIntervalMs: number;
}

/** One client library's group consumer, reduced to "hand me each partition's next batch". */
export interface BatchSource {
  /** Joins the group; resolves once consuming has begun. `onBatch` rejecting means "not committed". */
  start(onBatch: (batch: PartitionBatch) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}
