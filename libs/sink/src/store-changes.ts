import {
  daysSinceEpoch,
  type CanonicalEntities,
  type CanonicalEntityName,
  type StoreChanged,
} from '@dev-health/schemas';

/** Ids per change event: keeps each event far below Kafka's message size limit. */
const MAX_IDS_PER_EVENT = 1_000;

/** What one written record says about metric keys: its repository, the UTC days it touches, ids to resolve. */
interface Touch {
  repositoryId: string;
  days: number[];
  identityIds: string[];
  recordIds: string[];
}

type Touches = { [E in CanonicalEntityName]?: (record: CanonicalEntities[E], writtenAt: number) => Touch };

const days = (...instants: (number | null)[]) => [
  ...new Set(instants.filter((at): at is number => at !== null).map(daysSinceEpoch)),
];

/**
 * Entities that feed metrics, and what each written record touches. The sink only reports; the metrics
 * service turns these into metric keys (resolving a review to its PR's merge day, a work item to its
 * span, a membership to its member's commit days).
 */
const TOUCHES: Touches = {
  commit: (commit) => ({
    repositoryId: commit.repository_id,
    days: days(commit.authored_at),
    identityIds: [commit.author_identity_id],
    recordIds: [],
  }),
  pull_request: (pr) => ({
    repositoryId: pr.repository_id,
    days: days(pr.created_at, pr.merged_at),
    identityIds: [pr.author_identity_id],
    recordIds: [pr.id],
  }),
  review: (review) => ({
    repositoryId: review.repository_id,
    days: days(review.submitted_at),
    identityIds: [review.reviewer_identity_id],
    recordIds: [review.pull_request_id],
  }),
  review_comment: (comment) => ({
    repositoryId: comment.repository_id,
    days: days(comment.created_at),
    identityIds: [comment.author_identity_id],
    recordIds: [comment.pull_request_id],
  }),
  deployment: (deployment) => ({
    repositoryId: deployment.repository_id,
    days: days(deployment.finished_at ?? deployment.created_at),
    identityIds: [],
    recordIds: [deployment.id],
  }),
  incident: (incident) => ({
    repositoryId: incident.repository_id ?? '',
    days: days(incident.started_at, incident.resolved_at),
    identityIds: [],
    recordIds: [incident.id],
  }),
  work_item: (item) => ({ repositoryId: '', days: days(item.updated_at), identityIds: [], recordIds: [item.id] }),
  work_item_transition: (transition) => ({
    repositoryId: '',
    days: days(transition.transitioned_at),
    identityIds: [],
    recordIds: [transition.work_item_id],
  }),
  team_membership: (membership, writtenAt) => ({
    repositoryId: '',
    days: days(writtenAt),
    identityIds: [membership.identity_id],
    recordIds: [membership.team_id],
  }),
};

export function feedsMetrics(entity: CanonicalEntityName): boolean {
  return TOUCHES[entity] !== undefined;
}

/**
 * Change events for a written batch: one per (repository, UTC day), with the identities and ids the
 * records name, deduplicated and sorted so the same batch always yields the same events.
 */
export function storeChanges<E extends CanonicalEntityName>(
  entity: E,
  records: readonly CanonicalEntities[E][],
  store: string,
  writtenAt: number,
): StoreChanged[] {
  const touch = TOUCHES[entity];
  if (!touch) return [];
  const groups = new Map<string, { repositoryId: string; day: number; identities: Set<string>; ids: Set<string> }>();
  for (const record of records) {
    const touched = touch(record, writtenAt);
    for (const day of touched.days) {
      const key = `${touched.repositoryId}/${day}`;
      let group = groups.get(key);
      if (!group) {
        group = { repositoryId: touched.repositoryId, day, identities: new Set(), ids: new Set() };
        groups.set(key, group);
      }
      for (const id of touched.identityIds) group.identities.add(id);
      for (const id of touched.recordIds) group.ids.add(id);
    }
  }
  const changes: StoreChanged[] = [];
  for (const group of groups.values()) {
    const ids = [...group.ids].sort();
    const identities = [...group.identities].sort();
    for (let start = 0; start === 0 || start < ids.length; start += MAX_IDS_PER_EVENT) {
      changes.push({
        store,
        entity,
        repository_id: group.repositoryId,
        day: group.day,
        author_identity_ids: start === 0 ? identities : [],
        record_ids: ids.slice(start, start + MAX_IDS_PER_EVENT),
        written_at: writtenAt,
      });
    }
  }
  return changes.sort((a, b) => a.repository_id.localeCompare(b.repository_id) || a.day - b.day);
}
