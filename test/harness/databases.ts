import { Client } from 'pg';
import { uniqueName } from './names';

function withDatabase(uri: string, database: string): string {
  const url = new URL(uri);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A fresh Postgres database for one test file; `drop()` removes it. */
export async function createTestDatabase(
  baseUri: string,
  prefix: string,
): Promise<{ uri: string; name: string; drop: () => Promise<void> }> {
  const name = uniqueName(prefix);
  const admin = new Client({ connectionString: withDatabase(baseUri, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    uri: withDatabase(baseUri, name),
    name,
    drop: async () => {
      const client = new Client({ connectionString: withDatabase(baseUri, 'postgres') });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export async function queryRows<T>(uri: string, sql: string, parameters: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: uri });
  await client.connect();
  try {
    return (await client.query(sql, parameters)).rows as T[];
  } finally {
    await client.end();
  }
}
