import { parseRebuildArguments } from './rebuild-arguments';

describe('rebuild arguments', () => {
  it('reads an inclusive range of UTC days', () => {
    expect(parseRebuildArguments(['--from', '2026-01-01', '--to', '2026-01-31'])).toEqual({
      from: '2026-01-01',
      to: '2026-01-31',
      range: { start: Date.UTC(2026, 0, 1), end: Date.UTC(2026, 1, 1) },
    });
  });

  it('names the flag that is missing, malformed, impossible or out of order', () => {
    expect(() => parseRebuildArguments(['--to', '2026-01-31'])).toThrow('--from needs a date');
    expect(() => parseRebuildArguments(['--from', '2026-1-1', '--to', '2026-01-31'])).toThrow('--from needs a date');
    expect(() => parseRebuildArguments(['--from', '2026-02-30', '--to', '2026-03-01'])).toThrow('not a calendar date');
    expect(() => parseRebuildArguments(['--from', '2026-02-01', '--to', '2026-01-31'])).toThrow('is before --from');
  });
});
