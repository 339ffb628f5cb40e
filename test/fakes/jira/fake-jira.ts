import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type FakeJiraDataset,
  type FakeJiraHistory,
  type FakeJiraHistoryItem,
  type FakeJiraIssue,
  type FakeJiraProject,
  type FakeJiraUser,
  ISSUE_TYPE,
  STATUS,
  fakeJiraDataset,
  findJiraIssue,
  formatJiraDate,
  parseJiraDate,
  transitionItems,
} from './jira-dataset';
import { JqlError, compileJql, jqlComparator, parseJql } from './jira-jql';
import {
  type JiraDeployment,
  type JiraSite,
  bulkChangelogJson,
  changelogPageJson,
  errorCollection,
  fieldJson,
  issueJson,
  issueTypeJson,
  myselfJson,
  priorityJson,
  projectJson,
  selectFields,
  serverInfoJson,
  statusCategoryJson,
  statusJson,
} from './jira-payloads';

/**
 * A local Jira for connector tests, behaving like Jira Cloud's platform REST API (v3) where a connector
 * depends on it, or like Jira Data Center (v2) in the second mode: Basic (email + API token) or Bearer
 * auth, the enhanced JQL search with snapshotted nextPageToken paging, a real JQL subset read in the
 * user's time zone, bulk and per-issue changelogs, the removed /search answering 410, X-RateLimit-*
 * headers with 429 past the budget, and failure injection: 429 storms (global or burst per endpoint)
 * with Retry-After, 5xx bursts, malformed issues and pages, per-path answers. Mutations append proper
 * histories, so a re-sync sees what a real site would show.
 */

export interface FakeJiraRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The JSON body as parsed (the raw text if it was not JSON; undefined without one). */
  body: unknown;
  /** Epoch ms it arrived, by the fake's clock. */
  at: number;
  status: number;
  /** The route it matched, e.g. "GET /rest/api/3/issue/:issueIdOrKey/changelog", or "unmatched". */
  endpoint: string;
  /** Arrived while a Retry-After it was owed (global, or its endpoint's for burst limits) still ran. */
  early: boolean;
}

export type FakeJiraDefect = 'missing-status' | 'bad-created';
export type FakeJiraRateLimitReason = 'jira-burst-based' | 'jira-quota-global-based';

export interface FakeJiraAnswer {
  status: number;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface FakeJiraOptions {
  deployment?: JiraDeployment;
}

type PathPattern = string | RegExp;

interface Injection {
  pattern: PathPattern | null;
  remaining: number;
  served: number;
  /** Burst-based storms latch onto the endpoint of the first request they meet (null until then). */
  endpoint?: string | null;
  answer: (index: number, at: number) => FakeJiraAnswer;
}

interface BrokenPage {
  pattern: PathPattern;
  remaining: number;
  style: 'truncated' | 'html';
}

interface Answer {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface Context {
  url: URL;
  params: Record<string, string>;
  site: JiraSite;
  body: unknown;
}

type Handler = (context: Context) => Answer;

const JSON_TYPE = 'application/json;charset=UTF-8';
const REMOVED_SEARCH =
  'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046';
const BAD_TOKEN = 'The provided next page token is invalid or expired.';
const UNBOUNDED = 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.';

const error = (status: number, ...messages: string[]): Answer => ({ status, body: errorCollection(messages) });
const ISSUE_NOT_FOUND = () => error(404, 'Issue does not exist or you do not have permission to see it.');

const PROXY_PAGE = (status: number) =>
  `<!DOCTYPE html>\n<html lang="en"><head><title>Atlassian Cloud Notifications - Page Unavailable</title></head><body><h1>${status}</h1><p>Your Atlassian Cloud site is currently unavailable.</p></body></html>\n`;

/** yyyy-MM-ddTHH:mm:ssZ, as X-RateLimit-Reset carries it. */
const instant = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** Opaque to clients; base64url JSON to the fake. */
const encodeToken = (value: Record<string, number>) => Buffer.from(JSON.stringify(value)).toString('base64url');
function decodeToken(token: string, keys: readonly string[]): Record<string, number> | null {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (typeof value !== 'object' || value === null) return null;
    const record = value as Record<string, unknown>;
    return keys.every((key) => Number.isInteger(record[key]) && (record[key] as number) >= 0)
      ? (record as Record<string, number>)
      : null;
  } catch {
    return null;
  }
}

export class FakeJira {
  readonly requests: FakeJiraRequest[] = [];
  readonly deployment: JiraDeployment;
  /** Cloud Basic auth: the account's email and its API token. */
  email = 'bot@example.com';
  apiToken = 'ATATT3xFfGF0-fake-api-token';
  /** Cloud: an OAuth 2.0 access token; Data Center: a personal access token. */
  bearerToken = 'fake-jira-bearer-token';
  /** The fake's time (tests of re-syncs move it by hand). */
  clock: () => number = Date.now;
  /** The token user's zone: GET /myself says it, and JQL dates are read in it. */
  timeZone = 'Europe/Berlin';
  /** Requests per window before 429 (Jira Cloud's budget is per app/user; the fake keeps one). */
  rateLimit = 1_000;
  rateLimitWindowSeconds = 60;
  /** False: POST /changelog/bulkfetch answers 404, as on sites and proxies without it. */
  bulkChangelogAvailable = true;
  private window = { start: 0, used: 0 };
  private retryNotBefore = 0;
  private readonly endpointNotBefore = new Map<string, number>();
  private readonly injections: Injection[] = [];
  private readonly brokenPages: BrokenPage[] = [];
  private readonly malformed = new Map<string, FakeJiraDefect>();
  /** Search result sets by snapshot id: pages after the first read these, so paging is stable. */
  private readonly snapshots = new Map<number, string[]>();
  private nextSnapshot = 1;
  private readonly routes: { method: string; segments: string[]; endpoint: string; handler: Handler }[] = [];
  private server: Server | undefined;

