import type { Retriability } from '@dev-health/kafka';

/**
 * Whether a Postgres error can go away on retry, by SQLSTATE class
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html).
 */
export function postgresRetriability(error: unknown): Retriability | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  // A concurrent writer won the same key: the next try sees its row.
  if (code === '23505') return 'transient';
  switch (code.slice(0, 2)) {
    case '22': // data exception: a NUL byte in text/jsonb, a value out of range, an invalid date
    case '23': // integrity constraint: a NOT NULL or CHECK the record breaks
      return 'deterministic';
    default:
      // 08 connection, 40 serialization/deadlock, 53 resources, 57 shutdown/statement timeout,
      // 55 lock not available, 42 a table a migration has yet to create: all can pass.
      return 'transient';
  }
}
