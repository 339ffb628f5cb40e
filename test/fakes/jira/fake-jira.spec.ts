import { FakeJira } from './fake-jira';
import {
  type FakeJiraDataset,
  STATUS,
  fakeJiraDataset,
  formatJiraDate,
  parseJiraDate,
  statusCategoryOf,
  statusChanges,
  teamMoves,
  wasReopened,
} from './jira-dataset';
import { parseJql } from './jira-jql';

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const EMAIL = 'bot@example.com';
const API_TOKEN = 'ATATT3xFfGF0-fake-api-token';
const BEARER = 'fake-jira-bearer-token';
const BASIC = `Basic ${Buffer.from(`${EMAIL}:${API_TOKEN}`).toString('base64')}`;

type Json = Record<string, unknown>;
interface SearchPage {
  issues: {
    id: string;
    key?: string;
    fields?: Json;
    changelog?: { total: number; maxResults: number; histories: Json[] };
  }[];
  nextPageToken?: string;
  isLast: boolean;
}
interface History {
  id: string;
  created: string;
  author: Json;
  items: { field: string; fieldId: string; from: string | null; to: string | null }[];
}

/** A small HTTP client for the fake: JSON in and out, Basic auth unless told otherwise. */
function client(base: () => string) {
  const call = (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    fetch(`${base()}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        Authorization: BASIC,
        Accept: 'application/json',
        'Content-Type': 'application/json',
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const json = async <T = Json>(path: string, init: Parameters<typeof call>[1] = {}): Promise<T> => {
    const response = await call(path, init);
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${response.status} ${path}: ${text}`);
    return JSON.parse(text) as T;
  };
  return { call, json };
}

const categoryCount = (dataset: FakeJiraDataset, name: string) =>
  dataset.issues.filter((issue) => dataset.statuses.find((status) => status.id === issue.statusId)?.name === name)
    .length;

describe('the fake Jira dataset', () => {
  const dataset = fakeJiraDataset(1, {}, NOW);

  it('holds ≥500 issues over PAY and OPS with the variety a metrics test needs', () => {
    expect(dataset.projects.map((project) => project.key)).toEqual(['PAY', 'OPS']);
    expect(dataset.issues.length).toBeGreaterThanOrEqual(500);
    expect(new Set(dataset.issues.map((issue) => issue.id)).size).toBe(dataset.issues.length);
    expect(dataset.issues.filter((issue) => wasReopened(dataset, issue)).length).toBeGreaterThanOrEqual(40);
    expect(dataset.issues.filter((issue) => teamMoves(dataset, issue).length > 0).length).toBeGreaterThanOrEqual(25);
    expect(dataset.issues.filter((issue) => issue.histories.length > 100).length).toBeGreaterThanOrEqual(3);
    expect(dataset.issues.some((issue) => issue.statusId === STATUS.backlog && statusChanges(issue).length === 0)).toBe(
      true,
    );
    expect(
      dataset.issues.some((issue) => {
        const first = statusChanges(issue)[0];
        return first?.from === STATUS.backlog && first.to === STATUS.done;
      }),
    ).toBe(true);
    expect(categoryCount(dataset, 'Done-ish QA')).toBeGreaterThan(0);
    expect(categoryCount(dataset, 'Shipped')).toBeGreaterThan(0);
    expect(statusCategoryOf(dataset, STATUS.doneishQa)).toBe('indeterminate');
    expect(statusCategoryOf(dataset, STATUS.shipped)).toBe('done');
    const epics = new Set(dataset.issues.filter((issue) => issue.issueTypeId === '10000').map((issue) => issue.id));
    expect(dataset.issues.some((issue) => issue.parentId !== null && epics.has(issue.parentId))).toBe(true);
    expect(dataset.issues.some((issue) => issue.issueTypeId === '10004' && issue.parentId !== null)).toBe(true);
    expect(new Set(dataset.issues.map((issue) => issue.created.slice(-5)))).toEqual(
      new Set(['+0000', '+0100', '-0500', '+0530']),
    );
    expect(dataset.users.filter((user) => user.emailAddress === null)).toHaveLength(4);
  });

  it('keeps every current field in step with the history', () => {
    for (const issue of dataset.issues) {
      const statuses = statusChanges(issue);
      expect(statuses.at(-1)?.to ?? STATUS.backlog).toBe(issue.statusId);
      const team = issue.histories.flatMap((history) =>
        history.items.filter((item) => item.fieldId === dataset.fields.teamField),
      );
      if (team.length > 0) expect(team.at(-1)?.to).toBe(issue.teamId);
      const times = issue.histories.map((history) => parseJiraDate(history.created));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(parseJiraDate(issue.updated)).toBe(Math.max(parseJiraDate(issue.created), ...times));
      expect(issue.resolutiondate !== null).toBe(statusCategoryOf(dataset, issue.statusId) === 'done');
      expect(parseJiraDate(issue.updated)).toBeLessThan(NOW);
    }
  });

  it('varies custom field ids by seed and names two fields "Team"', () => {
    const other = fakeJiraDataset(2, {}, NOW);
    expect(other.fields.storyPointsField).not.toBe(dataset.fields.storyPointsField);
    expect(dataset.fields.storyPointsName).toBe('Story Points');
    expect(other.fields.storyPointsName).toBe('Story point estimate');
    const teams = dataset.fieldList.filter((field) => field.name === 'Team');
    expect(teams.map((field) => field.schema?.type)).toEqual(['string', 'team']);
    expect(teams[1]?.id).toBe(dataset.fields.teamField);
  });

  it('is the same for a seed and differs between seeds', () => {
    expect(fakeJiraDataset(1, {}, NOW)).toEqual(dataset);
    expect(JSON.stringify(fakeJiraDataset(3, {}, NOW))).not.toEqual(JSON.stringify(dataset));
  });
});