  constructor(
    readonly dataset: FakeJiraDataset = fakeJiraDataset(),
    options: FakeJiraOptions = {},
  ) {
    this.deployment = options.deployment ?? 'cloud';
    this.defineRoutes();
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((request, response) => {
      void this.handle(request, response).catch((failure: unknown) => {
        response.statusCode = 500;
        response.end(String(failure));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  // ---- failure injection -------------------------------------------------------------------------

  /**
   * The next `count` requests answer 429 "Rate limit exceeded." with Retry-After, X-RateLimit-Reset and
   * RateLimit-Reason. Quota-based storms hit every endpoint; burst-based ones only the endpoint (method +
   * path) of the first request they meet, as Jira's per-endpoint burst limits do.
   */
  rateLimitStorm(
    count: number,
    retryAfterSeconds = 1,
    reason: FakeJiraRateLimitReason = 'jira-quota-global-based',
  ): void {
    this.injections.push({
      pattern: null,
      remaining: count,
      served: 0,
      ...(reason === 'jira-burst-based' ? { endpoint: null } : {}),
      answer: (_index, at) => ({
        status: 429,
        body: JSON.stringify(errorCollection(['Rate limit exceeded.'])),
        headers: {
          'Retry-After': String(retryAfterSeconds),
          'X-RateLimit-Reset': instant(at + retryAfterSeconds * 1_000),
          'X-RateLimit-Limit': String(this.rateLimit),
          'X-RateLimit-Remaining': '0',
          'RateLimit-Reason': reason,
        },
      }),
    });
  }

  /** The next `count` requests answer these statuses in turn: 500 as Jira's JSON, 502/503 as the edge's HTML. */
  serverErrorBurst(count: number, statuses: readonly number[] = [500, 502, 503]): void {
    this.injections.push({
      pattern: null,
      remaining: count,
      served: 0,
      answer: (index): FakeJiraAnswer => {
        const status = statuses[index % statuses.length] ?? 500;
        if (status === 500) return { status, body: JSON.stringify(errorCollection(['Internal server error'])) };
        return {
          status,
          body: PROXY_PAGE(status),
          contentType: 'text/html;charset=UTF-8',
          headers: status === 503 ? { 'Retry-After': '1' } : undefined,
        };
      },
    });
  }

  /** The next `times` requests whose path matches answer `answer`. */
  injectResponse(pattern: PathPattern, answer: FakeJiraAnswer, times = 1): void {
    this.injections.push({ pattern, remaining: times, served: 0, answer: () => answer });
  }

  /** The next `times` successful answers on a matching path are not JSON: cut off half-way, or an HTML page. */
  malformPage(pattern: PathPattern, times = 1, style: 'truncated' | 'html' = 'truncated'): void {
    this.brokenPages.push({ pattern, remaining: times, style });
  }

  /** This issue is served broken (no fields.status, or created "not a date") wherever it appears, until cleared. */
  malform(issueKey: string, defect: FakeJiraDefect): void {
    this.malformed.set(this.issue(issueKey).id, defect);
  }

  /** Forgets pending failures, and any Retry-After still owed. */
  clearFailures(): void {
    this.retryNotBefore = 0;
    this.endpointNotBefore.clear();
    this.injections.length = 0;
    this.brokenPages.length = 0;
    this.malformed.clear();
  }

  // ---- the request log ---------------------------------------------------------------------------

  /** Requests per endpoint since `from` (an index into `requests`), most requested first. */
  endpointCounts(from = 0): { endpoint: string; requests: number }[] {
    const counts = new Map<string, number>();
    for (const request of this.requests.slice(from))
      counts.set(request.endpoint, (counts.get(request.endpoint) ?? 0) + 1);
    return [...counts.entries()]
      .map(([endpoint, requests]) => ({ endpoint, requests }))
      .sort((a, b) => b.requests - a.requests || a.endpoint.localeCompare(b.endpoint));
  }

  /** Requests that came before a Retry-After they were owed had passed: a client ignoring it. */
  retryAfterViolations(from = 0): FakeJiraRequest[] {
    return this.requests.slice(from).filter((request) => request.early);
  }

  // ---- lookups and mutations for tests -----------------------------------------------------------

  /** An issue by id, key or a key it had before a move. */
  issue(idOrKey: string): FakeJiraIssue {
    const issue = findJiraIssue(this.dataset, idOrKey);
    if (!issue) throw new Error(`no issue ${idOrKey}`);
    return issue;
  }

  project(idOrKey: string): FakeJiraProject {
    const project = this.dataset.projects.find(
      (candidate) => candidate.id === idOrKey || candidate.key === idOrKey.toUpperCase(),
    );
    if (!project) throw new Error(`no project ${idOrKey}`);
    return project;
  }

  /** A workflow transition now, with the resolution Jira sets or clears. */
  transition(key: string, statusId: string, byAccountId?: string): FakeJiraHistory {
    const issue = this.issue(key);
    if (!this.dataset.statuses.some((status) => status.id === statusId)) throw new Error(`no status ${statusId}`);
    const change = transitionItems(
      this.dataset.statuses,
      this.dataset.resolutions,
      issue.statusId,
      statusId,
      issue.resolutionId,
    );
    const history = this.append(issue, change.items, byAccountId);
    issue.statusId = statusId;
    issue.resolutionId = change.resolutionId;
    if (change.resolves) issue.resolutiondate = history.created;
    if (change.resolutionId === null) issue.resolutiondate = null;
    return history;
  }

  /** Moves the issue to a team (null: none), by the team field. */
  setTeam(key: string, teamId: string | null, byAccountId?: string): FakeJiraHistory {
    const issue = this.issue(key);
    const name = (id: string | null) => this.dataset.teams.find((team) => team.id === id)?.name ?? null;
    if (teamId !== null && name(teamId) === null) throw new Error(`no team ${teamId}`);
    const history = this.append(
      issue,
      [
        {
          field: 'Team',
          fieldtype: 'custom',
          fieldId: this.dataset.fields.teamField,
          from: issue.teamId,
          fromString: name(issue.teamId),
          to: teamId,
          toString: name(teamId),
        },
      ],
      byAccountId,
    );
    issue.teamId = teamId;
    return history;
  }

  editSummary(key: string, text: string, byAccountId?: string): FakeJiraHistory {
    const issue = this.issue(key);
    const history = this.append(
      issue,
      [
        {
          field: 'summary',
          fieldtype: 'jira',
          fieldId: 'summary',
          from: null,
          fromString: issue.summary,
          to: null,
          toString: text,
        },
      ],
      byAccountId,
    );
    issue.summary = text;
    return history;
  }

  /** Gone from search and GET; its sub-tasks go with it, an epic's children lose their parent (as in Jira). */
  deleteIssue(key: string): void {
    const issue = this.issue(key);
    const doomed = new Set([issue.id]);
    for (const candidate of this.dataset.issues) {
      if (candidate.parentId !== issue.id) continue;
      if (candidate.issueTypeId === ISSUE_TYPE.subtask) doomed.add(candidate.id);
      else candidate.parentId = null;
    }
    const kept = this.dataset.issues.filter((candidate) => !doomed.has(candidate.id));
    this.dataset.issues.splice(0, this.dataset.issues.length, ...kept);
  }

  /**
   * Moves the issue to another project: same id, the target's next key; the history records Key and
   * project, and components and versions of the old project are dropped. The old key keeps resolving.
   */
  moveIssue(key: string, toProjectKey: string, byAccountId?: string): FakeJiraIssue {
    const issue = this.issue(key);
    const from = this.project(issue.projectId);
    const to = this.project(toProjectKey);
    if (from.id === to.id) return issue;
    const newKey = `${to.key}-${to.nextNumber++}`;
    const items: FakeJiraHistoryItem[] = [
      {
        field: 'Key',
        fieldtype: 'jira',
        fieldId: 'issuekey',
        from: null,
        fromString: issue.key,
        to: null,
        toString: newKey,
      },
      {
        field: 'project',
        fieldtype: 'jira',
        fieldId: 'project',
        from: from.id,
        fromString: from.name,
        to: to.id,
        toString: to.name,
      },
      ...issue.componentIds.map((id) => ({
        field: 'Component',
        fieldtype: 'jira' as const,
        fieldId: 'components',
        from: id,
        fromString: from.components.find((component) => component.id === id)?.name ?? null,
        to: null,
        toString: null,
      })),
      ...issue.fixVersionIds.map((id) => ({
        field: 'Fix Version',
        fieldtype: 'jira' as const,
        fieldId: 'fixVersions',
        from: id,
        fromString: from.versions.find((version) => version.id === id)?.name ?? null,
        to: null,
        toString: null,
      })),
    ];
    this.append(issue, items, byAccountId);
    issue.previousKeys.push(issue.key);
    issue.key = newKey;
    issue.projectId = to.id;
    issue.componentIds = [];
    issue.fixVersionIds = [];
    return issue;
  }

  /** An issue created now in Backlog (or as `partial` says), with the project's next key. */
  addIssue(projectKey: string, partial: Partial<FakeJiraIssue> = {}): FakeJiraIssue {
    const project = this.project(projectKey);
    const reporter = this.user(partial.reporterId ?? this.dataset.users[0]?.accountId ?? '');
    const created = formatJiraDate(this.nowAfter(null), reporter.timeZone);
    const number = project.nextNumber++;
    const issue: FakeJiraIssue = {
      id: String(this.dataset.nextIds.issue++),
      key: `${project.key}-${number}`,
      previousKeys: [],
      projectId: project.id,
      summary: `New issue ${project.key}-${number}`,
      issueTypeId: ISSUE_TYPE.story,
      statusId: STATUS.backlog,
      priorityId: '3',
      resolutionId: null,
      assigneeId: null,
      reporterId: reporter.accountId,
      labels: [],
      componentIds: [],
      fixVersionIds: [],
      parentId: null,
      created,
      updated: created,
      resolutiondate: null,
      storyPoints: null,
      sprintIds: [],
      teamId: null,
      teamText: null,
      rank: `0|i${number.toString(36).padStart(5, '0')}:z`,
      startDate: null,
      histories: [],
      ...partial,
    };
    this.dataset.issues.push(issue);
    return issue;
  }

  private user(accountId: string): FakeJiraUser {
    const user = this.dataset.users.find((candidate) => candidate.accountId === accountId);
    if (!user) throw new Error(`no user ${accountId}`);
    return user;
  }

  /** A history now (strictly after the issue's last change), by `byAccountId` or the assignee or reporter. */
  private append(issue: FakeJiraIssue, items: FakeJiraHistoryItem[], byAccountId?: string): FakeJiraHistory {
    const author = this.user(byAccountId ?? issue.assigneeId ?? issue.reporterId);
    const at = this.nowAfter(issue.updated);
    const history: FakeJiraHistory = {
      id: String(this.dataset.nextIds.history++),
      authorId: author.accountId,
      created: formatJiraDate(at, author.timeZone),
      items,
    };
    issue.histories.push(history);
    issue.updated = history.created;
    return history;
  }

  /** Now by the fake's clock, but strictly after `previous` (and after the dataset's own time). */
  private nowAfter(previous: string | null): number {
    const floor = Math.max(this.dataset.now, previous === null ? 0 : parseJiraDate(previous) + 1_000);
    return Math.max(this.clock(), floor);
  }

  // ---- HTTP --------------------------------------------------------------------------------------

  private rateHeaders(): Record<string, string> {
    const remaining = Math.max(0, this.rateLimit - this.window.used);
    return {
      'X-RateLimit-Limit': String(this.rateLimit),
      'X-RateLimit-Remaining': String(remaining),
      ...(remaining < this.rateLimit * 0.2 ? { 'X-RateLimit-NearLimit': 'true' } : {}),
    };
  }

  /** Counts a request in the current fixed window. */
  private observe(now: number): void {
    const period = this.rateLimitWindowSeconds * 1_000;
    const start = Math.floor(now / period) * period;
    if (start !== this.window.start) this.window = { start, used: 0 };
    this.window.used++;
  }

  private reply(
    response: ServerResponse,
    record: FakeJiraRequest,
    status: number,
    body: string,
    contentType = JSON_TYPE,
    headers: Record<string, string> = {},
  ): void {
    record.status = status;
    this.requests.push(record);
    const retryAfter = Number(headers['Retry-After'] ?? headers['retry-after'] ?? 0);
    if ((status === 429 || status === 503) && retryAfter > 0) {
      const until = record.at + retryAfter * 1_000;
      if (headers['RateLimit-Reason'] === 'jira-burst-based')
        this.endpointNotBefore.set(record.endpoint, Math.max(this.endpointNotBefore.get(record.endpoint) ?? 0, until));
      else this.retryNotBefore = Math.max(this.retryNotBefore, until);
    }
    response.writeHead(status, {
      'Content-Type': contentType,
      'Cache-Control': 'no-cache, no-store, no-transform',
      ...headers,
    });
    response.end(body);
  }

  private authenticated(request: IncomingMessage): boolean {
    const header = request.headers.authorization ?? '';
    const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1];
    if (bearer !== undefined) return bearer === this.bearerToken;
    if (this.deployment !== 'cloud') return false;
    const basic = /^Basic\s+(.+)$/i.exec(header)?.[1];
    if (basic === undefined) return false;
    return Buffer.from(basic, 'base64').toString('utf8') === `${this.email}:${this.apiToken}`;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = undefined;
    if (text !== '') {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        body = text;
      }
    }
    const at = this.clock();
    const method = request.method ?? 'GET';
    const route = this.match(method, url.pathname);
    const endpoint = route?.endpoint ?? 'unmatched';
    const record: FakeJiraRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      at,
      status: 0,
      endpoint,
      early: at < this.retryNotBefore || at < (this.endpointNotBefore.get(endpoint) ?? 0),
    };

    const injection = this.injections.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (candidate.pattern === null || matches(candidate.pattern, url.pathname)) &&
        (candidate.endpoint === undefined || candidate.endpoint === null || candidate.endpoint === endpoint),
    );
    if (injection) {
      if (injection.endpoint === null) injection.endpoint = endpoint;
      injection.remaining--;
      const answer = injection.answer(injection.served++, at);
      this.observe(at);
      return this.reply(response, record, answer.status, answer.body ?? '', answer.contentType, answer.headers);
    }

    if (!this.authenticated(request)) {
      if (this.deployment === 'cloud')
        return this.reply(
          response,
          record,
          401,
          'Client must be authenticated to access this resource.',
          'text/plain;charset=UTF-8',
          {
            'WWW-Authenticate': 'OAuth realm="https%3A%2F%2Ffake.atlassian.net"',
          },
        );
      return this.reply(
        response,
        record,
        401,
        JSON.stringify(
          errorCollection(['You are not authenticated. Authentication required to perform this operation.']),
        ),
      );
    }

    this.observe(at);
    if (this.window.used > this.rateLimit) {
      const reset = this.window.start + this.rateLimitWindowSeconds * 1_000;
      return this.reply(response, record, 429, JSON.stringify(errorCollection(['Rate limit exceeded.'])), JSON_TYPE, {
        ...this.rateHeaders(),
        'Retry-After': String(Math.max(1, Math.ceil((reset - at) / 1_000))),
        'X-RateLimit-Reset': instant(reset),
        'RateLimit-Reason': 'jira-quota-global-based',
      });
    }
    const site: JiraSite = {
      base: `http://${request.headers.host ?? 'localhost'}`,
      deployment: this.deployment,
      dataset: this.dataset,
    };
    const answer: Answer = route
      ? this.run(route.handler, { url, params: route.params, site, body })
      : error(404, `null for uri: ${site.base}${url.pathname}${url.search}`);
    const status = answer.status ?? 200;
    const headers = { ...this.rateHeaders(), ...answer.headers };
    let payload = JSON.stringify(answer.body);
    if (status === 200) {
      const broken = this.brokenPages.find((page) => page.remaining > 0 && matches(page.pattern, url.pathname));
      if (broken) {
        broken.remaining--;
        if (broken.style === 'html')
          return this.reply(response, record, 200, PROXY_PAGE(200), 'text/html;charset=UTF-8', headers);
        payload = payload.slice(0, Math.max(1, Math.floor(payload.length / 2)));
      }
    }
    return this.reply(response, record, status, payload, JSON_TYPE, headers);
  }

  /** A JQL mistake is the caller's: 400 with Jira's message. */
  private run(handler: Handler, context: Context): Answer {
    try {
      return handler(context);
    } catch (failure) {
      if (failure instanceof JqlError) return error(400, failure.message);
      throw failure;
    }
  }

  private match(
    method: string,
    pathname: string,
  ): { endpoint: string; params: Record<string, string>; handler: Handler } | null {
    const segments = pathname
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => {
        try {
          return decodeURIComponent(segment);
        } catch {
          return segment;
        }
      });
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const fits = route.segments.every((part, index) => {
        const actual = segments[index] ?? '';
        if (part.startsWith(':')) params[part.slice(1)] = actual;
        return part.startsWith(':') || part === actual;
      });
      if (fits) return { endpoint: route.endpoint, params, handler: route.handler };
    }
    return null;
  }

