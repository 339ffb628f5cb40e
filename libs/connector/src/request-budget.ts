import type { PipelineMetrics } from '@dev-health/observability';

/** A provider's rate-limit window as its responses report it. */
export interface BudgetState {
  limit: number | null;
  remaining: number | null;
  /** Epoch ms when the window resets. */
  resetAt: number | null;
  /** Epoch ms until which a secondary limit (Retry-After) forbids any request. */
  blockedUntil: number;
  /** Requests this budget let through, and those answered 304 (free on GitHub). */
  requests: number;
  notModified: number;
  /** Times it paused before a request, and for how long in all. */
  pauses: number;
  pausedMs: number;
}

export interface RequestBudgetOptions {
  /** Requests kept in reserve: at this many left, wait for the reset instead of spending them. */
  reserve: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Where its requests and remaining budget show: dho_provider_requests_total, dho_provider_rate_limit_remaining. */
  instruments?: { metrics: PipelineMetrics; provider: string; integration: string };
  /** The provider's names of the limit/remaining/reset headers (GitHub's x-ratelimit-* by default). */
  headerNames?: { limit: string; remaining: string; reset: string };
}

const GITHUB_HEADER_NAMES = {
  limit: 'x-ratelimit-limit',
  remaining: 'x-ratelimit-remaining',
  reset: 'x-ratelimit-reset',
};

const header = (headers: Readonly<Record<string, string | number | undefined>>, name: string): number | null => {
  const value = headers[name];
  if (value === undefined || value === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
};

/** A reset given as an instant (Jira: X-RateLimit-Reset 2026-12-06T10:15Z), in epoch seconds. */
const isoSeconds = (value: string | number | undefined): number | null => {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isFinite(ms) ? ms / 1000 : null;
};

/**
 * One token's request budget: learns the primary limit from its rate-limit headers (or GraphQL
 * rateLimit), pauses before a request once only the reserve is left (never after exhaustion), and
 * honours secondary limits (Retry-After) by letting no request through until they pass.
 */
export class RequestBudget {
  readonly state: BudgetState = {
    limit: null,
    remaining: null,
    resetAt: null,
    blockedUntil: 0,
    requests: 0,
    notModified: 0,
    pauses: 0,
    pausedMs: 0,
  };
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: RequestBudgetOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Waits until a request may be sent, then counts it against the budget. */
  async acquire(): Promise<void> {
    for (;;) {
      const wait = this.waitMs();
      if (wait <= 0) break;
      this.state.pauses++;
      this.state.pausedMs += wait;
      await this.sleep(wait);
    }
    const { resetAt, remaining } = this.state;
    if (resetAt !== null && this.now() >= resetAt) {
      // A new window: assume it is full until a response says otherwise.
      this.state.remaining = this.state.limit;
      this.state.resetAt = null;
    } else if (remaining !== null) this.state.remaining = remaining - 1;
    this.state.requests++;
    this.count('sent');
  }

  /** How long the next request must wait (0: go). */
  waitMs(): number {
    const now = this.now();
    if (this.state.blockedUntil > now) return this.state.blockedUntil - now;
    const { remaining, resetAt } = this.state;
    if (remaining !== null && resetAt !== null && remaining <= this.options.reserve && now < resetAt)
      return resetAt - now + 1_000; // a second past the reset: clocks differ
    return 0;
  }

  /** The limit / remaining / reset (epoch seconds, or an ISO instant) headers of a response, whatever its status. */
  observe(headers: Readonly<Record<string, string | number | undefined>>): void {
    const names = this.options.headerNames ?? GITHUB_HEADER_NAMES;
    const limit = header(headers, names.limit);
    const remaining = header(headers, names.remaining);
    const reset = header(headers, names.reset) ?? isoSeconds(headers[names.reset]);
    if (limit !== null) this.state.limit = limit;
    if (remaining !== null) this.state.remaining = remaining;
    if (reset !== null) this.state.resetAt = reset * 1000;
    this.showRemaining();
  }

  /** GraphQL's own accounting: rateLimit { remaining resetAt }. */
  observeGraphql(rateLimit: { remaining: number; resetAt: string; limit?: number }): void {
    this.state.remaining = rateLimit.remaining;
    this.state.resetAt = Date.parse(rateLimit.resetAt);
    if (rateLimit.limit !== undefined) this.state.limit = rateLimit.limit;
    this.showRemaining();
  }

  /** A secondary limit: nothing goes out for `seconds`. */
  block(seconds: number): void {
    this.state.blockedUntil = Math.max(this.state.blockedUntil, this.now() + seconds * 1000);
  }

  countNotModified(): void {
    this.state.notModified++;
    this.count('not_modified');
  }

  private count(outcome: 'sent' | 'not_modified'): void {
    const instruments = this.options.instruments;
    instruments?.metrics.providerRequests.inc({ provider: instruments.provider, outcome });
  }

  private showRemaining(): void {
    const instruments = this.options.instruments;
    if (instruments && this.state.remaining !== null)
      instruments.metrics.providerRateLimitRemaining.set(
        { provider: instruments.provider, integration: instruments.integration },
        this.state.remaining,
      );
  }
}
