import { missingEndpointVariables, stackEndpoints } from './endpoints';
import { uniqueName } from './names';
import { waitFor } from './wait-for';

describe('test harness', () => {
  it('uniqueName gives distinct names valid for Kafka, Postgres, ClickHouse and Mongo', () => {
    const names = new Set(Array.from({ length: 200 }, () => uniqueName('Repo Metrics-Test')));
    expect(names.size).toBe(200);
    for (const name of names) expect(name).toMatch(/^repo_metrics_test_[a-z0-9]+_[0-9a-f]{8}$/);
  });

  it('stackEndpoints names every missing variable', () => {
    expect(missingEndpointVariables({ KAFKA_BROKERS: 'a:1', MONGODB_URI: ' ' })).toEqual([
      'SCHEMA_REGISTRY_URL',
      'DATABASE_URI',
      'CLICKHOUSE_URL',
      'MONGODB_URI',
    ]);
    expect(() => stackEndpoints({})).toThrow(
      /KAFKA_BROKERS, SCHEMA_REGISTRY_URL, DATABASE_URI, CLICKHOUSE_URL, MONGODB_URI/,
    );
  });

  it('stackEndpoints splits the broker list', () => {
    const endpoints = stackEndpoints({
      KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9094',
      SCHEMA_REGISTRY_URL: 'http://r',
      DATABASE_URI: 'postgresql://d',
      CLICKHOUSE_URL: 'http://c',
      MONGODB_URI: 'mongodb://m',
    });
    expect(endpoints.kafkaBrokers).toEqual(['127.0.0.1:9092', '127.0.0.1:9094']);
  });

  it('waitFor returns the first truthy probe value and reports the last error on timeout', async () => {
    let calls = 0;
    await expect(
      waitFor(() => (++calls >= 3 ? calls : undefined), { description: 'three calls', intervalMs: 1 }),
    ).resolves.toBe(3);
    await expect(
      waitFor(
        () => {
          throw new Error('broker not ready');
        },
        { description: 'a broker', timeoutMs: 30, intervalMs: 5 },
      ),
    ).rejects.toThrow('timed out after 30 ms waiting for a broker: last error: broker not ready');
  });
});
