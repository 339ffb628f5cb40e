import type { RawRecord } from '@dev-health/schemas';
import type { SyncContext } from './sync-job';

/** A raw record of the run's org and mode, as every API connector publishes it: the payload as fetched. */
export function runRawRecord(
  context: Pick<SyncContext, 'integration' | 'run'>,
  record: {
    provider: string;
    scope: string;
    entityKind: string;
    sourceId: string;
    payload: unknown;
    fetchedAt: number;
    request: string;
    cursor: string | null;
  },
): RawRecord {
  return {
    org_id: context.integration.org_id,
    provider: record.provider,
    entity_kind: record.entityKind,
    source_id: record.sourceId,
    scope: record.scope,
    fetched_at: record.fetchedAt,
    request: record.request,
    cursor: record.cursor,
    sync_mode: context.run.mode === 'backfill' ? 'backfill' : 'incremental',
    backfill_job_id: null,
    payload: JSON.stringify(record.payload),
  };
}
