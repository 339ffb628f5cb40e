import { affectedKeys, repoMetricsRow, userMetricsRow } from './metric-rows';

describe('metric rows', () => {
  it('coalesces change events into distinct (repository, day) keys, sorted', () => {
    const change = (repository_id: string, day: number) => ({
      store: 'postgres',
      entity: 'commit',
      repository_id,
      day,
      author_identity_ids: [],
      written_at: 0,
    });
    expect(affectedKeys([change('b', 2), change('a', 3), change('b', 2), change('a', 1)])).toEqual([
      { repositoryId: 'a', day: 1 },
      { repositoryId: 'a', day: 3 },
      { repositoryId: 'b', day: 2 },
    ]);
  });

  it('gives null (not 0) average without commits, and rounds averages so recomputes are identical', () => {
    const empty = { commits: 0, additions: 0, deletions: 0, files_changed: 0, large_commits: 0, avg_commit_size: null };
    expect(repoMetricsRow({ repositoryId: 'r', day: 1 }, empty, 5).avg_commit_size).toBeNull();
    const rollup = {
      commits: 3,
      additions: 10,
      deletions: 0,
      files_changed: 3,
      large_commits: 0,
      avg_commit_size: 10 / 3,
    };
    expect(repoMetricsRow({ repositoryId: 'r', day: 1 }, rollup, 5)).toEqual({
      repository_id: 'r',
      day: 1,
      computed_at: 5,
      commits: 3,
      additions: 10,
      deletions: 0,
      files_changed: 3,
      large_commits: 0,
      avg_commit_size: 3.3333,
    });
    expect(
      userMetricsRow(
        { repositoryId: 'r', day: 1 },
        { ...rollup, author_identity_id: 'identity:a', author_email: 'a' },
        5,
      ),
    ).toMatchObject({
      author_identity_id: 'identity:a',
      author_email: 'a',
      avg_commit_size: 3.3333,
    });
  });
});
