import { type KeyObject, createHash, randomBytes, verify } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema, graphql } from 'graphql';
import { FakeGitServer } from './fake-git-server';
import { type HistoryCommit, branchHead, commitHistory } from './git-history';

/**
 * A local GitHub for tests: the REST and GraphQL endpoints the connector uses, behaving like the real
 * API where the connector depends on it — Link pagination, ETag/304 (free, as on GitHub), the
 * x-ratelimit-* headers and GraphQL rateLimit, 401 for a bad token, primary exhaustion (403 with
 * remaining 0) and secondary limits (429/403 with Retry-After), 5xx bursts and malformed bodies.
 */

export interface FakeReview {
  databaseId: number;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
  submittedAt: string | null;
  login: string;
}

export interface FakeReviewComment {
  id: number;
  reviewId: number | null;
  path: string;
  createdAt: string;
  updatedAt: string;
  login: string;
}

export interface FakePullRequest {
  number: number;
  title: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  createdAt: string;
  updatedAt: string;
  mergedAt: string | null;
  closedAt: string | null;
  additions: number;
  deletions: number;
  changedFiles: number;
  author: string;
  reviews: FakeReview[];
  comments: FakeReviewComment[];
  labels: string[];
  /** Logins asked to review, and teams (by slug). */
  requestedReviewers: { user?: string; team?: string }[];
  /** Numbers of issues of the same repository that merging closes. */
  closes: number[];
}

export interface FakeDeploymentStatus {
  state: 'PENDING' | 'QUEUED' | 'IN_PROGRESS' | 'WAITING' | 'SUCCESS' | 'FAILURE' | 'ERROR' | 'INACTIVE';
  createdAt: string;
}

export interface FakeDeployment {
  databaseId: number;
  environment: string;
  sha: string;
  createdAt: string;
  creator: string;
  statuses: FakeDeploymentStatus[];
}

export interface FakeJob {
  id: number;
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
}

export interface FakeWorkflowRun {
  id: number;
  name: string;
  event: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  headBranch: string;
  headSha: string;
  createdAt: string;
  updatedAt: string;
  pullRequest: number | null;
  jobs: FakeJob[];
}

export type FakeTimelineEvent =
  | { type: 'ClosedEvent'; at: string; actor: string; stateReason: 'COMPLETED' | 'NOT_PLANNED' }
  | { type: 'ReopenedEvent' | 'AssignedEvent' | 'UnassignedEvent'; at: string; actor: string }
  | { type: 'LabeledEvent' | 'UnlabeledEvent'; at: string; actor: string; label: string };

export interface FakeIssue {
  databaseId: number;
  number: number;
  title: string;
  body: string;
  state: 'OPEN' | 'CLOSED';
  stateReason: 'COMPLETED' | 'NOT_PLANNED' | 'REOPENED' | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  author: string;
  labels: string[];
  assignees: string[];
  timeline: FakeTimelineEvent[];
}

/** An issue on a Projects (v2) board, with its status (the single-select "Status" field). */
export interface FakeProjectItem {
  id: number;
  repository: string;
  issueNumber: number;
  status: string | null;
  updatedAt: string;
}

/** A Projects (v2) board of the org. */
export interface FakeProject {
  number: number;
  statusOptions: string[];
  items: FakeProjectItem[];
}

export interface FakeRepository {
  id: number;
  name: string;
  createdAt: string;
  pullRequests: FakePullRequest[];
  deployments: FakeDeployment[];
  workflowRuns: FakeWorkflowRun[];
  issues: FakeIssue[];
  /** The last push (GitHub's pushed_at); default: its creation. */
  pushedAt?: string;
  /** A git directory served at `<html_url>.git` (fake-git-server.ts). */
  gitDirectory?: string;
}

export interface FakeRequest {
  method: string;
  path: string;
  status: number;
  /** Epoch ms it arrived (by the fake's clock). */
  at: number;
  /** The GraphQL operation a POST /graphql ran (its query's name). */
  operation?: string;
  /** Sent with a token: GitHub counts an unauthenticated 304 against the limit, an authenticated one not. */
  authenticated: boolean;
}

/** An event of the fake's public events feed (newest last). */
export interface FakeEvent {
  id: string;
  type: 'PushEvent' | 'WatchEvent' | 'IssuesEvent';
  actor: string;
  repository: string;
  createdAt: string;
  /** PushEvent: the commits pushed (the feed serves pushes trimmed, as GitHub now does: no list, no size). */
  push?: { ref: string; before: string; head: string; commits: string[] };
}

