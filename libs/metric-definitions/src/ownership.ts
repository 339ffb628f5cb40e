/**
 * Bus factor (docs/metrics.md, "Code health"): the smallest number of authors who together own at least
 * half of a scope's changed lines (additions + deletions of non-merge commits in the window). A scope
 * without changes has a bus factor of 0: nobody is needed because nothing changed.
 */
export interface AuthorChanges {
  author: string;
  lines: number;
  commits: number;
}

export interface Ownership {
  value: number;
  /** Authors by share of the changed lines, largest first (percent, 2 decimals). */
  maintainers: { author: string; sharePercent: number }[];
  /** Commits the answer rests on. */
  evidenceSampleCount: number;
}

export const BUS_FACTOR_SHARE = 0.5;

export function ownership(changes: readonly AuthorChanges[]): Ownership {
  const byAuthor = new Map<string, AuthorChanges>();
  for (const change of changes) {
    const entry = byAuthor.get(change.author) ?? { author: change.author, lines: 0, commits: 0 };
    entry.lines += change.lines;
    entry.commits += change.commits;
    byAuthor.set(change.author, entry);
  }
  const authors = [...byAuthor.values()].sort((a, b) => b.lines - a.lines || a.author.localeCompare(b.author));
  const total = authors.reduce((sum, author) => sum + author.lines, 0);
  let value = 0;
  for (let owned = 0; total > 0 && owned < total * BUS_FACTOR_SHARE; value++) owned += authors[value]?.lines ?? 0;
  return {
    value,
    maintainers: authors
      .filter((author) => author.lines > 0)
      .map((author) => ({ author: author.author, sharePercent: Math.round((author.lines / total) * 10_000) / 100 })),
    evidenceSampleCount: authors.reduce((sum, author) => sum + author.commits, 0),
  };
}
