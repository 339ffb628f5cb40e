import { isOrgSlug, type RawRecord } from '@dev-health/schemas';
import { type CanonicalOutput, type NormalizeContext, type Normalizer, NormalizationError } from './canonical-output';

/** provider → entity_kind → normalizer. Each provider's folder exports its own table. */
export type NormalizerRegistry = Readonly<Record<string, Readonly<Record<string, Normalizer>>>>;

/** What the processor calls: the context's identity table is bound to the raw record's org. */
export type Normalize = (raw: RawRecord, context: Omit<NormalizeContext, 'org'>) => CanonicalOutput[];

/**
 * Raw record → canonical records of the raw record's org. Pure: no I/O, same input → same output.
 * A record no normalizer knows, or of an org that is not a slug, is poison (to the DLQ).
 */
export function createNormalize(registry: NormalizerRegistry): Normalize {
  return (raw, context) => {
    const normalizer = registry[raw.provider]?.[raw.entity_kind];
    if (!normalizer) throw new NormalizationError(`no normalizer for ${raw.provider}/${raw.entity_kind}`);
    if (!isOrgSlug(raw.org_id))
      throw new NormalizationError(
        `${raw.provider}/${raw.entity_kind} ${raw.source_id}: org_id "${raw.org_id}" is not an org slug (lower-case letters, digits, inner hyphens, at most 40)`,
      );
    return normalizer(raw, { ...context, org: raw.org_id, identities: context.identities.inOrg(raw.org_id) });
  };
}
