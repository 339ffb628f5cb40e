import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { FakeGitServer } from '../github/fake-git-server';
import { commitHistory } from '../github/git-history';
import {
  type FakeDeploymentStatus,
  type FakeGitLabDataset,
  type FakeGitLabDeployment,
  type FakeGitLabIssue,
  type FakeGitLabJob,
  type FakeGitLabMergeRequest,
  type FakeGitLabNote,
  type FakeGitLabPipeline,
  type FakeGitLabProject,
  type FakePipelineStatus,
  fakeGitLabDataset,
  fakeSha,
} from './gitlab-dataset';
import {
  type GitLabSite,
  approvalsJson,
  commitJson,
  currentUserJson,
  deploymentJson,
  environmentJson,
  groupJson,
  issueJson,
  jobJson,
  labelEventJson,
  mergeRequestJson,
  noteJson,
  pipelineDetailJson,
  pipelineJson,
  projectJson,
  stateEventJson,
} from './gitlab-payloads';

const execFileAsync = promisify(execFile);

/**
 * An MR's file diffs as GET …/merge_requests/:iid/diffs gives them: one per changed file
 * (`changes_count`, "1000+" counting as 1000), each a small unified diff whose added and removed lines
 * follow from the file's position, so a test can count what the connector must count.
 */
export function fakeMergeRequestDiffs(mr: { id: number; changesCount: string }) {
  const files = Number.parseInt(mr.changesCount, 10) || 0;
  return Array.from({ length: files }, (_, index) => {
    const added = (index % 5) + 1;
    const removed = index % 3;
    const path = `src/module-${mr.id}/file-${index}.ts`;
    const lines = [
      `@@ -1,${removed + 1} +1,${added + 1} @@`,
      ' context',
      ...Array.from({ length: removed }, (_, line) => `-old ${line}`),
      ...Array.from({ length: added }, (_, line) => `+new ${line}`),
    ];
    return {
      old_path: path,
      new_path: path,
      a_mode: '100644',
      b_mode: '100644',
      new_file: false,
      renamed_file: false,
      deleted_file: false,
      generated_file: false,
      diff: `${lines.join('\n')}\n`,
    };
  });
}

/**
 * A local GitLab (REST v4) for connector tests, behaving like GitLab where a connector depends on it:
 * PRIVATE-TOKEN / Bearer auth (401 otherwise), offset pagination with x-* headers and Link (x-total and
 * rel="last" left out past 10,000 records, as GitLab does), keyset pagination on the project and group
 * lists, weak ETags with 304, RateLimit-* headers on every answer and 429 past the limit, and failure
 * injection: 429 storms with Retry-After, 5xx bursts, malformed records and pages, per-path answers.
 * Projects' http_url_to_repo serve real git clones (the GitHub fake's git server, reused).
 */

export interface FakeGitLabRequest {
  method: string;
  /** The path as sent (a project path stays URL-encoded). */
  path: string;
  query: Record<string, string>;
  /** The route it matched, e.g. "GET /projects/:id/merge_requests", or "unmatched" (git traffic is in `git.requests`). */
  endpoint: string;
  status: number;
  /** Epoch ms it arrived, by the fake's clock. */
  at: number;
  /** Arrived before the Retry-After of an earlier 429 had elapsed. */
  early: boolean;
}

export type FakeGitLabResource = 'merge_request' | 'issue' | 'pipeline';
/** missing-fields: iid, state/status and timestamps gone; wrong-types: ids as strings, dates as numbers… */
export type FakeGitLabDefect = 'missing-fields' | 'wrong-types';

export interface FakeGitLabAnswer {
  status: number;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

type PathPattern = string | RegExp;

interface Injection {
  pattern: PathPattern | null;
  remaining: number;
  served: number;
  answer: (index: number) => FakeGitLabAnswer;
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

type Handler = (context: { url: URL; params: Record<string, string>; site: GitLabSite }) => Promise<Answer> | Answer;

const NOT_FOUND = (what: string): Answer => ({ status: 404, body: { message: `404 ${what} Not Found` } });
const BAD_REQUEST = (message: string): Answer => ({ status: 400, body: { message: `400 Bad request - ${message}` } });
const KEYSET_UNAVAILABLE: Answer = {
  status: 405,
  body: { message: 'Keyset pagination is not yet available for this type of request' },
};

const PROXY_PAGE = (status: number) =>
  `<!DOCTYPE html>\n<html><head><title>GitLab is not responding (${status})</title></head><body><h1>${status}</h1><p>Whoops, GitLab is taking too much time to respond.</p></body></html>\n`;

export class FakeGitLab {
  readonly requests: FakeGitLabRequest[] = [];
  /** The one token accepted (null: any, including none). */
  token: string | null = 'glpat-fake-valid-token';
  /** Whose token it is (GET /user). */
  tokenUserId = 1;
  /** The fake's time (tests of hours of polling move it by hand). */
  clock: () => number = Date.now;
  /** Requests per window before GitLab answers 429 (GitLab.com: 2,000 a minute for an authenticated user). */
  rateLimit = 2_000;
  rateLimitWindowSeconds = 60;
  /**
   * GitLab's throttle (Rack::Attack) counts every request, a 304 included; unlike GitHub there is no free
   * conditional request. Set false to model a proxy that answers 304s itself.
   */
  countNotModified = true;
  /** Past this many records a list omits x-total, x-total-pages and rel="last" (GitLab: 10,000). */
  countLimit = 10_000;
  /** Git over smart HTTP at each project's http_url_to_repo; its requests are not API requests. */
  readonly git: FakeGitServer;
  private window = { start: 0, observed: 0 };
  private retryNotBefore = 0;
  private readonly injections: Injection[] = [];
  private readonly brokenPages: BrokenPage[] = [];
  private readonly malformed: {
    resource: FakeGitLabResource;
    projectId: number;
    key: number;
    defect: FakeGitLabDefect;
  }[] = [];
  private readonly routes: { method: string; segments: string[]; endpoint: string; handler: Handler }[] = [];
  private server: Server | undefined;

