import {
  BACKFILL_DAYS_BY_TIER,
  type FieldProblem,
  type Integration,
  type Organization,
  SYNC_MODES,
  type SyncMode,
  ValidationError,
  parseCredentialRef,
  isCredentialRef,
} from '@dev-health/control-plane';

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

/** Fields of a request body, as given: validation (naming each field) happens in the store. */
export function bodyOf(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ValidationError([{ field: 'body', message: 'must be a JSON object' }]);
  return body as Record<string, unknown>;
}
