import type { GitLogCommit } from './parse-git-log';
import { MAX_COMMIT_PAYLOAD_BYTES, commitPartSourceId, splitCommit } from './split-commit';

function vendoringCommit(files: number): GitLogCommit {
  const signature = { name: 'Ada', email: 'ada@example.com', timestamp: 1_767_225_600, timezone: '+0000' };
  return {
    sha: 'f'.repeat(40),
    parents: ['e'.repeat(40)],
    author: signature,
    committer: signature,
    subject: 'Vendor every dependency',
    files: Array.from({ length: files }, (_, index) => ({
      path: `vendor/github.com/some-org/some-library-${index}/internal/pkg/file_${index}.go`,
      additions: index % 7 === 0 ? null : index % 50,
      deletions: index % 3,
    })),
  };
}

describe('splitCommit', () => {
  it('keeps a commit that fits whole', () => {
    const commit = vendoringCommit(10);
    expect(splitCommit(commit)).toEqual([commit]);
    expect(commitPartSourceId(commit.sha, undefined)).toBe(commit.sha);
  });

  it('splits a 30,000-file commit into parts under the limit, files in order, totals of all in each', () => {
    const commit = vendoringCommit(30_000);
    expect(Buffer.byteLength(JSON.stringify(commit))).toBeGreaterThan(2 * MAX_COMMIT_PAYLOAD_BYTES);
    const parts = splitCommit(commit);
    expect(parts.length).toBeGreaterThan(2);
    for (const [index, part] of parts.entries()) {
      expect(Buffer.byteLength(JSON.stringify(part))).toBeLessThanOrEqual(MAX_COMMIT_PAYLOAD_BYTES);
      expect(part.part).toEqual({ index, count: parts.length });
      expect(part.totals).toEqual({
        additions: commit.files.reduce((sum, file) => sum + (file.additions ?? 0), 0),
        deletions: commit.files.reduce((sum, file) => sum + (file.deletions ?? 0), 0),
        files_changed: 30_000,
      });
      expect(part.subject).toBe(commit.subject);
    }
    expect(parts.flatMap((part) => part.files)).toEqual(commit.files);
    expect(parts.map((part) => commitPartSourceId(commit.sha, part.part))).toEqual([
      commit.sha,
      ...parts.slice(1).map((_, index) => `${commit.sha}#files-${index + 2}-of-${parts.length}`),
    ]);
  });
});
