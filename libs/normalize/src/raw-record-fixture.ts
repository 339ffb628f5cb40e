import type { Provenance, RawRecord } from '@dev-health/schemas';

/** Provenance of a record read at offset 3 of partition 0 (what normalizer tests stamp). */
export const FIXTURE_PROVENANCE: Provenance = {
  raw_topic: 'dho.raw.test',
  raw_partition: 0,
  raw_offset: 3,
  reprocessing_generation: 0,
  raw_source_id: 'x',
  fetched_at: 0,
};

/** A raw record around `payload`, as a connector publishes it: for normalizer tests. */
export function rawRecordFixture(
  provider: string,
  entityKind: string,
  payload: unknown,
  overrides: Partial<Omit<RawRecord, 'payload'>> = {},
): RawRecord {
  return {
    org_id: 'acme',
    provider,
    entity_kind: entityKind,
    source_id: 'x',
    scope: 'acme-inc/api',
    fetched_at: 0,
    request: null,
    cursor: null,
    sync_mode: 'incremental',
    backfill_job_id: null,
    ...overrides,
    payload: JSON.stringify(payload),
  };
}