  constructor(readonly dataset: FakeGitLabDataset = fakeGitLabDataset()) {
    this.git = new FakeGitServer(
      (owner, name) => {
        const project = this.dataset.projects.find(
          (candidate) => candidate.pathWithNamespace === `${decodeURIComponent(owner)}/${name}`,
        );
        return project ? (project.gitDirectory ?? null) : undefined;
      },
      () => this.token,
    );
    this.defineRoutes();
  }

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

  // ---- failure injection -------------------------------------------------------------------------

  /** The next `count` requests answer 429 "Retry later" with Retry-After, as GitLab's throttle does. */
  rateLimitStorm(count: number, retryAfterSeconds = 1): void {
    this.injections.push({
      pattern: null,
      remaining: count,
      served: 0,
      answer: () => ({
        status: 429,
        body: 'Retry later\n',
        contentType: 'text/plain',
        headers: { 'retry-after': String(retryAfterSeconds) },
      }),
    });
  }

  /** The next `count` requests answer with these statuses in turn: 500 as GitLab's JSON, 502/503 as the proxy's HTML. */
  serverErrorBurst(count: number, statuses: readonly number[] = [500, 502, 503]): void {
    this.injections.push({
      pattern: null,
      remaining: count,
      served: 0,
      answer: (index) => {
        const status = statuses[index % statuses.length] ?? 500;
        return status === 500
          ? { status, body: JSON.stringify({ message: '500 Internal Server Error' }) }
          : { status, body: PROXY_PAGE(status), contentType: 'text/html; charset=utf-8' };
      },
    });
  }

  /** The next `times` requests whose path (as sent, before the query) matches answer `answer`. */
  injectResponse(pattern: PathPattern, answer: FakeGitLabAnswer, times = 1): void {
    this.injections.push({ pattern, remaining: times, served: 0, answer: () => answer });
  }

  /** The next `times` successful answers on a matching path are not JSON: cut off half-way, or an HTML error page. */
  malformPage(pattern: PathPattern, times = 1, style: 'truncated' | 'html' = 'truncated'): void {
    this.brokenPages.push({ pattern, remaining: times, style });
  }

  /** This record is served broken wherever it appears (lists, single GETs, closes_issues), until cleared. */
  malform(resource: FakeGitLabResource, project: number | string, key: number, defect: FakeGitLabDefect): void {
    this.malformed.push({ resource, projectId: this.project(project).id, key, defect });
  }

