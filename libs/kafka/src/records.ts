/** Records as the rest of the code sees them: no kafkajs types leak past this adapter. */
export interface OutgoingRecord {
  topic: string;
  /** The entity's natural key, so all versions of one entity land in one partition, in order. */
  key: string;
  value: Buffer;
  headers?: Record<string, string>;
}

export interface IncomingRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  timestamp: string;
}

export interface DecodedRecord<T> extends IncomingRecord {
  decoded: T;
}

export interface RejectedRecord {
  record: IncomingRecord;
  reason: string;
  /** What was thrown, when something was: its stack goes into the dead letter's headers. */
  error?: unknown;
  /** Times the handler was tried on it before it was given up. */
  attempts?: number;
}

/** What a batch handler reports: records it could not process because of the records themselves. */
export interface BatchOutcome {
  rejected: RejectedRecord[];
}

/**
 * Headers that say where a record came from, carried from stage to stage: the sync run that fetched it
 * (set by the connector) and the raw record it was derived from (set by the processor). Logs and dead
 * letters name them, so one failure can be followed back to its fetch.
 */
export const CORRELATION_HEADERS = {
  syncRun: 'dho.sync-run-id',
  rawRecord: 'dho.raw-offset',
} as const;

/** A record's correlation ids, for a log line. */
export function correlationOf(record: Pick<IncomingRecord, 'topic' | 'partition' | 'offset' | 'headers'> | undefined) {
  if (!record) return {};
  return {
    syncRunId: record.headers[CORRELATION_HEADERS.syncRun],
    rawRecord: record.headers[CORRELATION_HEADERS.rawRecord] ?? `${record.topic}/${record.partition}/${record.offset}`,
  };
}
