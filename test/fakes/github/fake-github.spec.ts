import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type GraphQLNamedType,
  type IntrospectionQuery,
  buildClientSchema,
  getNamedType,
  isEnumType,
  isObjectType,
  isScalarType,
  parse,
  validate,
} from 'graphql';
import * as queries from '@dev-health/github/queries';
import { FAKE_GITHUB_SCHEMA, fakeOrganization } from './fake-github';
import { FixtureRepository } from './fake-git-server';
import { type JsonSchema, type OpenApi, OpenApiConformance } from '../openapi-conformance';

/**
 * The fake must not drift from GitHub: every field it serves exists in GitHub's own descriptions with a
 * compatible type — its REST bodies against the OpenAPI description (@octokit/openapi), its GraphQL
 * schema against GitHub's published one (@octokit/graphql-schema). It serves a subset, never an invention.
 */
function packageFile(relative: string, directory = __dirname): string {
  const candidate = path.join(directory, 'node_modules', relative);
  if (existsSync(candidate)) return candidate;
  const parent = path.dirname(directory);
  if (parent === directory) throw new Error(`${relative} is not installed`);
  return packageFile(relative, parent);
}

const conformance = new OpenApiConformance(
  JSON.parse(readFileSync(packageFile('@octokit/openapi/generated/api.github.com.json'), 'utf8')) as OpenApi,
  'GitHub',
);
const problems = (value: unknown, schema: JsonSchema, at: string) => conformance.problems(value, schema, at);
const responseSchema = (route: string) => conformance.responseSchema(route);

const documents = [
  ...Object.entries(queries as Record<string, unknown>).flatMap(([name, value]) =>
    typeof value === 'string' ? [[name, value] as [string, string]] : [],
  ),
  ['pullRequestsOfRepositoriesQuery(3)', queries.pullRequestsOfRepositoriesQuery(3)] as [string, string],
];