  private route(method: 'GET' | 'POST', template: string, handler: Handler): void {
    this.routes.push({
      method,
      segments: template.split('/').filter(Boolean),
      endpoint: `${method} ${template}`,
      handler,
    });
  }

  // ---- endpoints ---------------------------------------------------------------------------------

  private issueBody(site: JiraSite, issue: FakeJiraIssue, fields: Set<string> | null, changelogLimit: number | null) {
    const body = issueJson(site, issue, fields, { changelogLimit });
    const defect = this.malformed.get(issue.id);
    const values = body.fields as Record<string, unknown> | undefined;
    if (defect && values) {
      if (defect === 'missing-status') delete values.status;
      else if ('created' in values) values.created = 'not a date';
    }
    return body;
  }

  /** The ids of the issues a JQL query finds, in its order. */
  private search(jql: string): { ids: string[]; bounded: boolean } {
    const query = parseJql(jql);
    const matches = compileJql(query, {
      dataset: this.dataset,
      timeZone: this.timeZone,
      now: this.clock(),
      accountId: this.dataset.bot.accountId,
    });
    const ids = this.dataset.issues
      .filter(matches)
      .sort(jqlComparator(query.orderBy))
      .map((issue) => issue.id);
    return { ids, bounded: query.where !== null };
  }

