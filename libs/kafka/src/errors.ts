/**
 * The one place that decides what is worth retrying. A handler that throws is retried (a database
 * or broker that is down loses nothing); a record the handler cannot use is rejected, per record,
 * and goes to the dead-letter topic.
 */
export class PoisonRecordError extends Error {
  override readonly name = 'PoisonRecordError';
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
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
