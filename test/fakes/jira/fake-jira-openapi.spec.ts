import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type OpenApi, OpenApiConformance } from '../openapi-conformance';
import { FakeJira } from './fake-jira';
import { fakeJiraDataset } from './jira-dataset';

/**
 * The fake must not drift from Jira: every field it serves exists in Atlassian's own OpenAPI description
 * of the Cloud platform API (the subset in ./openapi, with its provenance) with a compatible type.
 */
const conformance = new OpenApiConformance(
  JSON.parse(readFileSync(path.join(__dirname, 'openapi', 'jira-platform-v3.subset.json'), 'utf8')) as OpenApi,
  'Jira',
  { undeclaredNulls: true },
);

describe('the fake Jira against Atlassian’s OpenAPI description', () => {
  const fake = new FakeJira(fakeJiraDataset(5, { issuesPerProject: [30, 20], heavyIssues: 1 }));
  const heavy = fake.dataset.issues.find((issue) => issue.histories.length > 100);
  let url: string;
  const call = async (route: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await fetch(`${url}${route}`, {
      method: init.method ?? 'GET',
      headers: {
        Authorization: `Basic ${Buffer.from(`${fake.email}:${fake.apiToken}`).toString('base64')}`,
        'Content-Type': 'application/json',
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    expect(response.status).toBe(200);
    const body: unknown = await response.json();
    return body;
  };
  beforeAll(async () => {
    url = await fake.start();
  });
  afterAll(() => fake.stop());

  it.each([
    ['/rest/api/3/myself', '/rest/api/3/myself'],
    ['/rest/api/3/serverInfo', '/rest/api/3/serverInfo'],
    ['/rest/api/3/field', '/rest/api/3/field'],
    ['/rest/api/3/status', '/rest/api/3/status'],
    ['/rest/api/3/search/jql', '/rest/api/3/search/jql?jql=project%20%3D%20PAY&maxResults=5&fields=*all'],
    ['/rest/api/3/issue/{issueIdOrKey}', '/rest/api/3/issue/PAY-1?expand=changelog'],
    ['/rest/api/3/issue/{issueIdOrKey}/changelog', '/rest/api/3/issue/PAY-1/changelog?startAt=0&maxResults=100'],
  ])('GET %s serves only Jira fields, of Jira types', async (route, request) => {
    expect(conformance.problems(await call(request), conformance.responseSchema(route))).toEqual([]);
  });

  it('POST /rest/api/3/search/jql and /changelog/bulkfetch: pages as Jira describes them', async () => {
    const search = await call('/rest/api/3/search/jql', {
      method: 'POST',
      body: { jql: 'project in (PAY, OPS) ORDER BY updated ASC', maxResults: 10, fields: ['*all'] },
    });
    expect(conformance.problems(search, conformance.responseSchema('/rest/api/3/search/jql', 'post'))).toEqual([]);
    expect(search).toMatchObject({ isLast: false });
    expect(typeof (search as { nextPageToken?: unknown }).nextPageToken).toBe('string');
    const bulk = await call('/rest/api/3/changelog/bulkfetch', {
      method: 'POST',
      body: { issueIdsOrKeys: [heavy?.id, 'PAY-2'], maxResults: 50 },
    });
    expect(conformance.problems(bulk, conformance.responseSchema('/rest/api/3/changelog/bulkfetch', 'post'))).toEqual(
      [],
    );
    expect(typeof (bulk as { nextPageToken?: unknown }).nextPageToken).toBe('string');
  });

  it('the checker itself catches an invented field', () => {
    expect(
      conformance.problems(
        { isLast: true, issues: [], totalCount: 3 },
        conformance.responseSchema('/rest/api/3/search/jql'),
      ),
    ).toEqual(['body.totalCount: not a Jira field']);
  });
});
