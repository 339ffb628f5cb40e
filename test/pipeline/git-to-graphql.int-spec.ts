import {
  type FixtureCommit,
  type RunningService,
  appendCommits,
  createGitRepository,
  createTestDatabase,
  graphqlQuery,
  lines,
  listeningUrl,
  queryRows,
  runToCompletion,
  stackEndpoints,
  startService,
  uniqueName,
  waitFor,
  waitForSettled,
  issueApiKey,
} from '@dev-health/testing';
import { KafkaClient } from '@dev-health/kafka';
import { JsonLogger } from '@dev-health/observability';
import { Topology } from '@dev-health/schemas';

/**
 * The walking skeleton end to end on the real stack: a generated repository with known commits
 * goes through connector → Kafka → processor → Postgres → metrics → GraphQL, and the numbers that
 * come back are exactly the ones the repository implies.
 */
describe('local git → GraphQL (real stack, services as processes)', () => {
  const endpoints = stackEndpoints();
  const prefix = uniqueName('e2e');
  const services: RunningService[] = [];
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let env: Record<string, string>;
  let graphqlUrl: string;
  let repository: string;
  const kafka = new KafkaClient(
    { brokers: endpoints.kafkaBrokers, clientId: 'e2e-test' },
    new JsonLogger('test', 'error'),
  );

  // Two days, two people (Ada commits under two addresses that differ only in case), offsets +05:30 and -08:00.
  // Day 2026-03-02 (UTC): c1 Ada 10 lines, c2 Bob 60 lines (medium), c3 Ada 5+/2- (edit of c1's file).
  // Day 2026-03-03 (UTC): c4 Bob 400 lines (large); c5 Ada at 23:30-08:00 on 03-02 local = 03-03 07:30 UTC.
  const initialCommits: FixtureCommit[] = [
    {
      authorName: 'Ada',
      authorEmail: 'ada@example.com',
      date: '2026-03-02T10:00:00+05:30',
      message: 'c1',
      files: { 'a.txt': lines(10) },
    },
    {
      authorName: 'Bob',
      authorEmail: 'bob@example.com',
      date: '2026-03-02T12:00:00+00:00',
      message: 'c2',
      files: { 'b.txt': lines(60) },
    },
    {
      authorName: 'Ada',
      authorEmail: 'ADA@Example.com',
      date: '2026-03-02T20:00:00+00:00',
      message: 'c3',
      files: { 'a.txt': lines(8) + lines(5, 'new') },
    },
    {
      authorName: 'Bob',
      authorEmail: 'bob@example.com',
      date: '2026-03-03T09:00:00+00:00',
      message: 'c4',
      files: { 'c.txt': lines(400) },
    },
    {
      authorName: 'Ada',
      authorEmail: 'ada@example.com',
      date: '2026-03-02T23:30:00-08:00',
      message: 'c5',
      files: { 'd.txt': lines(3) },
    },
  ];

  let gatewayToken: string;
  const graphql = <T>(query: string) => graphqlQuery<T>(graphqlUrl, query, gatewayToken);

  async function repoMetrics(): Promise<
    { day: string; commits: number; additions: number; deletions: number; filesChanged: number; largeCommits: number }[]
  > {
    const data = await graphql<{
      repoMetrics: {
        day: string;
        commits: number;
        additions: number;
        deletions: number;
        filesChanged: number;
        largeCommits: number;
      }[];
    }>(
      `{ repoMetrics(repositoryId: "git:repository:${repositoryName()}", from: "2026-03-01", to: "2026-03-31") { day commits additions deletions filesChanged largeCommits } }`,
    );
    return data.repoMetrics;
  }

  function repositoryName(): string {
    return repository.split('/').pop() ?? repository;
  }

  async function rawCommitCount(): Promise<number> {
    let count = 0;
    await kafka.readToEnd(`${prefix}.raw.git`, (record) => {
      if (record.headers['dho.entity-kind'] === 'commit') count++;
    });
    return count;
  }

  beforeAll(async () => {
    database = await createTestDatabase(endpoints.databaseUri, 'e2e');
    repository = createGitRepository(initialCommits);
    env = {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
      DATABASE_URI: database.uri,
      TOPIC_PREFIX: prefix,
      GIT_REPOSITORIES: repository,
    };
    for (const name of ['processor', 'sink-postgres', 'metrics'] as const) {
      const service = startService(name, env);
      services.push(service);
      await service.waitForLog(/consuming/);
    }
    const gateway = startService('gateway', env);
    services.push(gateway);
    graphqlUrl = await listeningUrl(gateway);
    gatewayToken = await issueApiKey(env);
  });

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await database?.drop();
  });

  const expectedDays = [
    { day: '2026-03-02', commits: 3, additions: 10 + 60 + 5, deletions: 2, filesChanged: 3, largeCommits: 0 },
    { day: '2026-03-03', commits: 2, additions: 400 + 3, deletions: 0, filesChanged: 2, largeCommits: 1 },
  ];

  it('serves exact per-day and per-author numbers through GraphQL', async () => {
    const run = await runToCompletion('connector-git', env);
    expect(run.code).toBe(0);

    await waitFor(async () => JSON.stringify(await repoMetrics()) === JSON.stringify(expectedDays), {
      description: 'repo metrics for both days',
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    expect(await repoMetrics()).toEqual(expectedDays);

    const users = await graphql<{
      userMetrics: { day: string; authorEmail: string; commits: number; additions: number; deletions: number }[];
    }>(
      `{ userMetrics(repositoryId: "git:repository:${repositoryName()}", from: "2026-03-01", to: "2026-03-31") { day authorEmail commits additions deletions } }`,
    );
    expect(users.userMetrics).toEqual([
      { day: '2026-03-02', authorEmail: 'ada@example.com', commits: 2, additions: 15, deletions: 2 },
      { day: '2026-03-02', authorEmail: 'bob@example.com', commits: 1, additions: 60, deletions: 0 },
      { day: '2026-03-03', authorEmail: 'ada@example.com', commits: 1, additions: 3, deletions: 0 },
      { day: '2026-03-03', authorEmail: 'bob@example.com', commits: 1, additions: 400, deletions: 0 },
    ]);
    expect(await rawCommitCount()).toBe(5);
  });

  it('re-running the connector publishes no commit again and changes no number', async () => {
    const run = await runToCompletion('connector-git', env);
    expect(run.code).toBe(0);
    expect(run.output).toContain('"commitsPublished":0');
    expect(await rawCommitCount()).toBe(5);
    // Read once every stage has caught up and the numbers hold still: a recompute the rerun caused has landed.
    const topology = new Topology(prefix);
    const settled = await waitForSettled(
      (group) => kafka.groupLag(group),
      ['processor', 'sink-postgres', 'metrics'].map((stage) => topology.group(stage)),
      repoMetrics,
    );
    expect(settled).toEqual(expectedDays);
  });

  it('publishes only commits added since the last run', async () => {
    appendCommits(repository, [
      {
        authorName: 'Bob',
        authorEmail: 'bob@example.com',
        date: '2026-03-03T15:00:00+00:00',
        message: 'c6',
        files: { 'e.txt': lines(7) },
      },
      {
        authorName: 'Cy',
        authorEmail: 'cy@example.com',
        date: '2026-03-04T08:00:00+00:00',
        message: 'c7',
        files: { 'c.txt': null },
      },
    ]);
    const run = await runToCompletion('connector-git', env);
    expect(run.code).toBe(0);
    expect(run.output).toContain('"commitsPublished":2');
    expect(await rawCommitCount()).toBe(7);

    const expected = [
      expectedDays[0],
      { day: '2026-03-03', commits: 3, additions: 410, deletions: 0, filesChanged: 3, largeCommits: 1 },
      { day: '2026-03-04', commits: 1, additions: 0, deletions: 400, filesChanged: 1, largeCommits: 1 },
    ];
    await waitFor(async () => JSON.stringify(await repoMetrics()) === JSON.stringify(expected), {
      description: 'metrics including the new commits',
      timeoutMs: 60_000,
      intervalMs: 250,
    });
  });

  it('publishes blame for the files at HEAD on demand, attributing every line', async () => {
    const run = await runToCompletion('connector-git', { ...env, GIT_BLAME: 'true' });
    expect(run.code).toBe(0);
    expect(run.output).toContain('"blameFilesPublished":4');
    // HEAD: a.txt 13 lines (8 by c1, 5 by c3), b.txt 60 (c2), d.txt 3 (c5), e.txt 7 (c6); c.txt was deleted by c7.
    const expected = [
      { path: 'a.txt', lines: 13, authors: 'identity:ada@example.com' },
      { path: 'b.txt', lines: 60, authors: 'identity:bob@example.com' },
      { path: 'd.txt', lines: 3, authors: 'identity:ada@example.com' },
      { path: 'e.txt', lines: 7, authors: 'identity:bob@example.com' },
    ];
    await waitFor(
      async () => {
        const rows = await queryRows<{ path: string; lines: number; authors: string }>(
          database.uri,
          `SELECT path, sum(line_count)::int AS lines, string_agg(DISTINCT author_identity_id, ',') AS authors
           FROM blame_lines GROUP BY path ORDER BY path`,
        );
        return JSON.stringify(rows) === JSON.stringify(expected);
      },
      { description: 'blame lines in Postgres', timeoutMs: 30_000, intervalMs: 250 },
    );
  });

  it('follows a renamed file into hotspots: one file under its new path, its history and blame kept', async () => {
    // c8: Cy moves b.txt (Bob's 60 lines) to docs/b.md and adds a line; git detects the rename.
    appendCommits(repository, [
      {
        authorName: 'Cy',
        authorEmail: 'cy@example.com',
        date: '2026-03-05T09:00:00+00:00',
        message: 'c8',
        files: { 'b.txt': null, 'docs/b.md': `${lines(60)}extra\n` },
      },
    ]);
    const run = await runToCompletion('connector-git', { ...env, GIT_BLAME: 'true' });
    expect(run.code).toBe(0);
    await waitFor(
      async () =>
        (
          await queryRows<{ previous_path: string | null }>(
            database.uri,
            `SELECT previous_path FROM commit_file_changes WHERE path = 'docs/b.md'`,
          )
        )[0]?.previous_path === 'b.txt',
      { description: 'the rename in Postgres', timeoutMs: 30_000, intervalMs: 250 },
    );
    type Row = { filePath: string; churnLoc30d: number; churnCommits30d: number; blameConcentration: number | null };
    const hotspots = async () =>
      (
        await graphql<{ hotspots: { rows: Row[] } }>(`
          {
            hotspots(input: { orgId: "default", sinceUtc: "2026-03-01T00:00:00Z", untilUtc: "2026-03-05T23:59:59Z" }) {
              rows {
                filePath
                churnLoc30d
                churnCommits30d
                blameConcentration
              }
            }
          }
        `)
      ).hotspots.rows;
    let rows: Row[] = [];
    await waitFor(
      async () => {
        rows = await hotspots();
        return rows.some((row) => row.filePath === 'docs/b.md' && row.blameConcentration !== null);
      },
      { description: 'hotspots with the renamed file and its blame', timeoutMs: 30_000, intervalMs: 500 },
    );
    // b.txt's 60 lines by c2 and the rename's added line, two commits; blame: Bob 60 of 61 lines.
    expect(rows.find((row) => row.filePath === 'docs/b.md')).toEqual({
      filePath: 'docs/b.md',
      churnLoc30d: 61,
      churnCommits30d: 2,
      blameConcentration: Math.round((60 / 61) * 10_000) / 10_000,
    });
    expect(rows.map((row) => row.filePath)).not.toContain('b.txt');
    // a.txt: c1 10 lines and c3 5+/2-, by Ada alone; c.txt: c4 400 added, c7 400 deleted (no blame: gone at HEAD).
    expect(rows.find((row) => row.filePath === 'a.txt')).toEqual({
      filePath: 'a.txt',
      churnLoc30d: 17,
      churnCommits30d: 2,
      blameConcentration: 1,
    });
    expect(rows.find((row) => row.filePath === 'c.txt')).toMatchObject({ churnLoc30d: 800, blameConcentration: null });
  });

  it('fails clearly on a path that is not a git repository, publishing nothing', async () => {
    const before = await rawCommitCount();
    const missing = await runToCompletion('connector-git', {
      ...env,
      GIT_REPOSITORIES: `${repository},/definitely/not/here`,
    });
    expect(missing.code).not.toBe(0);
    expect(missing.output).toContain('repository path does not exist: /definitely/not/here');
    const notGit = await runToCompletion('connector-git', { ...env, GIT_REPOSITORIES: '/tmp' });
    expect(notGit.code).not.toBe(0);
    expect(notGit.output).toContain('not a git repository: /tmp');
    expect(await rawCommitCount()).toBe(before);
  });

  it('fails fast at boot naming a missing or invalid variable', async () => {
    const run = await runToCompletion('processor', { ...env, KAFKA_BROKERS: '', IDENTITY_ALIASES: '[1]' });
    expect(run.code).toBe(1);
    expect(run.output).toContain('KAFKA_BROKERS is required');
    expect(run.output).toContain('IDENTITY_ALIASES must be a JSON object');
  });
});
