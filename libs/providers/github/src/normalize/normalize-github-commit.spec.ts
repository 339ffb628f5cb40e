import type { GitHubCommitPayload } from '../payloads';
import type { Commit, CommitFileChange, Identity, RawRecord } from '@dev-health/schemas';
import { IdentityResolver, NormalizationError, createNormalize } from '@dev-health/normalize';
import { GITHUB_NORMALIZERS, githubRepositoryId } from './index';
import { noreplyLogin } from './normalize-github-commit';

const normalize = createNormalize({ github: GITHUB_NORMALIZERS });
const provenance = {
  raw_topic: 'dho.raw.github',
  raw_partition: 0,
  raw_offset: 9,
  raw_source_id: 'x',
  fetched_at: 0,
  reprocessing_generation: 0,
};
const context = { provenance, identities: new IdentityResolver({ 'bob@acme.example': ['github:bob'] }) };
const SHA = 'a'.repeat(40);

function raw(payload: unknown, scope = 'acme-inc/api'): RawRecord {
  return {
    org_id: 'acme',
    provider: 'github',
    entity_kind: 'commit',
    source_id: `4242@${SHA}`,
    scope,
    fetched_at: 0,
    request: 'git log',
    cursor: null,
    sync_mode: 'incremental',
    backfill_job_id: null,
    payload: JSON.stringify(payload),
  };
}

const commit: GitHubCommitPayload = {
  repository_id: 4242,
  sha: SHA,
  parents: ['b'.repeat(40)],
  author: { name: 'Ada', email: '583231+Ada@users.noreply.github.com', timestamp: 1_772_423_100, timezone: '+0530' },
  committer: { name: 'Bob', email: 'bob@acme.example', timestamp: 1_772_430_000, timezone: '-0700' },
  subject: 'Add search',
  files: [
    { path: 'src/search.ts', additions: 40, deletions: 2 },
    { path: 'logo.png', additions: null, deletions: null },
  ],
};

const of = <T>(outputs: ReturnType<typeof normalize>, entity: string): T[] =>
  outputs.filter((output) => output.entity === entity).map((output) => output.record as T);

describe('GitHub commit normalizer (golden)', () => {
  it('keys commit and file changes by the immutable repository id, so a rename keeps them', () => {
    const before = normalize(raw(commit), context);
    const after = normalize(raw(commit, 'acme-inc/renamed'), context);
    const [stored] = of<Commit>(before, 'commit');
    expect(stored).toMatchObject({
      id: `acme/github:commit:4242/${SHA}`,
      provider: 'github',
      repository_id: githubRepositoryId('acme', 4242),
      authored_at: 1_772_423_100_000,
      author_utc_offset_minutes: 330,
      committed_at: 1_772_430_000_000,
      committer_utc_offset_minutes: -420,
      files_changed: 2,
      additions: 40,
      deletions: 2,
      is_merge: false,
    });
    expect(of<Commit>(after, 'commit')[0]?.id).toBe(stored?.id);
    expect(of<CommitFileChange>(before, 'commit_file_change')).toEqual([
      expect.objectContaining({ id: `acme/github:commit_file_change:4242/${SHA}/src/search.ts`, additions: 40 }),
      expect.objectContaining({ path: 'logo.png', is_binary: true, additions: 0 }),
    ]);
  });

  it("resolves a noreply address to the login's identity, the one pull requests and reviews resolve", () => {
    const outputs = normalize(raw(commit), context);
    const [stored] = of<Commit>(outputs, 'commit');
    expect(stored?.author_identity_id).toBe('acme/identity:github:ada');
    // bob's email and login are one person through the alias table.
    expect(stored?.committer_identity_id).toBe('acme/identity:bob@acme.example');
    const pullRequestAuthor = context.identities.inOrg('acme').resolve('github:Ada').id;
    expect(stored?.author_identity_id).toBe(pullRequestAuthor);
    expect(of<Identity>(outputs, 'identity')).toEqual([
      expect.objectContaining({ id: 'acme/identity:github:ada', logins: ['github:ada'], display_name: 'Ada' }),
      expect.objectContaining({ id: 'acme/identity:bob@acme.example', logins: ['github:bob'] }),
    ]);
  });

  it('reads both noreply forms and nothing else', () => {
    expect(noreplyLogin('583231+octocat@users.noreply.github.com')).toBe('octocat');
    expect(noreplyLogin('Octo-Cat@users.noreply.github.com')).toBe('octo-cat');
    expect(noreplyLogin('octocat@github.com')).toBeNull();
    expect(noreplyLogin('a@b.users.noreply.github.com')).toBeNull();
  });

  it('takes an API-read commit’s totals when its files were not read, and writes no file change', () => {
    const apiRead: GitHubCommitPayload = {
      ...commit,
      files: [],
      totals: { additions: 120, deletions: 7, files_changed: 4 },
    };
    const outputs = normalize(raw(apiRead), context);
    expect(of<Commit>(outputs, 'commit')[0]).toMatchObject({
      files_changed: 4,
      additions: 120,
      deletions: 7,
      size_bucket: of<Commit>(
        normalize(raw({ ...commit, files: [{ path: 'a', additions: 120, deletions: 7 }] }), context),
        'commit',
      )[0]?.size_bucket,
    });
    expect(of<CommitFileChange>(outputs, 'commit_file_change')).toEqual([]);
    expect(() => normalize(raw({ ...apiRead, totals: { additions: 1 } }), context)).toThrow(/field "deletions"/);
  });

  it('sends a bad offset or a missing field to the dead-letter topic, naming it', () => {
    const badZone = { ...commit, author: { ...commit.author, timezone: 'CET' } };
    expect(() => normalize(raw(badZone), context)).toThrow(NormalizationError);
    expect(() => normalize(raw(badZone), context)).toThrow(/github\/commit 4242@a+: author/);
    expect(() => normalize(raw({ ...commit, repository_id: 'x' }), context)).toThrow(/field "repository_id"/);
  });
});
