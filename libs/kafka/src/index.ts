export { KafkaClient, RecordProducer, BatchConsumer, chunkBySize } from './kafka-client';
export type { KafkaClientSettings, TopicSpec, BatchConsumerOptions, BatchHandler, BatchContext } from './kafka-client';
export type { OutgoingRecord, IncomingRecord, DecodedRecord, RejectedRecord, BatchOutcome } from './records';
export { PoisonRecordError, backoffDelay, describeError, DEFAULT_BACKOFF } from './errors';
export type { BackoffPolicy } from './errors';
export { DEAD_LETTER_HEADERS, nextOffset, toDeadLetter } from './dead-letter';