  /** Forgets pending failures, and any Retry-After still owed. */
  clearFailures(): void {
    this.retryNotBefore = 0;
    this.injections.length = 0;
    this.brokenPages.length = 0;
    this.malformed.length = 0;
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

  /** API requests since `from` per 100 merge requests of the dataset. */
  requestsPer100MergeRequests(from = 0): number {
    const api = this.requests.length - from;
    const mergeRequests = this.dataset.projects.reduce((sum, project) => sum + project.mergeRequests.length, 0);
    return mergeRequests === 0 ? 0 : (api * 100) / mergeRequests;
  }

  /** Requests that came before an earlier 429's Retry-After had passed: a client ignoring it. */
  retryAfterViolations(from = 0): FakeGitLabRequest[] {
    return this.requests.slice(from).filter((request) => request.early);
  }

  // ---- lookups and mutations for tests -----------------------------------------------------------

  /** A project by id or full path. */
  project(reference: number | string): FakeGitLabProject {
    const project = this.findProject(String(reference));
    if (!project) throw new Error(`no project ${reference}`);
    return project;
  }

  mergeRequest(project: number | string, iid: number): FakeGitLabMergeRequest {
    const found = this.project(project).mergeRequests.find((mr) => mr.iid === iid);
    if (!found) throw new Error(`no merge request !${iid} in ${project}`);
    return found;
  }

  /** Opens a merge request now (the fake's clock), with the next iid. */
  addMergeRequest(project: number | string, fields: Partial<FakeGitLabMergeRequest> = {}): FakeGitLabMergeRequest {
    const target = this.project(project);
    const at = this.nowAfter(null);
    const iid = Math.max(0, ...target.mergeRequests.map((mr) => mr.iid)) + 1;
    const mr: FakeGitLabMergeRequest = {
      id: this.dataset.nextIds.mergeRequest++,
      iid,
      title: `New change ${iid}`,
      description: '',
      state: 'opened',
      draft: false,
      authorId: 1,
      assigneeIds: [1],
      reviewerIds: [],
      createdAt: at,
      updatedAt: at,
      mergedAt: null,
      mergedById: null,
      closedAt: null,
      closedById: null,
      sourceBranch: `change-${iid}`,
      targetBranch: target.defaultBranch,
      sha: fakeSha(`added-mr:${target.id}:${iid}`),
      mergeCommitSha: null,
      labels: [],
      changesCount: '1',
      notes: [],
      approvals: [],
      closesIssues: [],
      ...fields,
    };
    target.mergeRequests.push(mr);
    return mr;
  }

  /**
   * Changes a merge request and moves its updated_at to now (later than before, whatever the clock says).
   * Merging sets merged_at/merge_commit_sha; closing sets closed_at, unless `changes` gives them.
   */
  updateMergeRequest(
    project: number | string,
    iid: number,
    changes: Partial<FakeGitLabMergeRequest> = {},
  ): FakeGitLabMergeRequest {
    const mr = this.mergeRequest(project, iid);
    const at = this.nowAfter(mr.updatedAt);
    if (changes.state === 'merged' && mr.state !== 'merged') {
      mr.mergedAt = at;
      mr.mergedById = mr.authorId;
      mr.mergeCommitSha = fakeSha(`merged:${mr.id}:${at}`);
    }
    if (changes.state === 'closed' && mr.state !== 'closed') {
      mr.closedAt = at;
      mr.closedById = mr.authorId;
    }
    Object.assign(mr, { updatedAt: at }, changes);
    return mr;
  }

  /** A note on a merge request (a comment unless `kind` says otherwise); like GitLab it touches the MR. */
  addMergeRequestNote(
    project: number | string,
    iid: number,
    note: { authorId: number; body: string; kind?: FakeGitLabNote['kind'] },
  ): FakeGitLabNote {
    const mr = this.mergeRequest(project, iid);
    const at = this.nowAfter(mr.updatedAt);
    const added: FakeGitLabNote = {
      id: this.dataset.nextIds.note++,
      authorId: note.authorId,
      body: note.body,
      kind: note.kind ?? 'comment',
      createdAt: at,
      updatedAt: at,
    };
    mr.notes.push(added);
    mr.updatedAt = at;
    return added;
  }

  /** An approval now, with its system note. */
  approveMergeRequest(project: number | string, iid: number, userId: number): void {
    const note = this.addMergeRequestNote(project, iid, {
      authorId: userId,
      body: 'approved this merge request',
      kind: 'system',
    });
    this.mergeRequest(project, iid).approvals.push({ userId, approvedAt: note.createdAt });
  }

  /** A pipeline created now (default: running on the default branch) with build/test/deploy jobs. */
  addPipeline(project: number | string, fields: Partial<FakeGitLabPipeline> = {}): FakeGitLabPipeline {
    const target = this.project(project);
    const at = this.nowAfter(null);
    const iid = Math.max(0, ...target.pipelines.map((pipeline) => pipeline.iid)) + 1;
    const status = fields.status ?? 'running';
    const jobs: FakeGitLabJob[] = (['build', 'test', 'deploy'] as const).map((stage) => ({
      id: this.dataset.nextIds.job++,
      name: stage === 'build' ? 'compile' : stage === 'test' ? 'unit-tests' : 'deploy-staging',
      stage,
      status: stage === 'build' ? status : 'created',
      createdAt: at,
      startedAt: stage === 'build' && status !== 'created' && status !== 'pending' ? at : null,
      finishedAt: null,
      duration: null,
      queuedDuration: null,
      allowFailure: false,
      failureReason: null,
      userId: 1,
      environment: stage === 'deploy' ? 'staging' : null,
    }));
    const pipeline: FakeGitLabPipeline = {
      id: this.dataset.nextIds.pipeline++,
      iid,
      sha: fakeSha(`added-pipeline:${target.id}:${iid}`),
      ref: target.defaultBranch,
      status,
      source: 'push',
      createdAt: at,
      updatedAt: at,
      startedAt: status === 'created' || status === 'pending' ? null : at,
      finishedAt: null,
      duration: null,
      queuedDuration: null,
      userId: 1,
      jobs,
      ...fields,
    };
    target.pipelines.push(pipeline);
    return pipeline;
  }

  /** Moves a pipeline on (e.g. to success): updated_at now; a finished status sets finished_at and duration. */
  updatePipeline(project: number | string, id: number, changes: Partial<FakeGitLabPipeline>): FakeGitLabPipeline {
    const pipeline = this.project(project).pipelines.find((candidate) => candidate.id === id);
    if (!pipeline) throw new Error(`no pipeline ${id} in ${project}`);
    const at = this.nowAfter(pipeline.updatedAt);
    const finished: readonly FakePipelineStatus[] = ['success', 'failed', 'canceled', 'skipped'];
    if (changes.status && finished.includes(changes.status) && pipeline.finishedAt === null) {
      pipeline.finishedAt = at;
      pipeline.startedAt ??= pipeline.createdAt;
      pipeline.duration = Math.round((Date.parse(at) - Date.parse(pipeline.startedAt)) / 1_000);
      for (const job of pipeline.jobs) if (job.finishedAt === null) job.status = changes.status;
    }
    Object.assign(pipeline, { updatedAt: at }, changes);
    return pipeline;
  }

  /** An issue opened now (issueType 'incident' for an incident). */
  addIssue(project: number | string, fields: Partial<FakeGitLabIssue> = {}): FakeGitLabIssue {
    const target = this.project(project);
    const at = this.nowAfter(null);
    const iid = Math.max(0, ...target.issues.map((issue) => issue.iid)) + 1;
    const issue: FakeGitLabIssue = {
      id: this.dataset.nextIds.issue++,
      iid,
      title: `New issue ${iid}`,
      description: '',
      issueType: 'issue',
      state: 'opened',
      createdAt: at,
      updatedAt: at,
      closedAt: null,
      closedById: null,
      authorId: 1,
      assigneeIds: [],
      labels: [],
      milestoneIid: null,
      iterationId: null,
      weight: null,
      severity: fields.issueType === 'incident' ? 'UNKNOWN' : null,
      userNotesCount: 0,
      stateEvents: [],
      labelEvents: [],
      ...fields,
    };
    target.issues.push(issue);
    return issue;
  }

  /** Closes or reopens an issue now, with its resource state event. */
  setIssueState(project: number | string, iid: number, state: 'closed' | 'reopened', userId = 1): FakeGitLabIssue {
    const issue = this.project(project).issues.find((candidate) => candidate.iid === iid);
    if (!issue) throw new Error(`no issue #${iid} in ${project}`);
    const at = this.nowAfter(issue.updatedAt);
    issue.state = state === 'closed' ? 'closed' : 'opened';
    issue.closedAt = state === 'closed' ? at : null;
    issue.closedById = state === 'closed' ? userId : null;
    issue.updatedAt = at;
    issue.stateEvents.push({ id: this.dataset.nextIds.event++, userId, createdAt: at, state });
    return issue;
  }

  /** A deployment of a pipeline's deploy job to an environment (by name), now. */
  addDeployment(
    project: number | string,
    pipelineId: number,
    environment: string,
    status: FakeDeploymentStatus,
  ): FakeGitLabDeployment {
    const target = this.project(project);
    const pipeline = target.pipelines.find((candidate) => candidate.id === pipelineId);
    const job = pipeline?.jobs.find((candidate) => candidate.stage === 'deploy');
    const found = target.environments.find((candidate) => candidate.name === environment);
    if (!pipeline || !job || !found) throw new Error(`no pipeline ${pipelineId} or environment ${environment}`);
    const at = this.nowAfter(null);
    const deployment: FakeGitLabDeployment = {
      id: this.dataset.nextIds.deployment++,
      iid: Math.max(0, ...target.deployments.map((candidate) => candidate.iid)) + 1,
      environmentId: found.id,
      ref: pipeline.ref,
      sha: pipeline.sha,
      status,
      createdAt: at,
      updatedAt: at,
      userId: job.userId,
      pipelineId,
      jobId: job.id,
    };
    target.deployments.push(deployment);
    return deployment;
  }

  /** Now by the fake's clock, but strictly after `previous` (and after the dataset's own time). */
  private nowAfter(previous: string | null): string {
    const floor = Math.max(this.dataset.now, previous === null ? 0 : Date.parse(previous) + 1_000);
    return new Date(Math.max(this.clock(), floor)).toISOString();
  }

  // ---- HTTP --------------------------------------------------------------------------------------

  private rateHeaders(): Record<string, string> {
    const reset = this.window.start + this.rateLimitWindowSeconds * 1_000;
    return {
      'RateLimit-Limit': String(this.rateLimit),
      'RateLimit-Observed': String(this.window.observed),
      'RateLimit-Remaining': String(Math.max(0, this.rateLimit - this.window.observed)),
      'RateLimit-Reset': String(Math.floor(reset / 1_000)),
      'RateLimit-ResetTime': new Date(reset).toUTCString(),
    };
  }

  /** Counts a request in the current fixed window (GitLab's throttle windows are aligned to the period). */
  private observe(now: number): void {
    const period = this.rateLimitWindowSeconds * 1_000;
    const start = Math.floor(now / period) * period;
    if (start !== this.window.start) this.window = { start, observed: 0 };
    this.window.observed++;
  }

  private reply(
    response: ServerResponse,
    record: FakeGitLabRequest,
    status: number,
    body: string,
    contentType = 'application/json',
    headers: Record<string, string> = {},
  ): void {
    record.status = status;
    this.requests.push(record);
    if (status === 429) {
      const seconds = Number(headers['retry-after'] ?? 0);
      this.retryNotBefore = Math.max(this.retryNotBefore, record.at + seconds * 1_000);
    }
    response.writeHead(status, {
      ...(status === 304 ? {} : { 'content-type': contentType }),
      'cache-control': 'max-age=0, private, must-revalidate',
      ...this.rateHeaders(),
      ...headers,
    });
    response.end(status === 304 ? undefined : body);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const git = url.pathname.startsWith('/api/') ? null : /^\/(.+)\/([^/]+)\.git(\/.*)$/.exec(url.pathname);
    if (git?.[1] && git[2] && git[3]) {
      // FakeGitServer routes owner/name.git; a nested namespace travels as one encoded segment.
      const flat = new URL(`/${encodeURIComponent(git[1])}/${git[2]}.git${git[3]}${url.search}`, 'http://fake');
      return this.git.handle(request, response, flat);
    }
    request.resume();
    const at = this.clock();
    const record: FakeGitLabRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      endpoint: 'unmatched',
      status: 0,
      at,
      early: at < this.retryNotBefore,
    };
    const route = this.match(record.method, url.pathname);
    if (route) record.endpoint = route.endpoint;

    const injection = this.injections.find(
      (candidate) =>
        candidate.remaining > 0 && (candidate.pattern === null || matches(candidate.pattern, url.pathname)),
    );
    if (injection) {
      injection.remaining--;
      const answer = injection.answer(injection.served++);
      this.observe(at);
      return this.reply(response, record, answer.status, answer.body ?? '', answer.contentType, answer.headers);
    }

    const privateToken = request.headers['private-token'];
    const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const presented = (Array.isArray(privateToken) ? privateToken[0] : privateToken) ?? bearer;
    if (this.token !== null && presented !== this.token)
      return this.reply(response, record, 401, JSON.stringify({ message: '401 Unauthorized' }));

    this.observe(at);
    if (this.window.observed > this.rateLimit) {
      const retryAfter = Math.max(1, Math.ceil((this.window.start + this.rateLimitWindowSeconds * 1_000 - at) / 1_000));
      return this.reply(response, record, 429, 'Retry later\n', 'text/plain', { 'retry-after': String(retryAfter) });
    }
    if (!route) return this.reply(response, record, 404, JSON.stringify({ error: '404 Not Found' }));

    const site: GitLabSite = { base: `http://${request.headers.host ?? 'localhost'}`, dataset: this.dataset };
    const answer = await route.handler({ url, params: route.params, site });
    const status = answer.status ?? 200;
    let text = JSON.stringify(answer.body);
    if (status === 200) {
      const broken = this.brokenPages.find((page) => page.remaining > 0 && matches(page.pattern, url.pathname));
      if (broken) {
        broken.remaining--;
        if (broken.style === 'html')
          return this.reply(response, record, 200, PROXY_PAGE(200), 'application/json', answer.headers);
        text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
      }
    }
    if (status !== 200) return this.reply(response, record, status, text, 'application/json', answer.headers);
    const etag = `W/"${createHash('md5').update(text).digest('hex')}"`;
    if (request.headers['if-none-match'] === etag) {
      // GitLab's throttle already counted it (observe above); a proxy that answers 304s itself would not.
      if (!this.countNotModified) this.window.observed--;
      return this.reply(response, record, 304, '', undefined, { etag, ...answer.headers });
    }
    return this.reply(response, record, 200, text, 'application/json', { etag, ...answer.headers });
  }

