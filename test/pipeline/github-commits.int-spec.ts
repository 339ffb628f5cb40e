import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AdminApi,
  type RunningService,
  createTestDatabase,
  issueApiKey,
  listeningUrl,
  pipelineEnvironment,
  queryRows,
  stackEndpoints,
  startService,
  waitFor,
} from '@dev-health/testing';
import { FakeGitHub } from '../fakes/github/fake-github';
import { type FixtureCommit, FixtureRepository } from '../fakes/github/fake-git-server';

const ada = { name: 'Ada Lovelace', email: 'ada@acme.example' };
const octocat = { name: 'The Octocat', email: '583231+octocat@users.noreply.github.com' };
const REPOSITORY_ID = 700_001;

/**
 * Commits of a GitHub repository through its bare partial clone, served by the fake GitHub's git
 * over HTTP, on the real stack (admin → connector-github → processor → Postgres): exact per-file
 * stats and offsets, a noreply author linked to the login's identity, incremental, force-pushed and
 * unchanged re-syncs.
 */
describe('GitHub commits from a partial clone (real stack)', () => {
  const endpoints = stackEndpoints();
  const services: RunningService[] = [];
  let root: string;
  let fixture: FixtureRepository;
  let fake: FakeGitHub;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let api: AdminApi;
  let integration: string;
  let connector: RunningService;

  /** Integrations by org: acme clones; acme-api and acme-totals read commits through the API. */
  const integrations = new Map<string, string>();
  const sync = async (org = 'acme') =>
    api.waitForEnd(org, (await api.requestSync(org, integrations.get(org) ?? integration)).run.id, 120_000);
  const storedCommits = (org = 'acme') =>
    queryRows<{
      sha: string;
      message_subject: string;
      author_utc_offset_minutes: number;
      committer_utc_offset_minutes: number;
      authored_at: Date;
      additions: number;
      deletions: number;
      files_changed: number;
      is_merge: boolean;
      files: string | null;
    }>(
      database.uri,
      `SELECT c.sha, c.message_subject, c.author_utc_offset_minutes, c.committer_utc_offset_minutes, c.authored_at,
              c.additions, c.deletions, c.files_changed, c.is_merge,
              string_agg(f.path || ':' || f.additions || ':' || f.deletions, ',' ORDER BY f.path) AS files
         FROM commits c LEFT JOIN commit_file_changes f ON f.commit_id = c.id
        WHERE c.provider = 'github' AND c.org_id = '${org}' AND c.repository_id LIKE '%:${REPOSITORY_ID}'
        GROUP BY c.sha, c.message_subject, c.author_utc_offset_minutes, c.committer_utc_offset_minutes,
                 c.authored_at, c.additions, c.deletions, c.files_changed, c.is_merge
        ORDER BY c.sha`,
    );
  const waitForCommits = (count: number, org = 'acme') =>
    waitFor(async () => (await storedCommits(org)).length === count, {
      description: `${count} commits of ${org} in Postgres`,
      timeoutMs: 60_000,
      intervalMs: 500,
    });
  const commit = (message: string, author: typeof ada, date: string, files: FixtureCommit['files']) =>
    fixture.commit({ author, date, message, files });

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'github-commits-'));
    fixture = await FixtureRepository.create(path.join(root, 'fixtures', 'api'));
    await commit('Add a and b', ada, '2026-03-02T09:15:00+05:30', { 'a.txt': '1\n2\n3\n', 'b.txt': 'x\ny\n' });
    await commit('Edit a, drop b', octocat, '2026-03-02T18:00:00-07:00', { 'a.txt': '1\n2\nthree\n', 'b.txt': null });
    await fixture.branch('release');
    await commit('Add c', ada, '2026-03-03T10:00:00+05:30', { 'src/c.ts': 'a\nb\nc\nd\ne\n' });
    fake = new FakeGitHub('acme-inc', [
      {
        id: REPOSITORY_ID,
        name: 'api',
        createdAt: '2025-06-01T00:00:00Z',
        gitDirectory: fixture.gitDirectory,
        pullRequests: [
          {
            number: 1,
            title: 'Edit a',
            state: 'MERGED',
            createdAt: '2026-03-02T20:00:00Z',
            updatedAt: '2026-03-03T01:00:00Z',
            mergedAt: '2026-03-03T01:00:00Z',
            closedAt: '2026-03-03T01:00:00Z',
            additions: 1,
            deletions: 3,
            changedFiles: 2,
            author: 'octocat',
            reviews: [],
            comments: [],
            labels: [],
            requestedReviewers: [],
            closes: [],
          },
        ],
        deployments: [],
        workflowRuns: [],
        issues: [],
      },
      // No commits at all: the clone is empty and its default branch does not exist yet.
      {
        id: REPOSITORY_ID + 1,
        name: 'empty',
        createdAt: '2025-06-01T00:00:00Z',
        pullRequests: [],
        deployments: [],
        workflowRuns: [],
        issues: [],
      },
    ]);
    const apiUrl = await fake.start();
    database = await createTestDatabase(endpoints.databaseUri, 'github_commits');
    const pipeline = pipelineEnvironment('github_commits', database.uri);
    const env = { ...pipeline.env, ADMIN_TICK_SECONDS: '1', SYNC_HEARTBEAT_SECONDS: '1' };
    const token = await issueApiKey(env);
    const admin = startService('admin', env);
    connector = startService('connector-github', {
      ...env,
      GITHUB_API_URL: apiUrl,
      GITHUB_TOKEN: fake.token ?? '',
      GITHUB_CLONE_DIR: path.join(root, 'clones'),
    });
    services.push(admin, connector, startService('processor', env), startService('sink-postgres', env));
    api = new AdminApi(await listeningUrl(admin), token);
    await connector.waitForLog(/"message":"connector consuming commands"/);
    expect((await api.call('POST', '/orgs', { slug: 'acme', name: 'Acme' })).status).toBe(201);
    const created = await api.call('POST', '/orgs/acme/integrations', {
      provider: 'github',
      name: 'github',
      // Commits, and the PRs whose authors their noreply addresses link to.
      scope: { owner: 'acme-inc', branches: ['main', 'release'], collect: ['commits', 'pull_requests'] },
      credential_ref: 'env:GITHUB_TOKEN',
    });
    expect(created.status).toBe(201);
    integration = created.body.id as string;
    integrations.set('acme', integration);
    // The same repositories where cloning is not allowed: commits through the API, with and without files.
    for (const [org, commitFiles] of [
      ['acme-api', true],
      ['acme-totals', false],
    ] as const) {
      expect((await api.call('POST', '/orgs', { slug: org, name: org })).status).toBe(201);
      const through = await api.call('POST', `/orgs/${org}/integrations`, {
        provider: 'github',
        name: 'github',
        scope: {
          owner: 'acme-inc',
          branches: ['main', 'release'],
          collect: ['commits'],
          commits_from: 'api',
          commit_files: commitFiles,
        },
        credential_ref: 'env:GITHUB_TOKEN',
      });
      expect(through.status).toBe(201);
      integrations.set(org, through.body.id as string);
    }
  });

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await fake.stop();
    await database?.drop();
    await rm(root, { recursive: true, force: true });
  });

  it('publishes each commit of the branches once, with exact per-file stats and the authors’ offsets', async () => {
    const run = await sync();
    // release's commits are main's too: published once.
    expect(run).toMatchObject({ status: 'succeeded', records: { repository: 2, commit: 3, pull_request: 1 } });
    await waitForCommits(3);
    const bySubject = new Map(
      (
        await queryRows<{ message_subject: string; sha: string }>(
          database.uri,
          `SELECT message_subject, sha FROM commits WHERE provider = 'github'`,
        )
      ).map((row) => [row.message_subject, row.sha]),
    );
    const stored = new Map((await storedCommits()).map((row) => [row.sha, row]));
    expect(stored.get(bySubject.get('Add a and b') ?? '')).toMatchObject({
      author_utc_offset_minutes: 330,
      additions: 5,
      deletions: 0,
      files: 'a.txt:3:0,b.txt:2:0',
    });
    expect(stored.get(bySubject.get('Edit a, drop b') ?? '')).toMatchObject({
      author_utc_offset_minutes: -420,
      additions: 1,
      deletions: 3,
      files: 'a.txt:1:1,b.txt:0:2',
    });
    expect(stored.get(bySubject.get('Add c') ?? '')).toMatchObject({ additions: 5, files: 'src/c.ts:5:0' });
    // No API request for commits: the repositories (1 page), both repositories' PR probes and their first
    // PR pages in one GraphQL request, then per repository the first page of review comments (its own probe).
    const comments = (name: string) => [`/repos/acme-inc/${name}/pulls/comments`];
    expect(fake.counted().map((request) => request.path.split('?')[0])).toEqual([
      '/orgs/acme-inc/repos',
      '/repos/acme-inc/api/pulls',
      '/repos/acme-inc/empty/pulls',
      '/graphql',
      ...comments('api'),
      ...comments('empty'),
    ]);
  });

  it('links the noreply author to the identity of the login that opened the pull request', async () => {
    const linked = await waitFor(
      async () => {
        const rows = await queryRows<{ commit_author: string; pr_author: string; logins: string[] }>(
          database.uri,
          `SELECT c.author_identity_id AS commit_author, p.author_identity_id AS pr_author, i.logins
             FROM commits c, pull_requests p, identities i
            WHERE c.message_subject = 'Edit a, drop b' AND p.number = 1 AND i.id = c.author_identity_id`,
        );
        return rows[0];
      },
      { description: 'the noreply commit, the PR and the identity in Postgres', timeoutMs: 30_000 },
    );
    expect(linked.commit_author).toBe(linked.pr_author);
    expect(linked.logins).toEqual(['github:octocat']);
  });

  it('re-syncs unchanged branches publishing nothing, with no API request counted', async () => {
    const from = fake.requests.length;
    const fetches = fake.git.requests.length;
    const run = await sync();
    expect(run.status).toBe('succeeded');
    expect(run.records).toEqual({});
    expect(fake.counted(from)).toEqual([]);
    // It did ask git: a fetch per branch (advertisement and negotiation only).
    expect(fake.git.requests.length).toBeGreaterThan(fetches);
  });

  it('publishes only the commits added since', async () => {
    await commit('Grow c', octocat, '2026-03-04T08:00:00-07:00', { 'src/c.ts': 'a\nb\nc\nd\ne\nf\n' });
    await commit('Add d', ada, '2026-03-04T09:00:00+05:30', { 'd.txt': 'd\n' });
    const run = await sync();
    expect(run).toMatchObject({ status: 'succeeded', records: { commit: 2 } });
    await waitForCommits(5);
  });

  it('after a force-push publishes the rewritten commits only, then nothing', async () => {
    await fixture.resetHard('HEAD~1');
    const rewritten = await commit('Add d, reworded', ada, '2026-03-04T09:30:00+05:30', { 'd.txt': 'd\nd\n' });
    const run = await sync();
    expect(run).toMatchObject({ status: 'succeeded', records: { commit: 1 } });
    // The commit the push dropped stays stored; the new head is there with its own stats.
    await waitForCommits(6);
    expect((await storedCommits()).find((row) => row.sha === rewritten)).toMatchObject({ files: 'd.txt:2:0' });
    const unchanged = await sync();
    expect(unchanged.status).toBe('succeeded');
    expect(unchanged.records).toEqual({});
  });

  describe('through the API, where cloning is not allowed', () => {
    /** What either path must agree on, per commit: the clone's rows are the reference. */
    const comparable = (rows: Awaited<ReturnType<typeof storedCommits>>, withFiles: boolean) =>
      rows.map((row) => ({
        sha: row.sha,
        subject: row.message_subject,
        offsets: [row.author_utc_offset_minutes, row.committer_utc_offset_minutes],
        authoredAt: new Date(row.authored_at).toISOString(),
        lines: [row.additions, row.deletions, row.files_changed],
        merge: row.is_merge,
        ...(withFiles ? { files: row.files } : {}),
      }));
    const cloned = async (shas: string[]) => (await storedCommits()).filter((row) => shas.includes(row.sha));

    it('publishes the branches’ commits once, equal to the clone’s, with files at a request per commit', async () => {
      const from = fake.requests.length;
      const run = await sync('acme-api');
      // main and release now reach 5 commits (the force-push dropped one); release's are main's too.
      expect(run).toMatchObject({ status: 'succeeded', records: { repository: 2, commit: 5 } });
      await waitForCommits(5, 'acme-api');
      const viaApi = await storedCommits('acme-api');
      expect(comparable(viaApi, true)).toEqual(comparable(await cloned(viaApi.map((row) => row.sha)), true));
      // The branch (free when unchanged next time), one history page, a REST commit per commit; release is
      // inside main's history, so no walk; the empty repository has no branches (404).
      const commitRequests = viaApi.map((row) => `/repos/acme-inc/api/commits/${row.sha}`);
      const paths = fake.counted(from).map((request) => request.path.split('?')[0] ?? '');
      expect([...paths.slice(3, 3 + commitRequests.length)].sort()).toEqual(commitRequests.sort());
      expect([...paths.slice(0, 3), ...paths.slice(3 + commitRequests.length)]).toEqual([
        '/orgs/acme-inc/repos',
        '/repos/acme-inc/api/branches/main',
        '/graphql',
        '/repos/acme-inc/api/branches/release',
        '/repos/acme-inc/empty/branches/main',
        '/repos/acme-inc/empty/branches/release',
      ]);
    });

    it('without files: the commits’ totals, no file rows, a request per 100 commits', async () => {
      const from = fake.requests.length;
      const run = await sync('acme-totals');
      expect(run).toMatchObject({ status: 'succeeded', records: { commit: 5 } });
      await waitForCommits(5, 'acme-totals');
      const viaApi = await storedCommits('acme-totals');
      expect(comparable(viaApi, false)).toEqual(comparable(await cloned(viaApi.map((row) => row.sha)), false));
      expect(viaApi.every((row) => row.files === null)).toBe(true);
      expect(fake.counted(from).filter((request) => request.path.startsWith('/graphql'))).toHaveLength(1);
      expect(fake.counted(from).filter((request) => request.path.includes('/commits/'))).toEqual([]);
    });

    it('re-syncs unchanged branches with 304s only', async () => {
      const from = fake.requests.length;
      const run = await sync('acme-api');
      expect(run.status).toBe('succeeded');
      expect(run.records).toEqual({});
      expect(fake.counted(from)).toEqual([]);
      expect(fake.requests.length).toBeGreaterThan(from);
    });

    it('finds a merged branch’s commits that are older than the published head, as the clone does', async () => {
      const base = await fixture.head('HEAD~2');
      await fixture.branch('feature', base);
      await fixture.checkout('feature');
      // Committed before main's newest commits: date order lists it below the published head.
      const feature = await commit('Feature work', octocat, '2026-03-03T12:00:00-07:00', { 'f.txt': 'f\ng\n' });
      await fixture.checkout('main');
      const merge = await fixture.merge('feature', ada, '2026-03-05T10:00:00+05:30', 'Merge feature');
      for (const org of ['acme', 'acme-api', 'acme-totals']) {
        const run = await sync(org);
        expect({ org, ...run }).toMatchObject({ org, status: 'succeeded', records: { commit: 2 } });
      }
      await waitForCommits(7, 'acme-api');
      await waitForCommits(7, 'acme-totals');
      await waitForCommits(8);
      for (const [org, withFiles] of [
        ['acme-api', true],
        ['acme-totals', false],
      ] as const) {
        const added = (await storedCommits(org)).filter((row) => row.sha === feature || row.sha === merge);
        expect(comparable(added, withFiles)).toEqual(comparable(await cloned([feature, merge]), withFiles));
      }
      expect((await cloned([merge]))[0]).toMatchObject({ is_merge: true, additions: 0, files: null });
      expect((await cloned([feature]))[0]).toMatchObject({ additions: 2, files: 'f.txt:2:0' });
    });
  });
});
