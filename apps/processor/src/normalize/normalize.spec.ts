import type { RawRecord } from '@dev-health/schemas';
import { IdentityResolver, NormalizationError } from '@dev-health/normalize';
import { normalize } from './normalize';
import { commitPartSourceId, splitCommit } from '@dev-health/git/split-commit';

const provenance = {
  raw_topic: 'dho.raw.git',
  raw_partition: 2,
  raw_offset: 41,
  reprocessing_generation: 0,
  raw_source_id: 'x',
  fetched_at: 1_700_001_000_000,
};
const context = { provenance, identities: new IdentityResolver({ 'ada@example.com': ['ada@home.example'] }) };

function rawCommit(payload: unknown, overrides: Partial<RawRecord> = {}): RawRecord {
  return {
    org_id: 'default',
    provider: 'git',
    entity_kind: 'commit',
    source_id: 'a'.repeat(40),
    scope: 'org/repo',
    fetched_at: 1_700_001_000_000,
    request: 'git log',
    cursor: null,
    sync_mode: 'incremental',
    backfill_job_id: null,
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    ...overrides,
  };
}

const commitPayload = {
  sha: 'a'.repeat(40),
  parents: ['b'.repeat(40)],
  author: { name: 'Ada', email: 'Ada@Home.Example', timestamp: 1_700_000_000, timezone: '+0530' },
  committer: { name: 'Bob', email: 'bob@example.com', timestamp: 1_700_000_600, timezone: '-0800' },
  subject: 'Add feature',
  files: [
    { path: 'src/a.ts', additions: 40, deletions: 11 },
    { path: 'logo.png', additions: null, deletions: null },
  ],
};

describe('normalize git/commit (golden)', () => {
  it('produces the commit, both identities and one file change per file, with provenance', () => {
    const outputs = normalize(rawCommit(commitPayload), context);
    expect(outputs.map((output) => `${output.entity}:${output.record.id}`)).toEqual([
      `commit:git:commit:org/repo/${'a'.repeat(40)}`,
      'identity:identity:ada@example.com',
      'identity:identity:bob@example.com',
      `commit_file_change:git:commit_file_change:org/repo/${'a'.repeat(40)}/src/a.ts`,
      `commit_file_change:git:commit_file_change:org/repo/${'a'.repeat(40)}/logo.png`,
    ]);
    expect(outputs[0]).toEqual({
      entity: 'commit',
      record: {
        id: `git:commit:org/repo/${'a'.repeat(40)}`,
        org_id: 'default',
        provider: 'git',
        provenance,
        repository_id: 'git:repository:org/repo',
        sha: 'a'.repeat(40),
        parent_shas: ['b'.repeat(40)],
        author_identity_id: 'identity:ada@example.com',
        author_name: 'Ada',
        author_email: 'ada@example.com',
        authored_at: 1_700_000_000_000,
        author_utc_offset_minutes: 330,
        committer_identity_id: 'identity:bob@example.com',
        committer_email: 'bob@example.com',
        committed_at: 1_700_000_600_000,
        committer_utc_offset_minutes: -480,
        message_subject: 'Add feature',
        work_item_keys: [],
        files_changed: 2,
        additions: 40,
        deletions: 11,
        is_merge: false,
        size_bucket: 'medium',
      },
    });
    const binary = outputs[4]?.record as { is_binary: boolean; additions: number };
    expect(binary).toMatchObject({ is_binary: true, additions: 0 });
  });

  it('is deterministic: the same raw record gives identical output', () => {
    expect(normalize(rawCommit(commitPayload), context)).toEqual(normalize(rawCommit(commitPayload), context));
  });

  it('rejects unparseable or incomplete payloads and unknown kinds as NormalizationError naming the problem', () => {
    expect(() => normalize(rawCommit('{not json'), context)).toThrow(NormalizationError);
    expect(() => normalize(rawCommit({ ...commitPayload, files: 'none' }), context)).toThrow(/field "files"/);
    expect(() =>
      normalize(rawCommit({ ...commitPayload, author: { ...commitPayload.author, timezone: 'PST' } }), context),
    ).toThrow(/invalid time zone offset/);
    expect(() => normalize(rawCommit(commitPayload, { entity_kind: 'wiki_page' }), context)).toThrow(
      /no normalizer for git\/wiki_page/,
    );
  });
});

