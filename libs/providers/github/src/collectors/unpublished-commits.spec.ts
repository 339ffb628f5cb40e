import { UnpublishedCommits } from './unpublished-commits';

/** A history newest first: [sha, parents]. */
type History = [string, string[]][];

function walk(
  history: History,
  published: string[],
  publishedNow = new Set<string>(),
): { fresh: string[]; read: number } {
  const walker = new UnpublishedCommits(published, publishedNow);
  const fresh: string[] = [];
  let read = 0;
  for (const [sha, parents] of history) {
    if (walker.done) break;
    read++;
    if (walker.visit(sha, parents)) fresh.push(sha);
  }
  return { fresh, read };
}

describe('UnpublishedCommits', () => {
  // main: a ← b ← c ← d (newest d)
  const linear: History = [
    ['d', ['c']],
    ['c', ['b']],
    ['b', ['a']],
    ['a', []],
  ];

  it('takes everything on a first sync, down to the root', () => {
    expect(walk(linear, [])).toEqual({ fresh: ['d', 'c', 'b', 'a'], read: 4 });
  });

  it('stops at the published head', () => {
    expect(walk(linear, ['b'])).toEqual({ fresh: ['d', 'c'], read: 2 });
  });

  it('finds a merged branch’s older commits that date order lists below the published head', () => {
    // f1, f2 were committed on a feature branch before b; m merges them after b was published.
    //   a ← b ←──── m
    //   a ← f1 ← f2 ┘
    const merged: History = [
      ['m', ['b', 'f2']],
      ['b', ['a']],
      ['f2', ['f1']],
      ['f1', ['a']],
      ['a', []],
    ];
    expect(walk(merged, ['b'])).toEqual({ fresh: ['m', 'f2', 'f1'], read: 4 });
  });

  it('excludes what any published head reaches (another branch’s head, merged in)', () => {
    const merged: History = [
      ['m', ['b', 'r2']],
      ['r2', ['r1']],
      ['b', ['a']],
      ['r1', ['a']],
      ['a', []],
    ];
    expect(walk(merged, ['b', 'r2'])).toEqual({ fresh: ['m'], read: 1 });
  });

  it('stops at what another branch’s walk published in the same run', () => {
    const now = new Set<string>();
    expect(walk(linear, [], now).fresh).toEqual(['d', 'c', 'b', 'a']);
    // A second branch at c: nothing new, one commit read.
    expect(walk(linear.slice(1), [], now)).toEqual({ fresh: [], read: 1 });
  });

  it('publishes again, rather than misses, commits clock skew lists before their published descendant', () => {
    //   a ← b ← c (published) ← m
    //        b ← x ────────────┘   skew lists b (and a) above c.
    const skewed: History = [
      ['m', ['c', 'x']],
      ['b', ['a']],
      ['x', ['b']],
      ['c', ['b']],
      ['a', []],
    ];
    // m and x are new; b and a go out again (idempotent downstream).
    expect(walk(skewed, ['c']).fresh).toEqual(['m', 'b', 'x', 'a']);
  });
});
