import { type HistoryCommitNode, commitPayload, gitSignature, gitSubject } from './api-commit';

const node: HistoryCommitNode = {
  oid: 'c'.repeat(40),
  message: 'Add search\nacross repositories\n\nLonger body.\n',
  additions: 12,
  deletions: 3,
  changedFilesIfAvailable: 2,
  parents: { nodes: [{ oid: 'b'.repeat(40) }] },
  author: { name: 'Ada', email: 'ada@acme.example', date: '2026-03-02T09:15:00+05:30' },
  committer: { name: 'Bob', email: 'bob@acme.example', date: '2026-03-02T10:00:00Z' },
};

describe('API-read commits take the clone path’s shape', () => {
  it('keeps each signer’s offset from the GitTimestamp', () => {
    expect(gitSignature(node.author)).toEqual({
      name: 'Ada',
      email: 'ada@acme.example',
      timestamp: Date.parse('2026-03-02T03:45:00Z') / 1000,
      timezone: '+0530',
    });
    expect(gitSignature(node.committer).timezone).toBe('+0000');
    expect(gitSignature({ name: null, email: null, date: '2026-03-02T09:15:00-0700' }).timezone).toBe('-0700');
    // Unreadable: the normalizer's offset check sends the commit to the dead-letter topic.
    expect(gitSignature({ name: 'x', email: 'x@y', date: null }).timezone).toMatch(/^unreadable/);
  });

  it('reads the subject as git’s %s does: the first paragraph on one line', () => {
    expect(gitSubject(node.message)).toBe('Add search across repositories');
    expect(gitSubject('One line')).toBe('One line');
  });

  it('carries totals when files were not read, files when they were, neither for a merge', () => {
    expect(commitPayload(7, node, null)).toMatchObject({
      repository_id: 7,
      files: [],
      totals: { additions: 12, deletions: 3, files_changed: 2 },
    });
    const files = [{ path: 'a.ts', additions: 12, deletions: 3 }];
    const withFiles = commitPayload(7, node, files);
    expect(withFiles.files).toEqual(files);
    expect(withFiles.totals).toBeUndefined();
    const merge = commitPayload(7, { ...node, parents: { nodes: [{ oid: 'a' }, { oid: 'b' }] } }, null);
    expect(merge).toMatchObject({ files: [], parents: ['a', 'b'] });
    expect(merge.totals).toBeUndefined();
  });
});
