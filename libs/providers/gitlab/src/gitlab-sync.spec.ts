import { closingIssueIids } from './gitlab-sync';

describe('closing references in an MR description (GitLab’s default pattern)', () => {
  it('finds the issues it closes, fixes or resolves, and nothing else', () => {
    expect(closingIssueIids('Closes #12')).toEqual([12]);
    expect(closingIssueIids('This fixes #3, #4 and #7.\nResolves: #9')).toEqual([3, 4, 7, 9]);
    expect(closingIssueIids('Implements issue #21')).toEqual([21]);
    expect(closingIssueIids('Related to #5; see #6')).toEqual([]);
    expect(closingIssueIids(null)).toEqual([]);
  });
});
