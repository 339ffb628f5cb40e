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
