import { schemaMisfits } from '@dev-health/registry';
// The schemas' own validator: what the serde's encode checks a canonical record against.
import fc from 'fast-check';
import { GIT_NORMALIZERS } from '@dev-health/git/normalize';
import { GITHUB_NORMALIZERS } from '@dev-health/github/normalize';
import { GITLAB_NORMALIZERS } from '@dev-health/gitlab/normalize';
import { JIRA_NORMALIZERS } from '@dev-health/jira/normalize';
import { type CanonicalOutput, FIXTURE_PROVENANCE, IdentityResolver, rawRecordFixture } from '@dev-health/normalize';
import { SYNTHETIC_NORMALIZERS } from '@dev-health/synthetic/normalize';
import { CANONICAL_ENTITY_NAMES, type RawRecord, SchemaCatalog, canonicalSchemaFile } from '@dev-health/schemas';
import {
  ADVERSARIAL_STRING_PATTERNS,
  RAW_PAYLOAD_SAMPLES,
  type RawPayloadSample,
  applyMutations,
  fuzzCases,
  jsonPaths,
  mutatedRawRecord,
  validRawRecord,
} from '@dev-health/normalize/testing/raw-payload-arbitraries';
import { normalize } from './normalize';

/**
 * Every raw payload either normalizes into records that fit their Avro schemas or is rejected with a
 * reason (the DLQ), quickly, and the same way every time. Random cases per provider/kind: 50 valid,
 * 1000 mutated, 10 with 1 MB strings, 50 normalized twice; and a sweep of every field of every sample
 * with each adversarial 64 KiB string.
 */
const RUNS = { valid: 50, mutated: 1000, huge: 10, deterministic: 50 } as const;
/** One normalize() call, even of a 1 MB field, on a slow machine. */
const MAX_MILLISECONDS = 1000;
const MEGABYTE = 1_048_576;
/**
 * The sweep's strings are shorter, so it can visit every field: linear work on 64 KiB takes a few ms,
 * while a quadratic regular expression takes seconds (and tens of minutes on 1 MB).
 */
const SWEEP_LENGTH = 65_536;
const SWEEP_MAX_MILLISECONDS = 250;

const TABLES = {
  git: GIT_NORMALIZERS,
  github: GITHUB_NORMALIZERS,
  gitlab: GITLAB_NORMALIZERS,
  jira: JIRA_NORMALIZERS,
  synthetic: SYNTHETIC_NORMALIZERS,
};

const context = {
  provenance: FIXTURE_PROVENANCE,
  identities: new IdentityResolver({ 'ada@acme.example': ['github:ada', 'gitlab:ada', 'ada@home.example'] }),
};

const catalog = SchemaCatalog.load();
const schemaTypes = new Map(
  CANONICAL_ENTITY_NAMES.map((entity) => [
    entity,
    schemaMisfits(catalog.get('canonical', canonicalSchemaFile(entity)).schema),
  ]),
);

/** The fields of an output its schema rejects ([] when it fits). */
function invalidFields(output: CanonicalOutput): string[] {
  const misfits = schemaTypes.get(output.entity);
  return misfits ? misfits(output.record) : [`(no schema for ${output.entity})`];
}

function expectSchemaValid(outputs: CanonicalOutput[]): void {
  const invalid = outputs.flatMap((output) => invalidFields(output).map((field) => `${output.entity}.${field}`));
  if (invalid.length > 0) throw new Error(`outputs do not fit their schemas: ${invalid.join(', ').slice(0, 500)}`);
}

/** What the processor does with a raw record: its outputs, or the reason it goes to the DLQ. */
function outcome(raw: RawRecord): { outputs: CanonicalOutput[] } | { reason: string } {
  try {
    return { outputs: normalize(raw, context) };
  } catch (error: unknown) {
    if (!(error instanceof Error)) throw new Error(`normalize threw a non-Error: ${String(error)}`);
    if (error.message === '') throw new Error(`normalize threw ${error.name} without a message`);
    return { reason: error.message };
  }
}

