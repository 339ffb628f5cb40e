import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequesterFn } from '@gitbeaker/requester-utils';
import { Projects } from '@gitbeaker/rest';
import { type CachedResponse, type RequestBudget, SyncStageError } from '@dev-health/connector';
import type { Logger } from '@dev-health/observability';

export interface GitLabClientOptions {
  /** https://gitlab.com, or a self-managed instance's base URL (the API is under /api/v4). */
  baseUrl: string;
  /** A personal, group or project access token. */
  token: string;
  budget: RequestBudget;
  logger: Logger;
  /** Attempts for a 5xx, a network error or an unreadable body before the run fails (stage "fetch"). */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** GitLab's names of its rate-limit headers (RequestBudget reads GitHub's by default). */
export const GITLAB_RATE_LIMIT_HEADERS = {
  limit: 'ratelimit-limit',
  remaining: 'ratelimit-remaining',
  reset: 'ratelimit-reset',
} as const;

/** One page: its body (the cached one on 304), its ETag, and where the next page is (offset or keyset). */
export type GitLabPage<T> =
  | { status: 200; body: T; etag: string | null; next: Next | null }
  | { status: 304; body: T; etag: string; next: Next | null };

/** The next page: offset pagination's x-next-page, or keyset pagination's Link rel="next" URL. */
export type Next = { page: number } | { url: string };

interface RawResponse {
  body: unknown;
  headers: Record<string, string>;
  status: number;
}

interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  prefixUrl?: string;
  searchParams?: string;
}

/** What a cached page stores: its body and where its next page was, so a 304 still walks on. */
interface CachedPage {
  body: unknown;
  next: Next | null;
}

type Query = Record<string, string | number | boolean | undefined>;

const nextOf = (headers: Record<string, string>): Next | null => {
  const page = Number(headers['x-next-page']);
  if (Number.isInteger(page) && page > 0) return { page };
  const link = /<([^>]+)>;\s*rel="next"/.exec(headers.link ?? '')?.[1];
  return link ? { url: link } : null;
};

/**
 * GitLab's one adapter: gitbeaker builds the requests (auth header, URL, query encoding); this client's
 * request handler sends them. gitbeaker's own handler retries 429s on a fixed schedule that ignores
 * Retry-After, so it is replaced: every request waits on the token's RequestBudget (RateLimit-* headers,
 * Retry-After on 429), conditional GETs send the cached ETag (304: nothing changed), 401 fails the
 * run at stage "auth", and 5xx, network errors and unreadable bodies are retried with backoff.
 */
export class GitLabClient {
  private readonly requester: { get(endpoint: string, options?: { searchParams?: Query }): Promise<RawResponse> };
  /** The ETag of the request being sent (gitbeaker has no per-request headers). */
  private readonly conditional = new AsyncLocalStorage<{ etag?: string }>();
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxAttempts: number;
  /** Requests sent per endpoint (the path with numbers replaced): what the bench reports. */
  readonly requestsByEndpoint = new Map<string, number>();

  constructor(private readonly options: GitLabClientOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.maxAttempts = options.maxAttempts ?? 5;
    type Handler = Parameters<typeof createRequesterFn>[1];
    const handler = (endpoint: string, requestOptions?: Record<string, unknown>) =>
      this.send(endpoint, requestOptions ?? {});
    const requesterFn = createRequesterFn(
      (_service, requestOptions) => Promise.resolve(requestOptions),
      handler as unknown as Handler,
    );
    const resource = new Projects({
      host: options.baseUrl.replace(/\/$/, ''),
      token: options.token,
      requesterFn,
      // One budget decides every wait; gitbeaker's client-side limiters would be a second.
      rateLimits: {},
    });
    this.requester = (resource as unknown as { requester: GitLabClient['requester'] }).requester;
  }

  /** The token git clones send (as HTTP Basic password; GitLab takes any user name with it). */
  gitToken(): string {
    return this.options.token;
  }

  get budget(): RequestBudget {
    return this.options.budget;
  }

  /** One page of `path` (relative to /api/v4), conditional on `cached`'s ETag. */
  async page<T>(path: string, query: Query, cached?: CachedResponse): Promise<GitLabPage<T>> {
    const response = await this.conditional.run({ etag: cached?.etag }, () =>
      this.requester.get(path, { searchParams: query }),
    );
    if (response.status === 304) {
      const page = cached?.body as CachedPage;
      return { status: 304, body: page.body as T, etag: cached?.etag ?? '', next: page.next };
    }
    return {
      status: 200,
      body: response.body as T,
      etag: response.headers.etag ?? null,
      next: nextOf(response.headers),
    };
  }

