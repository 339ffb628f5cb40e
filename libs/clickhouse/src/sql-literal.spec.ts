import { formatDateTime, sqlIdentifier, sqlLiteral, sqlString } from './sql-literal';

describe('ClickHouse literal escaping', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "'it\\'s'"],
    ['back\\slash', "'back\\\\slash'"],
    ["\\'", "'\\\\\\''"],
    ['line\nbreak\ttab\r', "'line\\nbreak\\ttab\\r'"],
    ['nul\0byte', "'nul\\0byte'"],
    ['ünïcode ✓', "'ünïcode ✓'"],
  ])('%j → %s', (input, expected) => {
    expect(sqlString(input)).toBe(expected);
  });

  it('refuses identifiers that could carry SQL', () => {
    expect(sqlIdentifier('repo_metrics_daily')).toBe('repo_metrics_daily');
    for (const bad of ['a b', 'x;DROP TABLE y', '`q`', '1abc', ''])
      expect(() => sqlIdentifier(bad)).toThrow(/unsafe ClickHouse identifier/);
  });

  it('renders scalars', () => {
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral(true)).toBe('1');
    expect(sqlLiteral(-2.5)).toBe('-2.5');
    expect(() => sqlLiteral(Number.NaN)).toThrow(/finite/);
    expect(sqlLiteral(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)))).toBe("toDateTime('2026-01-02 03:04:05', 'UTC')");
    expect(formatDateTime(0)).toBe('1970-01-01 00:00:00');
  });
});
