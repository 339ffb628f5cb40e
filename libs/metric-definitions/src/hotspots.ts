/**
 * File hotspots (docs/metrics.md, "Code health"): files that change a lot, often and by many hands.
 * A file renamed inside the window is one file: its changes under the old path, before the rename,
 * count for the path it was renamed to (and on through a chain of renames).
 */
export interface FileChange {
  repository: string;
  /** The path after the commit. */
  path: string;
  /** The path before the commit, when the commit renamed the file. */
  previousPath: string | null;
  commit: string;
  author: string;
  /** Epoch ms (commit time). */
  at: number;
  /** Additions + deletions (0 for a binary file). */
  lines: number;
}

export interface Hotspot {
  repository: string;
  /** The file's path at the end of the window. */
  path: string;
  /** Paths it had earlier in the window, oldest first. */
  formerPaths: string[];
  churnLines: number;
  commits: number;
  authors: number;
  /** The geometric mean of churn, commits and authors, each against the largest of the answer (0–1). */
  riskScore: number;
}

export interface HotspotWindow {
  /** Changes at or after it count toward churn, commits and authors (ms). */
  churnFrom: number;
  /** A file is a candidate when it changed at or after it (ms). */
  touchedFrom: number;
  /** Exclusive end (ms). */
  to: number;
}

/** Renames followed at most this deep: a longer chain is a loop of renames back and forth. */
const MAX_RENAME_CHAIN = 100;

const fileKey = (repository: string, path: string) => `${repository}\u0000${path}`;

/** Where a path went: each rename of it, oldest first. */
function renameIndex(changes: readonly FileChange[]): Map<string, { to: string; at: number }[]> {
  const renames = new Map<string, { to: string; at: number }[]>();
  for (const change of changes)
    if (change.previousPath !== null && change.previousPath !== change.path) {
      const key = fileKey(change.repository, change.previousPath);
      renames.set(key, [...(renames.get(key) ?? []), { to: change.path, at: change.at }]);
    }
  for (const list of renames.values()) list.sort((a, b) => a.at - b.at || a.to.localeCompare(b.to));
  return renames;
}

/** The path a change's file has at the end: follow the renames of its path made at or after it. */
function finalPath(
  renames: ReadonlyMap<string, { to: string; at: number }[]>,
  repository: string,
  path: string,
  at: number,
): { path: string; formerPaths: string[] } {
  const formerPaths: string[] = [];
  let current = path;
  let since = at;
  for (let depth = 0; depth < MAX_RENAME_CHAIN; depth++) {
    const next = renames.get(fileKey(repository, current))?.find((rename) => rename.at >= since);
    if (!next) break;
    formerPaths.push(current);
    current = next.to;
    since = next.at;
  }
  return { path: current, formerPaths };
}

export function hotspots(changes: readonly FileChange[], window: HotspotWindow): Hotspot[] {
  const renames = renameIndex(changes.filter((change) => change.at < window.to));
  const files = new Map<
    string,
    {
      repository: string;
      path: string;
      formerPaths: Set<string>;
      touched: boolean;
      lines: number;
      commits: Set<string>;
      authors: Set<string>;
    }
  >();
  for (const change of changes) {
    if (change.at >= window.to || change.at < Math.min(window.churnFrom, window.touchedFrom)) continue;
    const resolved = finalPath(renames, change.repository, change.path, change.at);
    const key = fileKey(change.repository, resolved.path);
    const file = files.get(key) ?? {
      repository: change.repository,
      path: resolved.path,
      formerPaths: new Set<string>(),
      touched: false,
      lines: 0,
      commits: new Set<string>(),
      authors: new Set<string>(),
    };
    files.set(key, file);
    for (const former of resolved.formerPaths) file.formerPaths.add(former);
    if (change.previousPath !== null && change.previousPath !== change.path) file.formerPaths.add(change.previousPath);
    if (change.at >= window.touchedFrom) file.touched = true;
    if (change.at >= window.churnFrom) {
      file.lines += change.lines;
      file.commits.add(change.commit);
      file.authors.add(change.author);
    }
  }
  const candidates = [...files.values()].filter((file) => file.touched);
  const most = (value: (file: (typeof candidates)[number]) => number) =>
    candidates.reduce((max, file) => Math.max(max, value(file)), 0);
  const maxLines = most((file) => file.lines);
  const maxCommits = most((file) => file.commits.size);
  const maxAuthors = most((file) => file.authors.size);
  const share = (value: number, max: number) => (max > 0 ? value / max : 0);
  return candidates
    .map((file) => {
      // Lines on a log scale: a generated file's 10,000 lines should not drown every other signal.
      const churn = maxLines > 0 ? Math.log1p(file.lines) / Math.log1p(maxLines) : 0;
      const risk = Math.cbrt(churn * share(file.commits.size, maxCommits) * share(file.authors.size, maxAuthors));
      return {
        repository: file.repository,
        path: file.path,
        formerPaths: [...file.formerPaths].filter((former) => former !== file.path),
        churnLines: file.lines,
        commits: file.commits.size,
        authors: file.authors.size,
        riskScore: Math.round(risk * 10_000) / 10_000,
      };
    })
    .sort(
      (a, b) =>
        b.riskScore - a.riskScore ||
        b.churnLines - a.churnLines ||
        a.repository.localeCompare(b.repository) ||
        a.path.localeCompare(b.path),
    );
}

/** Line ranges of a file's blame: whose lines they are at which revision. */
export interface BlameRange {
  revision: string;
  author: string;
  lines: number;
  /** Epoch ms of the newest line of the range. */
  newestAt: number;
}

/**
 * The share of a file's lines its largest author holds, at the newest blamed revision (the one whose
 * newest line is newest); null without blame (blame is opt-in: GIT_BLAME).
 */
export function blameConcentration(ranges: readonly BlameRange[]): number | null {
  if (ranges.length === 0) return null;
  const newest = new Map<string, number>();
  for (const range of ranges) newest.set(range.revision, Math.max(newest.get(range.revision) ?? 0, range.newestAt));
  const [revision] = [...newest].sort((a, b) => b[1] - a[1] || b[0].localeCompare(a[0]))[0] ?? [];
  const byAuthor = new Map<string, number>();
  for (const range of ranges)
    if (range.revision === revision) byAuthor.set(range.author, (byAuthor.get(range.author) ?? 0) + range.lines);
  const total = [...byAuthor.values()].reduce((sum, lines) => sum + lines, 0);
  return total > 0 ? Math.round((Math.max(...byAuthor.values()) / total) * 10_000) / 10_000 : null;
}
