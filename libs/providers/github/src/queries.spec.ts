import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type IntrospectionQuery, buildClientSchema, parse, validate } from 'graphql';
import * as queries from './queries';
import { PULL_REQUESTS_QUERY } from './queries';

/** GitHub's published GraphQL schema: a field renamed or removed there fails here, not in production. */
// The package exports only an ESM entry, so its schema file is found by walking up to node_modules.
function schemaFile(directory = __dirname): string {
  const candidate = path.join(directory, 'node_modules', '@octokit', 'graphql-schema', 'schema.json');
  if (existsSync(candidate)) return candidate;
  const parent = path.dirname(directory);
  if (parent === directory) throw new Error('@octokit/graphql-schema is not installed');
  return schemaFile(parent);
}
// The introspection result: the published SDL repeats a field, which graphql-js rejects.
const introspection = JSON.parse(readFileSync(schemaFile(), 'utf8')) as {
  data?: IntrospectionQuery;
} & IntrospectionQuery;
const githubSchema = buildClientSchema(introspection.data ?? introspection);

/** Every document the connector sends: the constants, and the batched query as built for 3 repositories. */
const documents = [
  ...Object.entries(queries as Record<string, unknown>).flatMap(([name, value]) =>
    typeof value === 'string' ? [[name, value] as [string, string]] : [],
  ),
  ['pullRequestsOfRepositoriesQuery(3)', queries.pullRequestsOfRepositoriesQuery(3)] as [string, string],
];

describe('GitHub GraphQL documents', () => {
  it.each(documents)('%s is valid against GitHub’s schema', (_name, document) => {
    expect(validate(githubSchema, parse(document)).map((error) => error.message)).toEqual([]);
  });

  it('would catch a field GitHub does not have', () => {
    const broken = PULL_REQUESTS_QUERY.replace('changedFiles', 'filesChangedCount');
    expect(validate(githubSchema, parse(broken)).map((error) => error.message)).toEqual([
      'Cannot query field "filesChangedCount" on type "PullRequest".',
    ]);
  });
});
