/** A sync run as the API returns it (the fields the CLI shows). */
export interface RunView {
  id: string;
  integration_id: string;
  mode: string;
  status: string;
  started_at: string | null;
  finished_at: string | null;
  records: Record<string, number>;
  error_stage: string | null;
  error_message: string | null;
}

export const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

const total = (records: Record<string, number>) =>
  Object.entries(records)
    .filter(([entity]) => !entity.startsWith('_'))
    .reduce((sum, [, count]) => sum + count, 0);

/**
 * One progress line: status, records per entity, rate since the run started and, when the connector
 * reports how many records it expects (records._expected), a bar and an ETA.
 */
export function progressLine(run: RunView, now: number): string {
  const done = total(run.records);
  // A finished run's rate is over its own duration, not up to now.
  const until = run.finished_at === null ? now : Date.parse(run.finished_at);
  const seconds = run.started_at === null ? 0 : Math.max(0, (until - Date.parse(run.started_at)) / 1000);
  const rate = seconds > 0 ? done / seconds : 0;
  const perEntity = Object.entries(run.records)
    .filter(([entity]) => !entity.startsWith('_'))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([entity, count]) => `${entity} ${count.toLocaleString('en')}`)
    .join(', ');
  const expected = run.records._expected;
  let bar = '';
  let eta = '';
  if (expected !== undefined && expected > 0) {
    const fraction = Math.min(1, done / expected);
    const width = 20;
    bar = `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '.')}] ${Math.round(fraction * 100)}% `;
    if (rate > 0 && fraction < 1) eta = `, ETA ${formatSeconds((expected - done) / rate)}`;
  }
  const failure = run.status === 'failed' ? ` — failed at ${run.error_stage ?? '?'}: ${run.error_message ?? ''}` : '';
  return `${run.status.padEnd(9)} ${bar}${done.toLocaleString('en')} records${perEntity ? ` (${perEntity})` : ''}, ${Math.round(rate).toLocaleString('en')} rec/s${eta}${failure}`;
}

export function formatSeconds(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(whole / 3600)}h${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}m`;
}