/** GitHub's schema, as far as the fake serves it (the real one validates our documents in a unit test). */
export const FAKE_GITHUB_SCHEMA = buildSchema(`
  scalar DateTime
  scalar GitObjectID
  interface Node { id: ID! }
  interface GitObject { oid: GitObjectID! }
  type Query {
    rateLimit: RateLimit repository(owner: String!, name: String!): Repository nodes(ids: [ID!]!): [Node]! node(id: ID!): Node
  }
  type RateLimit { cost: Int! remaining: Int! resetAt: String! limit: Int! }
  type Repository {
    databaseId: Int!
    pullRequests(first: Int!, after: String, orderBy: PullRequestOrder): PullRequestConnection!
    deployments(first: Int!, after: String, orderBy: DeploymentOrder): DeploymentConnection!
    issues(first: Int!, after: String, orderBy: IssueOrder, filterBy: IssueFilters): IssueConnection!
    object(oid: GitObjectID, expression: String): GitObject
  }
  input PullRequestOrder { field: PullRequestOrderField! direction: OrderDirection! }
  enum PullRequestOrderField { UPDATED_AT CREATED_AT }
  input DeploymentOrder { field: DeploymentOrderField! direction: OrderDirection! }
  enum DeploymentOrderField { CREATED_AT }
  input IssueOrder { field: IssueOrderField! direction: OrderDirection! }
  enum IssueOrderField { UPDATED_AT CREATED_AT }
  input IssueFilters { since: DateTime }
  enum OrderDirection { ASC DESC }
  type PullRequestConnection { pageInfo: PageInfo! nodes: [PullRequest!]! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type Actor { login: String! }
  type User { login: String! }
  type Commit implements GitObject {
    oid: GitObjectID! message: String! additions: Int! deletions: Int! changedFilesIfAvailable: Int
    parents(first: Int): CommitConnection! author: GitActor committer: GitActor
    history(first: Int, after: String): CommitHistoryConnection!
  }
  type CommitConnection { nodes: [Commit] }
  type CommitHistoryConnection { pageInfo: PageInfo! nodes: [Commit] }
  type GitActor { name: String email: String date: String }
  type WorkflowRun implements Node { id: ID! databaseId: Int checkSuite: CheckSuite! }
  type CheckSuite implements Node {
    id: ID! checkRuns(first: Int, after: String, filterBy: CheckRunFilter): CheckRunConnection
  }
  input CheckRunFilter { checkType: CheckRunType }
  enum CheckRunType { ALL LATEST }
  type CheckRunConnection { pageInfo: PageInfo! nodes: [CheckRun] }
  type CheckRun {
    databaseId: Int name: String! status: String! conclusion: String startedAt: String completedAt: String
  }
  type PullRequest implements Node {
    id: ID! number: Int! title: String! state: String! createdAt: String! updatedAt: String! mergedAt: String closedAt: String
    additions: Int! deletions: Int! changedFiles: Int! baseRefName: String! headRefName: String!
    mergeCommit: Commit author: Actor reviews(first: Int!, after: String): PullRequestReviewConnection!
    labels(first: Int): LabelConnection reviewRequests(first: Int): ReviewRequestConnection
    closingIssuesReferences(first: Int): IssueConnection
  }
  type ReviewRequestConnection { nodes: [ReviewRequest!]! }
  type ReviewRequest { requestedReviewer: RequestedReviewer }
  union RequestedReviewer = User | Team
  type Team { slug: String! }
  type PullRequestReviewConnection { pageInfo: PageInfo! nodes: [PullRequestReview!]! }
  type PullRequestReview { databaseId: Int! state: String! submittedAt: String author: Actor }
  type DeploymentConnection { pageInfo: PageInfo! nodes: [Deployment!]! }
  type Deployment implements Node {
    id: ID! databaseId: Int! environment: String state: String! task: String commitOid: String!
    createdAt: String! updatedAt: String! creator: Actor statuses(first: Int): DeploymentStatusConnection
  }
  type DeploymentStatusConnection { nodes: [DeploymentStatus!]! }
  type DeploymentStatus { state: String! createdAt: String! }
  type IssueConnection { pageInfo: PageInfo! nodes: [Issue!]! }
  type Issue implements Node {
    id: ID! databaseId: Int! number: Int! title: String! body: String! state: String! stateReason: String
    createdAt: String! updatedAt: String! closedAt: String author: Actor repository: Repository!
    labels(first: Int): LabelConnection assignees(first: Int!): UserConnection!
    timelineItems(first: Int, after: String, itemTypes: [IssueTimelineItemsItemType!]): IssueTimelineItemsConnection!
  }
  type LabelConnection { nodes: [Label!]! }
  type Label { name: String! }
  type UserConnection { nodes: [User!]! }
  enum IssueTimelineItemsItemType { CLOSED_EVENT REOPENED_EVENT ASSIGNED_EVENT UNASSIGNED_EVENT LABELED_EVENT UNLABELED_EVENT }
  type IssueTimelineItemsConnection { pageInfo: PageInfo! nodes: [IssueTimelineItems!]! }
  union IssueTimelineItems = ClosedEvent | ReopenedEvent | AssignedEvent | UnassignedEvent | LabeledEvent | UnlabeledEvent
  type ClosedEvent { createdAt: String! actor: Actor stateReason: String }
  type ReopenedEvent { createdAt: String! actor: Actor }
  type AssignedEvent { createdAt: String! actor: Actor }
  type UnassignedEvent { createdAt: String! actor: Actor }
  type LabeledEvent { createdAt: String! actor: Actor label: Label! }
  type UnlabeledEvent { createdAt: String! actor: Actor label: Label! }
`);

export class FakeGitHub {
  readonly requests: FakeRequest[] = [];
  /** The one token it accepts (null: any, including none). */
  token: string | null = 'ghp_fake-valid-token';
  limit = 5_000;
  remaining = 5_000;
  /** Epoch seconds; moved forward on each exhaustion by `resetAfterSeconds`. */
  /** A GitHub App installed on the org: installation tokens are issued for a JWT its key signed. */
  app: { id: number; installationId: number; publicKey: KeyObject } | null = null;
  /** Installation tokens issued, with their expiry (epoch ms). */
  readonly issuedTokens = new Map<string, number>();
  /** The fake's time (tests of hours of polling move it by hand). */
  clock: () => number = Date.now;
  resetAt = Math.floor(Date.now() / 1000) + 3_600;
  /** The org's public events feed; the events API serves the newest 300. */
  readonly events: FakeEvent[] = [];
  /** The org's Projects (v2). */
  readonly projects: FakeProject[] = [];
  /** Files per page of a REST commit (GitHub: 300; tests lower it to page small commits). */
  commitFilesPerPage = 300;
  /** Seconds the events API asks pollers to wait (X-Poll-Interval). */
  pollIntervalSeconds = 60;
  /** Display names of users (GET /users/{login}). */
  readonly userNames = new Map<string, string>();
  /** The next N requests answer 429 with Retry-After (secondary limit). */
  secondaryLimited = 0;
  retryAfterSeconds = 1;
  /** The next N requests answer 502. */
  serverErrors = 0;
  /** Answer `/repos/{owner}/{name}` list-probe requests for this repository with a malformed PR. */
  malformedRepository: string | null = null;
  /** Git over HTTP for the repositories with a gitDirectory; its requests are not API requests. */
  readonly git = new FakeGitServer(
    (owner, name) => {
      const repository = owner === this.owner ? this.repositories.find((found) => found.name === name) : undefined;
      return repository ? (repository.gitDirectory ?? null) : undefined;
    },
    () => this.token,
  );
  private server: Server | undefined;

  constructor(
    readonly owner: string,
    readonly repositories: FakeRepository[],
  ) {}

