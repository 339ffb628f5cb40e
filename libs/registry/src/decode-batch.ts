import type { DecodedRecord, IncomingRecord, RejectedRecord } from '@dev-health/kafka';
import { type AvroSerde, UndecodableRecordError } from './avro-serde';

export interface DecodedBatch<T> {
  decoded: DecodedRecord<T>[];
  rejected: RejectedRecord[];
}

/** Decodes a batch; undecodable records are rejected (to the DLQ), a registry outage is thrown (retried). */
export async function decodeBatch<T>(serde: AvroSerde, records: IncomingRecord[]): Promise<DecodedBatch<T>> {
  const decoded: DecodedRecord<T>[] = [];
  const rejected: RejectedRecord[] = [];
  for (const record of records) {
    try {
      decoded.push({ ...record, decoded: await serde.decode<T>(record.value) });
    } catch (error: unknown) {
      if (!(error instanceof UndecodableRecordError)) throw error;
      rejected.push({ record, reason: error.message });
    }
  }
  return { decoded, rejected };
}
