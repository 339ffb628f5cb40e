import { AsyncLocalStorage } from 'node:async_hooks';
import { Version2Client, Version3Client } from 'jira.js';
import { type RequestBudget, SyncStageError } from '@dev-health/connector';
import type { Logger } from '@dev-health/observability';
import type { JiraHistory, JiraUser } from './payloads';

/** Jira Cloud (REST v3, enhanced JQL search, bulk changelogs) or Data Center / Server (REST v2). */
export type JiraDeployment = 'cloud' | 'datacenter';

/**
 * How a run authenticates: Cloud's email + API token (HTTP Basic), or a bearer token — an OAuth 2.0
 * access token on Cloud (the site is then https://api.atlassian.com/ex/jira/<cloudId>), a personal
 * access token on Data Center.
 */
export type JiraAuth = { kind: 'basic'; email: string; apiToken: string } | { kind: 'bearer'; token: string };

/** A credential as stored (one secret): "email:api-token" is Basic, anything else a bearer token. */
export function parseJiraCredential(secret: string): JiraAuth {
  const colon = secret.indexOf(':');
  const email = secret.slice(0, colon);
  if (colon > 0 && email.includes('@')) return { kind: 'basic', email, apiToken: secret.slice(colon + 1) };
  return { kind: 'bearer', token: secret };
}

export interface JiraClientOptions {
  /** The site's base URL (without /rest). */
  site: string;
  deployment: JiraDeployment;
  auth: JiraAuth;
  budget: RequestBudget;
  logger: Logger;
  /** Requests in flight at once (per-issue changelog fallback). */
  concurrency: number;
  /** Histories per bulk changelog page (Jira: 1,000 by default, 10,000 at most). */
  changelogPageSize?: number;
  /** Attempts for a 5xx, a network error or an unreadable body before the run fails (stage "fetch"). */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
}

/** Jira's rate-limit headers: X-RateLimit-Reset is an ISO instant, which RequestBudget also reads. */
export const JIRA_RATE_LIMIT_HEADERS = {
  limit: 'x-ratelimit-limit',
  remaining: 'x-ratelimit-remaining',
  reset: 'x-ratelimit-reset',
} as const;

/** A 4xx the caller may handle (404: an endpoint this site lacks; 400: a JQL error). */
export class JiraResponseError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    readonly detail: string,
  ) {
    super(`Jira answered ${status} for ${path}: ${detail}`);
    this.name = 'JiraResponseError';
  }
}

export interface JiraFieldDetails {
  id: string;
  name: string;
  custom?: boolean;
  schema?: { type?: string; items?: string; custom?: string; system?: string };
}

export interface JiraStatusDetails {
  id: string;
  name: string;
  statusCategory?: { key?: string };
}

/** An issue as search returns it: the requested fields, and on Data Center the expanded changelog. */
export interface JiraSearchIssue {
  id: string;
  key: string;
  fields: Record<string, unknown>;
  changelog?: { startAt?: number; maxResults?: number; total?: number; histories?: JiraHistory[] };
}

export interface JiraSearchPage {
  issues: JiraSearchIssue[];
  /** Cloud: the next page's token; Data Center: the next startAt as a string. Null on the last page. */
  next: string | null;
}

/** Axios' request config as jira.js hands it to an adapter (only what this client reads). */
interface AdapterRequest {
  baseURL?: string;
  url?: string;
  method?: string;
  params?: Record<string, unknown>;
  data?: unknown;
  headers?: { toJSON?: () => Record<string, unknown> } & Record<string, unknown>;
  paramsSerializer?:
    ((params: Record<string, unknown>) => string) | { serialize?: (params: Record<string, unknown>) => string };
}

type CloudSearchPage = { issues?: JiraSearchIssue[]; nextPageToken?: string | null; isLast?: boolean };
type ServerSearchPage = { issues?: JiraSearchIssue[]; total?: number };
type BulkChangelogPage = {
  issueChangeLogs?: { issueId: string; changeHistories?: JiraHistory[] }[];
  nextPageToken?: string | null;
};
type ChangelogPage = { values?: JiraHistory[]; total?: number; isLast?: boolean };

const PAGE_LIMIT = 100;
const BULK_CHANGELOG_HISTORIES = 1_000;

const errorDetail = (text: string): string => {
  try {
    const body = JSON.parse(text) as { errorMessages?: string[]; errors?: Record<string, string> };
    const messages = [...(body.errorMessages ?? []), ...Object.values(body.errors ?? {})];
    if (messages.length > 0) return messages.join('; ').slice(0, 300);
  } catch {
    // not JSON: the text itself
  }
  return text.trim().slice(0, 300);
};