  async start(port = 0): Promise<string> {
    this.server = createServer((request, response) => {
      void this.handle(request, response).catch((error: unknown) => {
        response.statusCode = 500;
        response.end(String(error));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await this.git.stop();
  }

  /** Requests GitHub counts against the limit since `from`: all but authenticated 304s. */
  counted(from = 0): FakeRequest[] {
    return this.requests.slice(from).filter((request) => request.status !== 304 || !request.authenticated);
  }

  /** Makes the primary limit run out now; it resets `seconds` later. */
  exhaust(seconds: number): void {
    this.remaining = 0;
    this.resetAt = Math.floor(this.clock() / 1000) + seconds;
  }

  private rateHeaders(): Record<string, string> {
    return {
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(this.remaining),
      'x-ratelimit-reset': String(this.resetAt),
      'x-ratelimit-resource': 'core',
    };
  }

  private send(
    response: ServerResponse,
    request: FakeRequest,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    request.status = status;
    this.requests.push(request);
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      ...this.rateHeaders(),
      ...headers,
    });
    response.end(status === 304 ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    if (this.git.route(url.pathname)) return this.git.handle(request, response, url);
    const record: FakeRequest = {
      method: request.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      status: 0,
      at: this.clock(),
      authenticated: request.headers.authorization !== undefined,
    };
    const body = await new Promise<string>((resolve) => {
      let text = '';
      request
        .setEncoding('utf8')
        .on('data', (chunk: string) => (text += chunk))
        .on('end', () => resolve(text));
    });
    const authorization = request.headers.authorization;
    const installation = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(url.pathname);
    if (record.method === 'POST' && installation)
      return this.issueInstallationToken(response, record, installation[1], authorization);
    const presented = /^(?:token|bearer) (.+)$/i.exec(authorization ?? '')?.[1];
    const issued = presented !== undefined && (this.issuedTokens.get(presented) ?? 0) > this.clock();
    if (this.token !== null && presented !== this.token && !issued)
      return this.send(response, record, 401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
      });
    if (this.clock() / 1000 >= this.resetAt) {
      // A new window: the whole limit again, for an hour.
      this.remaining = this.limit;
      this.resetAt = Math.floor(this.clock() / 1000) + 3_600;
    }
    if (this.remaining <= 0)
      return this.send(response, record, 403, { message: 'API rate limit exceeded for user ID 1.' });
    if (this.secondaryLimited > 0) {
      this.secondaryLimited--;
      return this.send(
        response,
        record,
        429,
        { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
        { 'retry-after': String(this.retryAfterSeconds) },
      );
    }
    if (this.serverErrors > 0) {
      this.serverErrors--;
      return this.send(response, record, 502, { message: 'Server Error' });
    }
    if (record.method === 'POST' && url.pathname === '/graphql') return this.graphqlRequest(response, record, body);
    if (record.method !== 'GET') return this.send(response, record, 404, { message: 'Not Found' });
    const answer = await this.rest(url, `http://${request.headers.host ?? 'localhost'}`);
    if (!answer) return this.send(response, record, 404, { message: 'Not Found' });
    // A 304 costs nothing on GitHub when sent with a token; without one it counts like any request.
    const etag = `W/"${createHash('sha1').update(JSON.stringify(answer.body)).digest('hex')}"`;
    const extra = answer.headers ?? {};
    if (request.headers['if-none-match'] === etag) {
      if (!record.authenticated) this.remaining--;
      return this.send(response, record, 304, null, { etag, ...extra });
    }
    this.remaining--;
    return this.send(response, record, 200, answer.body, {
      etag,
      ...extra,
      ...(answer.link ? { link: answer.link } : {}),
    });
  }

  /** POST /app/installations/{id}/access_tokens: a token for a JWT (RS256, iss = app id) the app's key signed. */
  private issueInstallationToken(
    response: ServerResponse,
    record: FakeRequest,
    installationId: string | undefined,
    authorization: string | undefined,
  ): void {
    const jwt = /^bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '';
    const [header = '', payload = '', signature = ''] = jwt.split('.');
    const claims = (() => {
      try {
        return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown; exp?: unknown };
      } catch {
        return {};
      }
    })();
    const valid =
      this.app !== null &&
      String(this.app.installationId) === installationId &&
      String(claims.iss) === String(this.app.id) &&
      typeof claims.exp === 'number' &&
      claims.exp * 1000 > this.clock() &&
      verify(
        'RSA-SHA256',
        Buffer.from(`${header}.${payload}`),
        this.app.publicKey,
        Buffer.from(signature, 'base64url'),
      );
    if (!valid) return this.send(response, record, 401, { message: 'A JSON web token could not be decoded' });
    const token = `ghs_${randomBytes(18).toString('hex')}`;
    const expiresAt = this.clock() + 3_600_000;
    this.issuedTokens.set(token, expiresAt);
    return this.send(response, record, 201, {
      token,
      expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      permissions: { contents: 'read', pull_requests: 'read', issues: 'read', actions: 'read', deployments: 'read' },
      repository_selection: 'all',
    });
  }

  /** One page of `items` by ?page/?per_page, with GitHub's Link header (next, last, first, prev). */
  private paged<T>(url: URL, base: string, items: readonly T[]): { items: T[]; link?: string } {
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    const page = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const pageUrl = (n: number) => {
      const next = new URL(url.toString());
      next.searchParams.set('page', String(n));
      return `<${base}${next.pathname}${next.search}>`;
    };
    const links = [
      ...(page < last ? [`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(last)}; rel="last"`] : []),
      ...(page > 1 ? [`${pageUrl(1)}; rel="first"`, `${pageUrl(page - 1)}; rel="prev"`] : []),
    ];
    return {
      items: items.slice((page - 1) * perPage, page * perPage),
      ...(links.length > 0 ? { link: links.join(', ') } : {}),
    };
  }

  private async rest(
    url: URL,
    base: string,
  ): Promise<{ body: unknown; link?: string; headers?: Record<string, string> } | null> {
    const feed = this.eventsFeed(url);
    if (feed) {
      // Newest first, the API's window of 300, with the poll interval it asks for.
      const { items, link } = this.paged(url, base, [...feed].reverse().slice(0, 300));
      return {
        body: items.map((event) => this.eventJson(event)),
        headers: { 'x-poll-interval': String(this.pollIntervalSeconds) },
        ...(link ? { link } : {}),
      };
    }
    const user = /^\/users\/([^/]+)$/.exec(url.pathname);
    if (user?.[1]) {
      const login = user[1];
      return { body: { login, id: this.userId(login), name: this.userNames.get(login) ?? null, type: 'User' } };
    }
    const compare = new RegExp(`^/repos/${this.owner}/[^/]+/compare/([0-9a-f]+)\\.\\.\\.([0-9a-f]+)$`).exec(
      url.pathname,
    );
    if (compare) {
      const push = this.events.find(
        (event) => event.push?.before === compare[1] && event.push?.head === compare[2],
      )?.push;
      if (!push) return null;
      return { body: { total_commits: push.commits.length, commits: push.commits.map((sha) => ({ sha })) } };
    }
    const project = new RegExp(`^/orgs/${this.owner}/projectsV2/(\\d+)/(fields|items)$`).exec(url.pathname);
    if (project) {
      const board = this.projects.find((candidate) => candidate.number === Number(project[1]));
      if (!board) return null;
      return project[2] === 'fields' ? { body: this.projectFields(board, base) } : this.projectItems(board, url, base);
    }
    if (url.pathname === `/orgs/${this.owner}/repos`) {
      const sorted = [...this.repositories].sort((a, b) => (a.name < b.name ? -1 : 1));
      const { items, link } = this.paged(url, base, sorted);
      return { body: items.map((repository) => this.repositoryJson(repository, base)), ...(link ? { link } : {}) };
    }
    const route = new RegExp(`^/repos/${this.owner}/([^/]+)(/.*)?$`).exec(url.pathname);
    const repository = route ? this.repositories.find((candidate) => candidate.name === route[1]) : undefined;
    if (!route || !repository) return null;
    const rest = route[2] ?? '';
    const byNewest = <T>(items: readonly T[], at: (item: T) => string) =>
      [...items].sort((a, b) => (at(a) < at(b) ? 1 : at(a) > at(b) ? -1 : 0));
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    if (rest === '') return { body: this.repositoryJson(repository, base) };
    const branch = /^\/branches\/(.+)$/.exec(rest);
    if (branch?.[1]) {
      const name = decodeURIComponent(branch[1]);
      const head = repository.gitDirectory ? await branchHead(repository.gitDirectory, name) : null;
      if (!head) return null;
      const commitUrl = `${base}/repos/${this.owner}/${repository.name}/commits/${head}`;
      return {
        body: {
          name,
          commit: { sha: head, node_id: `C_${head}`, url: commitUrl, html_url: commitUrl, comments_url: commitUrl },
          protected: false,
        },
      };
    }
    const commit = /^\/commits\/([0-9a-f]{40})$/.exec(rest);
    if (commit?.[1]) {
      const history = repository.gitDirectory ? await commitHistory(repository.gitDirectory, commit[1]) : [];
      const found = history[0];
      if (found?.oid !== commit[1]) return null;
      // 300 files a page, as on GitHub.
      const pageUrl = new URL(url.toString());
      if (!pageUrl.searchParams.has('per_page')) pageUrl.searchParams.set('per_page', String(this.commitFilesPerPage));
      const { items, link } = this.paged(pageUrl, base, found.files);
      return {
        body: {
          sha: found.oid,
          node_id: `C_${found.oid}`,
          stats: { additions: found.additions, deletions: found.deletions, total: found.additions + found.deletions },
          files: items.map((file) => ({
            sha: found.oid,
            filename: file.filename,
            status: 'modified',
            additions: file.additions,
            deletions: file.deletions,
            changes: file.additions + file.deletions,
            ...(file.binary ? {} : { patch: '@@ -1 +1 @@' }),
          })),
        },
        ...(link ? { link } : {}),
      };
    }
    if (rest === '/pulls/comments') {
      // Repository-wide, `since` inclusive; sorted by created unless sort=updated, as on GitHub.
      const since = url.searchParams.get('since');
      const key = url.searchParams.get('sort') === 'updated' ? 'updatedAt' : 'createdAt';
      const comments = repository.pullRequests
        .flatMap((pr) => pr.comments.map((comment) => ({ pr, comment })))
        .filter(({ comment }) => !since || comment.updatedAt >= since);
      const sorted =
        url.searchParams.get('direction') === 'desc'
          ? byNewest(comments, ({ comment }) => comment[key])
          : byNewest(comments, ({ comment }) => comment[key]).reverse();
      const { items, link } = this.paged(url, base, sorted);
      return {
        body: items.map(({ pr, comment }) => ({
          id: comment.id,
          node_id: `PRRC_${comment.id}`,
          pull_request_review_id: comment.reviewId,
          path: comment.path,
          body: 'Consider a guard here.',
          created_at: comment.createdAt,
          updated_at: comment.updatedAt,
          user: { login: comment.login },
          pull_request_url: `${base}/repos/${this.owner}/${repository.name}/pulls/${pr.number}`,
        })),
        ...(link ? { link } : {}),
      };
    }
    if (rest === '/pulls')
      return {
        body: byNewest(repository.pullRequests, (pr) => pr.updatedAt)
          .slice(0, perPage)
          .map((pr) => ({ number: pr.number, updated_at: pr.updatedAt, state: pr.state.toLowerCase() })),
      };
    if (rest === '/issues') {
      // As on GitHub, the issues list holds pull requests too (with a pull_request field).
      const items = [
        ...repository.issues.map((issue) => ({
          id: issue.databaseId,
          number: issue.number,
          title: issue.title,
          state: issue.state.toLowerCase(),
          created_at: issue.createdAt,
          updated_at: issue.updatedAt,
          closed_at: issue.closedAt,
        })),
        ...repository.pullRequests.map((pr) => ({
          id: repository.id * 10_000 + pr.number,
          number: pr.number,
          title: pr.title,
          state: pr.state === 'OPEN' ? 'open' : 'closed',
          created_at: pr.createdAt,
          updated_at: pr.updatedAt,
          closed_at: pr.closedAt,
          pull_request: { url: `${base}/repos/${this.owner}/${repository.name}/pulls/${pr.number}` },
        })),
      ];
      return { body: byNewest(items, (item) => item.updated_at).slice(0, perPage) };
    }
    if (rest === '/deployments')
      return {
        body: byNewest(repository.deployments, (deployment) => deployment.createdAt)
          .slice(0, perPage)
          .map((deployment) => ({
            id: deployment.databaseId,
            node_id: `DE_${deployment.databaseId}`,
            sha: deployment.sha,
            ref: 'main',
            task: 'deploy',
            environment: deployment.environment,
            created_at: deployment.createdAt,
            updated_at: deployment.createdAt,
          })),
      };
    const statuses = /^\/deployments\/(\d+)\/statuses$/.exec(rest);
    if (statuses) {
      const deployment = repository.deployments.find((candidate) => candidate.databaseId === Number(statuses[1]));
      if (!deployment) return null;
      return {
        body: byNewest(deployment.statuses, (status) => status.createdAt)
          .slice(0, perPage)
          .map((status) => ({
            id: deployment.databaseId * 100 + deployment.statuses.indexOf(status),
            state: status.state.toLowerCase(),
            environment: deployment.environment,
            created_at: status.createdAt,
            updated_at: status.createdAt,
          })),
      };
    }
    if (rest === '/actions/runs') {
      const runs = byNewest(repository.workflowRuns, (run) => run.createdAt);
      const { items, link } = this.paged(url, base, runs);
      return {
        body: { total_count: runs.length, workflow_runs: items.map((run) => this.runJson(run)) },
        ...(link ? { link } : {}),
      };
    }
    const single = /^\/actions\/runs\/(\d+)(\/jobs)?$/.exec(rest);
    if (single) {
      const run = repository.workflowRuns.find((candidate) => candidate.id === Number(single[1]));
      if (!run) return null;
      if (!single[2]) return { body: this.runJson(run) };
      const { items, link } = this.paged(url, base, run.jobs);
      return {
        body: {
          total_count: run.jobs.length,
          jobs: items.map((job) => ({
            id: job.id,
            run_id: run.id,
            head_sha: run.headSha,
            name: job.name,
            status: job.status,
            conclusion: job.conclusion,
            started_at: job.startedAt ?? run.createdAt,
            completed_at: job.completedAt,
          })),
        },
        ...(link ? { link } : {}),
      };
    }
    return null;
  }

  private static readonly STATUS_FIELD_ID = 7;

  private projectFields(board: FakeProject, base: string) {
    const projectUrl = `${base}/orgs/${this.owner}/projectsV2/${board.number}`;
    const at = '2026-01-05T10:00:00Z';
    return [
      {
        id: 1,
        node_id: 'PVTF_1',
        project_url: projectUrl,
        name: 'Title',
        data_type: 'title',
        created_at: at,
        updated_at: at,
      },
      {
        id: FakeGitHub.STATUS_FIELD_ID,
        node_id: 'PVTSSF_7',
        project_url: projectUrl,
        name: 'Status',
        data_type: 'single_select',
        options: board.statusOptions.map((name, index) => ({
          id: `opt${index}`,
          name: { raw: name, html: name },
          description: { raw: '', html: '' },
          color: 'GRAY',
        })),
        created_at: at,
        updated_at: at,
      },
    ];
  }

  /** Items in board order, a page per `per_page`, cursor-paged by `after` as GitHub pages them. */
  private projectItems(board: FakeProject, url: URL, base: string): { body: unknown; link?: string } {
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    const after = url.searchParams.get('after');
    const start = after ? Number(Buffer.from(after, 'base64').toString('utf8')) : 0;
    const page = board.items.slice(start, start + perPage);
    const wanted = (url.searchParams.get('fields') ?? '').split(',').map(Number);
    const projectUrl = `${base}/orgs/${this.owner}/projectsV2/${board.number}`;
    let link: string | undefined;
    if (start + perPage < board.items.length) {
      const next = new URL(url.toString());
      next.searchParams.set('after', Buffer.from(String(start + perPage)).toString('base64'));
      link = `<${base}${next.pathname}${next.search}>; rel="next"`;
    }
    return {
      body: page.map((item) => {
        const repository = this.repositories.find((candidate) => candidate.name === item.repository);
        const issue = repository?.issues.find((candidate) => candidate.number === item.issueNumber);
        const option = item.status === null ? -1 : board.statusOptions.indexOf(item.status);
        return {
          id: item.id,
          node_id: `PVTI_${item.id}`,
          project_url: projectUrl,
          content_type: 'Issue',
          content: {
            id: issue?.databaseId ?? 0,
            number: item.issueNumber,
            title: issue?.title ?? '',
            url: `${base}/repos/${this.owner}/${item.repository}/issues/${item.issueNumber}`,
            repository_url: `${base}/repos/${this.owner}/${item.repository}`,
            state: issue?.state.toLowerCase() ?? 'open',
          },
          fields: wanted.includes(FakeGitHub.STATUS_FIELD_ID)
            ? [
                {
                  id: FakeGitHub.STATUS_FIELD_ID,
                  name: 'Status',
                  data_type: 'single_select',
                  value:
                    option < 0
                      ? null
                      : {
                          id: `opt${option}`,
                          name: { raw: item.status, html: item.status },
                          color: 'GRAY',
                          description: { raw: '', html: '' },
                        },
                },
              ]
            : [],
          created_at: '2026-01-05T10:00:00Z',
          updated_at: item.updatedAt,
          archived_at: null,
          item_url: `${projectUrl}/items/${item.id}`,
        };
      }),
      ...(link ? { link } : {}),
    };
  }

  private eventsFeed(url: URL): FakeEvent[] | null {
    if (url.pathname === `/orgs/${this.owner}/events`) return this.events;
    const repository = new RegExp(`^/repos/${this.owner}/([^/]+)/events$`).exec(url.pathname);
    if (repository) return this.events.filter((event) => event.repository === repository[1]);
    const user = /^\/users\/([^/]+)\/events\/public$/.exec(url.pathname);
    if (user) return this.events.filter((event) => event.actor === user[1]);
    return null;
  }

  private userId(login: string): number {
    return createHash('sha1').update(login).digest().readUInt32BE(0);
  }

  private eventJson(event: FakeEvent) {
    const repository = this.repositories.find((candidate) => candidate.name === event.repository);
    return {
      id: event.id,
      type: event.type,
      actor: { id: this.userId(event.actor), login: event.actor },
      repo: { id: repository?.id ?? 0, name: `${this.owner}/${event.repository}` },
      public: true,
      created_at: event.createdAt,
      payload: event.push
        ? { push_id: Number(event.id), ref: event.push.ref, head: event.push.head, before: event.push.before }
        : { action: 'started' },
    };
  }

  /** Appends a push of `commits` new commits by `actor` to `repository`, at the fake's clock. */
  push(actor: string, repository: string, commits: number): FakeEvent {
    const previous = [...this.events].reverse().find((event) => event.repository === repository && event.push);
    const before = previous?.push?.head ?? '0'.repeat(40);
    const shas = Array.from({ length: commits }, (_, index) =>
      createHash('sha1').update(`${repository}:${this.events.length}:${index}`).digest('hex'),
    );
    const event: FakeEvent = {
      id: String(40_000_000_000 + this.events.length + 1),
      type: 'PushEvent',
      actor,
      repository,
      createdAt: new Date(this.clock()).toISOString(),
      push: { ref: 'refs/heads/main', before, head: shas.at(-1) ?? before, commits: shas },
    };
    this.events.push(event);
    return event;
  }

  /** Appends an event that is not a push (kept raw only). */
  star(actor: string, repository: string): FakeEvent {
    const event: FakeEvent = {
      id: String(40_000_000_000 + this.events.length + 1),
      type: 'WatchEvent',
      actor,
      repository,
      createdAt: new Date(this.clock()).toISOString(),
    };
    this.events.push(event);
    return event;
  }

  private runJson(run: FakeWorkflowRun) {
    return {
      id: run.id,
      name: run.name,
      node_id: `WFR_${run.id}`,
      head_branch: run.headBranch,
      head_sha: run.headSha,
      run_number: run.id % 10_000,
      event: run.event,
      status: run.status,
      conclusion: run.conclusion,
      workflow_id: 1,
      created_at: run.createdAt,
      updated_at: run.updatedAt,
      run_attempt: 1,
      run_started_at: run.createdAt,
      pull_requests: run.pullRequest === null ? [] : [{ id: run.id, number: run.pullRequest }],
    };
  }

  private repositoryJson(repository: FakeRepository, base: string) {
    return {
      id: repository.id,
      node_id: `R_${repository.id}`,
      name: repository.name,
      full_name: `${this.owner}/${repository.name}`,
      html_url: `${base}/${this.owner}/${repository.name}`,
      default_branch: 'main',
      created_at: repository.createdAt,
      pushed_at: repository.pushedAt ?? repository.createdAt,
      private: false,
    };
  }

  private async graphqlRequest(response: ServerResponse, record: FakeRequest, text: string): Promise<void> {
    const { query, variables } = JSON.parse(text) as { query: string; variables: Record<string, unknown> };
    record.operation = /^\s*query\s+(\w+)/.exec(query)?.[1] ?? 'anonymous';
    this.remaining--;
    const root = {
      rateLimit: () => ({
        cost: 1,
        remaining: this.remaining,
        resetAt: new Date(this.resetAt * 1000).toISOString(),
        limit: this.limit,
      }),
      repository: ({ owner, name }: { owner: string; name: string }) => {
        const repository =
          owner === this.owner ? this.repositories.find((candidate) => candidate.name === name) : undefined;
        return repository ? this.repositoryNode(repository) : null;
      },
      // Global node ids: deployments, pull requests and issues; an unknown id is null, as on GitHub.
      nodes: ({ ids }: { ids: string[] }) => ids.map((id) => this.nodeById(id)),
      node: ({ id }: { id: string }) => this.nodeById(id),
    };
    const result = await graphql({
      schema: FAKE_GITHUB_SCHEMA,
      source: query,
      rootValue: root,
      variableValues: variables,
    });
    this.send(response, record, 200, result);
  }

  private nodeById(id: string) {
    for (const repository of this.repositories) {
      const workflowRun = repository.workflowRuns.find(
        (candidate) => `WFR_${candidate.id}` === id || `CS_${candidate.id}` === id,
      );
      if (workflowRun) {
        const checkSuite = this.checkSuiteNode(workflowRun);
        return id.startsWith('CS_')
          ? checkSuite
          : { __typename: 'WorkflowRun', id, databaseId: workflowRun.id, checkSuite };
      }
      const deployment = repository.deployments.find((candidate) => `DE_${candidate.databaseId}` === id);
      if (deployment) return this.deploymentNode(deployment);
      const issue = repository.issues.find((candidate) => `I_${candidate.databaseId}` === id);
      if (issue) return this.issueNode(issue, repository);
      const index = repository.pullRequests.findIndex((candidate) => pullRequestNodeId(repository, candidate) === id);
      if (index >= 0) return this.pullRequestNode(repository, repository.pullRequests[index] as FakePullRequest, -1);
    }
    return null;
  }

  /** An Actions run's check suite: a check run per job, GitHub's values upper-cased. */
  private checkSuiteNode(run: FakeWorkflowRun) {
    return {
      __typename: 'CheckSuite',
      id: `CS_${run.id}`,
      checkRuns: ({ first, after }: { first?: number; after?: string | null }) =>
        this.connection(run.jobs, first ?? 100, after, (job) => ({
          databaseId: job.id,
          name: job.name,
          status: job.status.toUpperCase(),
          conclusion: job.conclusion?.toUpperCase() ?? null,
          startedAt: job.startedAt ?? run.createdAt,
          completedAt: job.completedAt,
        })),
    };
  }

  private deploymentNode(deployment: FakeDeployment) {
    const latest = [...deployment.statuses].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))[0];
    return {
      __typename: 'Deployment',
      id: `DE_${deployment.databaseId}`,
      databaseId: deployment.databaseId,
      environment: deployment.environment,
      // GitHub's Deployment.state follows its latest status.
      state: latest?.state === 'SUCCESS' ? 'ACTIVE' : (latest?.state ?? 'PENDING'),
      task: 'deploy',
      commitOid: deployment.sha,
      createdAt: deployment.createdAt,
      updatedAt: deployment.createdAt,
      creator: { login: deployment.creator },
      statuses: ({ first }: { first?: number }) => ({
        // Newest first, as GitHub lists them.
        nodes: [...deployment.statuses].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1)).slice(0, first ?? 100),
      }),
    };
  }

  private issueNode(issue: FakeIssue, repository: FakeRepository) {
    return {
      ...issue,
      __typename: 'Issue',
      id: `I_${issue.databaseId}`,
      repository: { databaseId: repository.id },
      author: { login: issue.author },
      labels: ({ first }: { first?: number }) => ({
        nodes: issue.labels.slice(0, first ?? 100).map((name) => ({ name })),
      }),
      assignees: ({ first }: { first: number }) => ({
        nodes: issue.assignees.slice(0, first).map((login) => ({ login })),
      }),
      timelineItems: ({ first, after, itemTypes }: { first?: number; after?: string | null; itemTypes?: string[] }) =>
        this.connection(
          issue.timeline.filter(
            (event) => !itemTypes || itemTypes.includes(event.type.replace(/(?<=.)([A-Z])/g, '_$1').toUpperCase()),
          ),
          first ?? 100,
          after,
          (event) => ({
            __typename: event.type,
            createdAt: event.at,
            actor: { login: event.actor },
            ...('stateReason' in event ? { stateReason: event.stateReason } : {}),
            ...('label' in event ? { label: { name: event.label } } : {}),
          }),
        ),
    };
  }

  /** A cursor-paged connection of `sorted` (cursors are base64 offsets, opaque to the client). */
  private connection<T, N>(
    sorted: readonly T[],
    first: number,
    after: string | null | undefined,
    node: (item: T, index: number) => N,
  ) {
    const start = after ? Number(Buffer.from(after, 'base64').toString('utf8')) : 0;
    const page = sorted.slice(start, start + first);
    const end = start + page.length;
    return {
      pageInfo: {
        hasNextPage: end < sorted.length,
        endCursor: page.length > 0 ? Buffer.from(String(end)).toString('base64') : null,
      },
      nodes: page.map(node),
    };
  }

  /** A PR node; `listed` is its place in a listing (the malformed one is the first listed). */
  private pullRequestNode(repository: FakeRepository, pr: FakePullRequest, listed: number) {
    const malformed = this.malformedRepository === repository.name && listed === 0;
    return {
      ...pr,
      __typename: 'PullRequest',
      id: pullRequestNodeId(repository, pr),
      // A malformed payload: what a schema change at the source looks like to the normalizer.
      title: malformed ? 'Malformed' : pr.title,
      state: malformed ? 'UNHEARD_OF' : pr.state,
      baseRefName: 'main',
      headRefName: `feature-${pr.number}`,
      mergeCommit:
        pr.state === 'MERGED'
          ? { oid: createHash('sha1').update(`${repository.id}:${pr.number}`).digest('hex') }
          : null,
      author: { login: pr.author },
      reviews: ({ first, after }: { first: number; after?: string | null }) =>
        this.connection(pr.reviews, first, after, (review) => ({ ...review, author: { login: review.login } })),
      labels: () => ({ nodes: pr.labels.map((label) => ({ name: label })) }),
      reviewRequests: () => ({
        nodes: pr.requestedReviewers.map((request) => ({
          requestedReviewer: request.user
            ? { __typename: 'User', login: request.user }
            : { __typename: 'Team', slug: request.team },
        })),
      }),
      closingIssuesReferences: () => ({
        pageInfo: { hasNextPage: false, endCursor: null },
        nodes: pr.closes.flatMap((number) => {
          const issue = repository.issues.find((candidate) => candidate.number === number);
          return issue ? [this.issueNode(issue, repository)] : [];
        }),
      }),
    };
  }

  private repositoryNode(repository: FakeRepository) {
    return {
      databaseId: repository.id,
      // A commit by oid with its history, read from the repository's git directory.
      object: async ({ oid }: { oid?: string }) => {
        if (!repository.gitDirectory || !oid) return null;
        const history = await commitHistory(repository.gitDirectory, oid);
        const commit = history[0];
        if (commit?.oid !== oid) return null;
        const node = (item: HistoryCommit) => ({
          __typename: 'Commit',
          oid: item.oid,
          message: item.message,
          additions: item.additions,
          deletions: item.deletions,
          changedFilesIfAvailable: item.changedFiles,
          parents: () => ({ nodes: item.parents.map((parent) => ({ oid: parent })) }),
          author: item.author,
          committer: item.committer,
        });
        return {
          ...node(commit),
          history: ({ first, after }: { first?: number; after?: string | null }) =>
            this.connection(history, first ?? 100, after, node),
        };
      },
      deployments: ({ first, after }: { first: number; after?: string | null }) =>
        this.connection(
          [...repository.deployments].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1)),
          first,
          after,
          (deployment) => this.deploymentNode(deployment),
        ),
      issues: ({
        first,
        after,
        filterBy,
      }: {
        first: number;
        after?: string | null;
        filterBy?: { since?: string | null };
      }) =>
        this.connection(
          [...repository.issues]
            .filter((issue) => !filterBy?.since || issue.updatedAt >= filterBy.since)
            .sort((a, b) => (a.updatedAt === b.updatedAt ? b.number - a.number : a.updatedAt < b.updatedAt ? 1 : -1)),
          first,
          after,
          (issue) => this.issueNode(issue, repository),
        ),
      pullRequests: ({ first, after }: { first: number; after?: string | null }) =>
        this.connection(
          [...repository.pullRequests].sort((a, b) =>
            a.updatedAt === b.updatedAt ? b.number - a.number : a.updatedAt < b.updatedAt ? 1 : -1,
          ),
          first,
          after,
          (pr, index) => this.pullRequestNode(repository, pr, index),
        ),
    };
  }
}

