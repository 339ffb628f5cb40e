import { type FileChange, blameConcentration, hotspots } from './hotspots';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);
const change = (
  day: number,
  path: string,
  author: string,
  lines: number,
  extra: Partial<FileChange> = {},
): FileChange => ({
  repository: 'r',
  path,
  previousPath: null,
  commit: `c${day}-${path}-${author}`,
  author,
  at: T0 + day * DAY,
  lines,
  ...extra,
});
const window = { churnFrom: T0, touchedFrom: T0, to: T0 + 30 * DAY };

describe('hotspots', () => {
  it('scores churn, commits and authors against the largest of the answer (golden)', () => {
    const rows = hotspots(
      [
        change(1, 'a.ts', 'ann', 100),
        change(2, 'a.ts', 'bob', 50),
        change(3, 'a.ts', 'cy', 10),
        change(4, 'b.ts', 'ann', 9),
      ],
      window,
    );
    expect(rows).toEqual([
      { repository: 'r', path: 'a.ts', formerPaths: [], churnLines: 160, commits: 3, authors: 3, riskScore: 1 },
      {
        repository: 'r',
        path: 'b.ts',
        formerPaths: [],
        churnLines: 9,
        commits: 1,
        authors: 1,
        // cbrt(ln 10 / ln 161 × 1/3 × 1/3) = cbrt(0.45307 / 9) = 0.36926
        riskScore: 0.3693,
      },
    ]);
  });

  it('follows a file renamed mid-window: its changes under the old path count for the new one', () => {
    const rows = hotspots(
      [
        change(1, 'old.ts', 'ann', 10),
        change(5, 'old.ts', 'bob', 20),
        change(10, 'new.ts', 'ann', 4, { previousPath: 'old.ts' }),
        change(12, 'new.ts', 'cy', 6),
        change(20, 'other.ts', 'ann', 1),
      ],
      window,
    );
    expect(rows[0]).toEqual({
      repository: 'r',
      path: 'new.ts',
      formerPaths: ['old.ts'],
      churnLines: 40,
      commits: 4,
      authors: 3,
      riskScore: 1,
    });
    expect(rows.map((row) => row.path)).toEqual(['new.ts', 'other.ts']);
  });

  it('follows a chain of renames, and keeps a file created later at the old path apart', () => {
    const rows = hotspots(
      [
        change(1, 'a.ts', 'ann', 1),
        change(2, 'b.ts', 'ann', 1, { previousPath: 'a.ts' }),
        change(3, 'c.ts', 'bob', 1, { previousPath: 'b.ts' }),
        // A new a.ts after the rename is another file.
        change(4, 'a.ts', 'cy', 7),
      ],
      window,
    );
    expect(rows.find((row) => row.path === 'c.ts')).toMatchObject({
      formerPaths: ['a.ts', 'b.ts'],
      churnLines: 3,
      commits: 3,
    });
    expect(rows.find((row) => row.path === 'a.ts')).toMatchObject({ churnLines: 7, commits: 1, authors: 1 });
  });

  it('does not loop on a file renamed back and forth', () => {
    const rows = hotspots(
      [
        change(1, 'a.ts', 'ann', 1),
        change(2, 'b.ts', 'ann', 1, { previousPath: 'a.ts' }),
        change(3, 'a.ts', 'ann', 1, { previousPath: 'b.ts' }),
      ],
      window,
    );
    expect(rows).toEqual([expect.objectContaining({ path: 'a.ts', commits: 3, formerPaths: ['b.ts'] })]);
  });

  it('counts churn over its own window and ranks files touched in the selected one', () => {
    const rows = hotspots(
      [change(-40, 'x.ts', 'ann', 50), change(-10, 'y.ts', 'ann', 5), change(-2, 'y.ts', 'bob', 5)],
      {
        churnFrom: T0 - 30 * DAY,
        touchedFrom: T0 - 60 * DAY,
        to: T0,
      },
    );
    expect(rows).toEqual([
      expect.objectContaining({ path: 'y.ts', churnLines: 10, commits: 2, authors: 2, riskScore: 1 }),
      // Touched in the selected window, but not in the last 30 days: no churn, no risk.
      expect.objectContaining({ path: 'x.ts', churnLines: 0, commits: 0, authors: 0, riskScore: 0 }),
    ]);
  });

  it('an empty window has no hotspots, and a binary file scores only by commits and authors', () => {
    expect(hotspots([], window)).toEqual([]);
    expect(hotspots([change(1, 'logo.png', 'ann', 0)], window)).toEqual([
      expect.objectContaining({ path: 'logo.png', churnLines: 0, commits: 1, riskScore: 0 }),
    ]);
  });
});

describe('blameConcentration', () => {
  it('is the largest author’s share of lines at the newest blamed revision', () => {
    expect(
      blameConcentration([
        { revision: 'old', author: 'ann', lines: 100, newestAt: 1 },
        { revision: 'new', author: 'ann', lines: 30, newestAt: 5 },
        { revision: 'new', author: 'bob', lines: 10, newestAt: 9 },
      ]),
    ).toBe(0.75);
  });

  it('is 1 for a single author and null without blame', () => {
    expect(blameConcentration([{ revision: 'h', author: 'ann', lines: 3, newestAt: 1 }])).toBe(1);
    expect(blameConcentration([])).toBeNull();
  });
});
