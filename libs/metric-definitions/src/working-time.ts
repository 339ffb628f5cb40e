/** Business hours in the author's own clock; weekend days are not "after hours", they are weekend. */
export interface BusinessHours {
  /** Local hour the working day starts (inclusive), 0–23. */
  startHour: number;
  /** Local hour it ends (exclusive), 1–24. */
  endHour: number;
  /** Local weekdays that are weekend, 0 = Sunday … 6 = Saturday. */
  weekendDays: readonly number[];
}

export const DEFAULT_BUSINESS_HOURS: BusinessHours = { startHour: 9, endHour: 17, weekendDays: [0, 6] };

export type WorkingTime = 'business' | 'after_hours' | 'weekend';

/**
 * Classifies an instant in the clock of whoever produced it: git records each commit's offset
 * (+05:30, −08:00), so 22:00 in Bangalore is after hours even though it is 16:30 UTC.
 */
export function classifyWorkingTime(epochMs: number, utcOffsetMinutes: number, hours: BusinessHours): WorkingTime {
  const local = new Date(epochMs + utcOffsetMinutes * 60_000);
  if (hours.weekendDays.includes(local.getUTCDay())) return 'weekend';
  const minuteOfDay = local.getUTCHours() * 60 + local.getUTCMinutes();
  return minuteOfDay >= hours.startHour * 60 && minuteOfDay < hours.endHour * 60 ? 'business' : 'after_hours';
}
