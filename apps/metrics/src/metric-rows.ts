import type { AuthorRollup, CommitRollup } from '@dev-health/postgres';
import type { RepoMetricsDaily, StoreChanged, UserMetricsDaily } from '@dev-health/schemas';

export interface MetricKey {
  repositoryId: string;
  day: number;
}

/** Coalesces store-changed events into distinct (repository, day) keys: many commits, one recompute. */
export function affectedKeys(changes: StoreChanged[]): MetricKey[] {
  const keys = new Map<string, MetricKey>();
  for (const change of changes)
    keys.set(`${change.repository_id}/${change.day}`, { repositoryId: change.repository_id, day: change.day });
  return [...keys.values()].sort((a, b) => a.repositoryId.localeCompare(b.repositoryId) || a.day - b.day);
}

/** Rounds to 4 decimals so recomputing the same input gives byte-identical rows in every store. */
function roundAverage(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10_000) / 10_000;
}

function rollupColumns(rollup: CommitRollup) {
  return {
    commits: rollup.commits,
    additions: rollup.additions,
    deletions: rollup.deletions,
    files_changed: rollup.files_changed,
    large_commits: rollup.large_commits,
    avg_commit_size: rollup.commits === 0 ? null : roundAverage(rollup.avg_commit_size),
  };
}

export function repoMetricsRow(key: MetricKey, rollup: CommitRollup, computedAt: number): RepoMetricsDaily {
  return { repository_id: key.repositoryId, day: key.day, computed_at: computedAt, ...rollupColumns(rollup) };
}

export function userMetricsRow(key: MetricKey, rollup: AuthorRollup, computedAt: number): UserMetricsDaily {
  return {
    repository_id: key.repositoryId,
    author_identity_id: rollup.author_identity_id,
    author_email: rollup.author_email,
    day: key.day,
    computed_at: computedAt,
    ...rollupColumns(rollup),
  };
}
