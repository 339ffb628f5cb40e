import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type GitLogCommit, PartialClone, PartialCloneError } from '@dev-health/git';
import { FakeGitHub } from './fake-github';
import { FixtureRepository } from './fake-git-server';

const ada = { name: 'Ada Lovelace', email: 'ada@acme.example' };
const octo = { name: 'Octo Cat', email: '583231+octocat@users.noreply.github.com' };

async function collect(commits: AsyncGenerator<GitLogCommit>): Promise<GitLogCommit[]> {
  const result: GitLogCommit[] = [];
  for await (const commit of commits) result.push(commit);
  return result;
}

describe('PartialClone against the fake GitHub git server', () => {
  let root: string;
  let fixture: FixtureRepository;
  let fake: FakeGitHub;
  let url: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'partial-clone-'));
    fixture = await FixtureRepository.create(path.join(root, 'fixture', 'api'));
    await fixture.commit({
      author: ada,
      date: '2026-03-02T09:15:00+05:30',
      message: 'first',
      files: { 'a.txt': 'a\nb\n' },
    });
    await fixture.commit({
      author: octo,
      date: '2026-03-02T18:00:00-07:00',
      message: 'second',
      files: { 'a.txt': 'a\nc\nd\n', 'b.txt': 'x\n' },
    });
    fake = new FakeGitHub('acme-inc', [
      {
        id: 1,
        name: 'api',
        createdAt: '2025-01-01T00:00:00Z',
        pullRequests: [],
        deployments: [],
        workflowRuns: [],
        issues: [],
        gitDirectory: fixture.gitDirectory,
      },
    ]);
    url = `${await fake.start()}/acme-inc/api.git`;
  });

  afterAll(async () => {
    await fake.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('clones blob-less with the token kept out of the config, prefetches numstat blobs in one request', async () => {
    const directory = path.join(root, 'clones', '1.git');
    const clone = await PartialClone.open({ directory, url, token: fake.token });
    const head = await clone.fetchBranch('main');
    expect(head).toBe(await fixture.head());
    const config = await readFile(path.join(directory, 'config'), 'utf8');
    expect(config).toContain('partialclonefilter = blob:none');
    expect(config).not.toContain(fake.token ?? '-');
    expect(config).not.toMatch(/extraheader|authorization/i);

    const before = fake.git.requests.length;
    expect(await clone.prefetchBlobs(['main'])).toEqual({ missing: 3, fetches: 1 });
    const commits = await collect(clone.streamCommits(['main']));
    // The prefetch was one POST; git log then needed nothing more.
    expect(fake.git.requests.length - before).toBeLessThanOrEqual(2);
    expect(commits.map((commit) => [commit.subject, commit.author.timezone, commit.files])).toEqual([
      [
        'second',
        '-0700',
        [
          { path: 'a.txt', additions: 2, deletions: 1 },
          { path: 'b.txt', additions: 1, deletions: 0 },
        ],
      ],
      ['first', '+0530', [{ path: 'a.txt', additions: 2, deletions: 0 }]],
    ]);
    expect(await clone.prefetchBlobs(['main'])).toEqual({ missing: 0, fetches: 0 });
    expect(await clone.fetchBranch('no-such-branch')).toBeNull();
  });

  it('fails with a bad token as an auth failure whose message never holds the token', async () => {
    const token = 'ghp_wrong-token-value';
    const error = await PartialClone.open({ directory: path.join(root, 'clones', '2.git'), url, token }).then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(PartialCloneError);
    expect((error as PartialCloneError).authFailed).toBe(true);
    expect((error as PartialCloneError).message).toMatch(/git clone failed for http/);
    expect((error as PartialCloneError).message).not.toContain(token);
    expect((error as PartialCloneError).message).not.toContain(
      Buffer.from(`x-access-token:${token}`).toString('base64'),
    );
  });

  it('redacts the token and its Basic form from any text', async () => {
    const clone = await PartialClone.open({ directory: path.join(root, 'clones', '1.git'), url, token: 'sekret' });
    const basic = Buffer.from('x-access-token:sekret').toString('base64');
    expect(clone.redact(`header Authorization: Basic ${basic} for sekret`)).toBe(
      'header Authorization: Basic *** for ***',
    );
  });
});