/**
 * Jira's one adapter. jira.js builds every request (paths, auth header, query and body encoding); its
 * axios transport is given this client's adapter, which sends them: each request waits on the token's
 * RequestBudget (X-RateLimit-* headers), a 429 waits its Retry-After — for the whole budget, or only
 * for that endpoint when RateLimit-Reason says the limit is the per-endpoint burst one — 401/403 fail
 * the run at stage "auth", 5xx (a 503's Retry-After honoured), network errors and unreadable bodies
 * are retried with backoff.
 */
export class JiraClient {
  private cloudClient: Version3Client | undefined;
  private serverClient: Version2Client | undefined;
  private readonly config: ConstructorParameters<typeof Version3Client>[0];
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxAttempts: number;
  /** Burst limits are per endpoint: until when each endpoint must wait. */
  private readonly endpointBlocks = new Map<string, number>();
  /** The error the adapter failed a call with: jira.js rewraps it as its own and drops the original. */
  private readonly failure = new AsyncLocalStorage<{ error?: unknown }>();
  /** Requests sent per endpoint (the path with ids and keys replaced): what the bench reports. */
  readonly requestsByEndpoint = new Map<string, number>();

  constructor(private readonly options: JiraClientOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.maxAttempts = options.maxAttempts ?? 5;
    this.config = {
      host: options.site.replace(/\/$/, ''),
      ...(options.auth.kind === 'basic'
        ? { authentication: { basic: { email: options.auth.email, apiToken: options.auth.apiToken } } }
        : {}),
      baseRequestConfig: {
        adapter: (request: AdapterRequest) => this.send(request),
        headers: {
          Accept: 'application/json',
          ...(options.auth.kind === 'bearer' ? { Authorization: `Bearer ${options.auth.token}` } : {}),
        },
      },
    };
  }

  /** REST v3 (Cloud), built on first use: each surface builds every endpoint group of the API. */
  private get cloud(): Version3Client {
    this.cloudClient ??= new Version3Client(this.config);
    return this.cloudClient;
  }

  /** REST v2 (Data Center, Server), built on first use. */
  private get server(): Version2Client {
    this.serverClient ??= new Version2Client(this.config);
    return this.serverClient;
  }

  get budget(): RequestBudget {
    return this.options.budget;
  }

  get site(): string {
    return this.options.site;
  }

  get deployment(): JiraDeployment {
    return this.options.deployment;
  }

  get concurrency(): number {
    return this.options.concurrency;
  }

  /** Cloud or Data Center, from the site's own answer: Data Center has no REST v3 (404). */
  static async detectDeployment(options: Omit<JiraClientOptions, 'deployment'>): Promise<JiraDeployment> {
    const probe = new JiraClient({ ...options, deployment: 'cloud' });
    try {
      const info = await probe.call(() => probe.cloud.serverInfo.getServerInfo<{ deploymentType?: string }>());
      return info.deploymentType === 'Cloud' ? 'cloud' : 'datacenter';
    } catch (error: unknown) {
      if (error instanceof JiraResponseError && error.status === 404) return 'datacenter';
      throw error;
    }
  }

  /** The token's user: proves the credential, and gives the time zone JQL dates are read in. */
  myself(): Promise<JiraUser & { timeZone?: string }> {
    type Myself = JiraUser & { timeZone?: string };
    return this.call(() =>
      this.options.deployment === 'cloud'
        ? this.cloud.myself.getCurrentUser<Myself>()
        : this.server.myself.getCurrentUser<Myself>(),
    );
  }

  /** Every field of the site (custom fields are found by name and type: their ids differ per site). */
  fields(): Promise<JiraFieldDetails[]> {
    return this.call(() =>
      this.options.deployment === 'cloud'
        ? this.cloud.issueFields.getFields<JiraFieldDetails[]>()
        : this.server.issueFields.getFields<JiraFieldDetails[]>(),
    );
  }

  /** Every status of the site with its category: the only source of To Do / In Progress / Done. */
  statuses(): Promise<JiraStatusDetails[]> {
    return this.call(() =>
      this.options.deployment === 'cloud'
        ? this.cloud.workflowStatuses.getStatuses<JiraStatusDetails[]>()
        : this.server.workflowStatuses.getStatuses<JiraStatusDetails[]>(),
    );
  }

