import { createAppAuth } from '@octokit/auth-app';
import { Octokit, RequestError } from 'octokit';
import type { GitHubAppCredential } from './github-credential';
import { type CachedResponse, type RequestBudget, SyncStageError } from '@dev-health/connector';
import type { Logger } from '@dev-health/observability';

export interface GitHubClientOptions {
  /** https://api.github.com, or GitHub Enterprise Server's https://host/api/v3. */
  baseUrl: string;
  /**
   * A PAT or installation token; a GitHub App installation (installation tokens minted from the app's
   * key and renewed before they expire, by @octokit/auth-app); null: unauthenticated (public data,
   * 60 requests/hour).
   */
  token: string | GitHubAppCredential | null;
  budget: RequestBudget;
  logger: Logger;
  /** Attempts for a 5xx or a network error before the run fails (stage "fetch"). */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** `pollInterval`: seconds the events API asks clients to wait between polls (X-Poll-Interval), if it said. */
export type ConditionalResult<T> =
  | { status: 200; body: T; etag: string | null; next: string | null; pollInterval: number | null }
  | { status: 304; body: T; next: string | null; pollInterval: number | null };

/** What a cached page stores: its body and its Link rel="next", so a 304 still knows the next page. */
interface CachedPage {
  body: unknown;
  next: string | null;
}

type Headers = Record<string, string | number | undefined>;

/** The part of Octokit this adapter uses. Octokit's own types need node16 module resolution to load. */
interface OctokitRequester {
  request(route: string, parameters: object): Promise<{ data: unknown; headers: Headers; status: number }>;
}

const nextLink = (link: string | number | undefined): string | null =>
  typeof link === 'string' ? (/<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null) : null;

/**
 * GitHub's one adapter. Every request waits on the token's RequestBudget first; conditional GETs send
 * the cached ETag; 401 fails the run at stage "auth"; primary and secondary limits wait (as the
 * headers say) and retry; 5xx retries with backoff. Octokit's throttling and retry plugins are off:
 * one budget decides every wait, so two mechanisms never sleep for the same limit.
 */
export class GitHubClient {
  private readonly octokit: OctokitRequester;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: GitHubClientOptions) {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call -- see OctokitRequester
    this.octokit = new Octokit({
      baseUrl: options.baseUrl.replace(/\/$/, ''),
      userAgent: 'dev-health-ops',
      throttle: { enabled: false },
      retry: { enabled: false },
      ...(options.token === null
        ? {}
        : typeof options.token === 'string'
          ? { auth: options.token }
          : { authStrategy: createAppAuth, auth: options.token }),
    });
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** The token git clones send: the PAT, or the installation's current token (renewed as needed). */
  async gitToken(): Promise<string | null> {
    if (this.options.token === null || typeof this.options.token === 'string') return this.options.token;

    const authentication = (await (this.octokit as unknown as { auth: (options: object) => Promise<unknown> }).auth({
      type: 'installation',
    })) as { token: string };
    return authentication.token;
  }

  get budget(): RequestBudget {
    return this.options.budget;
  }

  /**
   * A GET that sends If-None-Match when `cached` has an ETag. On 304 the cached body comes back
   * (status 304): the caller knows nothing changed and publishes nothing.
   */
  async get<T>(url: string, cached?: CachedResponse): Promise<ConditionalResult<T>> {
    const result = await this.getOrMissing<T>(url, cached, false);
    if (result === null) throw new SyncStageError('fetch', `${url}: GitHub answered 404`);
    return result;
  }

  /** `get` where a 404 is an answer (a branch that does not exist yet): null. */
  async getIfFound<T>(url: string, cached?: CachedResponse): Promise<ConditionalResult<T> | null> {
    return this.getOrMissing<T>(url, cached, true);
  }

  private async getOrMissing<T>(
    url: string,
    cached: CachedResponse | undefined,
    notFoundIsAnswer: boolean,
  ): Promise<ConditionalResult<T> | null> {
    const headers: Record<string, string> = cached ? { 'if-none-match': cached.etag } : {};
    const response = await this.send(
      () => this.octokit.request(`GET ${url}`, { headers }),
      url,
      true,
      notFoundIsAnswer,
    );
    if (response.notFound) return null;
    const pollInterval = Number(response.headers['x-poll-interval']);
    const poll = Number.isFinite(pollInterval) && pollInterval > 0 ? pollInterval : null;
    if (response.notModified) {
      const page = cached?.body as CachedPage;
      return { status: 304, body: page.body as T, next: page.next, pollInterval: poll };
    }
    const etag = typeof response.headers.etag === 'string' ? response.headers.etag : null;
    return { status: 200, body: response.data as T, etag, next: nextLink(response.headers.link), pollInterval: poll };
  }

  /** The cache entry for a 200 (null without an ETag): what `get` needs to answer a 304 later. */
  static cacheEntry(key: string, result: ConditionalResult<unknown>): ({ key: string } & CachedResponse) | null {
    if (result.status !== 200 || result.etag === null) return null;
    const page: CachedPage = { body: result.body, next: result.next };
    return { key, etag: result.etag, body: page };
  }

  /** POST /graphql; GraphQL errors fail the run at stage "fetch", naming the first. */
  async graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const response = await this.send(
      () => this.octokit.request('POST /graphql', { query, variables }),
      'POST /graphql',
      false,
    );
    if (response.notModified) throw new SyncStageError('fetch', 'POST /graphql answered 304');
    const body = response.data as { data?: T & { rateLimit?: unknown }; errors?: { message: string }[] };
    if (body.errors && body.errors.length > 0)
      throw new SyncStageError('fetch', `GitHub GraphQL error: ${body.errors[0]?.message ?? 'unknown'}`);
    if (!body.data) throw new SyncStageError('fetch', 'GitHub GraphQL answered without data');
    const rateLimit = body.data.rateLimit as { remaining?: unknown; resetAt?: unknown; limit?: unknown } | undefined;
    if (typeof rateLimit?.remaining === 'number' && typeof rateLimit.resetAt === 'string')
      this.options.budget.observeGraphql({
        remaining: rateLimit.remaining,
        resetAt: rateLimit.resetAt,
        ...(typeof rateLimit.limit === 'number' ? { limit: rateLimit.limit } : {}),
      });
    return body.data;
  }

