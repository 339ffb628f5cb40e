import type { RawRecord } from '@dev-health/schemas';
import { type CanonicalOutput, type NormalizeContext, type Normalizer, NormalizationError } from './canonical-output';
import { normalizeGitBlame, normalizeGitCommit, normalizeGitRepository } from './normalize-git';
import { SYNTHETIC_NORMALIZERS } from './normalize-synthetic';

/** provider/entity_kind → normalizer. Connectors added later register theirs here. */
const NORMALIZERS: Record<string, Normalizer> = {
  'git/repository': normalizeGitRepository,
  'git/commit': normalizeGitCommit,
  'git/blame': normalizeGitBlame,
  ...Object.fromEntries(
    Object.entries(SYNTHETIC_NORMALIZERS).map(([kind, normalizer]) => [`synthetic/${kind}`, normalizer]),
  ),
};

/** Raw record → canonical records. Pure: no I/O, same input → same output. */
export function normalize(raw: RawRecord, context: NormalizeContext): CanonicalOutput[] {
  const normalizer = NORMALIZERS[`${raw.provider}/${raw.entity_kind}`];
  if (!normalizer) throw new NormalizationError(`no normalizer for ${raw.provider}/${raw.entity_kind}`);
  return normalizer(raw, context);
}
