import { closingIssueIids, diffSize } from './gitlab-sync';

describe('closing references in an MR description (GitLab’s default pattern)', () => {
  it('finds the issues it closes, fixes or resolves, and nothing else', () => {
    expect(closingIssueIids('Closes #12')).toEqual([12]);
    expect(closingIssueIids('This fixes #3, #4 and #7.\nResolves: #9')).toEqual([3, 4, 7, 9]);
    expect(closingIssueIids('Implements issue #21')).toEqual([21]);
    expect(closingIssueIids('Related to #5; see #6')).toEqual([]);
    expect(closingIssueIids(null)).toEqual([]);
  });
});

describe('the size of an MR from its diffs', () => {
  it('counts added and removed lines, not hunk headers or context', () => {
    const diffs = [
      { diff: '@@ -1,2 +1,3 @@\n context\n-old\n+new\n+newer\n' },
      { diff: '@@ -0,0 +1 @@\n+created\n' },
      { diff: '' },
      { diff: null },
    ];
    expect(diffSize(diffs)).toEqual({ additions: 3, deletions: 1 });
  });
});
