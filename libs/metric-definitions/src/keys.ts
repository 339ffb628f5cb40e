import type { DoraFacts, RepoDayFacts, TeamDayFacts, WorkItemDayFacts } from './daily-rows';

/**
 * What gets recomputed: one key is one (scope, UTC day) and yields the rows of these tables:
 * repo → repo_metrics_daily + user_metrics_daily; dora → dora_metrics_daily; team → team_metrics_daily;
 * work_items → work_item_metrics_daily.
 */
export type MetricKey = { org_id: string } & OrgMetricKey;

/** A key within one org (the scope ids are org-scoped already; org_id names the org explicitly). */
export type OrgMetricKey =
  | { kind: 'repo'; repository_id: string; day: number }
  | { kind: 'dora'; repository_id: string; day: number }
  | { kind: 'team'; team_id: string; day: number }
  | { kind: 'work_items'; provider: string; work_scope_id: string; team_id: string; day: number };

export type MetricKind = MetricKey['kind'];
export const METRIC_KINDS: readonly MetricKind[] = ['repo', 'dora', 'team', 'work_items'];

/** The scope id a key is about (repository, team or work scope). */
export function scopeOf(key: MetricKey): string {
  switch (key.kind) {
    case 'repo':
    case 'dora':
      return key.repository_id;
    case 'team':
      return key.team_id;
    case 'work_items':
      return key.work_scope_id;
  }
}

/** A stable text form of a key: map key, Kafka message key, log field. */
export function keyId(key: MetricKey): string {
  return key.kind === 'work_items'
    ? `${key.org_id}/work_items/${key.provider}/${key.work_scope_id}/${key.team_id}/${key.day}`
    : `${key.org_id}/${key.kind}/${scopeOf(key)}/${key.day}`;
}

/** Distinct keys in a stable order (kind, scope, day): the same changes always recompute in the same order. */
export class KeySet {
  private readonly keys = new Map<string, MetricKey>();

  add(key: MetricKey): void {
    this.keys.set(keyId(key), key);
  }

  get size(): number {
    return this.keys.size;
  }

  sorted(): MetricKey[] {
    return [...this.keys.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, key]) => key);
  }
}

export type KeyFacts =
  | { kind: 'repo'; facts: RepoDayFacts }
  | { kind: 'dora'; facts: DoraFacts }
  | { kind: 'team'; facts: TeamDayFacts }
  | { kind: 'work_items'; facts: WorkItemDayFacts };

export interface LineageEntry {
  /** Canonical table the records come from, and what they were used for. */
  table: string;
  role: string;
  count: number;
  ids: string[];
}

const entry = (table: string, role: string, ids: string[]): LineageEntry => ({
  table,
  role,
  count: ids.length,
  ids: [...ids].sort(),
});

const idsOf = (records: readonly { id?: string }[]) =>
  records.map((record) => record.id).filter((id): id is string => id !== undefined);

/** The canonical records a key's rows were computed from: counts and ids per table and role. */
export function lineageOf(keyFacts: KeyFacts): LineageEntry[] {
  switch (keyFacts.kind) {
    case 'repo': {
      const { facts } = keyFacts;
      return [
        entry(
          'commits',
          'authored that day',
          facts.commits.map((commit) => commit.id),
        ),
        entry(
          'pull_requests',
          'opened that day',
          facts.opened.map((pr) => pr.id),
        ),
        entry(
          'pull_requests',
          'merged that day (review flow)',
          facts.merged.map((pr) => pr.id),
        ),
        entry(
          'reviews',
          'submitted that day',
          facts.reviews.map((review) => review.id),
        ),
        entry(
          'review_comments',
          'written that day',
          facts.comments.map((comment) => comment.id),
        ),
        entry('reviews', 'of the PRs merged that day (review flow)', idsOf(facts.merged.flatMap((pr) => pr.reviews))),
        entry(
          'review_comments',
          'of the PRs merged that day (review flow)',
          idsOf(facts.merged.flatMap((pr) => pr.comments)),
        ),
        entry('identities', 'primary email of each person', Object.keys(facts.identities_found ?? {})),
      ];
    }
    case 'dora': {
      const { facts } = keyFacts;
      return [
        entry(
          'deployments',
          'production, took effect that day',
          facts.deployments.map((deployment) => deployment.id),
        ),
        entry(
          'pull_requests',
          'merged since the previous successful deployment',
          facts.merged_pull_requests.map((pr) => pr.id),
        ),
        entry(
          'incidents',
          'started or resolved that day',
          facts.incidents.map((incident) => incident.id),
        ),
      ];
    }
    case 'team':
      return [
        entry(
          'commits',
          "authored that day by the team's members",
          keyFacts.facts.commits.map((commit) => commit.id),
        ),
      ];
    case 'work_items':
      return [
        entry(
          'work_items',
          'in the scope and team, alive that day',
          keyFacts.facts.items.map((item) => item.id),
        ),
        entry(
          'work_item_transitions',
          'of those items',
          idsOf(keyFacts.facts.items.flatMap((item) => item.transitions)),
        ),
      ];
  }
}
