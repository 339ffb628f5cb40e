import { type Provider, type WorkItemStatusCategory, type WorkItemTransition, canonicalId } from '@dev-health/schemas';
import type { NormalizeContext } from './canonical-output';

/** One status a work item reached: when (UTC ms), by whom (an identity id, or null), and where to. */
export interface StatusChange {
  at: number;
  actorId: string | null;
  to: { status: string; category: WorkItemStatusCategory };
}

/**
 * A work item's chain of status changes (the first is its creation) → transitions, each from the
 * status before it. The id is the item's natural key, the instant and the status reached, so a
 * re-fetched history yields the same rows.
 */
export function statusTransitions(
  context: NormalizeContext,
  provider: Provider,
  workItemId: string,
  itemKey: (string | number)[],
  changes: readonly StatusChange[],
): WorkItemTransition[] {
  return changes.map((change, index) => {
    const from = index === 0 ? null : (changes[index - 1]?.to ?? null);
    return {
      id: canonicalId(context.org, provider, 'work_item_transition', ...itemKey, change.at, change.to.status),
      provider,
      org_id: context.org,
      provenance: context.provenance,
      work_item_id: workItemId,
      from_status: from?.status ?? null,
      to_status: change.to.status,
      from_category: from?.category ?? null,
      to_category: change.to.category,
      transitioned_at: change.at,
      actor_identity_id: change.actorId,
    };
  });
}