describe('the fake Jira Cloud REST API', () => {
  const fake = new FakeJira(fakeJiraDataset(1, {}, NOW));
  let base = '';
  const { call, json } = client(() => base);
  const search = (body: Json) => json<SearchPage>('/rest/api/3/search/jql', { body });
  /** Every issue a JQL query finds, page by page through nextPageToken. */
  const walk = async (jql: string, maxResults = 100, between?: (page: number) => void) => {
    const ids: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await search({ jql, maxResults, fields: ['updated'], ...(token ? { nextPageToken: token } : {}) });
      ids.push(...page.issues.map((issue) => issue.id));
      expect(page.isLast).toBe(page.nextPageToken === undefined);
      token = page.nextPageToken;
      pages++;
      between?.(pages);
    } while (token);
    return { ids, pages };
  };
  const histories = (issueKey: string) => fake.issue(issueKey).histories;

  beforeAll(async () => {
    base = await fake.start();
  });
  afterAll(() => fake.stop());
  afterEach(() => {
    fake.clearFailures();
    fake.clock = Date.now;
    fake.timeZone = 'Europe/Berlin';
  });

  it('takes Basic email:token or Bearer, and answers 401 in plain text otherwise', async () => {
    expect((await call('/rest/api/3/myself')).status).toBe(200);
    expect((await call('/rest/api/3/myself', { headers: { Authorization: `Bearer ${BEARER}` } })).status).toBe(200);
    const wrong = [
      {},
      { Authorization: `Basic ${Buffer.from(`${EMAIL}:nope`).toString('base64')}` },
      { Authorization: 'Bearer nope' },
    ];
    for (const headers of wrong) {
      const response = await fetch(`${base}/rest/api/3/myself`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('text/plain');
      expect(await response.text()).toBe('Client must be authenticated to access this resource.');
    }
    expect(await json('/rest/api/3/myself')).toMatchObject({
      accountId: fake.dataset.bot.accountId,
      emailAddress: EMAIL,
      timeZone: 'Europe/Berlin',
      active: true,
    });
    expect(await json('/rest/api/3/serverInfo')).toMatchObject({ deploymentType: 'Cloud', baseUrl: base });
  });

  it('serves fields and statuses as Jira does (categories by id and key)', async () => {
    const fields = await json<{ id: string; name: string; schema?: Json }[]>('/rest/api/3/field');
    expect(fields.find((field) => field.id === fake.dataset.fields.sprintField)?.schema).toMatchObject({
      type: 'array',
      items: 'json',
      custom: 'com.pyxis.greenhopper.jira:gh-sprint',
    });
    const statuses = await json<{ name: string; statusCategory: Json }[]>('/rest/api/3/status');
    expect(statuses.find((status) => status.name === 'Done-ish QA')?.statusCategory).toMatchObject({
      id: 4,
      key: 'indeterminate',
      name: 'In Progress',
    });
    expect(statuses.find((status) => status.name === 'Shipped')?.statusCategory).toMatchObject({ id: 3, key: 'done' });
  });

  it('pages every issue of both projects once through nextPageToken (ids only by default, 100 at most)', async () => {
    const { ids, pages } = await walk('project in (PAY, OPS) ORDER BY key ASC');
    expect(ids).toHaveLength(fake.dataset.issues.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages).toBe(Math.ceil(ids.length / 100));
    const bare = await json<SearchPage>('/rest/api/3/search/jql?jql=project%20%3D%20PAY');
    expect(bare.issues).toHaveLength(50);
    expect(bare.issues[0]).toEqual({ id: expect.any(String) as string });
    const capped = await search({ jql: 'project = OPS', maxResults: 500, fields: ['summary'] });
    expect(capped.issues).toHaveLength(100);
    expect(Object.keys(capped.issues[0]?.fields ?? {})).toEqual(['summary']);
  });

  it('keeps paging stable while issues change mid-walk (the result set is snapshotted)', async () => {
    const first = fake.dataset.issues[0]?.key ?? '';
    const later = fake.dataset.issues[300]?.key ?? '';
    const { ids } = await walk('project = PAY OR project = OPS ORDER BY updated ASC, id ASC', 100, (page) => {
      // Moves issues to the end of the updated order: without a snapshot one would come twice, one not at all.
      if (page === 1) {
        fake.editSummary(first, 'Changed while paging');
        fake.editSummary(later, 'Changed while paging too');
      }
    });
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(fake.dataset.issues.length);
  });

  it('refuses garbled tokens, unbounded JQL, unknown projects and fields with Jira’s 400s', async () => {
    const cases: [Json, string][] = [
      [{ jql: 'project = PAY', nextPageToken: 'garbage!' }, 'The provided next page token is invalid or expired.'],
      [{ jql: 'ORDER BY updated' }, 'Unbounded JQL queries are not allowed here.'],
      [{ jql: 'project = NOPE' }, "The value 'NOPE' does not exist for the field 'project'."],
      [{ jql: 'projekt = PAY' }, "Field 'projekt' does not exist"],
      [{ jql: 'project = PAY AND (' }, 'Error in the JQL Query'],
      [{ jql: 'updated >= "02.11.2026"' }, "Date value '02.11.2026' for field 'updated' is invalid."],
    ];
    for (const [body, message] of cases) {
      const response = await call('/rest/api/3/search/jql', { body });
      expect(response.status).toBe(400);
      const answer = (await response.json()) as { errorMessages: string[]; errors: Json };
      expect(answer.errors).toEqual({});
      expect(answer.errorMessages[0]).toContain(message);
    }
  });

  it('parses the JQL a connector writes (case-insensitive, quoted or not, AND/OR/parentheses)', async () => {
    expect(parseJql('PROJECT in (pay, "OPS") and (Status = "In Progress" OR status = 3) order by UPDATED asc')).toEqual(
      {
        where: {
          kind: 'and',
          clauses: [
            { kind: 'term', field: 'PROJECT', operator: 'in', values: ['pay', 'OPS'], empty: false },
            {
              kind: 'or',
              clauses: [
                { kind: 'term', field: 'Status', operator: '=', values: ['In Progress'], empty: false },
                { kind: 'term', field: 'status', operator: '=', values: ['3'], empty: false },
              ],
            },
          ],
        },
        orderBy: [{ field: 'UPDATED', direction: 'asc' }],
      },
    );
    const page = await search({
      jql: 'project = 10000 AND status = "done-ish qa" AND issuetype != Epic',
      maxResults: 100,
      fields: ['status', 'project', 'issuetype'],
    });
    expect(page.issues.length).toBeGreaterThan(0);
    for (const issue of page.issues)
      expect(issue.fields).toMatchObject({ status: { name: 'Done-ish QA' }, project: { key: 'PAY' } });
  });

  it('reads JQL dates in the user’s time zone: an issue updated just before the boundary is out', async () => {
    const year = new Date(NOW).getUTCFullYear() + 1;
    const boundary = Date.UTC(year, 0, 15, 9, 30); // 10:30 in Berlin, 15:00 in Kolkata
    const [before, after] = ['OPS-5', 'OPS-6'];
    fake.clock = () => boundary - 30_000;
    fake.editSummary(before ?? '', 'Just before');
    fake.clock = () => boundary + 30_000;
    fake.editSummary(after ?? '', 'Just after');
    const keys = async (jql: string) =>
      (await search({ jql, fields: ['key'] })).issues.map((issue) => issue.key).sort();
    expect(await keys(`key in (OPS-5, OPS-6) AND updated >= "${year}-01-15 10:30"`)).toEqual(['OPS-6']);
    expect(await keys(`key in (OPS-5, OPS-6) AND updated >= "${year}/01/15 10:29"`)).toEqual(['OPS-5', 'OPS-6']);
    expect(await keys(`key in (OPS-5, OPS-6) AND updated < "${year}-01-15 10:30"`)).toEqual(['OPS-5']);
    expect(await keys(`key in (OPS-5, OPS-6) AND updated >= "${year}-01-16"`)).toEqual([]);
    fake.timeZone = 'Asia/Kolkata';
    expect(await keys(`key in (OPS-5, OPS-6) AND updated > "${year}-01-15 15:00"`)).toEqual(['OPS-6']);
    expect(await json('/rest/api/3/myself')).toMatchObject({ timeZone: 'Asia/Kolkata' });
  });

  it('orders by ORDER BY fields and directions', async () => {
    const page = await search({ jql: 'project = PAY ORDER BY created DESC', maxResults: 100, fields: ['created'] });
    const created = page.issues.map((issue) => parseJiraDate(String(issue.fields?.created)));
    expect(created).toEqual([...created].sort((a, b) => b - a));
    const keys = (
      await search({ jql: 'project = OPS ORDER BY key ASC', maxResults: 12, fields: ['summary'] })
    ).issues.map((issue) => issue.key);
    expect(keys.slice(0, 11)).toEqual(Array.from({ length: 11 }, (_, index) => `OPS-${index + 1}`));
  });

  it('bulk-fetches changelogs: a >100-history issue comes whole, once, split across pages', async () => {
    const heavy = fake.dataset.issues.find((issue) => issue.histories.length > 100);
    const light = fake.dataset.issues
      .filter((issue) => issue.histories.length > 0 && issue.histories.length <= 100)
      .slice(0, 5);
    const requested = [light[0]?.key, heavy?.key, ...light.slice(1).map((issue) => issue.id)].map(String);
    const seen = new Map<string, string[]>();
    const issueIdsPerPage: string[][] = [];
    let token: string | undefined;
    do {
      const page = await json<{
        issueChangeLogs: { issueId: string; changeHistories: History[] }[];
        nextPageToken?: string;
      }>('/rest/api/3/changelog/bulkfetch', {
        body: { issueIdsOrKeys: requested, maxResults: 60, ...(token ? { nextPageToken: token } : {}) },
      });
      expect(page.issueChangeLogs.reduce((sum, entry) => sum + entry.changeHistories.length, 0)).toBeLessThanOrEqual(
        60,
      );
      issueIdsPerPage.push(page.issueChangeLogs.map((entry) => entry.issueId));
      for (const entry of page.issueChangeLogs)
        seen.set(entry.issueId, [
          ...(seen.get(entry.issueId) ?? []),
          ...entry.changeHistories.map((history) => history.id),
        ]);
      token = page.nextPageToken;
    } while (token);
    expect(seen.get(heavy?.id ?? '')).toEqual(heavy?.histories.map((history) => history.id));
    for (const issue of light) expect(seen.get(issue.id)).toEqual(issue.histories.map((history) => history.id));
    expect(issueIdsPerPage.filter((ids) => ids.includes(heavy?.id ?? '')).length).toBeGreaterThan(1);
    expect([...seen.keys()]).toEqual([light[0]?.id, heavy?.id, ...light.slice(1).map((issue) => issue.id)]);

    const statusOnly = await json<{ issueChangeLogs: { changeHistories: History[] }[] }>(
      '/rest/api/3/changelog/bulkfetch',
      { body: { issueIdsOrKeys: [heavy?.key], fieldIds: ['status'], maxResults: 10_000 } },
    );
    const items = statusOnly.issueChangeLogs.flatMap((entry) =>
      entry.changeHistories.flatMap((history) => history.items),
    );
    expect(items.length).toBe(heavy ? statusChanges(heavy).length : -1);
    expect(items.every((item) => item.fieldId === 'status')).toBe(true);
    expect((await call('/rest/api/3/changelog/bulkfetch', { body: { issueIdsOrKeys: [] } })).status).toBe(400);
    fake.bulkChangelogAvailable = false;
    expect((await call('/rest/api/3/changelog/bulkfetch', { body: { issueIdsOrKeys: ['PAY-1'] } })).status).toBe(404);
    fake.bulkChangelogAvailable = true;
  });

  it('pages one issue’s changelog by startAt (100 at most) and truncates expanded changelogs', async () => {
    const heavy = fake.dataset.issues.find((issue) => issue.histories.length > 100);
    const ids: string[] = [];
    let next: string | undefined = `${base}/rest/api/3/issue/${heavy?.key}/changelog?maxResults=500`;
    while (next) {
      const response: Response = await fetch(next, { headers: { Authorization: BASIC } });
      const page = (await response.json()) as {
        values: History[];
        nextPage?: string;
        isLast: boolean;
        total: number;
        maxResults: number;
      };
      expect(page.maxResults).toBe(100);
      expect(page.total).toBe(heavy?.histories.length);
      ids.push(...page.values.map((history) => history.id));
      expect(page.isLast).toBe(page.nextPage === undefined);
      next = page.nextPage;
    }
    expect(ids).toEqual(heavy?.histories.map((history) => history.id));
    const expanded = await search({ jql: `key = ${heavy?.key}`, fields: ['status'], expand: 'changelog' });
    expect(expanded.issues[0]?.changelog).toMatchObject({ maxResults: 40, total: heavy?.histories.length });
    expect(expanded.issues[0]?.changelog?.histories).toHaveLength(40);
    const single = await json<{ changelog: { histories: unknown[]; total: number } }>(
      `/rest/api/3/issue/${heavy?.key}?expand=changelog&fields=summary`,
    );
    expect(single.changelog.histories).toHaveLength(100);
    expect((await call('/rest/api/3/issue/PAY-99999')).status).toBe(404);
  });

  it('answers 410 with Atlassian’s removal message on the old search, v3 and v2', async () => {
    for (const [method, path] of [
      ['GET', '/rest/api/3/search?jql=project=PAY'],
      ['POST', '/rest/api/3/search'],
      ['GET', '/rest/api/2/search'],
    ] as const) {
      const response = await call(path, { method, ...(method === 'POST' ? { body: { jql: 'project = PAY' } } : {}) });
      expect(response.status).toBe(410);
      expect(((await response.json()) as { errorMessages: string[] }).errorMessages[0]).toContain(
        'Please migrate to the /rest/api/3/search/jql API',
      );
    }
  });

  it('sends X-RateLimit-* on every answer, NearLimit under 20 %, and 429 past the budget', async () => {
    const window = Date.UTC(2031, 0, 1, 8, 0, 0);
    fake.clock = () => window + 15_000;
    const limit = fake.rateLimit;
    fake.rateLimit = 5;
    try {
      const remaining: string[] = [];
      const near: (string | null)[] = [];
      for (let index = 0; index < 5; index++) {
        const response = await call('/rest/api/3/myself');
        remaining.push(response.headers.get('x-ratelimit-remaining') ?? '');
        near.push(response.headers.get('x-ratelimit-nearlimit'));
      }
      expect(remaining).toEqual(['4', '3', '2', '1', '0']);
      expect(near).toEqual([null, null, null, null, 'true']);
      const limited = await call('/rest/api/3/myself');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('45');
      expect(limited.headers.get('x-ratelimit-reset')).toBe('2031-01-01T08:01:00Z');
      expect(limited.headers.get('ratelimit-reason')).toBe('jira-quota-global-based');
    } finally {
      fake.rateLimit = limit;
    }
  });

  it('storms 429s with Retry-After and Jira’s headers, and catches clients that do not wait', async () => {
    let now = Date.UTC(2031, 0, 2, 9, 0, 0);
    fake.clock = () => now;
    fake.rateLimitStorm(2, 5);
    const from = fake.requests.length;
    let response = await call('/rest/api/3/field');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.headers.get('x-ratelimit-reset')).toBe('2031-01-02T09:00:05Z');
    expect(response.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(response.headers.get('ratelimit-reason')).toBe('jira-quota-global-based');
    expect(await response.json()).toEqual({ errorMessages: ['Rate limit exceeded.'], errors: {} });
    while (response.status === 429) {
      now += Number(response.headers.get('retry-after')) * 1_000;
      response = await call('/rest/api/3/field');
    }
    expect(fake.requests.slice(from).map((request) => request.status)).toEqual([429, 429, 200]);
    expect(fake.retryAfterViolations(from)).toEqual([]);
    fake.rateLimitStorm(1, 5);
    expect((await call('/rest/api/3/field')).status).toBe(429);
    now += 1_000;
    await call('/rest/api/3/status');
    expect(fake.retryAfterViolations(from)).toMatchObject([{ endpoint: 'GET /rest/api/3/status', early: true }]);
  });

  it('limits one endpoint only in a burst-based storm', async () => {
    let now = Date.UTC(2031, 0, 3, 9, 0, 0);
    fake.clock = () => now;
    const from = fake.requests.length;
    fake.rateLimitStorm(2, 2, 'jira-burst-based');
    const searched = await call('/rest/api/3/search/jql', { body: { jql: 'project = PAY' } });
    expect(searched.status).toBe(429);
    expect(searched.headers.get('ratelimit-reason')).toBe('jira-burst-based');
    expect((await call('/rest/api/3/myself')).status).toBe(200);
    expect((await call('/rest/api/3/search/jql', { body: { jql: 'project = PAY' } })).status).toBe(429);
    now += 2_000;
    expect((await call('/rest/api/3/search/jql', { body: { jql: 'project = PAY' } })).status).toBe(200);
    expect(fake.retryAfterViolations(from).map((request) => request.endpoint)).toEqual(['POST /rest/api/3/search/jql']);
  });

  it('bursts 500, 502 and 503 (the edge’s as HTML, 503 with Retry-After), then recovers', async () => {
    fake.serverErrorBurst(3);
    const answers: [number, string, string | null][] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const response = await call('/rest/api/3/myself');
      answers.push([response.status, response.headers.get('content-type') ?? '', response.headers.get('retry-after')]);
      await response.text();
    }
    expect(answers.map(([status]) => status)).toEqual([500, 502, 503, 200]);
    expect(answers[1]?.[1]).toContain('text/html');
    expect(answers[2]?.[2]).toBe('1');
  });

  it('serves a malformed issue wherever it appears, broken pages, and injected answers', async () => {
    fake.malform('PAY-2', 'missing-status');
    fake.malform('PAY-3', 'bad-created');
    const page = await search({ jql: 'key in (PAY-2, PAY-3, PAY-5) ORDER BY key ASC', fields: ['status', 'created'] });
    expect(page.issues.map((issue) => 'status' in (issue.fields ?? {}))).toEqual([false, true, true]);
    expect(page.issues[1]?.fields?.created).toBe('not a date');
    expect((await json<{ fields: Json }>('/rest/api/3/issue/PAY-2')).fields.status).toBeUndefined();
    fake.malformPage('/search/jql', 1, 'truncated');
    fake.malformPage('/changelog', 1, 'html');
    const truncated = await call('/rest/api/3/search/jql', { body: { jql: 'project = PAY' } });
    expect(truncated.status).toBe(200);
    await expect(truncated.json()).rejects.toThrow();
    expect(await (await call('/rest/api/3/issue/PAY-2/changelog')).text()).toMatch(/^<!DOCTYPE html>/);
    fake.injectResponse(/\/field$/, { status: 404, body: '{"errorMessages":["gone"],"errors":{}}' });
    expect((await call('/rest/api/3/field')).status).toBe(404);
    expect((await call('/rest/api/3/field')).status).toBe(200);
  });

  it('re-syncs through mutations: transitions, team moves, moves between projects, deletions, new issues', async () => {
    const from = fake.requests.length;
    const at = Date.UTC(2032, 5, 1, 12, 0, 0);
    fake.clock = () => at;
    const issue = fake.issue('PAY-20');
    const target = issue.statusId === STATUS.done ? STATUS.inProgress : STATUS.done;
    fake.transition('PAY-20', target);
    fake.setTeam('PAY-20', fake.dataset.teams[2]?.id ?? null);
    const since = formatJiraDate(at, 'Europe/Berlin').slice(0, 16).replace('T', ' ');
    const changed = await search({
      jql: `updated >= "${since}" AND project = PAY`,
      fields: ['status', 'resolutiondate'],
    });
    expect(changed.issues.map((found) => found.key)).toEqual(['PAY-20']);
    expect(changed.issues[0]?.fields).toMatchObject({
      status: { id: target },
      resolutiondate: target === STATUS.done ? (expect.any(String) as string) : null,
    });
    const log = await json<{ values: History[] }>(
      `/rest/api/3/issue/PAY-20/changelog?startAt=${histories('PAY-20').length - 2}`,
    );
    expect(log.values.map((history) => history.items[0]?.fieldId)).toEqual(['status', fake.dataset.fields.teamField]);
    expect(log.values[0]?.items[0]).toMatchObject({ to: target });

    const moved = fake.moveIssue('PAY-21', 'OPS');
    expect(moved.key).toBe(`OPS-${fake.project('OPS').nextNumber - 1}`);
    const byOldKey = await json<{ id: string; key: string; fields: { project: Json } }>(
      '/rest/api/3/issue/PAY-21?fields=project',
    );
    expect(byOldKey).toMatchObject({ id: moved.id, key: moved.key, fields: { project: { key: 'OPS' } } });
    const moveItems: Json[] = [
      { field: 'Key', fromString: 'PAY-21', toString: moved.key },
      { field: 'project', from: '10000', to: '10001' },
    ];
    expect(moved.histories.at(-1)?.items.slice(0, 2)).toMatchObject(moveItems);

    fake.deleteIssue('PAY-22');
    expect((await call('/rest/api/3/issue/PAY-22')).status).toBe(404);
    const added = fake.addIssue('PAY', { summary: 'Fresh' });
    const { ids } = await walk('project = PAY');
    expect(ids).toContain(added.id);
    expect(ids).not.toContain(moved.id);
    expect(ids).toHaveLength(fake.dataset.issues.filter((candidate) => candidate.projectId === '10000').length);
    expect(fake.endpointCounts(from)).toEqual(
      expect.arrayContaining([
        { endpoint: 'POST /rest/api/3/search/jql', requests: expect.any(Number) as number },
        { endpoint: 'GET /rest/api/3/issue/:issueIdOrKey/changelog', requests: 1 },
        { endpoint: 'GET /rest/api/3/issue/:issueIdOrKey', requests: 2 },
      ]),
    );
  });
});

