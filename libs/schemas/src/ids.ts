import { orgScopedId } from './tenancy';
import type { CanonicalEntityName, Provider } from './topology';

/**
 * Deterministic canonical id: "provider:entity:natural-key", org-scoped (orgScopedId). The same
 * source record of the same org always maps to the same id, which makes every sink an idempotent upsert.
 */
export function canonicalId(
  org: string,
  provider: Provider,
  entity: CanonicalEntityName,
  ...naturalKey: (string | number)[]
): string {
  if (naturalKey.length === 0) throw new Error(`canonicalId(${provider}, ${entity}) needs a natural key`);
  return orgScopedId(org, `${provider}:${entity}:${naturalKey.map((part) => String(part)).join('/')}`);
}

const MS_PER_DAY = 86_400_000;

/** UTC day number (Avro "date" logical type) of an epoch-millisecond instant. */
export function daysSinceEpoch(epochMs: number): number {
  return Math.floor(epochMs / MS_PER_DAY);
}

export function dayToIsoDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * A UTC day written YYYY-MM-DD → its day number; `format` when it is not written that way, `calendar`
 * when it names no real day (2026-02-30). Round-tripped, so the day read is the day written.
 */
export function isoDateToDay(value: string): number | 'format' | 'calendar' {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'format';
  const epochMs = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(epochMs) || dayToIsoDate(epochMs / MS_PER_DAY) !== value) return 'calendar';
  return epochMs / MS_PER_DAY;
}
