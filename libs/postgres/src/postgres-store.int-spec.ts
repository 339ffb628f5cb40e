import { createTestDatabase, stackEndpoints } from '@dev-health/testing';
import type { CommitFileChange, PullRequest, UserMetricsDaily } from '@dev-health/schemas';
import { MIGRATIONS } from './data-source';
import { PostgresStore } from './postgres-store';

describe('PostgresStore (real Postgres)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresStore;

  beforeAll(async () => {
    database = await createTestDatabase(stackEndpoints().databaseUri, 'store');
    store = await PostgresStore.connect(database.uri, 'store-test');
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('migrations produce exactly the schema the TypeORM entities describe', async () => {
    const pending = await store.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('three services starting at once on a new database apply each migration once (the lock)', async () => {
    const fresh = await createTestDatabase(stackEndpoints().databaseUri, 'race');
    try {
      const stores = await Promise.all(['a', 'b', 'c'].map((name) => PostgresStore.connect(fresh.uri, name)));
      const rows = await stores[0]?.dataSource.query<{ name: string }[]>('SELECT name FROM migrations ORDER BY id');
      expect(rows?.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
      await Promise.all(stores.map((store) => store.close()));
    } finally {
      await fresh.drop();
    }
  });

  it('connecting again applies nothing twice', async () => {
    const again = await PostgresStore.connect(database.uri, 'again');
    const rows = await again.dataSource.query<{ count: number }[]>('SELECT count(*)::int AS count FROM migrations');
    expect(rows[0]?.count).toBe(MIGRATIONS.length);
    await again.close();
  });

  it('upserts batches larger than one statement can bind, idempotently, keeping the newest version of a repeated id', async () => {
    const provenance = {
      raw_topic: 't',
      raw_partition: 0,
      raw_offset: 1,
      raw_source_id: 's',
      fetched_at: 0,
      reprocessing_generation: 0,
    };
    const changes: CommitFileChange[] = Array.from({ length: 9_000 }, (_, index) => ({
      id: `git:commit_file_change:r/${index}`,
      org_id: 'default',
      provider: 'git',
      provenance,
      commit_id: `c${index}`,
      repository_id: 'git:repository:r',
      path: `f${index}`,
      previous_path: null,
      additions: index,
      deletions: 0,
      is_binary: false,
      committed_at: Date.UTC(2026, 0, 1),
    }));
    // Fetched later: the newer version, wherever it stands in the batch.
    const repeated = {
      ...changes[0],
      additions: 999,
      provenance: { ...provenance, fetched_at: 1 },
    } as CommitFileChange;
    for (let pass = 0; pass < 2; pass++) {
      const written = await store.transaction((manager) =>
        store.upsert(manager, 'commit_file_change', pass === 0 ? [...changes, repeated] : [repeated, ...changes]),
      );
      expect(written).toEqual({ written: 9_000, changed: null });
    }
    const [row] = await store.dataSource.query<{ count: number; first: number }[]>(
      `SELECT count(*)::int AS count, (SELECT additions FROM commit_file_changes WHERE id = 'git:commit_file_change:r/0') AS first FROM commit_file_changes`,
    );
    expect(row).toEqual({ count: 9_000, first: 999 });
  });

  it('keeps the newest version of a versioned entity whatever order versions arrive in', async () => {
    const provenance = {
      raw_topic: 't',
      raw_partition: 0,
      raw_offset: 1,
      raw_source_id: 's',
      fetched_at: 0,
      reprocessing_generation: 0,
    };
    const open: PullRequest = {
      id: 'synthetic:pull_request:r/1',
      org_id: 'default',
      provider: 'synthetic',
      provenance,
      repository_id: 'synthetic:repository:r',
      number: 1,
      title: 'Add a thing',
      state: 'open',
      author_identity_id: 'identity:a@example.com',
      created_at: Date.UTC(2026, 0, 1, 9),
      merged_at: null,
      closed_at: null,
      base_branch: 'main',
      head_branch: 'feature',
      merge_commit_sha: null,
      additions: 10,
      deletions: 2,
      changed_files: 1,
      is_revert: false,
      is_draft: false,
      labels: [],
      requested_reviewer_identity_ids: [],
      closing_work_item_ids: [],
      work_item_keys: [],
      updated_at: Date.UTC(2026, 0, 1, 9),
    };
    const merged: PullRequest = {
      ...open,
      state: 'merged',
      merged_at: Date.UTC(2026, 0, 2, 10),
      closed_at: Date.UTC(2026, 0, 2, 10),
      updated_at: Date.UTC(2026, 0, 2, 10),
    };
    const write = (records: PullRequest[]) =>
      store.transaction((manager) => store.upsert(manager, 'pull_request', records, { withPrevious: true }));
    const summary = async (records: PullRequest[]) =>
      ((await write(records)).changed ?? []).map(({ record, previous, sameVersion }) => ({
        state: (record as PullRequest).state,
        previous: (previous as PullRequest | null)?.state ?? null,
        previousMergedAt: (previous as PullRequest | null)?.merged_at ?? null,
        sameVersion,
      }));
    expect(await summary([open])).toEqual([
      { state: 'open', previous: null, previousMergedAt: null, sameVersion: false },
    ]);
    // The newer version reports what it replaced, timestamps as epoch milliseconds again.
    expect(await summary([merged])).toEqual([
      { state: 'merged', previous: 'open', previousMergedAt: null, sameVersion: false },
    ]);
    // An older version arriving late changes nothing and reports nothing; a redelivery reports itself.
    expect(await summary([open])).toEqual([]);
    expect(await summary([merged, open])).toEqual([
      { state: 'merged', previous: 'merged', previousMergedAt: merged.merged_at, sameVersion: true },
    ]);
    const rows = await store.dataSource.query<{ state: string; merged_at: Date }[]>(
      `SELECT state, merged_at FROM pull_requests WHERE id = $1`,
      [open.id],
    );
    expect(rows).toEqual([{ state: 'merged', merged_at: new Date(Date.UTC(2026, 0, 2, 10)) }]);
  });

  it('appends metric rows in chunks and ignores a replayed row', async () => {
    const rows: UserMetricsDaily[] = Array.from({ length: 7_000 }, (_, index) => ({
      org_id: 'default',
      repository_id: 'r',
      author_identity_id: `identity:${index}@x`,
      author_email: `${index}@x`,
      day: 20_000,
      computed_at: Date.UTC(2026, 0, 1),
      commits: 1,
      additions: 1,
      deletions: 0,
      files_changed: 1,
      large_commits: 0,
      avg_commit_size: 1,
      lines_touched: 1,
      large_commit_ratio: 0,
      prs_authored: 0,
      prs_merged: 0,
      reviews_given: 0,
      reviews_received: 0,
      active_hours: null,
    }));
    await store.transaction((manager) => store.appendMetrics(manager, 'user_metrics_daily', rows));
    await store.transaction((manager) => store.appendMetrics(manager, 'user_metrics_daily', rows));
    const [row] = await store.dataSource.query<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM user_metrics_daily',
    );
    expect(row?.count).toBe(7_000);
  });
});
