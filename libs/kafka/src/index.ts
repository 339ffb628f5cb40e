export { KafkaClient, RecordProducer, BatchConsumer, chunkRecordsBySize, kafkaSettings } from './kafka-client';
export type {
  KafkaClientSettings,
  PartitionOffsets,
  TopicOffsets,
  TopicSpec,
  BatchConsumerOptions,
  BatchHandler,
  BatchContext,
} from './kafka-client';
export type { OutgoingRecord, IncomingRecord, DecodedRecord, RejectedRecord, BatchOutcome } from './records';
export { CORRELATION_HEADERS, correlationOf } from './records';
export {
  PoisonRecordError,
  backoffDelay,
  describeError,
  DEFAULT_BACKOFF,
  isNetworkError,
  markRetriability,
  retriabilityOf,
  stackOf,
} from './errors';
export type { BackoffPolicy, Retriability } from './errors';
export {
  DEAD_LETTER_HEADERS,
  REDRIVEN_FROM_HEADER,
  nextOffset,
  readDeadLetter,
  redriveRecord,
  toDeadLetter,
} from './dead-letter';
export type { DeadLetterDetails, RecordCoordinates } from './dead-letter';
