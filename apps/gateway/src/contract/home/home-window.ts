import { badInput } from '../../auth/caller';
import { DAY_MS, dayOf, dayStartMs } from '../shared/filters';
import type { HomeWindowInput } from './home.models';

/** Inclusive UTC days as YYYY-MM-DD. */
export interface DayRange {
  first: string;
  last: string;
  days: number;
}

export interface HomeWindow {
  current: DayRange;
  /** Null when compareDays is 0. */
  prior: DayRange | null;
}

const range = (firstMs: number, days: number): DayRange => ({
  first: dayOf(firstMs),
  last: dayOf(firstMs + (days - 1) * DAY_MS),
  days,
});

/**
 * The window a Home request asks for: explicit dates, or the last rangeDays days ending today (UTC,
 * today included); the comparison window is the compareDays just before it. Defaults 14 and 14.
 */
export function homeWindow(input: HomeWindowInput | null | undefined, nowMs: number, maxDays: number): HomeWindow {
  const rangeDays = input?.rangeDays ?? 14;
  const compareDays = input?.compareDays ?? 14;
  if (compareDays < 0 || compareDays > maxDays) throw badInput(`window.compareDays must be 0..${maxDays}`);
  let firstMs: number;
  let days: number;
  if (input?.startDate || input?.endDate) {
    const endMs = input.endDate ? dayStartMs(input.endDate) : dayStartMs(dayOf(nowMs));
    firstMs = input.startDate ? dayStartMs(input.startDate) : endMs - (rangeDays - 1) * DAY_MS;
    if (firstMs > endMs) throw badInput('window.startDate must not be after window.endDate');
    days = Math.round((endMs - firstMs) / DAY_MS) + 1;
  } else {
    if (rangeDays < 1) throw badInput('window.rangeDays must be at least 1');
    days = rangeDays;
    firstMs = dayStartMs(dayOf(nowMs)) - (rangeDays - 1) * DAY_MS;
  }
  if (days > maxDays) throw badInput(`the window spans ${days} days; GATEWAY_MAX_WINDOW_DAYS allows ${maxDays}`);
  return {
    current: range(firstMs, days),
    prior: compareDays === 0 ? null : range(firstMs - compareDays * DAY_MS, compareDays),
  };
}

/** Every day of a range, oldest first. */
export function daysOf(range: DayRange): string[] {
  const first = dayStartMs(range.first);
  return Array.from({ length: range.days }, (_, index) => dayOf(first + index * DAY_MS));
}
