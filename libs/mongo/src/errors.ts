import type { Retriability } from '@dev-health/kafka';

/** Server error codes the document itself causes (src/mongo/base/error_codes.yml). */
const DETERMINISTIC_MONGO_CODES: ReadonlySet<number> = new Set([
  2, // BadValue
  14, // TypeMismatch
  17, // UnsupportedFormat
  52, // DollarPrefixedFieldName
  56, // NotSingleValueField
  10334, // BSONObjectTooLarge
  17280, // KeyTooLong
]);

export function mongoRetriability(error: unknown): Retriability | undefined {
  if (!(error instanceof Error)) return undefined;
  // The driver's own labels say it best: a retryable write or a transient transaction error.
  const labels = (error as { errorLabels?: unknown }).errorLabels;
  if (
    Array.isArray(labels) &&
    labels.some((label) => label === 'RetryableWriteError' || label === 'TransientTransactionError')
  )
    return 'transient';
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number') return DETERMINISTIC_MONGO_CODES.has(code) ? 'deterministic' : 'transient';
  // The driver's BSON serializer rejects a document over 16 MiB before sending it.
  if (error.name === 'BSONError' || error.name === 'BSONVersionError') return 'deterministic';
  return undefined;
}
