import { createHash } from 'node:crypto';
import type { CanonicalRecord } from './topology';

/**
 * The one ordering rule for versions of a canonical record, used by every store: the newer
 * `updated_at` wins (the fetch time for entities without one); at the same instant a later
 * reprocessing generation wins (a processor replay re-derives a source version after a normalizer fix,
 * and its output must replace the old derivation in every store); and a remaining tie is broken by a
 * hash of the record's content, so two versions never tie unless they are the same. The rest of the
 * provenance is left out: a replay of the same version at another offset is the same version.
 *
 * Encoded as one unsigned 64-bit number, `instant_ms · 2^21 + generation · 2^13 + hash13`, written as
 * a decimal string (JavaScript numbers stop at 2^53): ClickHouse's ReplacingMergeTree takes one version
 * column and Postgres compares bigints, so every store orders versions by the same integer. Fits a
 * signed bigint until the year 2109.
 */
const TIE_BREAK_BITS = 21n;
const HASH_BITS = 13n;
const HASH_MASK = (1n << HASH_BITS) - 1n;
/** Generations 0..255 fit in the 8 bits between the instant and the hash. */
export const MAX_REPROCESSING_GENERATION = 255;

/** Digits of the largest version (2^63 - 1): Mongo compares versions as zero-padded strings. */
const RECORD_VERSION_DIGITS = 19;

function recordVersionInstant(record: CanonicalRecord): number {
  return 'updated_at' in record && typeof record.updated_at === 'number'
    ? record.updated_at
    : record.provenance.fetched_at;
}

export function recordVersion(record: CanonicalRecord): string {
  const { provenance: _provenance, ...content } = record;
  const digest = createHash('sha1').update(stableJson(content)).digest();
  const generation = BigInt(
    Math.min(MAX_REPROCESSING_GENERATION, Math.max(0, record.provenance.reprocessing_generation ?? 0)),
  );
  const tieBreak = (generation << HASH_BITS) | (BigInt(digest.readUInt32BE(0)) & HASH_MASK);
  const instant = BigInt(Math.max(0, Math.trunc(recordVersionInstant(record))));
  return ((instant << TIE_BREAK_BITS) | tieBreak).toString();
}

/** A version as a fixed-width string: string order equals numeric order. */
export function paddedRecordVersion(version: string): string {
  return version.padStart(RECORD_VERSION_DIGITS, '0');
}

/** Compares two versions (decimal strings without leading zeros, or equally padded). */
export function compareRecordVersions(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A batch collapsed to the newest version of each id (a store cannot write one id twice in one
 * statement), with that version.
 */
export function newestVersions<R extends CanonicalRecord>(
  records: readonly R[],
): Map<string, { record: R; version: string }> {
  const newest = new Map<string, { record: R; version: string }>();
  for (const record of records) {
    const version = recordVersion(record);
    const previous = newest.get(record.id);
    if (previous && compareRecordVersions(previous.version, version) > 0) continue;
    newest.set(record.id, { record, version });
  }
  return newest;
}

/** Keys as JSON strings: a record's few dozen field names, quoted once. */
const quotedKeys = new Map<string, string>();
const quoted = (key: string): string => {
  let text = quotedKeys.get(key);
  if (text === undefined) {
    text = JSON.stringify(key);
    if (quotedKeys.size < 10_000) quotedKeys.set(key, text);
  }
  return text;
};

/**
 * JSON with object keys sorted at every level (code-unit order; undefined fields left out): the same
 * content always hashes the same. Written as loops over strings, since every sink runs it once per record.
 */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index++) out += (index > 0 ? ',' : '') + stableJson(value[index]);
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  // The default sort compares UTF-16 code units: the order `a < b` gives.
  const keys = Object.keys(object).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const field = object[key];
    if (field === undefined) continue;
    out += `${first ? '' : ','}${quoted(key)}:${stableJson(field)}`;
    first = false;
  }
  return `${out}}`;
}