  private match(
    method: string,
    pathname: string,
  ): { endpoint: string; params: Record<string, string>; handler: Handler } | null {
    if (!pathname.startsWith('/api/v4/')) return null;
    // Split before decoding: a project's encoded path (acme%2Fapi) is one segment.
    const segments = pathname
      .slice('/api/v4/'.length)
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

  private get(template: string, handler: Handler): void {
    this.routes.push({
      method: 'GET',
      segments: template.split('/').filter(Boolean),
      endpoint: `GET ${template}`,
      handler,
    });
  }

  private findProject(reference: string): FakeGitLabProject | undefined {
    return this.dataset.projects.find(
      (project) => String(project.id) === reference || project.pathWithNamespace === reference,
    );
  }

  private findGroup(reference: string) {
    return this.dataset.groups.find((group) => String(group.id) === reference || group.fullPath === reference);
  }

  private descendants(groupId: number): number[] {
    const children = this.dataset.groups.filter((group) => group.parentId === groupId).map((group) => group.id);
    return children.flatMap((child) => [child, ...this.descendants(child)]);
  }

  private broken(resource: FakeGitLabResource, projectId: number, key: number) {
    return this.malformed.find(
      (entry) => entry.resource === resource && entry.projectId === projectId && entry.key === key,
    )?.defect;
  }

  private defineRoutes(): void {
    const withProject =
      (handler: (project: FakeGitLabProject, context: Parameters<Handler>[0]) => Promise<Answer> | Answer): Handler =>
      (context) => {
        const project = this.findProject(context.params.id ?? '');
        return project ? handler(project, context) : NOT_FOUND('Project');
      };
    const mrJson = (site: GitLabSite, project: FakeGitLabProject, mr: FakeGitLabMergeRequest, detailed: boolean) =>
      breakRecord(mergeRequestJson(site, project, mr, detailed), this.broken('merge_request', project.id, mr.iid));
    const issueBody = (site: GitLabSite, project: FakeGitLabProject, issue: FakeGitLabIssue) =>
      breakRecord(issueJson(site, project, issue), this.broken('issue', project.id, issue.iid));
    const pipelineBody = (
      site: GitLabSite,
      project: FakeGitLabProject,
      pipeline: FakeGitLabPipeline,
      detailed: boolean,
    ) =>
      breakRecord(
        detailed ? pipelineDetailJson(site, project, pipeline) : pipelineJson(site, project, pipeline),
        this.broken('pipeline', project.id, pipeline.id),
      );
    const findMergeRequest = (project: FakeGitLabProject, iid: string | undefined) =>
      project.mergeRequests.find((mr) => String(mr.iid) === iid);
    const findIssue = (project: FakeGitLabProject, iid: string | undefined) =>
      project.issues.find((issue) => String(issue.iid) === iid);

    this.get('/version', () => ({
      body: {
        version: '17.9.1-ee',
        revision: 'fake0000',
        kas: { enabled: false, externalUrl: null, externalK8sProxyUrl: null, version: null },
        enterprise: true,
      },
    }));
    this.get('/user', ({ site }) => ({ body: currentUserJson(site, this.tokenUserId) }));

    this.get('/groups/:id', ({ params, site, url }) => {
      const group = this.findGroup(params.id ?? '');
      if (!group) return NOT_FOUND('Group');
      // GitLab still embeds the group's own projects unless with_projects=false.
      const projects =
        url.searchParams.get('with_projects') === 'false'
          ? {}
          : {
              projects: this.dataset.projects
                .filter((project) => project.namespaceId === group.id)
                .map((project) => projectJson(site, project)),
              shared_projects: [],
            };
      return { body: { ...groupJson(site, group), ...projects } };
    });
    const groupList =
      (direct: boolean): Handler =>
      ({ params, site, url }) => {
        const group = this.findGroup(params.id ?? '');
        if (!group) return NOT_FOUND('Group');
        const ids = direct
          ? this.dataset.groups.filter((candidate) => candidate.parentId === group.id).map((candidate) => candidate.id)
          : this.descendants(group.id);
        const groups = this.dataset.groups.filter((candidate) => ids.includes(candidate.id));
        const orderBy = url.searchParams.get('order_by') ?? 'name';
        const key = orderBy === 'id' ? 'id' : orderBy === 'path' ? 'path' : 'name';
        const sorted = sortRecords(groups, (candidate) => candidate[key], url.searchParams.get('sort') ?? 'asc');
        return this.list(
          url,
          site,
          sorted,
          (candidate) => groupJson(site, candidate),
          (candidate) => candidate.id,
        );
      };
    this.get('/groups/:id/descendant_groups', groupList(false));
    this.get('/groups/:id/subgroups', groupList(true));
    this.get('/groups/:id/projects', ({ params, site, url }) => {
      const group = this.findGroup(params.id ?? '');
      if (!group) return NOT_FOUND('Group');
      const namespaces =
        url.searchParams.get('include_subgroups') === 'true' ? [group.id, ...this.descendants(group.id)] : [group.id];
      const projects = this.dataset.projects.filter((project) => namespaces.includes(project.namespaceId));
      return this.projectList(url, site, projects);
    });
    this.get('/projects', ({ site, url }) => this.projectList(url, site, this.dataset.projects));
    this.get(
      '/projects/:id',
      withProject((project, { site }) => ({ body: projectJson(site, project) })),
    );

    this.get(
      '/projects/:id/repository/commits',
      withProject(async (project, { site, url }) => {
        const ref = url.searchParams.get('ref_name') ?? project.defaultBranch;
        const history = project.gitDirectory ? await commitHistory(project.gitDirectory, ref) : [];
        const since = dateParam(url, 'since');
        const until = dateParam(url, 'until');
        const commits = history.filter((commit) => {
          const at = Date.parse(commit.committer.date);
          return (since === null || at >= since) && (until === null || at <= until);
        });
        const withStats = url.searchParams.get('with_stats') === 'true';
        return this.list(url, site, commits, (commit) => commitJson(site, project, commit, withStats));
      }),
    );
    this.get(
      '/projects/:id/repository/commits/:sha',
      withProject(async (project, { site, params }) => {
        const history = project.gitDirectory ? await commitHistory(project.gitDirectory, params.sha ?? '') : [];
        const commit = history[0];
        if (!commit || !commit.oid.startsWith(params.sha ?? '-')) return NOT_FOUND('Commit');
        return { body: { ...commitJson(site, project, commit, true), status: null, last_pipeline: null } };
      }),
    );
    this.get(
      '/projects/:id/repository/commits/:sha/diff',
      withProject(async (project, { site, url, params }) => {
        const diffs = project.gitDirectory ? await commitDiff(project.gitDirectory, params.sha ?? '') : null;
        if (!diffs) return NOT_FOUND('Commit');
        return this.list(url, site, diffs, (diff) => diff);
      }),
    );

    this.get(
      '/projects/:id/merge_requests',
      withProject((project, { site, url }) => {
        const state = url.searchParams.get('state') ?? 'all';
        const iids = url.searchParams.getAll('iids[]').map(Number);
        const labels = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean);
        const filtered = project.mergeRequests.filter(
          (mr) =>
            (state === 'all' || mr.state === state) &&
            (iids.length === 0 || iids.includes(mr.iid)) &&
            labels.every((label) => mr.labels.includes(label)) &&
            inWindow(url, 'updated', mr.updatedAt, true) &&
            inWindow(url, 'created', mr.createdAt, true),
        );
        const orderBy = url.searchParams.get('order_by') ?? 'created_at';
        const key = (mr: FakeGitLabMergeRequest) =>
          orderBy === 'updated_at' ? mr.updatedAt : orderBy === 'title' ? mr.title : mr.createdAt;
        const sorted = sortRecords(filtered, key, url.searchParams.get('sort') ?? 'desc', (mr) => mr.id);
        const simple = url.searchParams.get('view') === 'simple';
        return this.list(url, site, sorted, (mr) => {
          const body = mrJson(site, project, mr, false);
          return simple
            ? pick(body, [
                'id',
                'iid',
                'project_id',
                'title',
                'description',
                'state',
                'created_at',
                'updated_at',
                'web_url',
              ])
            : body;
        });
      }),
    );
    this.get(
      '/projects/:id/merge_requests/:iid',
      withProject((project, { site, params }) => {
        const mr = findMergeRequest(project, params.iid);
        return mr ? { body: mrJson(site, project, mr, true) } : NOT_FOUND('Merge Request');
      }),
    );
    this.get(
      '/projects/:id/merge_requests/:iid/notes',
      withProject((project, { site, params, url }) => {
        const mr = findMergeRequest(project, params.iid);
        if (!mr) return NOT_FOUND('Merge Request');
        const key = url.searchParams.get('order_by') === 'updated_at' ? 'updatedAt' : 'createdAt';
        const sorted = sortRecords(
          mr.notes,
          (note) => note[key],
          url.searchParams.get('sort') ?? 'desc',
          (note) => note.id,
        );
        return this.list(url, site, sorted, (note) => noteJson(site, project, mr, note));
      }),
    );
    this.get(
      '/projects/:id/merge_requests/:iid/diffs',
      withProject((project, { site, params, url }) => {
        const mr = findMergeRequest(project, params.iid);
        if (!mr) return NOT_FOUND('Merge Request');
        return this.list(url, site, fakeMergeRequestDiffs(mr), (diff) => ({ ...diff }));
      }),
    );
    this.get(
      '/projects/:id/merge_requests/:iid/approvals',
      withProject((project, { site, params }) => {
        const mr = findMergeRequest(project, params.iid);
        return mr ? { body: approvalsJson(site, project, mr) } : NOT_FOUND('Merge Request');
      }),
    );
    this.get(
      '/projects/:id/merge_requests/:iid/closes_issues',
      withProject((project, { site, params, url }) => {
        const mr = findMergeRequest(project, params.iid);
        if (!mr) return NOT_FOUND('Merge Request');
        const issues = project.issues.filter((issue) => mr.closesIssues.includes(issue.iid));
        return this.list(url, site, issues, (issue) => issueBody(site, project, issue));
      }),
    );

    this.get(
      '/projects/:id/pipelines',
      withProject((project, { site, url }) => {
        const status = url.searchParams.get('status');
        const ref = url.searchParams.get('ref');
        const source = url.searchParams.get('source');
        const sha = url.searchParams.get('sha');
        // Ci::Pipeline.updated_after is strict (updated_at > t), unlike the issuables' >=.
        const filtered = project.pipelines.filter(
          (pipeline) =>
            (status === null || pipeline.status === status) &&
            (ref === null || pipeline.ref === ref) &&
            (source === null || pipeline.source === source) &&
            (sha === null || pipeline.sha === sha) &&
            inWindow(url, 'updated', pipeline.updatedAt, false),
        );
        const orderBy = url.searchParams.get('order_by') ?? 'id';
        const key = (pipeline: FakeGitLabPipeline): string | number =>
          orderBy === 'updated_at'
            ? pipeline.updatedAt
            : orderBy === 'status'
              ? pipeline.status
              : orderBy === 'ref'
                ? pipeline.ref
                : orderBy === 'user_id'
                  ? pipeline.userId
                  : pipeline.id;
        const sorted = sortRecords(filtered, key, url.searchParams.get('sort') ?? 'desc', (pipeline) => pipeline.id);
        return this.list(url, site, sorted, (pipeline) => pipelineBody(site, project, pipeline, false));
      }),
    );
    this.get(
      '/projects/:id/pipelines/:pipeline_id',
      withProject((project, { site, params }) => {
        const pipeline = project.pipelines.find((candidate) => String(candidate.id) === params.pipeline_id);
        return pipeline ? { body: pipelineBody(site, project, pipeline, true) } : NOT_FOUND('');
      }),
    );
    this.get(
      '/projects/:id/pipelines/:pipeline_id/jobs',
      withProject((project, { site, params, url }) => {
        const pipeline = project.pipelines.find((candidate) => String(candidate.id) === params.pipeline_id);
        if (!pipeline) return NOT_FOUND('');
        const scopes = [...url.searchParams.getAll('scope[]'), ...url.searchParams.getAll('scope')];
        const jobs = pipeline.jobs.filter((job) => scopes.length === 0 || scopes.includes(job.status));
        const sorted = sortRecords(jobs, (job) => job.id, 'desc');
        return this.list(url, site, sorted, (job) => jobJson(site, project, pipeline, job));
      }),
    );

    this.get(
      '/projects/:id/environments',
      withProject((project, { site, url }) => {
        const states = url.searchParams.get('states');
        const name = url.searchParams.get('name');
        const search = url.searchParams.get('search');
        const environments = project.environments.filter(
          (environment) =>
            (states === null || environment.state === states) &&
            (name === null || environment.name === name) &&
            (search === null || environment.name.includes(search)),
        );
        return this.list(url, site, environments, (environment) => environmentJson(environment));
      }),
    );
    this.get(
      '/projects/:id/deployments',
      withProject((project, { site, url }) => {
        const orderBy = url.searchParams.get('order_by') ?? 'id';
        const updatedFilter = url.searchParams.has('updated_after') || url.searchParams.has('updated_before');
        const finishedFilter = url.searchParams.has('finished_after') || url.searchParams.has('finished_before');
        const status = url.searchParams.get('status');
        const environmentName = url.searchParams.get('environment');
        // DeploymentsFinder refuses filters its indexes cannot serve; the API answers 400 with its message.
        if (updatedFilter && finishedFilter)
          return BAD_REQUEST('Both `updated_at` filter and `finished_at` filter can not be specified');
        if (updatedFilter && orderBy !== 'updated_at')
          return BAD_REQUEST('`updated_at` filter requires `updated_at` sort');
        if (finishedFilter && orderBy !== 'finished_at')
          return BAD_REQUEST('`finished_at` filter requires `finished_at` sort.');
        if (finishedFilter && status !== 'success')
          return BAD_REQUEST('`finished_at` filter must be combined with `success` status filter.');
        const finishedAt = (deployment: FakeGitLabDeployment) =>
          project.pipelines
            .find((pipeline) => pipeline.id === deployment.pipelineId)
            ?.jobs.find((job) => job.id === deployment.jobId)?.finishedAt ?? null;
        const filtered = project.deployments.filter((deployment) => {
          const environment = project.environments.find((candidate) => candidate.id === deployment.environmentId);
          const finished = finishedAt(deployment);
          return (
            (status === null || deployment.status === status) &&
            (environmentName === null || environment?.name === environmentName) &&
            inWindow(url, 'updated', deployment.updatedAt, true) &&
            (!finishedFilter || (finished !== null && inWindow(url, 'finished', finished, true)))
          );
        });
        const key = (deployment: FakeGitLabDeployment): string | number =>
          orderBy === 'updated_at'
            ? deployment.updatedAt
            : orderBy === 'created_at'
              ? deployment.createdAt
              : orderBy === 'finished_at'
                ? (finishedAt(deployment) ?? '')
                : orderBy === 'ref'
                  ? deployment.ref
                  : orderBy === 'iid'
                    ? deployment.iid
                    : deployment.id;
        const sorted = sortRecords(filtered, key, url.searchParams.get('sort') ?? 'asc', (deployment) => deployment.id);
        return this.list(url, site, sorted, (deployment) => deploymentJson(site, project, deployment));
      }),
    );

    this.get(
      '/projects/:id/issues',
      withProject((project, { site, url }) => {
        const state = url.searchParams.get('state') ?? 'all';
        const issueType = url.searchParams.get('issue_type');
        const scope = url.searchParams.get('scope') ?? 'all';
        const iids = url.searchParams.getAll('iids[]').map(Number);
        const labels = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean);
        const filtered = project.issues.filter(
          (issue) =>
            (state === 'all' || issue.state === state) &&
            (issueType === null || issue.issueType === issueType) &&
            (scope !== 'created_by_me' || issue.authorId === this.tokenUserId) &&
            (scope !== 'assigned_to_me' || issue.assigneeIds.includes(this.tokenUserId)) &&
            (iids.length === 0 || iids.includes(issue.iid)) &&
            labels.every((label) => issue.labels.includes(label)) &&
            inWindow(url, 'updated', issue.updatedAt, true) &&
            inWindow(url, 'created', issue.createdAt, true),
        );
        const key = url.searchParams.get('order_by') === 'updated_at' ? 'updatedAt' : 'createdAt';
        const sorted = sortRecords(
          filtered,
          (issue) => issue[key],
          url.searchParams.get('sort') ?? 'desc',
          (issue) => issue.id,
        );
        return this.list(url, site, sorted, (issue) => issueBody(site, project, issue));
      }),
    );
    this.get(
      '/projects/:id/issues/:iid',
      withProject((project, { site, params }) => {
        const issue = findIssue(project, params.iid);
        return issue ? { body: issueBody(site, project, issue) } : NOT_FOUND('');
      }),
    );
    this.get(
      '/projects/:id/issues/:iid/resource_state_events',
      withProject((project, { site, params, url }) => {
        const issue = findIssue(project, params.iid);
        if (!issue) return NOT_FOUND('');
        return this.list(url, site, issue.stateEvents, (event) => stateEventJson(site, issue, event));
      }),
    );
    this.get(
      '/projects/:id/issues/:iid/resource_label_events',
      withProject((project, { site, params, url }) => {
        const issue = findIssue(project, params.iid);
        if (!issue) return NOT_FOUND('');
        return this.list(url, site, issue.labelEvents, (event) => labelEventJson(site, issue, event));
      }),
    );
  }

