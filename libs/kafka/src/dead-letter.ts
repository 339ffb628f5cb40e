import type { IncomingRecord, OutgoingRecord, RejectedRecord } from './records';

/** Headers a dead-lettered record carries, so it can be inspected and replayed to its source. */
export const DEAD_LETTER_HEADERS = {
  reason: 'dlq.reason',
  sourceTopic: 'dlq.source.topic',
  sourcePartition: 'dlq.source.partition',
  sourceOffset: 'dlq.source.offset',
  consumerGroup: 'dlq.consumer.group',
  failedAt: 'dlq.failed.at',
} as const;

const MAX_REASON_LENGTH = 2_000;

export function toDeadLetter(
  rejected: RejectedRecord,
  deadLetterTopic: string,
  consumerGroup: string,
  now: Date,
): OutgoingRecord {
  const { record, reason } = rejected;
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