describe('the fake Jira in Data Center mode', () => {
  const fake = new FakeJira(fakeJiraDataset(4, { issuesPerProject: [120, 80] }, NOW), { deployment: 'datacenter' });
  let base = '';
  const bearer = { Authorization: `Bearer ${BEARER}` };
  const { call, json } = client(() => base);

  beforeAll(async () => {
    base = await fake.start();
  });
  afterAll(() => fake.stop());

  it('takes only a Bearer personal access token, and names users by name/key', async () => {
    const refused = await call('/rest/api/2/myself');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ errorMessages: [expect.any(String)], errors: {} });
    const me = await json('/rest/api/2/myself', { headers: bearer });
    expect(me).toMatchObject({ name: 'metrics-bot', key: 'JIRAUSER10099' });
    expect(me).not.toHaveProperty('accountId');
    expect(await json('/rest/api/2/serverInfo', { headers: bearer })).toMatchObject({ deploymentType: 'Server' });
    for (const path of ['/rest/api/3/myself', '/rest/api/2/search/jql', '/rest/api/2/issue/PAY-1/changelog'])
      expect((await call(path, { headers: bearer })).status).toBe(404);
    expect(
      (await call('/rest/api/2/changelog/bulkfetch', { headers: bearer, body: { issueIdsOrKeys: ['PAY-1'] } })).status,
    ).toBe(404);
  });

  it('searches with startAt/maxResults/total, changelogs capped at 100 there and whole on GET issue', async () => {
    const ids: string[] = [];
    let startAt = 0;
    let total = Number.POSITIVE_INFINITY;
    while (startAt < total) {
      const page = await json<{
        startAt: number;
        maxResults: number;
        total: number;
        issues: { id: string; fields: Json }[];
      }>(`/rest/api/2/search?jql=${encodeURIComponent('ORDER BY created ASC')}&startAt=${startAt}&maxResults=1000`, {
        headers: bearer,
      });
      expect(page).toMatchObject({ startAt, maxResults: 100 });
      total = page.total;
      ids.push(...page.issues.map((issue) => issue.id));
      startAt += page.maxResults;
    }
    expect(ids).toHaveLength(fake.dataset.issues.length);
    expect(new Set(ids).size).toBe(ids.length);
    const heavy = fake.dataset.issues.find((issue) => issue.histories.length > 100);
    const found = await json<{
      issues: { self: string; fields: Json; changelog: { total: number; histories: History[] } }[];
    }>('/rest/api/2/search', {
      headers: bearer,
      body: { jql: `key = ${heavy?.key}`, expand: ['changelog'], fields: ['assignee', 'status'] },
    });
    const [issue] = found.issues;
    expect(issue?.self).toContain('/rest/api/2/issue/');
    expect(issue?.changelog.histories).toHaveLength(100);
    expect(issue?.changelog.total).toBe(heavy?.histories.length);
    const author = issue?.changelog.histories[0]?.author ?? {};
    expect(author).toHaveProperty('key');
    expect(author).not.toHaveProperty('accountId');
    const whole = await json<{ changelog: { histories: History[] } }>(
      `/rest/api/2/issue/${heavy?.key}?expand=changelog`,
      {
        headers: bearer,
      },
    );
    expect(whole.changelog.histories.map((history) => history.id)).toEqual(
      heavy?.histories.map((history) => history.id),
    );
    const assigneeItem = whole.changelog.histories
      .flatMap((history) => history.items)
      .find((item) => item.fieldId === 'assignee' && item.to !== null);
    expect(assigneeItem?.to).toMatch(/^JIRAUSER\d+$/);
  });
});
