import { ownership } from './ownership';

describe('bus factor', () => {
  it('a single-author repository: bus factor 1, all of it theirs', () => {
    expect(ownership([{ author: 'ada', lines: 120, commits: 4 }])).toEqual({
      value: 1,
      maintainers: [{ author: 'ada', sharePercent: 100 }],
      evidenceSampleCount: 4,
    });
  });

  it('the fewest authors reaching half of the changed lines', () => {
    const changes = [
      { author: 'ada', lines: 30, commits: 3 },
      { author: 'bob', lines: 30, commits: 2 },
      { author: 'cy', lines: 25, commits: 5 },
      { author: 'dee', lines: 15, commits: 1 },
    ];
    // 30 + 30 = 60 ≥ 50 of 100: two people.
    expect(ownership(changes)).toMatchObject({ value: 2, evidenceSampleCount: 11 });
    expect(ownership(changes).maintainers[0]).toEqual({ author: 'ada', sharePercent: 30 });
    // Exactly half is enough: 50 of 100.
    expect(
      ownership([
        { author: 'ada', lines: 50, commits: 1 },
        { author: 'bob', lines: 50, commits: 1 },
      ]).value,
    ).toBe(1);
    // The same author over several repositories is one person.
    expect(
      ownership([
        { author: 'ada', lines: 20, commits: 1 },
        { author: 'bob', lines: 30, commits: 1 },
        { author: 'ada', lines: 20, commits: 1 },
      ]).value,
    ).toBe(1);
  });

  it('an empty window: nobody, 0, from no evidence', () => {
    expect(ownership([])).toEqual({ value: 0, maintainers: [], evidenceSampleCount: 0 });
    expect(ownership([{ author: 'ada', lines: 0, commits: 2 }])).toMatchObject({ value: 0, evidenceSampleCount: 2 });
  });
});