  /**
   * One page of a JQL search. Cloud: the enhanced search (POST /rest/api/3/search/jql, nextPageToken);
   * the old /search is being removed there and is never called. Data Center has only /rest/api/2/search
   * (startAt), and its issues carry their changelog (expand=changelog).
   */
  async search(
    jql: string,
    fields: string[],
    next: string | null,
    { changelog = true }: { changelog?: boolean } = {},
  ): Promise<JiraSearchPage> {
    if (this.options.deployment === 'cloud') {
      const page = await this.call(() =>
        this.cloud.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost<CloudSearchPage>({
          jql,
          fields,
          maxResults: PAGE_LIMIT,
          ...(next ? { nextPageToken: next } : {}),
        }),
      );
      const token = page.isLast === true ? null : (page.nextPageToken ?? null);
      return { issues: page.issues ?? [], next: token };
    }
    const startAt = next ? Number(next) : 0;
    const page = await this.call(() =>
      this.server.issueSearch.searchForIssuesUsingJqlPost<ServerSearchPage>({
        jql,
        fields,
        startAt,
        maxResults: PAGE_LIMIT,
        ...(changelog ? { expand: ['changelog'] } : {}),
      }),
    );
    const issues = page.issues ?? [];
    const after = startAt + issues.length;
    return { issues, next: issues.length > 0 && after < (page.total ?? 0) ? String(after) : null };
  }

  /**
   * Cloud: one page of the bulk changelog of up to 1,000 issues (histories oldest first per issue; an
   * issue's histories may continue on the next page). 404 where the site or a proxy lacks it.
   */
  async bulkChangelogs(
    issueIds: string[],
    next: string | null,
  ): Promise<{ issueChangeLogs: { issueId: string; changeHistories: JiraHistory[] }[]; next: string | null }> {
    const page = await this.call(() =>
      this.cloud.issues.getBulkChangelogs<BulkChangelogPage>({
        issueIdsOrKeys: issueIds,
        maxResults: this.options.changelogPageSize ?? BULK_CHANGELOG_HISTORIES,
        ...(next ? { nextPageToken: next } : {}),
      }),
    );
    return {
      issueChangeLogs: (page.issueChangeLogs ?? []).map((log) => ({
        issueId: log.issueId,
        changeHistories: log.changeHistories ?? [],
      })),
      next: page.nextPageToken ?? null,
    };
  }

  /** Cloud: one page (100) of an issue's changelog. */
  async changelogPage(
    issueId: string,
    startAt: number,
  ): Promise<{ values: JiraHistory[]; total: number; isLast: boolean }> {
    const page = await this.call(() =>
      this.cloud.issues.getChangeLogs<ChangelogPage>({ issueIdOrKey: issueId, startAt, maxResults: PAGE_LIMIT }),
    );
    const values = page.values ?? [];
    const total = page.total ?? startAt + values.length;
    return { values, total, isLast: page.isLast ?? startAt + values.length >= total };
  }

  /** Whether the credential can see the issue (false: Jira answers 404, it is deleted or hidden). */
  async exists(issueId: string): Promise<boolean> {
    try {
      await this.call(() =>
        this.options.deployment === 'cloud'
          ? this.cloud.issues.getIssue<unknown>({ issueIdOrKey: issueId, fields: ['updated'] })
          : this.server.issues.getIssue<unknown>({ issueIdOrKey: issueId, fields: ['updated'] }),
      );
      return true;
    } catch (error: unknown) {
      if (error instanceof JiraResponseError && error.status === 404) return false;
      throw error;
    }
  }

  /** Data Center: an issue with its whole changelog (search expands at most 100 histories). */
  async issueChangelog(issueId: string): Promise<JiraHistory[]> {
    const issue = await this.call(() =>
      this.server.issues.getIssue<{ changelog?: { histories?: JiraHistory[] } }>({
        issueIdOrKey: issueId,
        fields: ['id'],
        expand: 'changelog',
      }),
    );
    return issue.changelog?.histories ?? [];
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    const slot: { error?: unknown } = {};
    try {
      return await this.failure.run(slot, request);
    } catch (error: unknown) {
      throw slot.error ?? error;
    }
  }

  private async send(request: AdapterRequest): Promise<unknown> {
    try {
      return await this.attempt(request);
    } catch (error: unknown) {
      const slot = this.failure.getStore();
      if (slot) slot.error = error;
      throw error;
    }
  }