const pullRequestNodeId = (repository: FakeRepository, pr: FakePullRequest) => `PR_${repository.id}_${pr.number}`;

const DAY = 86_400_000;
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const sha = (text: string) => createHash('sha1').update(text).digest('hex');

/**
 * A deterministic fake org: `repositories` repositories with `pullRequestsPerRepository` PRs each,
 * spread over March 2026, with 0–3 reviews per PR by a small set of people; and per repository, in the
 * weeks before `now`: 8 deployments (6 to production, one failed, the newest in flight; 2 to staging,
 * one failed), 12 workflow runs (2 older than 90 days, the newest in progress, 2 jobs each) and 10
 * issues with timelines (assigned, a workflow label, closed as completed or not planned), one of
 * them an incident naming the failed production deployment.
 */
export function fakeOrganization(
  owner: string,
  repositories: number,
  pullRequestsPerRepository: number,
  now = Math.floor(Date.now() / HOUR) * HOUR,
): FakeGitHub {
  const people = ['ada', 'bob', 'cy', 'dee', 'eve', 'fin'];
  const repos: FakeRepository[] = [];
  let reviewId = 1;
  for (let r = 0; r < repositories; r++) {
    const pullRequests: FakePullRequest[] = [];
    for (let n = 1; n <= pullRequestsPerRepository; n++) {
      const created = Date.UTC(2026, 2, 1) + (r * 997 + n * 3_607) * 60_000;
      const state = n % 7 === 0 ? 'OPEN' : n % 11 === 0 ? 'CLOSED' : 'MERGED';
      const closed = state === 'OPEN' ? null : new Date(created + (2 + (n % 30)) * 3_600_000).toISOString();
      const reviews: FakeReview[] = [];
      for (let k = 0; k < n % 4; k++)
        reviews.push({
          databaseId: reviewId++,
          state: k === 0 ? 'APPROVED' : 'COMMENTED',
          submittedAt: new Date(created + (1 + k) * 3_600_000).toISOString(),
          login: people[(n + k + 1) % people.length] ?? 'ada',
        });
      // Every third PR has a review comment by its first reviewer (or a colleague), on one file.
      const comments: FakeReviewComment[] =
        n % 3 === 0
          ? [
              {
                id: 300_000 + r * 1_000 + n,
                reviewId: reviews[0]?.databaseId ?? null,
                path: `src/module-${n % 5}.ts`,
                createdAt: new Date(created + 90 * 60_000).toISOString(),
                updatedAt: new Date(created + 95 * 60_000).toISOString(),
                login: reviews[0]?.login ?? people[(n + 3) % people.length] ?? 'bob',
              },
            ]
          : [];
      pullRequests.push({
        number: n,
        title: `Change ${n} of repo ${r}`,
        state,
        createdAt: new Date(created).toISOString(),
        updatedAt: closed ?? new Date(created + 3_600_000).toISOString(),
        mergedAt: state === 'MERGED' ? closed : null,
        closedAt: closed,
        additions: 10 + ((n * 37) % 400),
        deletions: (n * 13) % 90,
        changedFiles: 1 + (n % 9),
        author: people[n % people.length] ?? 'ada',
        reviews,
        comments,
        labels: [...(n % 4 === 0 ? ['enhancement'] : []), ...(n % 6 === 0 ? ['needs-review'] : [])],
        // Open PRs wait on a person and, every other one, a team.
        requestedReviewers:
          state === 'OPEN'
            ? [{ user: people[(n + 4) % people.length] ?? 'eve' }, ...(n % 2 === 0 ? [{ team: 'platform' }] : [])]
            : [],
        // Every tenth PR closes one of the repository's issues (numbered after the PRs).
        closes: n % 10 === 0 ? [pullRequestsPerRepository + n / 10] : [],
      });
    }
    const deployments = fakeDeployments(r, now, people);
    const failedProduction = deployments[1]?.databaseId ?? 0;
    repos.push({
      id: 100_000 + r,
      name: `service-${String(r).padStart(2, '0')}`,
      createdAt: '2025-06-01T00:00:00Z',
      pullRequests,
      deployments,
      workflowRuns: fakeWorkflowRuns(r, now),
      issues: fakeIssues(r, now, people, pullRequestsPerRepository, failedProduction),
    });
  }
  return new FakeGitHub(owner, repos);
}

