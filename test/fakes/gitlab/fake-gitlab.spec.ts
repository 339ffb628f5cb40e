import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { FakeGitLab } from './fake-gitlab';
import { PIPELINE_STATUSES, fakeGitLabDataset, materializeRepositories } from './gitlab-dataset';

const execFileAsync = promisify(execFile);

/**
 * No OpenAPI description of GitLab's REST API is published on npm, so the fake's payloads are held to the
 * fields of GitLab's documented examples and REST entities (lib/api/entities): each endpoint's required
 * fields and their JSON types. A field GitLab may send as null is written "type|null".
 */
const USER = {
  id: 'number',
  username: 'string',
  name: 'string',
  state: 'string',
  avatar_url: 'string',
  web_url: 'string',
};
const REQUIRED: Record<string, Record<string, string>> = {
  group: {
    id: 'number',
    name: 'string',
    path: 'string',
    full_name: 'string',
    full_path: 'string',
    parent_id: 'number|null',
    web_url: 'string',
    visibility: 'string',
    created_at: 'string',
  },
  project: {
    id: 'number',
    name: 'string',
    path: 'string',
    path_with_namespace: 'string',
    name_with_namespace: 'string',
    default_branch: 'string',
    http_url_to_repo: 'string',
    ssh_url_to_repo: 'string',
    web_url: 'string',
    created_at: 'string',
    last_activity_at: 'string',
    namespace: 'object',
    archived: 'boolean',
    visibility: 'string',
  },
  mergeRequest: {
    id: 'number',
    iid: 'number',
    project_id: 'number',
    title: 'string',
    description: 'string|null',
    state: 'string',
    created_at: 'string',
    updated_at: 'string',
    merged_at: 'string|null',
    closed_at: 'string|null',
    merged_by: 'object|null',
    closed_by: 'object|null',
    target_branch: 'string',
    source_branch: 'string',
    user_notes_count: 'number',
    author: 'object',
    assignees: 'array',
    reviewers: 'array',
    labels: 'array',
    draft: 'boolean',
    work_in_progress: 'boolean',
    sha: 'string',
    merge_commit_sha: 'string|null',
    squash_commit_sha: 'string|null',
    merge_status: 'string',
    detailed_merge_status: 'string',
    references: 'object',
    web_url: 'string',
    time_stats: 'object',
    has_conflicts: 'boolean',
  },
  mergeRequestDetail: {
    changes_count: 'string',
    diff_refs: 'object',
    head_pipeline: 'object|null',
    first_deployed_to_production_at: 'string|null',
    latest_build_started_at: 'string|null',
  },
  note: {
    id: 'number',
    type: 'string|null',
    body: 'string',
    attachment: 'null',
    author: 'object',
    created_at: 'string',
    updated_at: 'string',
    system: 'boolean',
    noteable_id: 'number',
    noteable_type: 'string',
    noteable_iid: 'number',
    project_id: 'number',
    resolvable: 'boolean',
    confidential: 'boolean',
    internal: 'boolean',
  },
  approvals: {
    id: 'number',
    iid: 'number',
    project_id: 'number',
    approved: 'boolean',
    approvals_required: 'number',
    approvals_left: 'number',
    approved_by: 'array',
  },
  pipeline: {
    id: 'number',
    iid: 'number',
    project_id: 'number',
    sha: 'string',
    ref: 'string',
    status: 'string',
    source: 'string',
    created_at: 'string',
    updated_at: 'string',
    web_url: 'string',
  },
  pipelineDetail: {
    started_at: 'string|null',
    finished_at: 'string|null',
    duration: 'number|null',
    queued_duration: 'number|null',
    user: 'object',
    detailed_status: 'object',
    before_sha: 'string',
    tag: 'boolean',
  },
  job: {
    id: 'number',
    name: 'string',
    stage: 'string',
    status: 'string',
    ref: 'string',
    tag: 'boolean',
    allow_failure: 'boolean',
    created_at: 'string',
    started_at: 'string|null',
    finished_at: 'string|null',
    erased_at: 'null',
    duration: 'number|null',
    queued_duration: 'number|null',
    user: 'object',
    commit: 'object',
    pipeline: 'object',
    web_url: 'string',
  },
  environment: {
    id: 'number',
    name: 'string',
    slug: 'string',
    external_url: 'string|null',
    state: 'string',
    tier: 'string',
    created_at: 'string',
    updated_at: 'string',
  },
  deployment: {
    id: 'number',
    iid: 'number',
    ref: 'string',
    sha: 'string',
    created_at: 'string',
    updated_at: 'string',
    status: 'string',
    user: 'object',
    environment: 'object',
    deployable: 'object',
  },
  issue: {
    id: 'number',
    iid: 'number',
    project_id: 'number',
    title: 'string',
    description: 'string|null',
    state: 'string',
    created_at: 'string',
    updated_at: 'string',
    closed_at: 'string|null',
    closed_by: 'object|null',
    labels: 'array',
    milestone: 'object|null',
    assignees: 'array',
    author: 'object',
    type: 'string',
    issue_type: 'string',
    user_notes_count: 'number',
    web_url: 'string',
    weight: 'number|null',
    iteration: 'object|null',
    references: 'object',
  },
  stateEvent: {
    id: 'number',
    user: 'object',
    created_at: 'string',
    resource_type: 'string',
    resource_id: 'number',
    state: 'string',
  },
  labelEvent: {
    id: 'number',
    user: 'object',
    created_at: 'string',
    resource_type: 'string',
    resource_id: 'number',
    label: 'object',
    action: 'string',
  },
  commit: {
    id: 'string',
    short_id: 'string',
    title: 'string',
    message: 'string',
    author_name: 'string',
    author_email: 'string',
    authored_date: 'string',
    committer_name: 'string',
    committer_email: 'string',
    committed_date: 'string',
    created_at: 'string',
    parent_ids: 'array',
    web_url: 'string',
    stats: 'object',
  },
  diff: {
    diff: 'string',
    new_path: 'string',
    old_path: 'string',
    a_mode: 'string',
    b_mode: 'string',
    new_file: 'boolean',
    renamed_file: 'boolean',
    deleted_file: 'boolean',
  },
  user: USER,
};

