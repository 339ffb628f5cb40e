import {
  COMMIT_SEPARATOR as RS,
  FIELD_SEPARATOR as US,
  CommitBlockSplitter,
  GitLogParseError,
  parseCommitBlock,
  renamedPath,
} from './parse-git-log';

const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);
const SHA_C = 'c'.repeat(40);

function header(sha: string, parents: string, subject = 'Add feature'): string {
  return [
    sha,
    parents,
    'Ada Lovelace',
    'Ada@Example.com',
    '1700000000 +0530',
    'Bob',
    'bob@example.com',
    '1700000600 -0800',
    subject,
  ].join(US);
}

describe('parseCommitBlock', () => {
  it('reads header fields, raw dates with offsets, and numstat lines including binary files', () => {
    const commit = parseCommitBlock(
      `${header(SHA_A, `${SHA_B} ${SHA_C}`)}\n\n10\t2\tsrc/a.ts\n-\t-\tlogo.png\n0\t7\told.txt\n`,
    );
    expect(commit).toEqual({
      sha: SHA_A,
      parents: [SHA_B, SHA_C],
      author: { name: 'Ada Lovelace', email: 'Ada@Example.com', timestamp: 1_700_000_000, timezone: '+0530' },
      committer: { name: 'Bob', email: 'bob@example.com', timestamp: 1_700_000_600, timezone: '-0800' },
      subject: 'Add feature',
      files: [
        { path: 'src/a.ts', additions: 10, deletions: 2 },
        { path: 'logo.png', additions: null, deletions: null },
        { path: 'old.txt', additions: 0, deletions: 7 },
      ],
    });
  });

  it('keeps a subject that contains the field separator and handles a root commit with no files', () => {
    const commit = parseCommitBlock(header(SHA_A, '', `odd${US}subject`));
    expect(commit.parents).toEqual([]);
    expect(commit.subject).toBe(`odd${US}subject`);
    expect(commit.files).toEqual([]);
  });

  it('rejects malformed headers, ids, dates and counts with a clear error', () => {
    expect(() => parseCommitBlock('garbage')).toThrow(GitLogParseError);
    expect(() => parseCommitBlock(header('xyz', ''))).toThrow(/unexpected commit id/);
    expect(() => parseCommitBlock(header(SHA_A, '').replace('1700000000 +0530', 'yesterday'))).toThrow(
      /unexpected raw date/,
    );
    expect(() => parseCommitBlock(`${header(SHA_A, '')}\n\nx\t1\tfile`)).toThrow(/numstat counts/);
  });
});

describe('renamedPath', () => {
  it.each([
    ['src/{old => new}/file.ts', 'src/new/file.ts', 'src/old/file.ts'],
    ['src/{ => sub}/file.ts', 'src/sub/file.ts', 'src/file.ts'],
    ['src/{sub => }/file.ts', 'src/file.ts', 'src/sub/file.ts'],
    ['a.txt => b.txt', 'b.txt', 'a.txt'],
    ['plain/path.ts', 'plain/path.ts', null],
  ])('%s → %s (was %s)', (input, path, previousPath) => {
    expect(renamedPath(input)).toEqual({ path, previousPath });
  });

  it('keeps the path before a rename on the file stat', () => {
    const commit = parseCommitBlock(`${header(SHA_A, '')}\n\n3\t1\tsrc/{old => new}/file.ts\n2\t0\tREADME.md`);
    expect(commit.files).toEqual([
      { path: 'src/new/file.ts', previousPath: 'src/old/file.ts', additions: 3, deletions: 1 },
      { path: 'README.md', additions: 2, deletions: 0 },
    ]);
  });
});

describe('CommitBlockSplitter', () => {
  it('emits one block per commit however the stream is chunked', () => {
    const stream = `${RS}${header(SHA_A, '')}\n\n1\t1\ta\n${RS}${header(SHA_B, SHA_A)}\n\n2\t0\tb\n`;
    for (const chunkSize of [1, 3, 7, stream.length]) {
      const blocks: string[] = [];
      const splitter = new CommitBlockSplitter((block) => blocks.push(block));
      for (let index = 0; index < stream.length; index += chunkSize)
        splitter.push(stream.slice(index, index + chunkSize));
      splitter.end();
      expect(blocks.map((block) => parseCommitBlock(block).sha)).toEqual([SHA_A, SHA_B]);
    }
  });
});
