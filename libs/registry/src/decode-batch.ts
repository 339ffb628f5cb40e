import type { DecodedRecord, IncomingRecord, RejectedRecord } from '@dev-health/kafka';
import { type AvroSerde, UndecodableRecordError } from './avro-serde';

export interface DecodedBatch<T> {
  decoded: DecodedRecord<T>[];
  rejected: RejectedRecord[];
}

/**
 * Decodes a batch; undecodable records are rejected (to the DLQ), a registry outage is thrown (retried).
 * Topics given a reader schema (AvroSerde.readAs) come back in that shape whatever version wrote them.
 */
export async function decodeBatch<T>(serde: AvroSerde, records: IncomingRecord[]): Promise<DecodedBatch<T>> {
  const decoded: DecodedRecord<T>[] = [];
  const rejected: RejectedRecord[] = [];
  for (const record of records) {
    try {
      decoded.push({ ...record, decoded: await serde.decode<T>(record.value, record.topic) });
    } catch (error: unknown) {
      if (!(error instanceof UndecodableRecordError)) throw error;
      rejected.push({ record, reason: error.message });
    }
  }
  return { decoded, rejected };
}