function fakeDeployments(r: number, now: number, people: readonly string[]): FakeDeployment[] {
  const deployments: FakeDeployment[] = [];
  for (let i = 0; i < 8; i++) {
    const created = now - (20 - 2 * i) * DAY - r * HOUR;
    const statuses: FakeDeploymentStatus[] = [{ state: 'IN_PROGRESS', createdAt: iso(created + 60_000) }];
    if (i < 7) statuses.push({ state: i % 4 === 1 ? 'FAILURE' : 'SUCCESS', createdAt: iso(created + 5 * 60_000) });
    deployments.push({
      databaseId: 500_000 + r * 100 + i,
      environment: i % 3 === 2 ? 'staging' : 'production',
      sha: sha(`deploy:${r}:${i}`),
      createdAt: iso(created),
      creator: people[i % people.length] ?? 'ada',
      statuses,
    });
  }
  // A newer successful deployment makes the previous one INACTIVE: not a change of its outcome.
  deployments[0]?.statuses.push({ state: 'INACTIVE', createdAt: deployments[3]?.statuses[1]?.createdAt ?? iso(now) });
  return deployments;
}

function fakeWorkflowRuns(r: number, now: number): FakeWorkflowRun[] {
  const runs: FakeWorkflowRun[] = [];
  for (let j = 0; j < 12; j++) {
    const created = j < 2 ? now - (100 + j) * DAY : now - (12 - j) * DAY - r * HOUR;
    const completed = j < 11;
    const conclusion = !completed ? null : j % 5 === 0 ? 'failure' : j % 7 === 0 ? 'cancelled' : 'success';
    const id = 700_000 + r * 100 + j;
    runs.push({
      id,
      name: j % 2 === 0 ? 'CI' : 'Release',
      event: j % 3 === 0 ? 'pull_request' : 'push',
      status: completed ? 'completed' : 'in_progress',
      conclusion,
      headBranch: 'main',
      headSha: sha(`run:${r}:${j}`),
      createdAt: iso(created),
      updatedAt: iso(created + (completed ? 12 : 1) * 60_000),
      pullRequest: j % 3 === 0 ? 1 + j : null,
      jobs: ['build', 'test'].map((name, k) => ({
        id: id * 10 + k,
        name,
        status: completed ? 'completed' : k === 0 ? 'in_progress' : 'queued',
        conclusion: completed ? (k === 0 ? 'success' : conclusion) : null,
        startedAt: iso(created + (1 + 5 * k) * 60_000),
        completedAt: completed ? iso(created + (5 + 6 * k) * 60_000) : null,
      })),
    });
  }
  return runs;
}

