import { daysSinceEpoch, type Commit, type StoreChanged } from '@dev-health/schemas';

/** Metric keys touched by written commits: one event per (repository, UTC day), with the authors. */
export function commitStoreChanges(commits: Commit[], store: string, writtenAt: number): StoreChanged[] {
  const byKey = new Map<string, StoreChanged>();
  for (const commit of commits) {
    const day = daysSinceEpoch(commit.authored_at);
    const key = `${commit.repository_id}/${day}`;
    const change = byKey.get(key) ?? {
      store,
      entity: 'commit',
      repository_id: commit.repository_id,
      day,
      author_identity_ids: [],
      written_at: writtenAt,
    };
    if (!change.author_identity_ids.includes(commit.author_identity_id))
      change.author_identity_ids.push(commit.author_identity_id);
    byKey.set(key, change);
  }
  for (const change of byKey.values()) change.author_identity_ids.sort();
  return [...byKey.values()];
}
