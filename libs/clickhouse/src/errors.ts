import type { Retriability } from '@dev-health/kafka';

/**
 * ClickHouse error codes (src/Common/ErrorCodes.cpp) that the data itself causes: retrying the same
 * rows fails the same way. Every other server error (timeouts, memory, too many parts, a replica
 * away) can pass.
 */
const DETERMINISTIC_CLICKHOUSE_CODES: ReadonlySet<string> = new Set([
  '6', // CANNOT_PARSE_TEXT
  '26', // CANNOT_PARSE_QUOTED_STRING
  '27', // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  '38', // CANNOT_PARSE_DATE
  '41', // CANNOT_PARSE_DATETIME
  '53', // TYPE_MISMATCH
  '69', // ARGUMENT_OUT_OF_BOUND
  '70', // CANNOT_CONVERT_TYPE
  '72', // CANNOT_PARSE_NUMBER
  '117', // INCORRECT_DATA
  '131', // TOO_LARGE_STRING_SIZE
  '321', // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
]);

export function clickhouseRetriability(error: unknown): Retriability | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^\d+$/.test(code)) return undefined;
  return DETERMINISTIC_CLICKHOUSE_CODES.has(code) ? 'deterministic' : 'transient';
}
