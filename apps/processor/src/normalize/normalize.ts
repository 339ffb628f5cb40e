import { isOrgSlug, type RawRecord } from '@dev-health/schemas';
import { type CanonicalOutput, type NormalizeContext, type Normalizer, NormalizationError } from './canonical-output';
import { normalizeGitBlame, normalizeGitCommit, normalizeGitRepository } from './normalize-git';
import { GITHUB_NORMALIZERS } from './normalize-github';
import { SYNTHETIC_NORMALIZERS } from './normalize-synthetic';

/** provider/entity_kind → normalizer. Connectors added later register theirs here. */
const NORMALIZERS: Record<string, Normalizer> = {
  'git/repository': normalizeGitRepository,
  'git/commit': normalizeGitCommit,
  'git/blame': normalizeGitBlame,
  ...Object.fromEntries(
    Object.entries(GITHUB_NORMALIZERS).map(([kind, normalizer]) => [`github/${kind}`, normalizer]),
  ),
  ...Object.fromEntries(
    Object.entries(SYNTHETIC_NORMALIZERS).map(([kind, normalizer]) => [`synthetic/${kind}`, normalizer]),
  ),
};

/**
 * Raw record → canonical records of the raw record's org. Pure: no I/O, same input → same output.
 * `identities` is the alias table; it is bound to the record's org here.
 */
export function normalize(raw: RawRecord, context: Omit<NormalizeContext, 'org'>): CanonicalOutput[] {
  const normalizer = NORMALIZERS[`${raw.provider}/${raw.entity_kind}`];
  if (!normalizer) throw new NormalizationError(`no normalizer for ${raw.provider}/${raw.entity_kind}`);
  if (!isOrgSlug(raw.org_id))
    throw new NormalizationError(
      `${raw.provider}/${raw.entity_kind} ${raw.source_id}: org_id "${raw.org_id}" is not an org slug (lower-case letters, digits, inner hyphens, at most 40)`,
    );
  return normalizer(raw, { ...context, org: raw.org_id, identities: context.identities.inOrg(raw.org_id) });
}
