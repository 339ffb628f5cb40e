import { ratio, round4 } from './stats';
import { type BusinessHours, classifyWorkingTime } from './working-time';

export interface TeamCommitFacts {
  authored_at: number;
  author_utc_offset_minutes: number;
}

export interface TeamDay {
  commits: number;
  after_hours_commits: number;
  weekend_commits: number;
  after_hours_ratio: number | null;
  weekend_ratio: number | null;
}

/**
 * A team's commits on one UTC day, each judged in its author's own clock: after hours = a working day
 * outside business hours; weekend commits are weekend, never also after hours. Ratios are over all
 * the day's commits; no commits → null.
 */
export function teamDay(commits: readonly TeamCommitFacts[], hours: BusinessHours): TeamDay {
  let afterHours = 0;
  let weekend = 0;
  for (const commit of commits) {
    const kind = classifyWorkingTime(commit.authored_at, commit.author_utc_offset_minutes, hours);
    if (kind === 'after_hours') afterHours++;
    else if (kind === 'weekend') weekend++;
  }
  return {
    commits: commits.length,
    after_hours_commits: afterHours,
    weekend_commits: weekend,
    after_hours_ratio: round4(ratio(afterHours, commits.length)),
    weekend_ratio: round4(ratio(weekend, commits.length)),
  };
}