  private async send(
    call: () => Promise<{ data: unknown; headers: Headers; status: number }>,
    what: string,
    conditional: boolean,
    notFoundIsAnswer = false,
  ): Promise<{ data: unknown; headers: Headers; notModified: boolean; notFound?: boolean }> {
    const { budget, logger } = this.options;
    const maxAttempts = this.options.maxAttempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      await budget.acquire();
      try {
        const response = await call();
        budget.observe(response.headers);
        return { data: response.data, headers: response.headers, notModified: false };
      } catch (error: unknown) {
        if (!(error instanceof RequestError)) {
          if (attempt >= maxAttempts)
            throw new SyncStageError('fetch', `${what}: ${error instanceof Error ? error.message : String(error)}`);
          await this.sleep(1_000 * 2 ** (attempt - 1));
          continue;
        }
        const headers = (error.response?.headers ?? {}) as Headers;
        budget.observe(headers);
        if (error.status === 304 && conditional) {
          budget.countNotModified();
          return { data: null, headers, notModified: true };
        }
        if (error.status === 404 && notFoundIsAnswer)
          return { data: null, headers, notModified: false, notFound: true };
        if (error.status === 401)
          throw new SyncStageError('auth', `GitHub rejected the credential for ${what} (401 Bad credentials)`);
        const retryAfter = Number(headers['retry-after']);
        const exhausted = headers['x-ratelimit-remaining'] === '0' || headers['x-ratelimit-remaining'] === 0;
        if ((error.status === 403 || error.status === 429) && (Number.isFinite(retryAfter) || exhausted)) {
          // Secondary limit: wait as told. Primary: the budget now knows remaining=0 and waits for the reset.
          if (Number.isFinite(retryAfter)) budget.block(retryAfter);
          else if (budget.state.resetAt === null) budget.block(60);
          logger.warn('GitHub rate limit; waiting before retrying', {
            request: what,
            status: error.status,
            retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined,
            resetAt: budget.state.resetAt,
          });
          continue;
        }
        if (error.status === 403)
          throw new SyncStageError('auth', `GitHub refused ${what} (403): the credential lacks access`);
        if (error.status >= 500 && attempt < maxAttempts) {
          logger.warn('GitHub server error; retrying', { request: what, status: error.status, attempt });
          await this.sleep(1_000 * 2 ** (attempt - 1));
          continue;
        }
        throw new SyncStageError('fetch', `${what}: GitHub answered ${error.status}`);
      }
    }
  }
}
