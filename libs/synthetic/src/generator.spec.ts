import { createHash } from 'node:crypto';
import { DEFAULT_SYNTHETIC_OPTIONS, SyntheticGenerator, type SyntheticOptions } from './generator';
import type { SyntheticCommitPayload, SyntheticPullRequestPayload, SyntheticWorkItemPayload } from './payloads';

function digest(options: SyntheticOptions): string {
  const hash = createHash('sha256');
  for (const batch of new SyntheticGenerator(options).batches())
    for (const record of batch) hash.update(JSON.stringify(record));
  return hash.digest('hex');
}

function payloads<T>(options: SyntheticOptions, kind: string): T[] {
  const found: T[] = [];
  for (const batch of new SyntheticGenerator(options).batches())
    for (const record of batch) if (record.entity_kind === kind) found.push(JSON.parse(record.payload) as T);
  return found;
}

const options: SyntheticOptions = { ...DEFAULT_SYNTHETIC_OPTIONS, days: 21 };

describe('SyntheticGenerator', () => {
  it('gives byte-identical streams for the same seed and start date, whatever the clock says', () => {
    const first = digest(options);
    const realNow = Date.now;
    Date.now = () => Date.UTC(2031, 5, 1);
    try {
      expect(digest(options)).toBe(first);
    } finally {
      Date.now = realNow;
    }
    expect(digest({ ...options, seed: 'other' })).not.toBe(first);
    expect(digest({ ...options, startDate: '2026-01-12' })).not.toBe(first);
  });

  it('generates a day the same whether or not the days before it were generated', () => {
    const alone = new SyntheticGenerator(options).dayRecords(9);
    const all = [...new SyntheticGenerator(options).batches()][10];
    expect(alone).toEqual(all);
  });

  it('publishes a backfill window’s days, the same records as the whole history has for them', () => {
    const generator = new SyntheticGenerator(options);
    const startMs = Date.parse(`${options.startDate}T00:00:00Z`);
    const day = 86_400_000;
    // [day 3 at noon, day 6): days 3, 4 and 5.
    const window = { startMs: startMs + 3 * day + 12 * 3_600_000, endMs: startMs + 6 * day };
    expect(generator.days(window)).toEqual([3, 4, 5]);
    const [organisation, ...days] = [...generator.batches(window)];
    const whole = [...new SyntheticGenerator(options).batches()];
    expect(organisation).toEqual(whole[0]);
    expect(days).toEqual(whole.slice(4, 7));
    expect(generator.days({ startMs: startMs - 10 * day, endMs: startMs })).toEqual([]);
    expect(generator.days(null)).toHaveLength(options.days);
  });

  it('keeps every timestamp of a day-run history after the start date', () => {
    const start = Date.UTC(2026, 0, 5);
    for (const batch of new SyntheticGenerator(options).batches())
      for (const record of batch)
        if (record.cursor?.startsWith('day:')) expect(record.fetched_at).toBeGreaterThanOrEqual(start - 3_600_000);
  });

  it('looks like an organisation: mostly small commits, some after hours and weekends, most PRs merged', () => {
    const commits = payloads<SyntheticCommitPayload>(options, 'commit');
    const lines = commits.map((commit) => commit.files.reduce((sum, file) => sum + file.additions + file.deletions, 0));
    const share = (predicate: (value: number) => boolean) => lines.filter(predicate).length / lines.length;
    expect(share((value) => value <= 50)).toBeGreaterThan(0.55);
    expect(share((value) => value > 300)).toBeGreaterThan(0.01);
    expect(share((value) => value > 300)).toBeLessThan(0.12);

    const localHours = commits.map((commit) => Number(commit.author.date.slice(11, 13)));
    const afterHours = localHours.filter((hour) => hour < 9 || hour >= 17).length / commits.length;
    expect(afterHours).toBeGreaterThan(0.03);
    expect(afterHours).toBeLessThan(0.3);
    const weekend = commits.filter((commit) => [0, 6].includes(new Date(commit.author.date.slice(0, 10)).getUTCDay()));
    expect(weekend.length).toBeGreaterThan(0);
    expect(weekend.length / commits.length).toBeLessThan(0.1);

    const finalState = new Map<number, string>();
    for (const pr of payloads<SyntheticPullRequestPayload>(options, 'pull_request'))
      finalState.set(pr.number, pr.state);
    const states = [...finalState.values()];
    expect(states.filter((state) => state === 'merged').length / states.length).toBeGreaterThan(0.6);
    expect(states).toContain('closed');
    expect(states).toContain('open');

    const items = payloads<SyntheticWorkItemPayload>(options, 'work_item');
    expect(items.some((item) => item.transitions.filter((t) => t.to_status === 'Done').length > 1)).toBe(true);
    expect(items.some((item) => item.status === 'Canceled')).toBe(true);
    expect(items.some((item) => item.status === 'In Progress')).toBe(true);
  });

  it('scales with the volume knobs', () => {
    const count = (overrides: Partial<SyntheticOptions>) =>
      payloads<unknown>({ ...options, days: 7, ...overrides }, 'commit').length;
    expect(count({ commitsPerDay: 400 })).toBeGreaterThan(count({ commitsPerDay: 40 }) * 5);
  });

  it('live mode emits nothing from the future', () => {
    const generator = new SyntheticGenerator(options);
    const now = Date.UTC(2026, 10, 22, 12);
    const records = generator.liveRecords(3, now, 200);
    expect(records.length).toBeGreaterThan(150);
    expect(records.every((record) => record.fetched_at <= now)).toBe(true);
    expect(generator.liveRecords(3, now, 200)).toEqual(records);
  });

  it('rejects options that cannot make an organisation, naming the option', () => {
    expect(() => new SyntheticGenerator({ ...options, people: 1 })).toThrow(/people/);
    expect(() => new SyntheticGenerator({ ...options, startDate: '05/01/2026' })).toThrow(/YYYY-MM-DD/);
  });
});
