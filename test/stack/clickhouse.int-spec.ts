import { createClient } from '@clickhouse/client';
import { stackEndpoints, uniqueName } from '@dev-health/testing';

describe('ClickHouse (real server)', () => {
  const client = createClient({ url: stackEndpoints().clickhouseUrl });
  afterAll(async () => {
    await client.close();
  });

  it('creates a month-partitioned MergeTree table, inserts JSONEachRow and reads argMax', async () => {
    const database = uniqueName('stack_ch');
    await client.command({ query: `CREATE DATABASE ${database}` });
    try {
      await client.command({
        query: `CREATE TABLE ${database}.repo_metrics_daily (repo_id String, day Date, computed_at DateTime('UTC'), commits UInt32)
                ENGINE = MergeTree() PARTITION BY toYYYYMM(day) ORDER BY (repo_id, day)`,
      });
      await client.insert({
        table: `${database}.repo_metrics_daily`,
        format: 'JSONEachRow',
        values: [
          { repo_id: 'r1', day: '2026-01-01', computed_at: '2026-01-02 00:00:00', commits: 3 },
          { repo_id: 'r1', day: '2026-01-01', computed_at: '2026-01-02 01:00:00', commits: 5 },
          { repo_id: 'r1', day: '2026-02-01', computed_at: '2026-02-02 00:00:00', commits: 7 },
        ],
      });
      const result = await client.query({
        query: `SELECT repo_id, toString(day) AS day, argMax(commits, computed_at) AS commits
                FROM ${database}.repo_metrics_daily GROUP BY repo_id, day ORDER BY day`,
        format: 'JSONEachRow',
      });
      expect(await result.json()).toEqual([
        { repo_id: 'r1', day: '2026-01-01', commits: 5 },
        { repo_id: 'r1', day: '2026-02-01', commits: 7 },
      ]);
      const partitions = await client.query({
        query: `SELECT DISTINCT partition FROM system.parts WHERE database = '${database}' AND active ORDER BY partition`,
        format: 'JSONEachRow',
      });
      expect(await partitions.json()).toEqual([{ partition: '202601' }, { partition: '202602' }]);
    } finally {
      await client.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    }
  });
});