describe('normalize: orgs', () => {
  it("scopes every id and identity by the raw record's org, and stamps the org on every record", () => {
    const outputs = normalize(rawCommit(commitPayload, { org_id: 'acme' }), context);
    expect(outputs.map((output) => output.record.org_id)).toEqual(outputs.map(() => 'acme'));
    expect(outputs.map((output) => `${output.entity}:${output.record.id}`)).toEqual([
      `commit:acme/git:commit:org/repo/${'a'.repeat(40)}`,
      'identity:acme/identity:ada@example.com',
      'identity:acme/identity:bob@example.com',
      `commit_file_change:acme/git:commit_file_change:org/repo/${'a'.repeat(40)}/src/a.ts`,
      `commit_file_change:acme/git:commit_file_change:org/repo/${'a'.repeat(40)}/logo.png`,
    ]);
    // The author wrote as Ada@Home.Example: the alias table applies within every org.
    expect(outputs[0]?.record).toMatchObject({
      repository_id: 'acme/git:repository:org/repo',
      author_identity_id: 'acme/identity:ada@example.com',
    });
  });

  it('rejects a raw record whose org_id is not a slug, naming it', () => {
    expect(() => normalize(rawCommit(commitPayload, { org_id: 'Acme Inc' }), context)).toThrow(
      new NormalizationError(
        `git/commit ${'a'.repeat(40)}: org_id "Acme Inc" is not an org slug (lower-case letters, digits, inner hyphens, at most 40)`,
      ),
    );
  });
});

describe('normalize git/repository and git/blame', () => {
  it('maps a repository payload', () => {
    const outputs = normalize(
      rawCommit(
        {
          full_name: 'org/repo',
          name: 'repo',
          remote_url: 'git@host:org/repo.git',
          default_branch: 'main',
          branches: {},
        },
        { entity_kind: 'repository' },
      ),
      context,
    );
    expect(outputs).toEqual([
      {
        entity: 'repository',
        record: {
          id: 'git:repository:org/repo',
          org_id: 'default',
          provider: 'git',
          provenance,
          name: 'repo',
          full_name: 'org/repo',
          url: 'git@host:org/repo.git',
          default_branch: 'main',
          created_at: null,
        },
      },
    ]);
  });

  it('maps blame ranges to blame lines with resolved authors', () => {
    const outputs = normalize(
      rawCommit(
        {
          revision: 'c'.repeat(40),
          path: 'a.ts',
          ranges: [
            {
              commitSha: 'd'.repeat(40),
              authorEmail: 'ada@home.example',
              authorTime: 1_700_000_000,
              lineStart: 1,
              lineCount: 3,
            },
          ],
        },
        { entity_kind: 'blame' },
      ),
      context,
    );
    expect(outputs[0]?.record).toMatchObject({
      line_start: 1,
      line_count: 3,
      author_identity_id: 'identity:ada@example.com',
      authored_at: 1_700_000_000_000,
    });
  });
});

describe('normalize a commit split for size (git, GitLab and GitHub clones)', () => {
  const files = Array.from({ length: 5_000 }, (_, index) => ({
    path: `vendor/lib-${index}/file-${index}.go`,
    additions: index % 10,
    deletions: 1,
  }));
  const whole = { ...commitPayload, files };

  it('makes one commit record with the whole commit’s totals and every file change once, across the parts', () => {
    const parts = splitCommit(whole, 64 * 1024);
    expect(parts.length).toBeGreaterThan(3);
    const outputs = parts.flatMap((part) =>
      normalize(rawCommit(part, { source_id: commitPartSourceId(whole.sha, part.part) }), context),
    );
    const commits = outputs.filter((output) => output.entity === 'commit');
    expect(commits).toHaveLength(1);
    expect(commits[0]?.record).toMatchObject({
      files_changed: 5_000,
      additions: files.reduce((sum, file) => sum + file.additions, 0),
      deletions: 5_000,
    });
    // The same commit record as the whole payload makes, apart from provenance.
    const [unsplit] = normalize(rawCommit(whole), context);
    expect(commits[0]?.record).toEqual(unsplit?.record);
    const changes = outputs.filter((output) => output.entity === 'commit_file_change');
    expect(changes.map((output) => (output.record as { path: string }).path)).toEqual(files.map((file) => file.path));
  });

  it('refuses a part that does not say its totals, or a part number out of range', () => {
    const [first] = splitCommit(whole, 64 * 1024);
    expect(() => normalize(rawCommit({ ...first, totals: undefined }), context)).toThrow(NormalizationError);
    expect(() => normalize(rawCommit({ ...first, part: { index: 9, count: 3 } }), context)).toThrow(/part 9 of 3/);
  });
});