  private projectList(url: URL, site: GitLabSite, projects: readonly FakeGitLabProject[]): Answer {
    const orderBy = url.searchParams.get('order_by') ?? 'created_at';
    const key = (project: FakeGitLabProject): string | number =>
      orderBy === 'id'
        ? project.id
        : orderBy === 'name'
          ? project.name
          : orderBy === 'path'
            ? project.path
            : orderBy === 'last_activity_at' || orderBy === 'updated_at'
              ? project.lastActivityAt
              : project.createdAt;
    const sorted = sortRecords(projects, key, url.searchParams.get('sort') ?? 'desc', (project) => project.id);
    return this.list(
      url,
      site,
      sorted,
      (project) => projectJson(site, project),
      (project) => project.id,
    );
  }

  /**
   * One page of `sorted`. Offset pagination by default; keyset (pagination=keyset&order_by=id) where
   * `keysetId` is given, else 405 as GitLab answers for lists without keyset support.
   */
  private list<T>(
    url: URL,
    site: GitLabSite,
    sorted: readonly T[],
    toJson: (item: T) => unknown,
    keysetId?: (item: T) => number,
  ): Answer {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page')) || 20));
    const pageUrl = (changes: Record<string, string>) => {
      const next = new URL(`${site.base}${url.pathname}${url.search}`);
      for (const [name, value] of Object.entries(changes)) next.searchParams.set(name, value);
      return next.toString();
    };
    if (url.searchParams.get('pagination') === 'keyset') {
      if (!keysetId || url.searchParams.get('order_by') !== 'id') return KEYSET_UNAVAILABLE;
      const descending = url.searchParams.get('sort') === 'desc';
      const ordered = [...sorted].sort((a, b) => (descending ? keysetId(b) - keysetId(a) : keysetId(a) - keysetId(b)));
      const after = Number(url.searchParams.get('id_after') ?? Number.NEGATIVE_INFINITY);
      const before = Number(url.searchParams.get('id_before') ?? Number.POSITIVE_INFINITY);
      const remaining = ordered.filter((item) => keysetId(item) > after && keysetId(item) < before);
      const page = remaining.slice(0, perPage);
      const last = page.at(-1);
      const headers: Record<string, string> = {};
      if (remaining.length > perPage && last !== undefined)
        headers.link = `<${pageUrl({ [descending ? 'id_before' : 'id_after']: String(keysetId(last)) })}>; rel="next"`;
      return { body: page.map(toJson), headers };
    }
    const page = Math.max(1, Math.floor(Number(url.searchParams.get('page')) || 1));
    const total = sorted.length;
    const counted = total <= this.countLimit;
    const totalPages = Math.max(1, Math.ceil(total / perPage));
    const hasNext = page * perPage < total;
    const links = [
      ...(page > 1 ? [`<${pageUrl({ page: String(page - 1), per_page: String(perPage) })}>; rel="prev"`] : []),
      ...(hasNext ? [`<${pageUrl({ page: String(page + 1), per_page: String(perPage) })}>; rel="next"`] : []),
      `<${pageUrl({ page: '1', per_page: String(perPage) })}>; rel="first"`,
      ...(counted ? [`<${pageUrl({ page: String(totalPages), per_page: String(perPage) })}>; rel="last"`] : []),
    ];
    return {
      body: sorted.slice((page - 1) * perPage, page * perPage).map(toJson),
      headers: {
        'x-page': String(page),
        'x-per-page': String(perPage),
        'x-next-page': hasNext ? String(page + 1) : '',
        'x-prev-page': page > 1 ? String(page - 1) : '',
        ...(counted ? { 'x-total': String(total), 'x-total-pages': String(totalPages) } : {}),
        link: links.join(', '),
      },
    };
  }
}

function matches(pattern: PathPattern, pathname: string): boolean {
  return typeof pattern === 'string' ? pathname.includes(pattern) : pattern.test(pathname);
}

function dateParam(url: URL, name: string): number | null {
  const value = url.searchParams.get(name);
  if (value === null) return null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : at;
}

/** `<prefix>_after` / `<prefix>_before` on a timestamp; `inclusive` for GitLab's >= filters. */
function inWindow(url: URL, prefix: string, value: string, inclusive: boolean): boolean {
  const at = Date.parse(value);
  const after = dateParam(url, `${prefix}_after`);
  const before = dateParam(url, `${prefix}_before`);
  if (after !== null && (inclusive ? at < after : at <= after)) return false;
  return before === null || at <= before;
}

/** Sorted by `key` in `direction`, ties by `tie` ascending (GitLab adds id as a tie-breaker). */
function sortRecords<T>(
  items: readonly T[],
  key: (item: T) => string | number,
  direction: string,
  tie: (item: T) => number = () => 0,
): T[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...items].sort((a, b) => {
    const left = key(a);
    const right = key(b);
    if (left < right) return -sign;
    if (left > right) return sign;
    return sign * (tie(a) - tie(b));
  });
}

