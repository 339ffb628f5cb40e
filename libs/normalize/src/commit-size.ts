import type { CommitSizeBucket } from '@dev-health/schemas';

export const SMALL_COMMIT_MAX_LINES = 50;
export const MEDIUM_COMMIT_MAX_LINES = 300;

/** Lines touched (added + deleted): ≤50 small, 51–300 medium, >300 large. */
export function commitSizeBucket(linesTouched: number): CommitSizeBucket {
  if (linesTouched <= SMALL_COMMIT_MAX_LINES) return 'small';
  if (linesTouched <= MEDIUM_COMMIT_MAX_LINES) return 'medium';
  return 'large';
}

/** git's "+0530" / "-0800" → minutes east of UTC (330 / -480). */
export function utcOffsetMinutes(timezone: string): number {
  const match = /^([+-])(\d{2})(\d{2})$/.exec(timezone);
  if (!match?.[2] || !match[3]) throw new Error(`invalid time zone offset "${timezone}"`);
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}
