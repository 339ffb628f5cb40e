import { createHash } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema, graphql } from 'graphql';
import { FakeGitServer } from './fake-git-server';

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
}

export interface FakeRepository {
  id: number;
  name: string;
  createdAt: string;
  pullRequests: FakePullRequest[];
  /** A git directory served at `<html_url>.git` (fake-git-server.ts). */
  gitDirectory?: string;
}

export interface FakeRequest {
  method: string;
  path: string;
  status: number;
  /** Epoch ms it arrived. */
  at: number;
}

/** GitHub's schema, as far as the fake serves it (the real one validates our documents in a unit test). */
export const FAKE_GITHUB_SCHEMA = buildSchema(`
  type Query { rateLimit: RateLimit repository(owner: String!, name: String!): Repository }
  type RateLimit { cost: Int! remaining: Int! resetAt: String! limit: Int! }
  type Repository { databaseId: Int! pullRequests(first: Int!, after: String, orderBy: PullRequestOrder): PullRequestConnection! }
  input PullRequestOrder { field: PullRequestOrderField! direction: OrderDirection! }
  enum PullRequestOrderField { UPDATED_AT CREATED_AT }
  enum OrderDirection { ASC DESC }
  type PullRequestConnection { pageInfo: PageInfo! nodes: [PullRequest!]! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type Actor { login: String! }
  type Commit { oid: String! }
  type PullRequest {
    number: Int! title: String! state: String! createdAt: String! updatedAt: String! mergedAt: String closedAt: String
    additions: Int! deletions: Int! changedFiles: Int! baseRefName: String! headRefName: String!
    mergeCommit: Commit author: Actor reviews(first: Int!): PullRequestReviewConnection!
  }
  type PullRequestReviewConnection { nodes: [PullRequestReview!]! }
  type PullRequestReview { databaseId: Int! state: String! submittedAt: String author: Actor }
`);

export class FakeGitHub {
  readonly requests: FakeRequest[] = [];
  /** The one token it accepts (null: any, including none). */
  token: string | null = 'ghp_fake-valid-token';
  limit = 5_000;
  remaining = 5_000;
  /** Epoch seconds; moved forward on each exhaustion by `resetAfterSeconds`. */
  resetAt = Math.floor(Date.now() / 1000) + 3_600;
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

  /** Requests (other than those answered 304, which GitHub does not count) since `from`. */
  counted(from = 0): FakeRequest[] {
    return this.requests.slice(from).filter((request) => request.status !== 304);
  }