  private defineRoutes(): void {
    const cloud = this.deployment === 'cloud';
    const root = cloud ? '/rest/api/3' : '/rest/api/2';
    const list = (value: unknown): string[] =>
      Array.isArray(value)
        ? value.map(String).flatMap((item) => item.split(','))
        : typeof value === 'string'
          ? value.split(',')
          : [];
    /** A parameter from the query (GET) or the JSON body (POST). */
    const input = (context: Context) => {
      const body =
        typeof context.body === 'object' && context.body !== null ? (context.body as Record<string, unknown>) : {};
      const query = context.url.searchParams;
      const get = (name: string): unknown =>
        context.url.searchParams.has(name) ? query.get(name) : (body[name] ?? undefined);
      return {
        text: (name: string) => {
          const value = get(name);
          return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
            ? String(value)
            : undefined;
        },
        number: (name: string) => {
          const value = get(name);
          return value === undefined || value === null || value === '' ? undefined : Number(value);
        },
        list: (name: string) =>
          query.has(name) ? query.getAll(name).flatMap((item) => item.split(',')) : list(body[name]),
      };
    };
    const findIssue = (reference: string | undefined) =>
      reference === undefined ? undefined : findJiraIssue(this.dataset, reference);

    this.route('GET', `${root}/myself`, ({ site }) => ({
      body: myselfJson(site, { ...this.dataset.bot, emailAddress: this.email, timeZone: this.timeZone }),
    }));
    this.route('GET', `${root}/serverInfo`, ({ site }) => ({ body: serverInfoJson(site, this.clock()) }));
    this.route('GET', `${root}/field`, () => ({ body: this.dataset.fieldList.map(fieldJson) }));
    this.route('GET', `${root}/status`, ({ site }) => ({
      body: this.dataset.statuses.map((status) => statusJson(site, status)),
    }));
    this.route('GET', `${root}/statuscategory`, ({ site }) => ({
      body: this.dataset.statusCategories.map((category) => statusCategoryJson(site, category.key)),
    }));
    this.route('GET', `${root}/issuetype`, ({ site }) => ({
      body: this.dataset.issueTypes.map((type) => issueTypeJson(site, type)),
    }));
    this.route('GET', `${root}/priority`, ({ site }) => ({
      body: this.dataset.priorities.map((priority) => priorityJson(site, priority)),
    }));
    this.route('GET', `${root}/project`, ({ site }) => ({
      body: this.dataset.projects.map((project) => projectJson(site, project)),
    }));
    this.route('GET', `${root}/project/:projectIdOrKey`, ({ site, params }) => {
      const key = params.projectIdOrKey ?? '';
      const project = this.dataset.projects.find(
        (candidate) => candidate.id === key || candidate.key === key.toUpperCase(),
      );
      return project
        ? { body: projectJson(site, project) }
        : error(404, `No project could be found with key '${key}'.`);
    });

    this.route('GET', `${root}/issue/:issueIdOrKey`, (context) => {
      const issue = findIssue(context.params.issueIdOrKey);
      if (!issue) return ISSUE_NOT_FOUND();
      const read = input(context);
      const expand = read.list('expand');
      // Cloud embeds at most 100 histories here (the changelog endpoint pages the rest); Data Center all.
      const limit = expand.includes('changelog') ? (cloud ? 100 : Number.POSITIVE_INFINITY) : null;
      return {
        body: this.issueBody(context.site, issue, selectFields(context.site, read.list('fields'), '*all'), limit),
      };
    });

    if (cloud) this.defineCloudRoutes(root, input, findIssue);
    else this.defineDataCenterRoutes(root, input);

    // The old search: gone on Cloud (both versions), so a test can prove it is never called.
    if (cloud)
      for (const path of ['/rest/api/3/search', '/rest/api/2/search'])
        for (const method of ['GET', 'POST'] as const) this.route(method, path, () => error(410, REMOVED_SEARCH));
  }