  private async attempt(request: AdapterRequest): Promise<unknown> {
    const url = new URL(`${(request.baseURL ?? '').replace(/\/$/, '')}${request.url ?? ''}`);
    const serialize =
      typeof request.paramsSerializer === 'function' ? request.paramsSerializer : request.paramsSerializer?.serialize;
    if (request.params)
      url.search = serialize
        ? serialize(request.params)
        : new URLSearchParams(request.params as Record<string, string>).toString();
    const method = (request.method ?? 'get').toUpperCase();
    const endpoint = `${method} ${url.pathname.replace(/\/(\d+|[A-Z][A-Z0-9_]*-\d+)(?=\/|$)/g, '/:id')}`;
    const rawHeaders =
      typeof request.headers?.toJSON === 'function' ? request.headers.toJSON() : (request.headers ?? {});
    const headers = Object.fromEntries(
      Object.entries(rawHeaders).flatMap(([name, value]) =>
        typeof value === 'string' || typeof value === 'number' ? [[name, String(value)]] : [],
      ),
    );
    const body =
      request.data === undefined || request.data === null
        ? undefined
        : typeof request.data === 'string'
          ? request.data
          : JSON.stringify(request.data);
    const { budget, logger } = this.options;
    for (let attempt = 1; ; attempt++) {
      const blockedFor = (this.endpointBlocks.get(endpoint) ?? 0) - Date.now();
      if (blockedFor > 0) await this.sleep(blockedFor);
      await budget.acquire();
      this.requestsByEndpoint.set(endpoint, (this.requestsByEndpoint.get(endpoint) ?? 0) + 1);
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body,
          signal: this.options.signal,
        });
      } catch (error: unknown) {
        if (this.options.signal?.aborted) throw error;
        await this.retryOrFail(
          attempt,
          url,
          `network error: ${error instanceof Error ? error.message : String(error)}`,
        );
        continue;
      }
      const responseHeaders = Object.fromEntries(response.headers.entries());
      budget.observe(responseHeaders);
      const retryAfter = Number(responseHeaders['retry-after']);
      if (response.status === 429) {
        // Retry-After (seconds); without it, the window's reset; at worst a minute.
        const reset = Date.parse(responseHeaders['x-ratelimit-reset'] ?? '') - Date.now();
        const seconds =
          Number.isFinite(retryAfter) && retryAfter >= 0
            ? retryAfter
            : Number.isFinite(reset)
              ? Math.max(1, reset / 1000)
              : 60;
        const reason = responseHeaders['ratelimit-reason'] ?? 'unknown';
        logger.warn('Jira rate limit: waiting', { endpoint, seconds, reason });
        // The burst limit is per endpoint and method: the other endpoints go on.
        if (reason === 'jira-burst-based') this.endpointBlocks.set(endpoint, Date.now() + seconds * 1000);
        else budget.block(seconds);
        await response.body?.cancel();
        continue;
      }
      if (response.status === 401 || response.status === 403) {
        const text = await response.text();
        throw new SyncStageError(
          'auth',
          `Jira answered ${response.status} for ${url.pathname}: ${
            response.status === 401
              ? 'the credential is missing, wrong or expired'
              : `not permitted (${errorDetail(text)})`
          }`,
        );
      }
      if (response.status >= 500) {
        await response.body?.cancel();
        if (Number.isFinite(retryAfter) && retryAfter > 0 && attempt < this.maxAttempts) budget.block(retryAfter);
        await this.retryOrFail(attempt, url, `Jira answered ${response.status}`);
        continue;
      }
      const text = await response.text();
      if (!response.ok) throw new JiraResponseError(response.status, url.pathname, errorDetail(text));
      let data: unknown;
      try {
        data = text === '' ? null : (JSON.parse(text) as unknown);
      } catch {
        await this.retryOrFail(attempt, url, 'Jira answered a body that is not JSON');
        continue;
      }
      return {
        data,
        status: response.status,
        statusText: response.statusText,
        headers: responseHeaders,
        config: request,
        request: {},
      };
    }
  }

  private async retryOrFail(attempt: number, url: URL, reason: string): Promise<void> {
    if (attempt >= this.maxAttempts)
      throw new SyncStageError('fetch', `${url.pathname}: ${reason} (${attempt} attempts)`);
    const delay = Math.min(10_000, 250 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
    this.options.logger.warn('Jira request failed; retrying', {
      path: url.pathname,
      attempt,
      reason,
      retryInMs: Math.round(delay),
    });
    await this.sleep(delay);
  }
}