function pick(body: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => key in body).map((key) => [key, body[key]]));
}

/** A record as a schema change or a bug at the source would serve it. */
function breakRecord(body: Record<string, unknown>, defect: FakeGitLabDefect | undefined): Record<string, unknown> {
  if (!defect) return body;
  if (defect === 'missing-fields') {
    const { iid: _iid, state: _state, status: _status, created_at: _created, updated_at: _updated, ...rest } = body;
    return rest;
  }
  return {
    ...body,
    iid: String(body.iid),
    ...('state' in body ? { state: 42 } : {}),
    ...('status' in body ? { status: ['success'] } : {}),
    created_at: Date.parse(String(body.created_at)),
    updated_at: 'yesterday',
    ...('labels' in body ? { labels: (body.labels as string[]).join(',') } : {}),
    ...('author' in body ? { author: 'someone' } : {}),
  };
}

/** GET …/commits/:sha/diff: GitLab's per-file diffs (the hunks, without git's headers), read from git. */
async function commitDiff(directory: string, sha: string): Promise<Record<string, unknown>[] | null> {
  let text: string;
  try {
    ({ stdout: text } = await execFileAsync(
      'git',
      [
        '--git-dir',
        directory,
        '-c',
        'core.quotepath=false',
        'diff-tree',
        '-r',
        '--root',
        '--no-renames',
        '--raw',
        '-p',
        sha,
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    ));
  } catch {
    return null;
  }
  const raw = [...text.matchAll(/^:(\d{6}) (\d{6}) \w+ \w+ (\w)\t(.*)$/gm)];
  const patches = text.split(/^diff --git /m).slice(1);
  return raw.map((line, index) => {
    const [, oldMode = '', newMode = '', change = '', file = ''] = line;
    const patch = patches[index] ?? '';
    const hunk = patch.indexOf('\n@@');
    return {
      diff: hunk === -1 ? '' : patch.slice(hunk + 1),
      collapsed: false,
      too_large: false,
      new_path: file,
      old_path: file,
      a_mode: oldMode,
      b_mode: newMode,
      new_file: change === 'A',
      renamed_file: false,
      deleted_file: change === 'D',
      generated_file: false,
    };
  });
}