  /** A page after `next` (offset: the same query with its page; keyset: the Link URL as it is). */
  async nextPage<T>(path: string, query: Query, next: Next, cached?: CachedResponse): Promise<GitLabPage<T>> {
    if ('page' in next) return this.page<T>(path, { ...query, page: next.page }, cached);
    const url = new URL(next.url);
    const apiPath = url.pathname.replace(/^.*\/api\/v4\//, '');
    return this.page<T>(apiPath, Object.fromEntries(url.searchParams), cached);
  }

  /** Every record of a list, page by page (unconditional). */
  async all<T>(path: string, query: Query): Promise<T[]> {
    const records: T[] = [];
    let page = await this.page<T[]>(path, query);
    records.push(...page.body);
    while (page.next) {
      page = await this.nextPage<T[]>(path, query, page.next);
      records.push(...page.body);
    }
    return records;
  }

  /** What a page's cache entry holds. */
  static cacheEntry(page: GitLabPage<unknown>): CachedResponse | null {
    return page.etag ? { etag: page.etag, body: { body: page.body, next: page.next } satisfies CachedPage } : null;
  }

  private async send(endpoint: string, request: RequestOptions): Promise<RawResponse> {
    const base = request.prefixUrl ?? '';
    const url = new URL(endpoint, base.endsWith('/') ? base : `${base}/`);
    url.search = request.searchParams ?? '';
    const label = `GET ${url.pathname.replace(/\/\d+(?=\/|$)/g, '/:id')}`;
    const etag = this.conditional.getStore()?.etag;
    const { budget, logger } = this.options;
    for (let attempt = 1; ; attempt++) {
      await budget.acquire();
      this.requestsByEndpoint.set(label, (this.requestsByEndpoint.get(label) ?? 0) + 1);
      let response: Response;
      try {
        response = await fetch(url, {
          method: request.method ?? 'GET',
          headers: { ...request.headers, ...(etag ? { 'if-none-match': etag } : {}) },
        });
      } catch (error: unknown) {
        await this.retryOrFail(
          attempt,
          url,
          `network error: ${error instanceof Error ? error.message : String(error)}`,
        );
        continue;
      }
      const headers = Object.fromEntries(response.headers.entries());
      budget.observe(headers);
      if (response.status === 304) {
        budget.countNotModified();
        return { status: 304, headers, body: null };
      }
      if (response.status === 401)
        throw new SyncStageError(
          'auth',
          `GitLab answered 401 for ${url.pathname}: the token is missing, wrong or expired`,
        );
      if (response.status === 429) {
        // Retry-After (seconds); without it, the window's reset.
        const retryAfter = Number(headers['retry-after']);
        const reset = Number(headers[GITLAB_RATE_LIMIT_HEADERS.reset]) * 1000 - Date.now();
        const seconds = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : Math.max(1, reset / 1000);
        logger.warn('GitLab rate limit: waiting', { path: url.pathname, seconds });
        budget.block(seconds);
        await response.body?.cancel();
        continue;
      }
      if (response.status >= 500) {
        await response.body?.cancel();
        await this.retryOrFail(attempt, url, `GitLab answered ${response.status}`);
        continue;
      }
      if (!response.ok) {
        const text = await response.text();
        throw new SyncStageError(
          'fetch',
          `GitLab answered ${response.status} for ${url.pathname}: ${text.slice(0, 200)}`,
        );
      }
      const text = await response.text();
      try {
        return { status: response.status, headers, body: JSON.parse(text) as unknown };
      } catch {
        await this.retryOrFail(attempt, url, 'GitLab answered a body that is not JSON');
      }
    }
  }

  private async retryOrFail(attempt: number, url: URL, reason: string): Promise<void> {
    if (attempt >= this.maxAttempts)
      throw new SyncStageError('fetch', `${url.pathname}: ${reason} (${attempt} attempts)`);
    const delay = Math.min(10_000, 250 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
    this.options.logger.warn('GitLab request failed; retrying', {
      path: url.pathname,
      attempt,
      reason,
      retryInMs: Math.round(delay),
    });
    await this.sleep(delay);
  }
}
