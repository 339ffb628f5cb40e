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
  provenance: Provenance;
  identities: IdentityResolver;
}

export type Normalizer = (raw: RawRecord, context: NormalizeContext) => CanonicalOutput[];

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
export const isObject: Check = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
export const isNullableString: Check = (value) => value === null || value === undefined || typeof value === 'string';

/** Asserts the payload has the fields a normalizer reads, naming the first that is missing or mistyped. */
export function requireShape<T>(raw: RawRecord, value: unknown, shape: Record<string, Check>): T {
  if (!isObject(value))
    throw new NormalizationError(`${raw.provider}/${raw.entity_kind} ${raw.source_id}: payload is not an object`);
  const record = value as Record<string, unknown>;
  for (const [field, check] of Object.entries(shape)) {
    if (!check(record[field])) {
      throw new NormalizationError(
        `${raw.provider}/${raw.entity_kind} ${raw.source_id}: field "${field}" is missing or has the wrong type`,
      );
    }
  }
  return value as T;
}
