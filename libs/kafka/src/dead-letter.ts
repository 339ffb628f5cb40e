import { stackOf } from './errors';
import type { IncomingRecord, OutgoingRecord, RejectedRecord } from './records';

/** Headers a dead-lettered record carries, so it can be inspected and replayed to its source. */
export const DEAD_LETTER_HEADERS = {
  reason: 'dlq.reason',
  sourceTopic: 'dlq.source.topic',
  sourcePartition: 'dlq.source.partition',
  sourceOffset: 'dlq.source.offset',
  consumerGroup: 'dlq.consumer.group',
  failedAt: 'dlq.failed.at',
  errorStack: 'dlq.error.stack',
  attempts: 'dlq.attempts',
} as const;

const MAX_REASON_LENGTH = 2_000;

export function toDeadLetter(
  rejected: RejectedRecord,
  deadLetterTopic: string,
  consumerGroup: string,
  now: Date,
): OutgoingRecord {
  const { record, reason, error, attempts } = rejected;
  return {
    topic: deadLetterTopic,
    key: record.key ?? `${record.topic}/${record.partition}/${record.offset}`,
    value: record.value ?? Buffer.alloc(0),
    headers: {
      ...record.headers,
      [DEAD_LETTER_HEADERS.reason]: reason.slice(0, MAX_REASON_LENGTH),
      [DEAD_LETTER_HEADERS.sourceTopic]: record.topic,
      [DEAD_LETTER_HEADERS.sourcePartition]: String(record.partition),
      [DEAD_LETTER_HEADERS.sourceOffset]: record.offset,
      [DEAD_LETTER_HEADERS.consumerGroup]: consumerGroup,
      [DEAD_LETTER_HEADERS.failedAt]: now.toISOString(),
      ...(error === undefined ? {} : { [DEAD_LETTER_HEADERS.errorStack]: stackOf(error) }),
      ...(attempts === undefined ? {} : { [DEAD_LETTER_HEADERS.attempts]: String(attempts) }),
    },
  };
}

/** Where a redriven record came from: `<dead-letter topic>/<partition>/<offset>`. */
export const REDRIVEN_FROM_HEADER = 'dho.redriven-from';

/** A record's place in a topic. Offsets stay strings: they are 64-bit. */
export interface RecordCoordinates {
  topic: string;
  partition: number;
  offset: string;
}

/** What a dead letter says about itself; null where a header is missing (not written by toDeadLetter). */
export interface DeadLetterDetails {
  reason: string | null;
  source: RecordCoordinates | null;
  consumerGroup: string | null;
  failedAt: string | null;
}

export function readDeadLetter(record: Pick<IncomingRecord, 'headers'>): DeadLetterDetails {
  const header = (name: string) => record.headers[name] ?? null;
  const topic = header(DEAD_LETTER_HEADERS.sourceTopic);
  const partition = header(DEAD_LETTER_HEADERS.sourcePartition);
  const offset = header(DEAD_LETTER_HEADERS.sourceOffset);
  const coordinatesValid =
    topic !== null && partition !== null && /^\d+$/.test(partition) && /^\d+$/.test(offset ?? '');
  return {
    reason: header(DEAD_LETTER_HEADERS.reason),
    source: coordinatesValid ? { topic, partition: Number(partition), offset: offset as string } : null,
    consumerGroup: header(DEAD_LETTER_HEADERS.consumerGroup),
    failedAt: header(DEAD_LETTER_HEADERS.failedAt),
  };
}

const DEAD_LETTER_HEADER_NAMES: ReadonlySet<string> = new Set(Object.values(DEAD_LETTER_HEADERS));

/**
 * The record a redrive publishes: the original key, value and headers, back on the source topic, with
 * the dead-letter headers dropped and where it was redriven from added (replacing an earlier redrive's).
 */
export function redriveRecord(deadLetter: IncomingRecord): OutgoingRecord {
  const { source } = readDeadLetter(deadLetter);
  if (!source)
    throw new Error(
      `${deadLetter.topic}/${deadLetter.partition}/${deadLetter.offset} has no dead-letter source headers`,
    );
  const headers = Object.fromEntries(
    Object.entries(deadLetter.headers).filter(([name]) => !DEAD_LETTER_HEADER_NAMES.has(name)),
  );
  return {
    topic: source.topic,
    // toDeadLetter gave a keyless record its coordinates as key; it is kept (a key never hurts ordering).
    key: deadLetter.key ?? `${source.topic}/${source.partition}/${source.offset}`,
    value: deadLetter.value ?? Buffer.alloc(0),
    headers: {
      ...headers,
      [REDRIVEN_FROM_HEADER]: `${deadLetter.topic}/${deadLetter.partition}/${deadLetter.offset}`,
    },
  };
}

/** Offset to commit after `records` of one partition: one past the highest. */
export function nextOffset(records: Pick<IncomingRecord, 'offset'>[]): string | undefined {
  let highest: bigint | undefined;
  for (const record of records) {
    const offset = BigInt(record.offset);
    if (highest === undefined || offset > highest) highest = offset;
  }
  return highest === undefined ? undefined : (highest + 1n).toString();
}