const jsonType = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** Problems of `value` against a required-fields table: fields missing or of another JSON type. */
function problems(value: unknown, table: Record<string, string>, at = 'body'): string[] {
  if (jsonType(value) !== 'object') return [`${at}: ${jsonType(value)}, not an object`];
  const record = value as Record<string, unknown>;
  return Object.entries(table).flatMap(([field, types]) => {
    if (!(field in record)) return [`${at}.${field}: missing`];
    const actual = jsonType(record[field]);
    return types.split('|').includes(actual) ? [] : [`${at}.${field}: ${actual}, GitLab sends ${types}`];
  });
}

const TOKEN = 'glpat-fake-valid-token';
const API_PROJECT = encodeURIComponent('acme/platform/backend/api');

describe('the fake GitLab dataset', () => {
  const dataset = fakeGitLabDataset(7);

  it('nests groups at least 3 levels below the top group and spreads ≥5 projects over the levels', () => {
    const depth = Math.max(...dataset.groups.map((group) => group.fullPath.split('/').length));
    expect(depth).toBeGreaterThanOrEqual(4);
    expect(dataset.groups.map((group) => group.fullPath)).toContain('acme/platform/backend/payments');
    expect(dataset.projects.length).toBeGreaterThanOrEqual(5);
    const levels = new Set(dataset.projects.map((project) => project.pathWithNamespace.split('/').length));
    expect(levels.size).toBeGreaterThanOrEqual(3);
    expect(
      dataset.projects.every((project) => project.defaultBranch === 'main' && project.plannedCommits.length > 0),
    ).toBe(true);
  });

  it('holds ≥200 merge requests in every state, with system notes, approvals and closing references', () => {
    const mergeRequests = dataset.projects.flatMap((project) => project.mergeRequests);
    expect(mergeRequests.length).toBeGreaterThanOrEqual(200);
    expect(new Set(mergeRequests.map((mr) => mr.state))).toEqual(new Set(['opened', 'closed', 'merged', 'locked']));
    expect(mergeRequests.some((mr) => mr.draft)).toBe(true);
    expect(mergeRequests.some((mr) => /Closes #\d+/.test(mr.title))).toBe(true);
    expect(mergeRequests.some((mr) => mr.closesIssues.length > 0)).toBe(true);
    expect(mergeRequests.some((mr) => mr.changesCount === '1000+')).toBe(true);
    const systemBodies = mergeRequests.flatMap((mr) =>
      mr.notes.filter((note) => note.kind === 'system').map((note) => note.body),
    );
    expect(systemBodies).toContain('approved this merge request');
    expect(systemBodies.some((body) => body.startsWith('requested review from @'))).toBe(true);
    expect(systemBodies.some((body) => /^added \d+ commits?\n/.test(body))).toBe(true);
    expect(mergeRequests.filter((mr) => mr.state === 'merged').every((mr) => mr.mergedAt && mr.mergeCommitSha)).toBe(
      true,
    );
  });

  it('covers GitLab’s full pipeline status set, every environment tier, incidents and issue events', () => {
    for (const project of dataset.projects)
      expect(new Set(project.pipelines.map((pipeline) => pipeline.status))).toEqual(new Set(PIPELINE_STATUSES));
    const project = dataset.projects[0];
    expect(new Set(project?.environments.map((environment) => environment.tier))).toEqual(
      new Set(['production', 'staging', 'testing', 'development', 'other']),
    );
    const deployments = dataset.projects.flatMap((candidate) => candidate.deployments);
    expect(new Set(deployments.map((deployment) => deployment.status)).size).toBeGreaterThanOrEqual(4);
    const issues = dataset.projects.flatMap((candidate) => candidate.issues);
    expect(issues.some((issue) => issue.issueType === 'incident')).toBe(true);
    expect(issues.some((issue) => issue.issueType === 'issue')).toBe(true);
    expect(issues.some((issue) => issue.stateEvents.some((event) => event.state === 'reopened'))).toBe(true);
    expect(issues.some((issue) => issue.labelEvents.some((event) => event.action === 'remove'))).toBe(true);
  });

  it('is the same for a seed and differs between seeds', () => {
    expect(fakeGitLabDataset(7)).toEqual(dataset);
    expect(JSON.stringify(fakeGitLabDataset(8))).not.toEqual(JSON.stringify(dataset));
  });
});

describe('the fake GitLab REST API', () => {
  const fake = new FakeGitLab(fakeGitLabDataset(3));
  let base: string;
  const get = (route: string, headers: Record<string, string> = { 'PRIVATE-TOKEN': TOKEN }) =>
    fetch(`${base}/api/v4${route}`, { headers });
  const json = async <T = Record<string, unknown>>(route: string) => {
    const response = await get(route);
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };
  /** Every record of an offset-paginated list, page by page through x-next-page, checking the headers. */
  const walk = async (route: string) => {
    const items: Record<string, unknown>[] = [];
    let page = '1';
    let pages = 0;
    while (page !== '') {
      const response = await get(`${route}${route.includes('?') ? '&' : '?'}page=${page}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as Record<string, unknown>[];
      items.push(...body);
      pages++;
      expect(response.headers.get('x-page')).toBe(page);
      expect(response.headers.get('x-total-pages')).toBe(
        String(
          Math.max(1, Math.ceil(Number(response.headers.get('x-total')) / Number(response.headers.get('x-per-page')))),
        ),
      );
      const link = response.headers.get('link') ?? '';
      expect(link).toContain('rel="first"');
      expect(link).toContain('rel="last"');
      page = response.headers.get('x-next-page') ?? '';
      expect(link.includes('rel="next"')).toBe(page !== '');
      expect(response.headers.get('x-total')).toBeDefined();
      if (page === '') expect(Number(response.headers.get('x-total'))).toBe(items.length);
    }
    return { items, pages };
  };

  beforeAll(async () => {
    base = await fake.start();
  });
  afterAll(() => fake.stop());
  afterEach(() => {
    fake.clearFailures();
    fake.clock = Date.now;
  });

  it('answers 401 {"message":"401 Unauthorized"} to a missing or wrong token; takes PRIVATE-TOKEN or Bearer', async () => {
    const refused: Record<string, string>[] = [
      {},
      { 'PRIVATE-TOKEN': 'glpat-wrong' },
      { Authorization: 'Bearer glpat-wrong' },
    ];
    for (const headers of refused) {
      const response = await get('/user', headers);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: '401 Unauthorized' });
    }
    expect((await get('/user', { Authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect(problems(await json('/user'), REQUIRED.user ?? {})).toEqual([]);
    expect(await json('/version')).toMatchObject({ version: expect.any(String) as string });
  });

  it('serves nested groups by id or encoded path, their descendants and all their projects', async () => {
    const top = await json('/groups/acme');
    expect(problems(top, REQUIRED.group ?? {})).toEqual([]);
    expect(await json(`/groups/${String(top.id)}?with_projects=false`)).toMatchObject({ full_path: 'acme' });
    const deep = await json(`/groups/${encodeURIComponent('acme/platform/backend/payments')}`);
    expect(deep.full_name).toBe('Acme / Platform / Backend / Payments');
    const { items: descendants } = await walk('/groups/acme/descendant_groups?per_page=2');
    expect(descendants.map((group) => group.full_path).sort()).toEqual(
      fake.dataset.groups
        .filter((group) => group.parentId !== null)
        .map((group) => group.fullPath)
        .sort(),
    );
    const { items: projects } = await walk('/groups/acme/projects?include_subgroups=true&per_page=4');
    expect(projects).toHaveLength(fake.dataset.projects.length);
    for (const project of projects) expect(problems(project, REQUIRED.project ?? {})).toEqual([]);
    expect(await json<unknown[]>('/groups/acme/projects')).toHaveLength(1);
    expect((await get('/groups/nope')).status).toBe(404);
  });

  it('walks every merge request exactly once through offset pages (per_page capped at 100)', async () => {
    const project = fake.project('acme/platform/backend/api');
    const { items, pages } = await walk(
      `/projects/${API_PROJECT}/merge_requests?state=all&order_by=updated_at&sort=asc&per_page=7`,
    );
    expect(pages).toBe(Math.ceil(project.mergeRequests.length / 7));
    expect(items.map((mr) => mr.iid).sort((a, b) => Number(a) - Number(b))).toEqual(
      project.mergeRequests.map((mr) => mr.iid),
    );
    const updated = items.map((mr) => String(mr.updated_at));
    expect(updated).toEqual([...updated].sort());
    for (const mr of items) expect(problems(mr, REQUIRED.mergeRequest ?? {})).toEqual([]);
    expect(items.some((mr) => 'changes_count' in mr)).toBe(false);
    const capped = await get(`/projects/${project.id}/merge_requests?per_page=500`);
    expect(capped.headers.get('x-per-page')).toBe('100');
    const defaults = await get(`/projects/${project.id}/issues`);
    expect(defaults.headers.get('x-per-page')).toBe('20');
    expect(defaults.headers.get('x-prev-page')).toBe('');
  });

  it('has ≥200 merge requests over the group’s projects, filtered by updated_after (inclusive)', async () => {
    const all: Record<string, unknown>[] = [];
    for (const project of fake.dataset.projects)
      all.push(...(await walk(`/projects/${project.id}/merge_requests?state=all&per_page=100`)).items);
    expect(all.length).toBeGreaterThanOrEqual(200);
    const project = fake.project('acme/platform/backend/api');
    const pivot =
      [...project.mergeRequests].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))[20]?.updatedAt ?? '';
    const { items } = await walk(
      `/projects/${project.id}/merge_requests?updated_after=${pivot}&order_by=updated_at&sort=asc&per_page=100`,
    );
    expect(items.length).toBe(project.mergeRequests.filter((mr) => mr.updatedAt >= pivot).length);
    expect(items[0]?.updated_at).toBe(pivot);
  });

  it('leaves out x-total, x-total-pages and rel="last" past the count limit, as GitLab does past 10,000', async () => {
    fake.countLimit = 10;
    try {
      const response = await get(`/projects/${API_PROJECT}/merge_requests?per_page=5`);
      expect(response.headers.get('x-total')).toBeNull();
      expect(response.headers.get('x-total-pages')).toBeNull();
      expect(response.headers.get('link')).not.toContain('rel="last"');
      expect(response.headers.get('x-next-page')).toBe('2');
    } finally {
      fake.countLimit = 10_000;
    }
  });

  it.each([
    ['/projects', fake.dataset.projects.length],
    ['/groups/acme/projects?include_subgroups=true', fake.dataset.projects.length],
    ['/groups/acme/descendant_groups', fake.dataset.groups.length - 1],
  ])('keyset-paginates %s by id: only a rel="next" Link with id_after, each record once', async (route, count) => {
    const ids: number[] = [];
    let next: string | null =
      `${base}/api/v4${route}${route.includes('?') ? '&' : '?'}pagination=keyset&order_by=id&sort=asc&per_page=2`;
    while (next) {
      const response: Response = await fetch(next, { headers: { 'PRIVATE-TOKEN': TOKEN } });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-total')).toBeNull();
      expect(response.headers.get('x-next-page')).toBeNull();
      ids.push(...((await response.json()) as { id: number }[]).map((item) => item.id));
      const link = response.headers.get('link');
      next = link ? (/<([^>]+)>; rel="next"/.exec(link)?.[1] ?? null) : null;
      if (next) expect(next).toContain('id_after=');
    }
    expect(ids).toHaveLength(count);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('answers 405 to keyset pagination where GitLab has none', async () => {
    expect((await get(`/projects/${API_PROJECT}/merge_requests?pagination=keyset&order_by=id`)).status).toBe(405);
    expect((await get('/projects?pagination=keyset&order_by=name')).status).toBe(405);
  });

  it('serves a weak ETag and 304 with an empty body for a matching If-None-Match (counted, as GitLab’s throttle does)', async () => {
    const first = await get(`/projects/${API_PROJECT}`);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^W\/"[0-9a-f]+"$/);
    const observed = Number(first.headers.get('ratelimit-observed'));
    const second = await get(`/projects/${API_PROJECT}`, { 'PRIVATE-TOKEN': TOKEN, 'If-None-Match': etag });
    expect(second.status).toBe(304);
    expect(await second.text()).toBe('');
    expect(Number(second.headers.get('ratelimit-observed'))).toBe(observed + 1);
    fake.countNotModified = false;
    const third = await get(`/projects/${API_PROJECT}`, { 'PRIVATE-TOKEN': TOKEN, 'If-None-Match': etag });
    fake.countNotModified = true;
    expect(third.status).toBe(304);
    expect(Number(third.headers.get('ratelimit-observed'))).toBe(observed + 1);
  });

  it('sends RateLimit-* headers on every answer and 429 with Retry-After past the limit', async () => {
    const now = Date.UTC(2026, 3, 2, 10, 0, 10);
    fake.clock = () => now;
    const limit = fake.rateLimit;
    fake.rateLimit = 2;
    try {
      const first = await get('/projects');
      expect(first.headers.get('ratelimit-limit')).toBe('2');
      expect(first.headers.get('ratelimit-remaining')).toBe('1');
      expect(first.headers.get('ratelimit-reset')).toBe(String(Date.UTC(2026, 3, 2, 10, 1, 0) / 1000));
      expect(first.headers.get('ratelimit-resettime')).toBe('Thu, 02 Apr 2026 10:01:00 GMT');
      expect((await get('/projects')).status).toBe(200);
      const throttled = await get('/projects');
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBe('50');
      expect(await throttled.text()).toBe('Retry later\n');
      const unauthorized = await get('/projects', {});
      expect(unauthorized.headers.get('ratelimit-observed')).toBe('3');
    } finally {
      fake.rateLimit = limit;
    }
  });

  it('storms 429s with Retry-After and records whether the client waited', async () => {
    let now = Date.UTC(2026, 3, 3, 9, 0, 0);
    fake.clock = () => now;
    fake.rateLimitStorm(2, 5);
    const from = fake.requests.length;
    // A client that honours Retry-After (its sleep is the fake's clock moving on).
    let response = await get('/projects');
    while (response.status === 429) {
      now += Number(response.headers.get('retry-after')) * 1_000;
      response = await get('/projects');
    }
    expect(response.status).toBe(200);
    expect(fake.requests.slice(from).map((request) => request.status)).toEqual([429, 429, 200]);
    expect(fake.retryAfterViolations(from)).toEqual([]);
    // One that retries at once is caught.
    fake.rateLimitStorm(1, 5);
    expect((await get('/projects')).status).toBe(429);
    now += 1_000;
    await get('/projects');
    expect(fake.retryAfterViolations(from)).toHaveLength(1);
    expect(fake.retryAfterViolations(from)[0]).toMatchObject({ endpoint: 'GET /projects', early: true });
  });

  it('bursts 500, 502 and 503 (the proxy’s as HTML), then recovers', async () => {
    fake.serverErrorBurst(3);
    const statuses: number[] = [];
    const types: string[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const response = await get(`/projects/${API_PROJECT}/pipelines`);
      statuses.push(response.status);
      types.push(response.headers.get('content-type') ?? '');
      await response.text();
    }
    expect(statuses).toEqual([500, 502, 503, 200]);
    expect(types[1]).toContain('text/html');
  });

  it('serves a malformed merge request, issue or pipeline wherever it appears, and pages of non-JSON', async () => {
    const project = fake.project('acme/platform/backend/api');
    fake.malform('merge_request', project.id, 3, 'missing-fields');
    const single = await json(`/projects/${project.id}/merge_requests/3`);
    expect(problems(single, REQUIRED.mergeRequest ?? {})).toEqual(
      expect.arrayContaining(['body.iid: missing', 'body.state: missing', 'body.updated_at: missing']),
    );
    const listed = await json<Record<string, unknown>[]>(`/projects/${project.id}/merge_requests?iids[]=3&iids[]=4`);
    expect(listed.filter((mr) => problems(mr, REQUIRED.mergeRequest ?? {}).length > 0)).toHaveLength(1);
    fake.malform('issue', project.id, 2, 'wrong-types');
    expect(problems(await json(`/projects/${project.id}/issues/2`), REQUIRED.issue ?? {})).toEqual(
      expect.arrayContaining(['body.iid: string, GitLab sends number', 'body.labels: string, GitLab sends array']),
    );
    const pipeline = project.pipelines[0];
    fake.malform('pipeline', project.id, pipeline?.id ?? 0, 'wrong-types');
    expect(
      problems(await json(`/projects/${project.id}/pipelines/${pipeline?.id}`), REQUIRED.pipeline ?? {}),
    ).toContain('body.status: array, GitLab sends string');
    fake.malformPage('/merge_requests', 1, 'truncated');
    fake.malformPage('/issues', 1, 'html');
    const truncated = await get(`/projects/${project.id}/merge_requests`);
    expect(truncated.status).toBe(200);
    await expect(truncated.json()).rejects.toThrow();
    expect(await (await get(`/projects/${project.id}/issues`)).text()).toMatch(/^<!DOCTYPE html>/);
    expect((await get(`/projects/${project.id}/merge_requests`)).status).toBe(200);
  });

  it('injects an answer on a chosen path only', async () => {
    fake.injectResponse(/\/notes$/, { status: 404, body: '{"message":"404 Not found"}' }, 2);
    expect((await get(`/projects/${API_PROJECT}/merge_requests/1/notes`)).status).toBe(404);
    expect((await get(`/projects/${API_PROJECT}/merge_requests/1`)).status).toBe(200);
    expect((await get(`/projects/${API_PROJECT}/merge_requests/1/notes`)).status).toBe(404);
    expect((await get(`/projects/${API_PROJECT}/merge_requests/1/notes`)).status).toBe(200);
  });

  it('serves every endpoint’s documented fields with GitLab’s types', async () => {
    const project = fake.project('acme/platform/backend/api');
    const merged = project.mergeRequests.find(
      (mr) => mr.state === 'merged' && mr.approvals.length > 0 && mr.closesIssues.length > 0,
    );
    const detail = await json(`/projects/${project.id}/merge_requests/${merged?.iid}`);
    expect(problems(detail, { ...REQUIRED.mergeRequest, ...REQUIRED.mergeRequestDetail })).toEqual([]);
    expect(problems(detail.author, USER, 'author')).toEqual([]);
    const notes = await json<unknown[]>(`/projects/${project.id}/merge_requests/${merged?.iid}/notes?per_page=100`);
    expect(notes.flatMap((note, index) => problems(note, REQUIRED.note ?? {}, `notes[${index}]`))).toEqual([]);
    expect(notes.some((note) => (note as { system: boolean }).system)).toBe(true);
    const approvals = await json(`/projects/${project.id}/merge_requests/${merged?.iid}/approvals`);
    expect(problems(approvals, REQUIRED.approvals ?? {})).toEqual([]);
    const approvedBy = approvals.approved_by as { user: unknown; approved_at: unknown }[];
    expect(approvedBy.length).toBeGreaterThan(0);
    expect(problems(approvedBy[0]?.user, USER, 'approved_by[0].user')).toEqual([]);
    const closes = await json<unknown[]>(`/projects/${project.id}/merge_requests/${merged?.iid}/closes_issues`);
    expect(closes.map((issue) => problems(issue, REQUIRED.issue ?? {}))).toEqual(closes.map(() => []));
    const pipelines = await json<{ id: number }[]>(
      `/projects/${project.id}/pipelines?order_by=updated_at&sort=asc&per_page=100`,
    );
    expect(pipelines.flatMap((pipeline) => problems(pipeline, REQUIRED.pipeline ?? {}))).toEqual([]);
    expect(pipelines.some((pipeline) => 'duration' in pipeline)).toBe(false);
    const finished = project.pipelines.find((pipeline) => pipeline.status === 'failed');
    expect(
      problems(await json(`/projects/${project.id}/pipelines/${finished?.id}`), {
        ...REQUIRED.pipeline,
        ...REQUIRED.pipelineDetail,
      }),
    ).toEqual([]);
    const jobs = await json<Record<string, unknown>[]>(`/projects/${project.id}/pipelines/${finished?.id}/jobs`);
    expect(jobs.flatMap((job) => problems(job, REQUIRED.job ?? {}))).toEqual([]);
    expect(jobs.find((job) => job.status === 'failed')).toMatchObject({ failure_reason: 'script_failure' });
    expect(jobs.every((job) => (job.pipeline as { id: number }).id === finished?.id)).toBe(true);
    const environments = await json<unknown[]>(`/projects/${project.id}/environments`);
    expect(environments.flatMap((environment) => problems(environment, REQUIRED.environment ?? {}))).toEqual([]);
    const deployments = await json<unknown[]>(
      `/projects/${project.id}/deployments?order_by=updated_at&sort=asc&updated_after=2000-01-01T00:00:00Z&per_page=100`,
    );
    expect(deployments.length).toBe(project.deployments.length);
    expect(deployments.flatMap((deployment) => problems(deployment, REQUIRED.deployment ?? {}))).toEqual([]);
    const issues = await json<{ iid: number }[]>(
      `/projects/${project.id}/issues?scope=all&order_by=updated_at&sort=asc&per_page=100`,
    );
    expect(issues.flatMap((issue) => problems(issue, REQUIRED.issue ?? {}))).toEqual([]);
    const withEvents = project.issues.find((issue) => issue.stateEvents.length > 0 && issue.labelEvents.length > 0);
    const stateEvents = await json<unknown[]>(
      `/projects/${project.id}/issues/${withEvents?.iid}/resource_state_events`,
    );
    expect(stateEvents.flatMap((event) => problems(event, REQUIRED.stateEvent ?? {}))).toEqual([]);
    const labelEvents = await json<unknown[]>(
      `/projects/${project.id}/issues/${withEvents?.iid}/resource_label_events`,
    );
    expect(labelEvents.flatMap((event) => problems(event, REQUIRED.labelEvent ?? {}))).toEqual([]);
  });

  it('filters incidents (issue_type=incident, type INCIDENT) and refuses deployment filters GitLab refuses', async () => {
    const incidents = await json<{ issue_type: string; type: string; severity: string }[]>(
      `/projects/${API_PROJECT}/issues?issue_type=incident`,
    );
    expect(incidents.length).toBeGreaterThan(0);
    expect(
      incidents.every(
        (issue) => issue.issue_type === 'incident' && issue.type === 'INCIDENT' && issue.severity !== undefined,
      ),
    ).toBe(true);
    const unpaired = await get(`/projects/${API_PROJECT}/deployments?updated_after=2026-01-01T00:00:00Z`);
    expect(unpaired.status).toBe(400);
    expect(await unpaired.json()).toEqual({
      message: '400 Bad request - `updated_at` filter requires `updated_at` sort',
    });
  });

  it('logs requests per endpoint for reports', async () => {
    const from = fake.requests.length;
    await get(`/projects/${API_PROJECT}/merge_requests`);
    await get(`/projects/${API_PROJECT}/merge_requests`);
    await get(`/projects/${API_PROJECT}/merge_requests/1/notes`);
    expect(fake.endpointCounts(from)).toEqual([
      { endpoint: 'GET /projects/:id/merge_requests', requests: 2 },
      { endpoint: 'GET /projects/:id/merge_requests/:iid/notes', requests: 1 },
    ]);
    expect(fake.requests.at(-1)).toMatchObject({
      path: `/api/v4/projects/${API_PROJECT}/merge_requests/1/notes`,
      status: 200,
    });
    expect(fake.requestsPer100MergeRequests(from)).toBeCloseTo(
      (3 * 100) / fake.dataset.projects.reduce((sum, project) => sum + project.mergeRequests.length, 0),
    );
  });

  it('changes only through mutations: an unchanged re-sync sees 304s, a touched MR comes back alone', async () => {
    const project = fake.project('acme/platform/backend/api');
    const watermark =
      [...project.mergeRequests]
        .map((mr) => mr.updatedAt)
        .sort()
        .at(-1) ?? '';
    const route = `/projects/${project.id}/merge_requests?state=all&order_by=updated_at&sort=asc&updated_after=${watermark}`;
    const first = await get(route);
    const etag = first.headers.get('etag') ?? '';
    expect((await get(route, { 'PRIVATE-TOKEN': TOKEN, 'If-None-Match': etag })).status).toBe(304);
    fake.updateMergeRequest(project.id, 2, { state: 'merged' });
    const added = fake.addMergeRequest(project.id, { title: 'Fresh work' });
    const after = await get(route, { 'PRIVATE-TOKEN': TOKEN, 'If-None-Match': etag });
    expect(after.status).toBe(200);
    const changed = (await after.json()) as { iid: number; state: string; merged_at: string | null }[];
    expect(changed.map((mr) => mr.iid)).toEqual(expect.arrayContaining([2, added.iid]));
    expect(changed.find((mr) => mr.iid === 2)).toMatchObject({
      state: 'merged',
      merged_at: expect.any(String) as string,
    });
    const pipeline = fake.addPipeline(project.id);
    fake.updatePipeline(project.id, pipeline.id, { status: 'success' });
    const latest = await json(`/projects/${project.id}/pipelines/${pipeline.id}`);
    expect(latest).toMatchObject({ status: 'success', duration: expect.any(Number) as number });
    const issue = fake.addIssue(project.id, { issueType: 'incident' });
    fake.setIssueState(project.id, issue.iid, 'closed');
    const events = await json<{ state: string }[]>(`/projects/${project.id}/issues/${issue.iid}/resource_state_events`);
    expect(events.map((event) => event.state)).toEqual(['closed']);
  });
});

describe('the fake GitLab’s repositories', () => {
  const dataset = fakeGitLabDataset(5, {
    commitsPerProject: 4,
    mergeRequestsPerProject: 2,
    pipelinesPerProject: 11,
    issuesPerProject: 2,
  });
  const fake = new FakeGitLab(dataset);
  let root: string;
  let base: string;
  const git = (args: string[]) =>
    execFileAsync('git', args, { env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1' } });

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'fake-gitlab-spec-'));
    await materializeRepositories(dataset, path.join(root, 'repositories'));
    base = await fake.start();
  }, 60_000);
  afterAll(async () => {
    await fake.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('lists commits with stats (since/until), and a commit’s diff, read from the generated history', async () => {
    const project = fake.project('acme/platform/backend/payments/ledger-service');
    const headers = { 'PRIVATE-TOKEN': TOKEN };
    const response = await fetch(
      `${base}/api/v4/projects/${project.id}/repository/commits?ref_name=main&with_stats=true&per_page=100`,
      { headers },
    );
    const commits = (await response.json()) as Record<string, unknown>[];
    expect(commits).toHaveLength(4);
    expect(commits.flatMap((commit) => problems(commit, REQUIRED.commit ?? {}))).toEqual([]);
    expect(commits.map((commit) => commit.author_email)).toEqual(
      expect.arrayContaining([expect.stringMatching(/@/) as string]),
    );
    const since = String(commits[1]?.committed_date);
    const recent = await fetch(
      `${base}/api/v4/projects/${project.id}/repository/commits?since=${encodeURIComponent(since)}`,
      { headers },
    );
    expect(((await recent.json()) as unknown[]).length).toBe(2);
    const diff = await fetch(
      `${base}/api/v4/projects/${project.id}/repository/commits/${String(commits.at(-1)?.id)}/diff`,
      { headers },
    );
    const files = (await diff.json()) as Record<string, unknown>[];
    expect(files.length).toBeGreaterThan(0);
    expect(files.flatMap((file) => problems(file, REQUIRED.diff ?? {}))).toEqual([]);
    expect(files[0]).toMatchObject({ new_file: true, diff: expect.stringMatching(/^@@ /) as string });
  });

  it('clones a nested project at its http_url_to_repo with the token, and refuses a bad one', async () => {
    const project = (await (
      await fetch(`${base}/api/v4/projects/${encodeURIComponent('acme/platform/backend/payments/ledger-service')}`, {
        headers: { 'PRIVATE-TOKEN': TOKEN },
      })
    ).json()) as { http_url_to_repo: string };
    const withToken = (token: string) => project.http_url_to_repo.replace('http://', `http://oauth2:${token}@`);
    const { stdout } = await git(['ls-remote', withToken(TOKEN)]);
    expect(stdout).toMatch(/^[0-9a-f]{40}\tHEAD$/m);
    const target = path.join(root, 'clone');
    await git(['clone', '--quiet', withToken(TOKEN), target]);
    expect((await readdir(path.join(target, 'src'))).length).toBeGreaterThan(0);
    const { stdout: log } = await git(['-C', target, 'log', '--format=%ae']);
    expect(log.trim().split('\n')).toHaveLength(4);
    await expect(git(['ls-remote', withToken('glpat-wrong')])).rejects.toThrow();
    // Git traffic has its own log and leaves the API's (and its rate limit) alone.
    expect(fake.git.requests.length).toBeGreaterThan(0);
    expect(fake.requests.every((request) => request.path.startsWith('/api/v4/'))).toBe(true);
  });
});
