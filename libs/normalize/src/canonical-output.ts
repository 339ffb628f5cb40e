import type { CanonicalEntities, CanonicalEntityName, Provenance, RawRecord } from '@dev-health/schemas';
import type { IdentityResolver } from './identity-resolver';

/** One canonical record and the entity (topic) it belongs to. */
export type CanonicalOutput = {
  [K in CanonicalEntityName]: { entity: K; record: CanonicalEntities[K] };
}[CanonicalEntityName];

/** A raw record the processor cannot turn into canonical records: goes to the DLQ with this reason. */
export class NormalizationError extends Error {
  override readonly name = 'NormalizationError';
}

export interface NormalizeContext {
  /** The raw record's org: in every canonical record and id it yields. */
  org: string;
  provenance: Provenance;
  /** Resolves to identities of `org`. */
  identities: IdentityResolver;
}

export type Normalizer = (raw: RawRecord, context: NormalizeContext) => CanonicalOutput[];

/**
 * A provider's vocabulary mapped onto a canonical enum. Every provider value is listed; any other is
 * a poison record naming the value (to the DLQ), so a new provider state never silently falls out of
 * a metric.
 */
export function vocabulary<T extends string>(
  provider: string,
  field: string,
  mapping: Readonly<Record<string, T>>,
): (raw: RawRecord, value: string) => T {
  return (raw, value) => {
    if (!Object.prototype.hasOwnProperty.call(mapping, value))
      throw new NormalizationError(`${provider}/${raw.entity_kind} ${raw.source_id}: unmapped ${field} "${value}"`);
    return mapping[value] as T;
  };
}

export function parsePayload(raw: RawRecord): unknown {
  try {
    return JSON.parse(raw.payload) as unknown;
  } catch (error: unknown) {
    throw new NormalizationError(
      `${raw.provider}/${raw.entity_kind} ${raw.source_id}: payload is not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

type Check = (value: unknown) => boolean;
export const isString: Check = (value) => typeof value === 'string';
export const isNumber: Check = (value) => typeof value === 'number' && Number.isFinite(value);
export const isStringArray: Check = (value) => Array.isArray(value) && value.every((item) => typeof item === 'string');
export const isArray: Check = (value) => Array.isArray(value);
export const isBoolean: Check = (value) => typeof value === 'boolean';
export const isObject: Check = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
export const isNullableString: Check = (value) => value === null || value === undefined || typeof value === 'string';

/**
 * Asserts the payload (or, with `at`, the object at that path of it) has the fields a normalizer reads,
 * naming the first that is missing or mistyped.
 */
export function requireShape<T>(raw: RawRecord, value: unknown, shape: Record<string, Check>, at?: string): T {
  if (!isObject(value))
    throw new NormalizationError(
      `${raw.provider}/${raw.entity_kind} ${raw.source_id}: ${at === undefined ? 'payload' : `field "${at}"`} is not an object`,
    );
  const record = value as Record<string, unknown>;
  for (const [field, check] of Object.entries(shape)) {
    if (!check(record[field])) {
      throw new NormalizationError(
        `${raw.provider}/${raw.entity_kind} ${raw.source_id}: field "${at === undefined ? field : `${at}.${field}`}" is missing or has the wrong type`,
      );
    }
  }
  return value as T;
}

export const isNullableNumber: Check = (value) => value === null || value === undefined || isNumber(value);
/** What an Avro int holds: counts, numbers, line numbers. */
export const isInt: Check = (value) =>
  Number.isInteger(value) && (value as number) >= -(2 ** 31) && (value as number) < 2 ** 31;
export const isNullableInt: Check = (value) => value === null || value === undefined || isInt(value);
/** Epoch seconds (git's timestamps) whose milliseconds are still an exact Avro long. */
export const isEpochSeconds: Check = (value) =>
  Number.isSafeInteger(value) && Number.isSafeInteger((value as number) * 1000);

/** An optional string field (absent or null: null); any other type is a NormalizationError naming the field. */
export function optionalString(raw: RawRecord, field: string, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string')
    throw new NormalizationError(
      `${raw.provider}/${raw.entity_kind} ${raw.source_id}: field "${field}" is not a string`,
    );
  return value;
}

/** The offset may be written without its colon ("+0100"), as Jira writes it. */
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?(Z|([+-])(\d{2}):?(\d{2}))$/;

/** An instant and the UTC offset of the clock that wrote it: "2026-01-05T10:12:33+05:30" → (UTC ms, 330). */
export interface ZonedInstant {
  epochMs: number;
  offsetMinutes: number;
}

/** Parses an ISO 8601 timestamp that carries its offset (or Z); anything else is a NormalizationError naming the field. */
export function parseZoned(raw: RawRecord, field: string, value: string): ZonedInstant {
  const match = ISO_WITH_OFFSET.exec(value);
  // Date.parse reads only the extended form (+01:00).
  const extended =
    match && match[8] !== 'Z' && !match[8]?.includes(':') ? `${value.slice(0, -2)}:${value.slice(-2)}` : value;
  const epochMs = match ? Date.parse(extended) : Number.NaN;
  if (!match || Number.isNaN(epochMs))
    throw new NormalizationError(
      `${raw.provider}/${raw.entity_kind} ${raw.source_id}: field "${field}" is not an ISO 8601 timestamp with an offset ("${value}")`,
    );
  const offsetMinutes =
    match[8] === 'Z' ? 0 : (match[9] === '-' ? -1 : 1) * (Number(match[10]) * 60 + Number(match[11]));
  return { epochMs, offsetMinutes };
}

/** UTC epoch ms of a required timestamp field. */
export function utcMillis(raw: RawRecord, field: string, value: string): number {
  return parseZoned(raw, field, value).epochMs;
}

/** UTC epoch ms of an optional timestamp field. */
export function utcMillisOrNull(raw: RawRecord, field: string, value: string | null | undefined): number | null {
  return value === null || value === undefined ? null : utcMillis(raw, field, value);
}
