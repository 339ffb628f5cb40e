import {
  daysSinceEpoch,
  type CanonicalEntities,
  type CanonicalEntityName,
  type CanonicalRecord,
  type StoreChanged,
} from '@dev-health/schemas';

/** Ids per change event: keeps each event far below Kafka's message size limit. */
const MAX_IDS_PER_EVENT = 1_000;

/**
 * What one version of a record says about metric keys: its repository, the UTC days it touches, ids to
 * resolve; for work items also the scope, the last day of the span and whether it stays open.
 */
interface Touch {
  repositoryId: string;
  days: number[];
  identityIds: string[];
  recordIds: string[];
  throughDay?: number;
  openEnded?: boolean;
  workScope?: { provider: string; workScopeId: string; teamId: string };
}

type Touches = { [E in CanonicalEntityName]?: (record: CanonicalEntities[E], writtenAt: number) => Touch };

const days = (...instants: (number | null)[]) => [
  ...new Set(instants.filter((at): at is number => at !== null).map(daysSinceEpoch)),
];

const FINISHED_CATEGORIES = new Set(['done', 'canceled']);

/**
 * Entities that feed metrics, and what each written version touches. The sink only reports; the metrics
 * service turns these into metric keys (resolving a review to its PR's merge day, a PR to its reviews'
 * days, a work item to its span, a membership to its member's commit days, an identity to its activity).
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
  // The linked deployment's id too: re-linking an incident changes the old deployment's day.
  incident: (incident) => ({
    repositoryId: incident.repository_id ?? '',
    days: days(incident.started_at, incident.resolved_at),
    identityIds: [],
    recordIds: incident.deployment_id === null ? [incident.id] : [incident.id, incident.deployment_id],
  }),
  // The whole span of this version in its scope; an unfinished item also weighs on every later day's WIP.
  work_item: (item) => {
    const first = daysSinceEpoch(item.created_at);
    const last = daysSinceEpoch(Math.max(item.updated_at, item.completed_at ?? item.updated_at));
    return {
      repositoryId: '',
      days: [Math.min(first, last)],
      throughDay: Math.max(first, last),
      openEnded: !FINISHED_CATEGORIES.has(item.status_category),
      identityIds: [],
      recordIds: [item.id],
      workScope: { provider: item.provider, workScopeId: item.work_scope_id, teamId: item.team_id ?? '' },
    };
  },
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
  // Its primary email is the author_email of its user rows.
  identity: (identity, writtenAt) => ({
    repositoryId: '',
    days: days(writtenAt),
    identityIds: [identity.id],
    recordIds: [],
  }),
};

/**
 * Entities of which only some fields reach a metric: a newer version that leaves them as they were is
 * not announced. Identities: the processor rewrites them from every commit, and only the primary email
 * is read (author_email of user rows).
 */
type MetricFieldsChanged = {
  [E in CanonicalEntityName]?: (previous: CanonicalEntities[E], record: CanonicalEntities[E]) => boolean;
};
const METRIC_FIELDS_CHANGED: MetricFieldsChanged = {
  identity: (previous, record) => previous.primary_email !== record.primary_email,
};

/** A record whose write took effect, and the version it replaced (null when it is new). */
export interface ChangedRecord<R = CanonicalRecord> {
  record: R;
  previous: R | null;
  /** The stored version equals the written one: a redelivery, which may not have been announced yet. */
  sameVersion: boolean;
}

/**
 * The versions whose keys must be recomputed after a write: the new version and the one it replaced
 * (a commit moved to another day, a PR re-merged, a work item moved to another team leave keys behind).
 * A redelivery (same version) is announced again: the first delivery's announcement may have been lost.
 */
export function versionsToAnnounce<E extends CanonicalEntityName>(
  entity: E,
  changed: readonly ChangedRecord<CanonicalEntities[E]>[],
): CanonicalEntities[E][] {
  const fieldsChanged = METRIC_FIELDS_CHANGED[entity];
  const versions: CanonicalEntities[E][] = [];
  for (const { record, previous, sameVersion } of changed) {
    if (previous === null || sameVersion) {
      versions.push(record);
      continue;
    }
    if (fieldsChanged && !fieldsChanged(previous, record)) continue;
    versions.push(record, previous);
  }
  return versions;
}

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
  interface Group {
    org: string;
    touched: Touch;
    day: number;
    identities: Set<string>;
    ids: Set<string>;
  }
  const groups = new Map<string, Group>();
  for (const record of records) {
    const touched = touch(record, writtenAt);
    const scope = touched.workScope;
    for (const day of touched.days) {
      const key = JSON.stringify([
        record.org_id,
        touched.repositoryId,
        day,
        touched.throughDay ?? null,
        touched.openEnded ?? false,
        scope?.provider ?? '',
        scope?.workScopeId ?? '',
        scope?.teamId ?? '',
      ]);
      let group = groups.get(key);
      if (!group) {
        group = { org: record.org_id, touched, day, identities: new Set(), ids: new Set() };
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
      const { touched } = group;
      changes.push({
        org_id: group.org,
        store,
        entity,
        repository_id: touched.repositoryId,
        day: group.day,
        author_identity_ids: start === 0 ? identities : [],
        record_ids: ids.slice(start, start + MAX_IDS_PER_EVENT),
        through_day: touched.throughDay ?? null,
        open_ended: touched.openEnded ?? false,
        work_provider: touched.workScope?.provider ?? '',
        work_scope_id: touched.workScope?.workScopeId ?? '',
        work_team_id: touched.workScope?.teamId ?? '',
        written_at: writtenAt,
      });
    }
  }
  return changes.sort(
    (a, b) =>
      a.org_id.localeCompare(b.org_id) ||
      a.repository_id.localeCompare(b.repository_id) ||
      a.work_scope_id.localeCompare(b.work_scope_id) ||
      a.work_team_id.localeCompare(b.work_team_id) ||
      a.day - b.day ||
      (a.through_day ?? a.day) - (b.through_day ?? b.day),
  );
}
