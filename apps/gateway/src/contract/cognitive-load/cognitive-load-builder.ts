import type { CognitiveLoadSignal } from './cognitive-load.models';

export interface DeveloperDay {
  day: string;
  author: string;
  repository: string;
  commits: number;
  reviewsGiven: number;
  prsAuthored: number;
}

export interface TeamDay {
  day: string;
  commits: number;
  afterHours: number;
  weekend: number;
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

/**
 * A day's signals per active developer (anyone with a commit, a review or a PR that day): reviews given,
 * repositories touched, PRs opened; and the day's after-hours and weekend share of commits.
 */
export function cognitiveLoadSignals(
  developers: readonly DeveloperDay[],
  teams: readonly TeamDay[],
): CognitiveLoadSignal[] {
  const days = new Map<string, { authors: Set<string>; pairs: Set<string>; reviews: number; prs: number }>();
  for (const row of developers) {
    if (row.commits + row.reviewsGiven + row.prsAuthored === 0) continue;
    const day = days.get(row.day) ?? { authors: new Set<string>(), pairs: new Set<string>(), reviews: 0, prs: 0 };
    day.authors.add(row.author);
    day.pairs.add(`${row.author}\u0000${row.repository}`);
    day.reviews += row.reviewsGiven;
    day.prs += row.prsAuthored;
    days.set(row.day, day);
  }
  const timing = new Map<string, TeamDay>();
  for (const row of teams) {
    const day = timing.get(row.day) ?? { day: row.day, commits: 0, afterHours: 0, weekend: 0 };
    day.commits += row.commits;
    day.afterHours += row.afterHours;
    day.weekend += row.weekend;
    timing.set(row.day, day);
  }
  return [...new Set([...days.keys(), ...timing.keys()])].sort().map((day) => {
    const activity = days.get(day);
    const people = activity?.authors.size ?? 0;
    const commits = timing.get(day);
    const perPerson = (value: number) => (people === 0 ? 0 : round(value / people));
    return {
      day,
      prInterruptionLoad: perPerson(activity?.reviews ?? 0),
      contextSpreadCount: perPerson(activity?.pairs.size ?? 0),
      reviewRequestLoad: perPerson(activity?.prs ?? 0),
      afterHoursCommitRatio: commits && commits.commits > 0 ? round(commits.afterHours / commits.commits) : null,
      weekendCommitRatio: commits && commits.commits > 0 ? round(commits.weekend / commits.commits) : null,
    };
  });
}