  private defineCloudRoutes(
    root: string,
    input: (context: Context) => {
      text: (name: string) => string | undefined;
      number: (name: string) => number | undefined;
      list: (name: string) => string[];
    },
    findIssue: (reference: string | undefined) => FakeJiraIssue | undefined,
  ): void {
    const searchJql: Handler = (context) => {
      const read = input(context);
      const maxResults = Math.min(100, Math.max(1, Math.floor(read.number('maxResults') ?? 50) || 50));
      const token = read.text('nextPageToken');
      let snapshot: string[];
      let offset = 0;
      let snapshotId: number;
      if (token !== undefined && token !== '') {
        const decoded = decodeToken(token, ['s', 'o']);
        const stored = decoded ? this.snapshots.get(decoded.s ?? 0) : undefined;
        if (!decoded || !stored || (decoded.o ?? 0) > stored.length) return error(400, BAD_TOKEN);
        snapshot = stored;
        snapshotId = decoded.s ?? 0;
        offset = decoded.o ?? 0;
      } else {
        const { ids, bounded } = this.search(read.text('jql') ?? '');
        if (!bounded) return error(400, UNBOUNDED);
        snapshot = ids;
        snapshotId = this.nextSnapshot++;
        this.snapshots.set(snapshotId, ids);
      }
      const expand = read.list('expand');
      const fields = selectFields(context.site, read.list('fields'), null);
      const page = snapshot.slice(offset, offset + maxResults);
      const issues = page.flatMap((id) => {
        // Deleted since the snapshot: left out, never replaced by another.
        const issue = this.dataset.issues.find((candidate) => candidate.id === id);
        return issue ? [this.issueBody(context.site, issue, fields, expand.includes('changelog') ? 40 : null)] : [];
      });
      const isLast = offset + maxResults >= snapshot.length;
      const names = expand.includes('names')
        ? {
            names: Object.fromEntries(
              this.dataset.fieldList.filter((field) => fields?.has(field.id)).map((field) => [field.id, field.name]),
            ),
          }
        : {};
      return {
        body: {
          issues,
          ...names,
          ...(isLast ? {} : { nextPageToken: encodeToken({ s: snapshotId, o: offset + maxResults }) }),
          isLast,
        },
      };
    };
    this.route('GET', `${root}/search/jql`, searchJql);
    this.route('POST', `${root}/search/jql`, searchJql);
    this.route('POST', `${root}/search/approximate-count`, (context) => {
      const { ids, bounded } = this.search(input(context).text('jql') ?? '');
      return bounded ? { body: { count: ids.length } } : error(400, UNBOUNDED);
    });

    this.route('GET', `${root}/issue/:issueIdOrKey/changelog`, (context) => {
      const issue = findIssue(context.params.issueIdOrKey);
      if (!issue) return ISSUE_NOT_FOUND();
      const read = input(context);
      const startAt = Math.max(0, Math.floor(read.number('startAt') ?? 0) || 0);
      const maxResults = Math.min(100, Math.max(1, Math.floor(read.number('maxResults') ?? 100) || 100));
      const self = new URL(`${context.site.base}${context.url.pathname}`);
      self.searchParams.set('maxResults', String(maxResults));
      self.searchParams.set('startAt', String(startAt));
      return { body: changelogPageJson(context.site, issue, startAt, maxResults, self.toString()) };
    });

    this.route('POST', `${root}/changelog/bulkfetch`, (context) => {
      if (!this.bulkChangelogAvailable) return error(404, `null for uri: ${context.site.base}${context.url.pathname}`);
      const body = (typeof context.body === 'object' && context.body !== null ? context.body : {}) as Record<
        string,
        unknown
      >;
      const requested = Array.isArray(body.issueIdsOrKeys) ? body.issueIdsOrKeys.map(String) : [];
      if (requested.length < 1 || requested.length > 1000)
        return error(400, 'issueIdsOrKeys must contain between 1 and 1000 issue IDs or keys.');
      const fieldIds = Array.isArray(body.fieldIds) ? body.fieldIds.map(String) : [];
      if (fieldIds.length > 10) return error(400, 'fieldIds must contain at most 10 field IDs.');
      const maxResults = Math.min(10_000, Math.max(1, Math.floor(Number(body.maxResults ?? 1_000)) || 1_000));
      let position = 0;
      let skip = 0;
      if (typeof body.nextPageToken === 'string' && body.nextPageToken !== '') {
        const decoded = decodeToken(body.nextPageToken, ['i', 'h']);
        if (!decoded || (decoded.i ?? 0) >= requested.length) return error(400, BAD_TOKEN);
        position = decoded.i ?? 0;
        skip = decoded.h ?? 0;
      }
      // With fieldIds, histories keep only those fields' items; histories left empty are dropped.
      const historiesOf = (issue: FakeJiraIssue): FakeJiraHistory[] =>
        fieldIds.length === 0
          ? issue.histories
          : issue.histories.flatMap((history) => {
              const items = history.items.filter((item) => fieldIds.includes(item.fieldId));
              return items.length === 0 ? [] : [{ ...history, items }];
            });
      const entries: { issueId: string; histories: FakeJiraHistory[] }[] = [];
      let budget = maxResults;
      let next: string | null = null;
      for (; position < requested.length; position++, skip = 0) {
        const issue = findIssue(requested[position]);
        if (!issue) continue;
        const histories = historiesOf(issue).slice(skip);
        if (histories.length === 0) continue;
        if (budget === 0) {
          next = encodeToken({ i: position, h: skip });
          break;
        }
        const taken = histories.slice(0, budget);
        entries.push({ issueId: issue.id, histories: taken });
        budget -= taken.length;
        if (taken.length < histories.length) {
          next = encodeToken({ i: position, h: skip + taken.length });
          break;
        }
      }
      return { body: bulkChangelogJson(context.site, entries, next) };
    });
  }

