import { EnvReader } from './env-reader';
import { clickhouseHttpEndpoint, readSinkTarget, readSinkTargets, storeOfUri } from './sink-targets';

function targets(env: Record<string, string>) {
  const reader = new EnvReader(env);
  const result = readSinkTargets(reader);
  reader.done();
  return Object.fromEntries(result);
}

describe('sink targets', () => {
  it('recognises stores by scheme', () => {
    expect(storeOfUri('postgresql://h/db')).toBe('postgres');
    expect(storeOfUri('clickhouse://h:8123/db')).toBe('clickhouse');
    expect(storeOfUri('mongodb+srv://h/db')).toBe('mongo');
    expect(storeOfUri('sqlite:///x')).toBeUndefined();
  });

  it('DATABASE_URI alone runs one sink; SECONDARY_DATABASE_URI adds the second (the seeds’ sink=both)', () => {
    expect(targets({ DATABASE_URI: 'postgresql://h/db' })).toEqual({ postgres: 'postgresql://h/db' });
    expect(targets({ DATABASE_URI: 'postgresql://h/db', SECONDARY_DATABASE_URI: 'clickhouse://c:8123/dho' })).toEqual({
      postgres: 'postgresql://h/db',
      clickhouse: 'clickhouse://c:8123/dho',
    });
  });

  it('SINKS selects explicitly, taking addresses from the URIs or the per-store variables', () => {
    expect(
      targets({
        DATABASE_URI: 'postgresql://h/db',
        CLICKHOUSE_URL: 'http://c:8123',
        MONGODB_URI: 'mongodb://m/x',
        SINKS: 'postgres,mongo,clickhouse',
      }),
    ).toEqual({
      postgres: 'postgresql://h/db',
      mongo: 'mongodb://m/x',
      clickhouse: 'http://c:8123',
    });
  });

  it('names what is missing or wrong', () => {
    const reader = new EnvReader({ DATABASE_URI: 'sqlite:///x', SINKS: 'postgres,redis,mongo' });
    readSinkTargets(reader);
    expect(() => reader.done()).toThrow(/DATABASE_URI must be a postgresql:\/\/, clickhouse:\/\/ or mongodb:\/\/ URI/);
    expect(() => reader.done()).toThrow(/SINKS: unknown sink "redis"/);
    expect(() => reader.done()).toThrow(/SINKS includes mongo but MONGODB_URI/);
    const single = new EnvReader({ DATABASE_URI: 'postgresql://h/db' });
    readSinkTarget(single, 'clickhouse');
    expect(() => single.done()).toThrow(/CLICKHOUSE_URL is required/);
  });

  it('turns clickhouse:// URIs into an HTTP endpoint and database', () => {
    expect(clickhouseHttpEndpoint('clickhouse://u:p@c:8123/analytics')).toEqual({
      url: 'http://u:p@c:8123',
      database: 'analytics',
    });
    expect(clickhouseHttpEndpoint('http://c:8123')).toEqual({ url: 'http://c:8123', database: undefined });
  });
});
