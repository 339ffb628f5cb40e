import { Client } from 'pg';
import { stackEndpoints, uniqueName } from '@dev-health/testing';

function withDatabase(uri: string, database: string): string {
  const url = new URL(uri);
  url.pathname = `/${database}`;
  return url.toString();
}

describe('PostgreSQL (real server)', () => {
  const { databaseUri } = stackEndpoints();

  it('creates a private database, inserts and selects rows, and enforces a primary key', async () => {
    const database = uniqueName('stack_db');
    const admin = new Client({ connectionString: withDatabase(databaseUri, 'postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const client = new Client({ connectionString: withDatabase(databaseUri, database) });
    try {
      await client.connect();
      await client.query(
        'CREATE TABLE commits (id text PRIMARY KEY, additions integer NOT NULL, committed_at timestamptz NOT NULL)',
      );
      await client.query(`INSERT INTO commits (id, additions, committed_at) VALUES ($1, $2, $3), ($4, $5, $6)`, [
        'a',
        10,
        '2026-01-01T10:00:00+05:30',
        'b',
        32,
        '2026-01-02T00:00:00Z',
      ]);
      const { rows } = await client.query<{ id: string; additions: number; utc: string }>(
        `SELECT id, additions, to_char(committed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS utc FROM commits ORDER BY id`,
      );
      expect(rows).toEqual([
        { id: 'a', additions: 10, utc: '2026-01-01 04:30' },
        { id: 'b', additions: 32, utc: '2026-01-02 00:00' },
      ]);
      await expect(client.query(`INSERT INTO commits VALUES ('a', 1, now())`)).rejects.toThrow(/duplicate key/);
    } finally {
      await client.end();
      await admin.query(`DROP DATABASE IF EXISTS ${database}`);
      await admin.end();
    }
  });
});