describe('the fake GitHub against GitHub’s own descriptions', () => {
  const fake = fakeOrganization('acme-inc', 2, 3);
  fake.push('ada', 'service-00', 2);
  const second = fake.push('bob', 'service-00', 1).push;
  fake.projects.push({
    number: 1,
    statusOptions: ['Todo', 'In Progress', 'Done'],
    items: [
      { id: 11, repository: 'service-00', issueNumber: 4, status: 'In Progress', updatedAt: '2026-03-01T00:00:00Z' },
    ],
  });
  let url: string;
  beforeAll(async () => {
    fake.token = null;
    url = await fake.start();
  });
  afterAll(() => fake.stop());

  it.each([
    ['/orgs/{org}/repos', '/orgs/acme-inc/repos?per_page=1'],
    ['/repos/{owner}/{repo}', '/repos/acme-inc/service-00'],
    [
      '/repos/{owner}/{repo}/pulls',
      '/repos/acme-inc/service-00/pulls?state=all&sort=updated&direction=desc&per_page=1',
    ],
    ['/repos/{owner}/{repo}/pulls/comments', '/repos/acme-inc/service-00/pulls/comments?sort=updated&direction=desc'],
    ['/orgs/{org}/events', '/orgs/acme-inc/events?per_page=100'],
    ['/users/{username}', '/users/ada'],
    [
      '/repos/{owner}/{repo}/compare/{basehead}',
      `/repos/acme-inc/service-00/compare/${second?.before}...${second?.head}`,
    ],
    ['/repos/{owner}/{repo}/issues', '/repos/acme-inc/service-00/issues?state=all&sort=updated&direction=desc'],
    ['/repos/{owner}/{repo}/deployments', '/repos/acme-inc/service-00/deployments'],
    [
      '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
      '/repos/acme-inc/service-00/deployments/500000/statuses',
    ],
    ['/repos/{owner}/{repo}/actions/runs', '/repos/acme-inc/service-00/actions/runs?per_page=3'],
    ['/repos/{owner}/{repo}/actions/runs/{run_id}', '/repos/acme-inc/service-00/actions/runs/700005'],
    ['/repos/{owner}/{repo}/actions/runs/{run_id}/jobs', '/repos/acme-inc/service-00/actions/runs/700005/jobs'],
    ['/orgs/{org}/projectsV2/{project_number}/fields', '/orgs/acme-inc/projectsV2/1/fields'],
    ['/orgs/{org}/projectsV2/{project_number}/items', '/orgs/acme-inc/projectsV2/1/items?fields=7&per_page=10'],
  ])('GET %s serves only GitHub fields, of GitHub types', async (route, request) => {
    const body = await (await fetch(`${url}${request}`)).json();
    expect(problems(body, responseSchema(route), 'body')).toEqual([]);
  });

  it('GET a branch and a commit (read from a git fixture) serve only GitHub fields, of GitHub types', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'fake-github-spec-'));
    try {
      const fixture = await FixtureRepository.create(path.join(root, 'repository'));
      const head = await fixture.commit({
        author: { name: 'Ada', email: 'ada@acme.example' },
        date: '2026-03-02T09:15:00+05:30',
        message: 'Add a',
        files: { 'a.txt': '1\n2\n' },
      });
      const repository = fake.repositories[0];
      if (repository) repository.gitDirectory = fixture.gitDirectory;
      const branch = await (await fetch(`${url}/repos/acme-inc/service-00/branches/main`)).json();
      expect(problems(branch, responseSchema('/repos/{owner}/{repo}/branches/{branch}'), 'body')).toEqual([]);
      expect(branch).toMatchObject({ name: 'main', commit: { sha: head } });
      const commit = await (await fetch(`${url}/repos/acme-inc/service-00/commits/${head}`)).json();
      expect(problems(commit, responseSchema('/repos/{owner}/{repo}/commits/{ref}'), 'body')).toEqual([]);
      expect(commit).toMatchObject({ sha: head, files: [{ filename: 'a.txt', additions: 2, deletions: 0 }] });
      expect((await fetch(`${url}/repos/acme-inc/service-00/branches/gone`)).status).toBe(404);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('a project item’s content is an issue as GitHub describes issues', async () => {
    const items = (await (await fetch(`${url}/orgs/acme-inc/projectsV2/1/items?fields=7`)).json()) as {
      content: unknown;
    }[];
    expect(items).toHaveLength(1);
    expect(problems(items[0]?.content, { $ref: '#/components/schemas/issue' }, 'content')).toEqual([]);
  });

  it('the checker itself catches an invented field', () => {
    expect(problems({ id: 1, stars_count: 3 }, responseSchema('/repos/{owner}/{repo}'), 'body')).toEqual([
      'body.stars_count: not a GitHub field',
    ]);
  });

  it.each(documents)('serves the connector’s %s document', (_name, document) => {
    expect(validate(FAKE_GITHUB_SCHEMA, parse(document)).map((error) => error.message)).toEqual([]);
  });

  it('its GraphQL schema is a subset of GitHub’s', () => {
    const introspection = JSON.parse(
      readFileSync(packageFile('@octokit/graphql-schema/schema.json'), 'utf8'),
    ) as IntrospectionQuery;
    const github = buildClientSchema(introspection);
    // GitHub's custom scalars (DateTime, URI, GitObjectID) and enums travel as strings.
    const wire = (type: GraphQLNamedType) =>
      isEnumType(type) || (isScalarType(type) && !['Int', 'Boolean', 'Float'].includes(type.name))
        ? 'String'
        : type.name;
    const mismatches: string[] = [];
    for (const type of Object.values(FAKE_GITHUB_SCHEMA.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      // The fake's Actor stands for GitHub's Actor interface; Query/Repository/... keep their names.
      const real = github.getType(type.name);
      const realFields =
        real && 'getFields' in real
          ? (real.getFields() as Record<string, { type: Parameters<typeof getNamedType>[0] }>)
          : null;
      if (!realFields) {
        mismatches.push(`${type.name}: no such GitHub type`);
        continue;
      }
      for (const [name, field] of Object.entries(type.getFields())) {
        const realField = realFields[name];
        if (!realField) mismatches.push(`${type.name}.${name}: no such GitHub field`);
        else {
          const ours = getNamedType(field.type);
          const theirs = getNamedType(realField.type) as GraphQLNamedType;
          if (wire(ours) !== wire(theirs) && ours.name !== theirs.name)
            mismatches.push(`${type.name}.${name}: ${ours.name}, GitHub has ${theirs.name}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