function fakeIssues(
  r: number,
  now: number,
  people: readonly string[],
  firstNumber: number,
  failedDeployment: number,
): FakeIssue[] {
  const issues: FakeIssue[] = [];
  for (let n = 1; n <= 10; n++) {
    const created = now - (30 - n) * DAY - r * HOUR;
    const assignee = people[n % people.length] ?? 'ada';
    const reporter = people[(n + 2) % people.length] ?? 'bob';
    let at = created;
    const next = () => iso((at += HOUR));
    const timeline: FakeTimelineEvent[] = [];
    if (n % 3 === 0) timeline.push({ type: 'LabeledEvent', at: next(), actor: reporter, label: 'bug' });
    if (n % 4 === 1 || n % 4 === 2) timeline.push({ type: 'AssignedEvent', at: next(), actor: reporter });
    if (n % 4 === 2) {
      timeline.push({ type: 'LabeledEvent', at: next(), actor: assignee, label: 'status: in review' });
      timeline.push({ type: 'ClosedEvent', at: next(), actor: assignee, stateReason: 'COMPLETED' });
    }
    if (n % 4 === 3) timeline.push({ type: 'ClosedEvent', at: next(), actor: reporter, stateReason: 'NOT_PLANNED' });
    const closing = timeline.find((event) => event.type === 'ClosedEvent');
    const incident = n === 6;
    issues.push({
      databaseId: 900_000 + r * 100 + n,
      number: firstNumber + n,
      title: incident ? `Checkout errors in repo ${r}` : `Issue ${n} of repo ${r}`,
      body: incident ? `Started right after deployment #${failedDeployment} went out.` : `Details of issue ${n}.`,
      state: closing ? 'CLOSED' : 'OPEN',
      stateReason: closing && 'stateReason' in closing ? closing.stateReason : null,
      createdAt: iso(created),
      updatedAt: iso(at),
      closedAt: closing?.at ?? null,
      author: reporter,
      labels: [
        ...(n % 3 === 0 ? ['bug'] : []),
        ...(n % 4 === 2 ? ['status: in review'] : []),
        ...(incident ? ['Incident', 'sev2'] : []),
      ],
      assignees: n % 4 === 1 || n % 4 === 2 ? [assignee] : [],
      timeline,
    });
  }
  return issues;
}
