import { clickhouseRetriability } from '@dev-health/clickhouse';
import { mongoRetriability } from '@dev-health/mongo';
import { postgresRetriability } from '@dev-health/postgres';

const coded = (code: unknown, extra: Record<string, unknown> = {}) => Object.assign(new Error('x'), { code, ...extra });

describe('store error classification', () => {
  it('Postgres: data and constraint errors are the rows’ fault, the rest can pass', () => {
    expect(postgresRetriability(coded('22P05'))).toBe('deterministic'); // untranslatable character (a NUL in jsonb)
    expect(postgresRetriability(coded('22003'))).toBe('deterministic'); // numeric value out of range
    expect(postgresRetriability(coded('23502'))).toBe('deterministic'); // not-null violation
    expect(postgresRetriability(coded('23505'))).toBe('transient'); // a concurrent writer won the key
    expect(postgresRetriability(coded('57P01'))).toBe('transient'); // admin shutdown (a restart)
    expect(postgresRetriability(coded('57014'))).toBe('transient'); // statement timeout
    expect(postgresRetriability(coded('08006'))).toBe('transient'); // connection failure
    expect(postgresRetriability(coded('40P01'))).toBe('transient'); // deadlock
    expect(postgresRetriability(coded('ECONNREFUSED'))).toBeUndefined(); // not a SQLSTATE: not Postgres's to judge
  });

  it('ClickHouse: parse and range errors are the rows’ fault, the rest can pass', () => {
    expect(clickhouseRetriability(coded('27'))).toBe('deterministic');
    expect(clickhouseRetriability(coded('321'))).toBe('deterministic');
    expect(clickhouseRetriability(coded('159'))).toBe('transient'); // TIMEOUT_EXCEEDED
    expect(clickhouseRetriability(coded('252'))).toBe('transient'); // TOO_MANY_PARTS
    expect(clickhouseRetriability(coded('ECONNRESET'))).toBeUndefined();
    // ClickHouse 18.16's message format, which the client does not parse into a code.
    const old = new Error('Code: 321, e.displayText() = DB::Exception: Value out of range, e.what() = DB::Exception');
    expect(clickhouseRetriability(old)).toBe('deterministic');
  });

  it('MongoDB: the driver’s labels first, then the server’s codes', () => {
    expect(mongoRetriability(coded(91, { errorLabels: ['RetryableWriteError'] }))).toBe('transient');
    expect(mongoRetriability(coded(10334))).toBe('deterministic');
    expect(mongoRetriability(coded(11600))).toBe('transient');
    expect(
      mongoRetriability(Object.assign(new Error('document is larger than the maximum size'), { name: 'BSONError' })),
    ).toBe('deterministic');
    expect(mongoRetriability(new Error('plain'))).toBeUndefined();
  });
});
