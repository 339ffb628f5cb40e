const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** "2026-01-05T10:12:33.000+05:30": the instant as the clock at that offset showed it. */
export function zonedIso(epochMs: number, offsetMinutes: number): string {
  // Whole seconds, as provider APIs and git report them.
  const local = new Date(wholeSecond(epochMs) + offsetMinutes * MINUTE).toISOString().slice(0, 23);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(offsetMinutes);
  const hours = String(Math.floor(absolute / 60)).padStart(2, '0');
  const minutes = String(absolute % 60).padStart(2, '0');
  return `${local}${sign}${hours}:${minutes}`;
}

/** Epoch ms of 00:00 UTC of an ISO date; throws on anything else. */
export function parseStartDate(isoDate: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) throw new Error(`start date "${isoDate}" is not YYYY-MM-DD`);
  const epochMs = Date.parse(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(epochMs)) throw new Error(`start date "${isoDate}" is not a calendar date`);
  return epochMs;
}

/** Saturday or Sunday on the calendar of the UTC day `dayStartMs` names. */
export function isWeekend(dayStartMs: number): boolean {
  const weekday = new Date(dayStartMs).getUTCDay();
  return weekday === 0 || weekday === 6;
}

export function wholeSecond(epochMs: number): number {
  return Math.floor(epochMs / 1000) * 1000;
}
