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

/**
 * A server error's code. The client parses it from current servers' "Code: 57. DB::Exception"; 18.16
 * writes "Code: 57, e.displayText() = …", which it leaves unparsed, so the message is read too.
 */
export function clickhouseErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^\d+$/.test(code)) return code;
  const message = error instanceof Error ? error.message : '';
  return /^Code: (\d+)[.,]/.exec(message)?.[1];
}

export function clickhouseRetriability(error: unknown): Retriability | undefined {
  const code = clickhouseErrorCode(error);
  if (code === undefined) return undefined;
  return DETERMINISTIC_CLICKHOUSE_CODES.has(code) ? 'deterministic' : 'transient';
}
