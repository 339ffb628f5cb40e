/**
 * The one place that decides what is worth retrying. A handler that throws is retried (a database
 * or broker that is down loses nothing); a record the handler cannot use is rejected, per record,
 * and goes to the dead-letter topic.
 */
export class PoisonRecordError extends Error {
  override readonly name = 'PoisonRecordError';
}

/** "Name: message", with the code and detail a database or socket error carries (SQLSTATE 22P05: …). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, detail } = error as { code?: unknown; detail?: unknown };
  const codePart = typeof code === 'string' || typeof code === 'number' ? ` [${code}]` : '';
  const detailPart = typeof detail === 'string' && detail.length > 0 ? ` (${detail})` : '';
  return `${error.name}: ${error.message}${codePart}${detailPart}`;
}

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 200, maxMs: 10_000, factor: 2 };

/** Delay before retry number `attempt` (1-based), with ±20% jitter so restarted consumers spread out. */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * Restarts of a consumer that stopped on its own: each waits longer (backoff capped at the 6th step)
 * and is logged; `reset()` once it consumes again.
 */
export class ConsumerRestarts {
  private count = 0;

  constructor(
    private readonly logger: { warn(message: string, fields?: Record<string, unknown>): void },
    private readonly groupId: string,
  ) {}

  /** Logs why the consumer is replaced and waits before the new one joins. */
  async wait(error: unknown): Promise<void> {
    this.count++;
    const delay = backoffDelay(Math.min(this.count, 6));
    this.logger.warn('consumer stopped; rejoining with a new consumer', {
      group: this.groupId,
      retryInMs: delay,
      error: describeError(error),
    });
    await new Promise((resolve) => setTimeout(resolve, delay));
  }

  reset(): void {
    this.count = 0;
  }
}

/**
 * Whether trying again can help. Transient: a server down or slow, a connection reset, a rate limit:
 * retried with backoff for as long as it takes, never dead-lettered. Deterministic: the input itself
 * (a value out of range, a NUL byte jsonb rejects, a bug a record trips): retried a few times, then
 * isolated to the records that cause it and dead-lettered, so one record never stalls its partition.
 */
export type Retriability = 'transient' | 'deterministic';

const RETRIABILITY = Symbol.for('dev-health.retriability');

/**
 * Records what the adapter that raised `error` knows about it (Postgres by SQLSTATE, ClickHouse by
 * error code, the registry by HTTP status). Returns the error, for `throw markRetriability(...)`.
 */
export function markRetriability<T>(error: T, retriability: Retriability): T {
  if (typeof error === 'object' && error !== null && !Object.isFrozen(error))
    Object.defineProperty(error, RETRIABILITY, { value: retriability, configurable: true, enumerable: false });
  return error;
}

/** Socket and DNS failures, from Node and undici: the peer is away, not the data wrong. */
const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Programming errors a record can trip in pure code (a normalizer reading a field that is not there). */
const DETERMINISTIC_ERROR_NAMES: ReadonlySet<string> = new Set([
  'TypeError',
  'RangeError',
  'SyntaxError',
  'URIError',
  'PoisonRecordError',
]);

/** The error and its causes (`cause`, AggregateError's `errors`), outermost first, a bounded number. */
function errorChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  const pending: unknown[] = [error];
  while (pending.length > 0 && chain.length < 16) {
    const next = pending.shift();
    if (next === undefined || next === null || chain.includes(next)) continue;
    chain.push(next);
    if (typeof next !== 'object') continue;
    const { cause, errors } = next as { cause?: unknown; errors?: unknown };
    if (cause !== undefined) pending.push(cause);
    if (Array.isArray(errors)) pending.push(...(errors as unknown[]));
  }
  return chain;
}

function hasNetworkCode(chain: unknown[]): boolean {
  return chain.some((link) => {
    const code = typeof link === 'object' ? (link as { code?: unknown }).code : undefined;
    return typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code);
  });
}

/** A socket or DNS failure anywhere in the error's chain: the peer is away, not the data wrong. */
export function isNetworkError(error: unknown): boolean {
  return hasNetworkCode(errorChain(error));
}

/**
 * Transient or deterministic: an adapter's mark wins (outermost first); a socket or DNS failure
 * anywhere in the chain is transient; a TypeError, RangeError or the like thrown by our own code is
 * deterministic; anything else is transient, because retrying an unknown loses nothing while
 * dead-lettering it could send a whole outage's records to the DLQ.
 */
export function retriabilityOf(error: unknown): Retriability {
  const chain = errorChain(error);
  for (const link of chain) {
    const marked = typeof link === 'object' ? (link as Record<symbol, unknown>)[RETRIABILITY] : undefined;
    if (marked === 'transient' || marked === 'deterministic') return marked;
  }
  if (hasNetworkCode(chain)) return 'transient';
  return error instanceof Error && DETERMINISTIC_ERROR_NAMES.has(error.name) ? 'deterministic' : 'transient';
}

/** An error's stack for a dead letter's headers: bounded, so a deep stack cannot bloat the record. */
export function stackOf(error: unknown, maxLength = 4_000): string {
  const stack = error instanceof Error ? (error.stack ?? describeError(error)) : describeError(error);
  return stack.slice(0, maxLength);
}
