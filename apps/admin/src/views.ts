import {
  BACKFILL_DAYS_BY_TIER,
  type FieldProblem,
  type Integration,
  type Organization,
  SYNC_MODES,
  type SyncMode,
  ValidationError,
  type ReplayRequest,
  parseCredentialRef,
  isCredentialRef,
} from '@dev-health/control-plane';
import { REPLAY_STAGES, isReplayStage } from '@dev-health/runtime';

/**
 * An integration as the API shows it. Credentials are write-only: the response says whether one is
 * configured and of which kind (env or file), never which variable or file, and never a secret.
 */
export function integrationView(integration: Integration) {
  const { credential_ref: ref, ...rest } = integration;
  const parsed = ref === null ? null : parseCredentialRef(ref);
  return { ...rest, credential: parsed !== null && isCredentialRef(parsed) ? { kind: parsed.kind } : null };
}

const DAY_MS = 86_400_000;

/**
 * A sync request's mode and window. A backfill needs a window [start, end) of ISO instants or days,
 * no deeper than the org's tier allows; an incremental sync takes none.
 */
export function syncRequest(
  body: unknown,
  organization: Organization,
  now: number,
): { mode: SyncMode; window: { start: Date; end: Date } | null } {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  const mode = (fields.mode ?? 'incremental') as SyncMode;
  if (!SYNC_MODES.includes(mode)) problems.push({ field: 'mode', message: `must be one of ${SYNC_MODES.join(', ')}` });
  const window = fields.window as { start?: unknown; end?: unknown } | undefined;
  if (mode !== 'backfill') {
    if (window !== undefined) problems.push({ field: 'window', message: 'is for backfills only' });
    if (problems.length > 0) throw new ValidationError(problems);
    return { mode, window: null };
  }
  const instant = (field: 'start' | 'end') => {
    const value = window?.[field];
    const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(ms)) problems.push({ field: `window.${field}`, message: 'must be an ISO 8601 date or instant' });
    return ms;
  };
  const start = instant('start');
  const end = instant('end');
  if (!Number.isNaN(start) && !Number.isNaN(end) && start >= end)
    problems.push({ field: 'window.end', message: 'must be after window.start' });
  problems.push(...tierProblems('window.start', start, organization, now));
  if (problems.length > 0) throw new ValidationError(problems);
  return { mode, window: { start: new Date(start), end: new Date(end) } };
}

/** A backfill start deeper than the org's tier allows: the tier, its limit and the earliest allowed instant. */
export function tierProblems(field: string, start: number, organization: Organization, now: number): FieldProblem[] {
  const maxDays = BACKFILL_DAYS_BY_TIER[organization.tier];
  if (maxDays === null || Number.isNaN(start) || start >= now - maxDays * DAY_MS) return [];
  return [
    {
      field,
      message: `reaches ${Math.floor((now - start) / DAY_MS)} days back; the ${organization.tier} tier allows ${maxDays} days, so the earliest allowed is ${new Date(now - maxDays * DAY_MS).toISOString()}`,
    },
  ];
}

/** A backfill job request: the integration, and [since, before) within the org's tier. */
export function backfillRequest(
  body: unknown,
  organization: Organization,
  now: number,
): { integrationId: string; since: Date; before: Date } {
  const fields = bodyOf(body);
  const problems: FieldProblem[] = [];
  const integrationId = typeof fields.integration === 'string' ? fields.integration : '';
  if (integrationId === '') problems.push({ field: 'integration', message: 'must be an integration id' });
  const instant = (field: 'since' | 'before') => {
    const value = fields[field];
    const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(ms)) problems.push({ field, message: 'must be an ISO 8601 date or instant' });
    return ms;
  };
  const since = instant('since');
  const before = instant('before');
  if (!Number.isNaN(since) && !Number.isNaN(before) && since >= before)
    problems.push({ field: 'before', message: 'must be after since' });
  problems.push(...tierProblems('since', since, organization, now));
  if (problems.length > 0) throw new ValidationError(problems);
  return { integrationId, since: new Date(since), before: new Date(before) };
}

/**
 * A replay request: `stage`, `from` ("earliest" (default), an ISO instant, or explicit offsets
 * [{ topic, partition, offset }]) and an optional `to` instant. Times are when records were written
 * to the topic.
 */
export function replayRequest(body: unknown, now: number): ReplayRequest {
  const fields = bodyOf(body);
  const problems: FieldProblem[] = [];
  const stage = fields.stage;
  if (!isReplayStage(stage)) problems.push({ field: 'stage', message: `must be one of ${REPLAY_STAGES.join(', ')}` });
  let fromTime: number | null = null;
  const fromOffsets: ReplayRequest['fromOffsets'] = [];
  const from = fields.from ?? 'earliest';
  if (Array.isArray(from)) {
    if (from.length === 0)
      problems.push({ field: 'from', message: 'must list at least one { topic, partition, offset }' });
    for (const [index, entry] of from.entries()) {
      const item = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
      const valid =
        typeof item.topic === 'string' &&
        item.topic !== '' &&
        Number.isInteger(item.partition) &&
        (item.partition as number) >= 0 &&
        Number.isInteger(item.offset) &&
        (item.offset as number) >= 0;
      if (!valid) problems.push({ field: `from[${index}]`, message: 'must be { topic, partition ≥ 0, offset ≥ 0 }' });
      else
        fromOffsets.push({
          topic: item.topic as string,
          partition: item.partition as number,
          offset: item.offset as number,
        });
    }
  } else if (from !== 'earliest') {
    fromTime = typeof from === 'string' ? Date.parse(from) : Number.NaN;
    if (Number.isNaN(fromTime))
      problems.push({ field: 'from', message: 'must be "earliest", an ISO 8601 instant or a list of offsets' });
    else if (fromTime > now) problems.push({ field: 'from', message: 'is in the future' });
  }
  let toTime: number | null = null;
  if (fields.to !== undefined && fields.to !== null) {
    toTime = typeof fields.to === 'string' ? Date.parse(fields.to) : Number.NaN;
    if (Number.isNaN(toTime)) problems.push({ field: 'to', message: 'must be an ISO 8601 instant' });
    else if (fromTime !== null && !Number.isNaN(fromTime) && toTime <= fromTime)
      problems.push({ field: 'to', message: 'must be after from' });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return {
    stage: stage as string,
    fromTime: fromTime === null ? null : new Date(fromTime),
    toTime: toTime === null ? null : new Date(toTime),
    fromOffsets,
  };
}

/** Fields of a request body, as given: validation (naming each field) happens in the store. */
export function bodyOf(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ValidationError([{ field: 'body', message: 'must be a JSON object' }]);
  return body as Record<string, unknown>;
}