  private defineDataCenterRoutes(
    root: string,
    input: (context: Context) => {
      text: (name: string) => string | undefined;
      number: (name: string) => number | undefined;
      list: (name: string) => string[];
    },
  ): void {
    // Data Center's search: offset paging with a total, unbounded JQL allowed, *navigable by default.
    const search: Handler = (context) => {
      const read = input(context);
      const startAt = Math.max(0, Math.floor(read.number('startAt') ?? 0) || 0);
      const maxResults = Math.min(100, Math.max(1, Math.floor(read.number('maxResults') ?? 50) || 50));
      const { ids } = this.search(read.text('jql') ?? '');
      const expand = read.list('expand');
      const fields = selectFields(context.site, read.list('fields'), '*navigable');
      const issues = ids.slice(startAt, startAt + maxResults).flatMap((id) => {
        const issue = this.dataset.issues.find((candidate) => candidate.id === id);
        return issue ? [this.issueBody(context.site, issue, fields, expand.includes('changelog') ? 100 : null)] : [];
      });
      return { body: { expand: 'schema,names', startAt, maxResults, total: ids.length, issues } };
    };
    this.route('GET', `${root}/search`, search);
    this.route('POST', `${root}/search`, search);
  }
}

function matches(pattern: PathPattern, pathname: string): boolean {
  return typeof pattern === 'string' ? pathname.includes(pattern) : pattern.test(pathname);
}