/** Normalizes or is rejected with a reason, within the time limit; what it outputs fits the schemas. */
function expectNormalizedOrRejected(raw: RawRecord, maxMilliseconds = MAX_MILLISECONDS): void {
  const started = performance.now();
  const result = outcome(raw);
  const elapsed = performance.now() - started;
  if (elapsed > maxMilliseconds) throw new Error(`normalize took ${Math.round(elapsed)} ms`);
  if ('outputs' in result) expectSchemaValid(result.outputs);
}

const label = (sample: RawPayloadSample) => `${sample.provider}/${sample.entityKind}`;

describe('normalize (fuzz)', () => {
  it('has a sample payload for every provider and kind the processor normalizes', () => {
    const tables = Object.entries(TABLES).flatMap(([provider, table]) =>
      Object.keys(table).map((kind) => `${provider}/${kind}`),
    );
    expect(RAW_PAYLOAD_SAMPLES.map(label).sort()).toEqual(tables.sort());
  });

  describe.each(RAW_PAYLOAD_SAMPLES.map((sample) => [label(sample), sample] as const))('%s', (_name, sample) => {
    const samples = [sample];

    it('normalizes a valid payload into at least one record, each fitting its schema', () => {
      fc.assert(
        fc.property(validRawRecord({ samples }), (raw) => {
          const outputs = normalize(raw, context);
          expect(outputs.length).toBeGreaterThan(0);
          expectSchemaValid(outputs);
        }),
        { numRuns: RUNS.valid },
      );
    });

    it('normalizes a mutated payload into records that fit their schemas, or rejects it with a reason', () => {
      fc.assert(
        fc.property(mutatedRawRecord({ samples }), (raw) => expectNormalizedOrRejected(raw)),
        { numRuns: RUNS.mutated },
      );
    });

    it('does not stall on 1 MB strings', () => {
      fc.assert(
        fc.property(mutatedRawRecord({ samples, hugeStringMaxLength: MEGABYTE }), (raw) =>
          expectNormalizedOrRejected(raw),
        ),
        { numRuns: RUNS.huge },
      );
    });

    it('does not stall on a long adversarial string in any field', () => {
      const paths = jsonPaths(sample.payload);
      for (const [index, path] of paths.entries()) {
        for (const { prefix, filler } of ADVERSARIAL_STRING_PATTERNS) {
          const mutation = { kind: 'huge-string' as const, prefix, filler, length: SWEEP_LENGTH };
          const { payload } = applyMutations(sample.payload, [{ selector: index, mutation }]);
          const raw = rawRecordFixture(sample.provider, sample.entityKind, payload, { scope: sample.scope });
          try {
            expectNormalizedOrRejected(raw, SWEEP_MAX_MILLISECONDS);
          } catch (error: unknown) {
            const what = `${path.join('.')} = ${JSON.stringify(prefix)} + ${JSON.stringify(filler)}…`;
            throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      }
    });

    it('is deterministic: the same raw record gives equal outputs, or the same reason', () => {
      fc.assert(
        fc.property(fc.oneof(validRawRecord({ samples }), mutatedRawRecord({ samples })), (raw) => {
          expect(outcome(raw)).toEqual(outcome(raw));
        }),
        { numRuns: RUNS.deterministic },
      );
    });
  });

  it('fuzzCases is deterministic per seed and mixes valid and mutated records of every kind', () => {
    const cases = fuzzCases(RAW_PAYLOAD_SAMPLES.length * 2, 42);
    expect(fuzzCases(RAW_PAYLOAD_SAMPLES.length * 2, 42)).toEqual(cases);
    expect(new Set(cases.map((raw) => `${raw.provider}/${raw.entity_kind}`)).size).toBe(RAW_PAYLOAD_SAMPLES.length);
    const outcomes = cases.map(outcome);
    expect(outcomes.filter((result, index) => index % 2 === 0 && 'reason' in result)).toEqual([]);
    expect(outcomes.some((result) => 'reason' in result)).toBe(true);
  });
});