  /** Makes the primary limit run out now; it resets `seconds` later. */
  exhaust(seconds: number): void {
    this.remaining = 0;
    this.resetAt = Math.floor(Date.now() / 1000) + seconds;
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
      at: Date.now(),
    };
    const body = await new Promise<string>((resolve) => {
      let text = '';
      request
        .setEncoding('utf8')
        .on('data', (chunk: string) => (text += chunk))
        .on('end', () => resolve(text));
    });
    const authorization = request.headers.authorization;
    if (this.token !== null && authorization !== `token ${this.token}` && authorization !== `bearer ${this.token}`)
      return this.send(response, record, 401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
      });
    if (this.remaining <= 0 && Date.now() / 1000 < this.resetAt)
      return this.send(response, record, 403, { message: 'API rate limit exceeded for user ID 1.' });
    if (this.remaining <= 0) this.remaining = this.limit; // the window reset
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
    const answer = this.rest(url, `http://${request.headers.host ?? 'localhost'}`);
    if (!answer) return this.send(response, record, 404, { message: 'Not Found' });
    // A 304 costs nothing on GitHub: only a 200 takes from the budget.
    const etag = `W/"${createHash('sha1').update(JSON.stringify(answer.body)).digest('hex')}"`;
    if (request.headers['if-none-match'] === etag) return this.send(response, record, 304, null, { etag });
    this.remaining--;
    return this.send(response, record, 200, answer.body, { etag, ...(answer.link ? { link: answer.link } : {}) });
  }

  private rest(url: URL, base: string): { body: unknown; link?: string } | null {
    const repoList = new RegExp(`^/orgs/${this.owner}/repos$`).exec(url.pathname);
    if (repoList) {
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      const sorted = [...this.repositories].sort((a, b) => (a.name < b.name ? -1 : 1));
      const items = sorted
        .slice((page - 1) * perPage, page * perPage)
        .map((repository) => this.repositoryJson(repository, base));
      const last = Math.max(1, Math.ceil(sorted.length / perPage));
      const pageUrl = (n: number) => {
        const next = new URL(url.toString());
        next.searchParams.set('page', String(n));
        return `<${base}${next.pathname}${next.search}>`;
      };
      const links = [
        ...(page < last ? [`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(last)}; rel="last"`] : []),
        ...(page > 1 ? [`${pageUrl(1)}; rel="first"`, `${pageUrl(page - 1)}; rel="prev"`] : []),
      ];
      return { body: items, ...(links.length > 0 ? { link: links.join(', ') } : {}) };
    }
    const pulls = new RegExp(`^/repos/${this.owner}/([^/]+)/pulls$`).exec(url.pathname);
    if (pulls) {
      const repository = this.repositories.find((candidate) => candidate.name === pulls[1]);
      if (!repository) return null;
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const newest = [...repository.pullRequests]
        .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1))
        .slice(0, perPage);
      return {
        body: newest.map((pr) => ({ number: pr.number, updated_at: pr.updatedAt, state: pr.state.toLowerCase() })),
      };
    }
    const single = new RegExp(`^/repos/${this.owner}/([^/]+)$`).exec(url.pathname);
    if (single) {
      const repository = this.repositories.find((candidate) => candidate.name === single[1]);
      return repository ? { body: this.repositoryJson(repository, base) } : null;
    }
    return null;
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
      private: false,
    };
  }

  private async graphqlRequest(response: ServerResponse, record: FakeRequest, text: string): Promise<void> {
    const { query, variables } = JSON.parse(text) as { query: string; variables: Record<string, unknown> };
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
    };
    const result = await graphql({
      schema: FAKE_GITHUB_SCHEMA,
      source: query,
      rootValue: root,
      variableValues: variables,
    });
    this.send(response, record, 200, result);
  }

  private repositoryNode(repository: FakeRepository) {
    const malformed = this.malformedRepository === repository.name;
    return {
      databaseId: repository.id,
      pullRequests: ({ first, after }: { first: number; after?: string | null }) => {
        const sorted = [...repository.pullRequests].sort((a, b) =>
          a.updatedAt === b.updatedAt ? b.number - a.number : a.updatedAt < b.updatedAt ? 1 : -1,
        );
        const start = after ? Number(Buffer.from(after, 'base64').toString('utf8')) : 0;
        const page = sorted.slice(start, start + first);
        const end = start + page.length;
        return {
          pageInfo: {
            hasNextPage: end < sorted.length,
            endCursor: page.length > 0 ? Buffer.from(String(end)).toString('base64') : null,
          },
          nodes: page.map((pr, index) => ({
            ...pr,
            // A malformed payload: what a schema change at the source looks like to the normalizer.
            title: malformed && index === 0 ? 'Malformed' : pr.title,
            state: malformed && index === 0 ? 'UNHEARD_OF' : pr.state,
            baseRefName: 'main',
            headRefName: `feature-${pr.number}`,
            mergeCommit:
              pr.state === 'MERGED'
                ? { oid: createHash('sha1').update(`${repository.id}:${pr.number}`).digest('hex') }
                : null,
            author: { login: pr.author },
            reviews: () => ({
              nodes: pr.reviews.map((review) => ({ ...review, author: { login: review.login } })),
            }),
          })),
        };
      },
    };
  }
}

/**
 * A deterministic fake org: `repositories` repositories with `pullRequestsPerRepository` PRs each,
 * spread over March 2026, with 0–3 reviews per PR by a small set of people.
 */
export function fakeOrganization(owner: string, repositories: number, pullRequestsPerRepository: number): FakeGitHub {
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
      });
    }
    repos.push({
      id: 100_000 + r,
      name: `service-${String(r).padStart(2, '0')}`,
      createdAt: '2025-06-01T00:00:00Z',
      pullRequests: pullRequests,
    });
  }
  return new FakeGitHub(owner, repos);
}
