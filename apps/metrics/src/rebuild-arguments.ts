import { DAY_MS, type TimeRange } from '@dev-health/metric-definitions';
import { isoDateToDay } from '@dev-health/schemas';

export interface RebuildArguments {
  from: string;
  to: string;
  range: TimeRange;
}

function parseDay(flag: string, value: string | undefined): number {
  const day = value === undefined ? 'format' : isoDateToDay(value);
  if (day === 'format') throw new Error(`rebuild: ${flag} needs a date as YYYY-MM-DD`);
  if (day === 'calendar') throw new Error(`rebuild: ${flag} ${value} is not a calendar date`);
  return day * DAY_MS;
}

/** `--from 2026-01-01 --to 2026-01-31`: UTC days, both inclusive. */
export function parseRebuildArguments(argv: readonly string[]): RebuildArguments {
  const value = (flag: string) => {
    const index = argv.indexOf(flag);
    return index === -1 ? undefined : argv[index + 1];
  };
  const from = value('--from');
  const to = value('--to');
  const start = parseDay('--from', from);
  const last = parseDay('--to', to);
  if (last < start) throw new Error(`rebuild: --to ${to} is before --from ${from}`);
  return { from: from as string, to: to as string, range: { start, end: last + DAY_MS } };
}
