/**
 * The one way values enter ClickHouse SQL text. ClickHouse 18.16 has no query parameters, so every
 * literal goes through these functions (tested against both dialects).
 */
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\0': '\\0',
  '\b': '\\b',
  '\f': '\\f',
};

/** A string literal: 'it\'s'. */
export function sqlString(value: string): string {
  return `'${value.replace(/[\\'\n\r\t\0\b\f]/g, (character) => ESCAPES[character] ?? character)}'`;
}

/** An identifier (database, table, column): letters, digits, underscore; anything else is refused. */
export function sqlIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`unsafe ClickHouse identifier "${name}"`);
  return name;
}

export type SqlValue = string | number | boolean | null | Date;

/** Any scalar as a literal; Dates become DateTime in UTC at second precision. */
export function sqlLiteral(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (value instanceof Date) return `toDateTime(${sqlString(formatDateTime(value.getTime()))}, 'UTC')`;
  return sqlString(value);
}

/** epoch ms → "YYYY-MM-DD hh:mm:ss" (UTC), the DateTime text both 18.16 and current ClickHouse parse. */
export function formatDateTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ');
}
