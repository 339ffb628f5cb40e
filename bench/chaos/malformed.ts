import { DEAD_LETTER_HEADERS, type KafkaClient } from '@dev-health/kafka';
import type { AvroSerde } from '@dev-health/registry';
import { type RawRecord, SchemaCatalog, Topology } from '@dev-health/schemas';

/** What makes a record malformed: bytes that are not Avro, a payload that is not JSON, an org_id that is not a slug. */
export const MALFORMED_KINDS = ['not-avro', 'payload-not-json', 'org-not-a-slug'] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

export interface MalformedRecord {
  key: string;
  kind: MalformedKind;
  value: Buffer;
}

export interface DeadLetterCheck {
  injected: number;
  /** Injected records found on the processor's dead-letter topic with a non-empty reason. */
  deadLettered: number;
  missing: string[];
}

/** A raw envelope the synthetic connector could have published, with `overrides`. */
function rawEnvelope(org: string, sourceId: string, overrides: Partial<RawRecord>): RawRecord {
  return {
    org_id: org,
    provider: 'synthetic',
    entity_kind: 'commit',
    source_id: sourceId,
    scope: 'chaos/malformed',
    fetched_at: Date.UTC(2026, 0, 5),
    request: null,
    cursor: null,
    sync_mode: 'incremental',
    backfill_job_id: null,
    payload: '{}',
    ...overrides,
  };
}

/**
 * `count` malformed raw records for the org's raw topic, kinds in turn, each keyed uniquely so its dead
 * letter can be found. Encoded now, so sending them later needs no registry (it may be down by then).
 */
export async function malformedRecords(
  serde: AvroSerde,
  topology: Topology,
  org: string,
  count: number,
): Promise<MalformedRecord[]> {
  const subject = Topology.subject(topology.raw('synthetic'));
  await serde.register(subject, SchemaCatalog.load().get('raw', 'raw-record').schema);
  const records: MalformedRecord[] = [];
  for (let index = 0; index < count; index++) {
    const kind = MALFORMED_KINDS[index % MALFORMED_KINDS.length] ?? 'not-avro';
    const key = `chaos-malformed/${org}/${index}`;
    records.push({ key, kind, value: await encodeMalformed(serde, subject, org, key, kind) });
  }
  return records;
}

async function encodeMalformed(
  serde: AvroSerde,
  subject: string,
  org: string,
  key: string,
  kind: MalformedKind,
): Promise<Buffer> {
  switch (kind) {
    case 'not-avro':
      return Buffer.from(JSON.stringify({ key, note: 'plain JSON where Avro is expected' }));
    case 'payload-not-json':
      return serde.encode(subject, rawEnvelope(org, key, { payload: '{"sha": "truncated' }));
    case 'org-not-a-slug':
      return serde.encode(subject, rawEnvelope(`Not A Slug ${org}`, key, { payload: '{}' }));
  }
}

/** Sends the records one by one, spread evenly over `spreadMs`; resolves when the last was acknowledged. */
export async function sendSpread(
  kafka: KafkaClient,
  topic: string,
  records: readonly MalformedRecord[],
  spreadMs: number,
  onSent: () => void,
): Promise<void> {
  const producer = kafka.createProducer();
  const gap = records.length > 0 ? spreadMs / records.length : 0;
  try {
    for (const record of records) {
      await new Promise((resolve) => setTimeout(resolve, gap));
      await producer.send([{ topic, key: record.key, value: record.value }]);
      onSent();
    }
  } finally {
    await producer.disconnect();
  }
}

/** Which injected records the processor's dead-letter topic holds, each with a reason header. */
export async function checkDeadLetters(
  kafka: KafkaClient,
  topology: Topology,
  injected: readonly MalformedRecord[],
): Promise<DeadLetterCheck> {
  const reasons = new Map<string, string>();
  await kafka.readToEnd(topology.deadLetter('processor'), (record) => {
    const reason = record.headers[DEAD_LETTER_HEADERS.reason] ?? '';
    if (record.key && reason.trim() !== '') reasons.set(record.key, reason);
  });
  const missing = injected.filter((record) => !reasons.has(record.key)).map((record) => record.key);
  return { injected: injected.length, deadLettered: injected.length - missing.length, missing };
}
