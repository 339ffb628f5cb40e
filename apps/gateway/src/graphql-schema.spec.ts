import { readFileSync } from 'node:fs';
import { SCHEMA_FILE } from './gateway.module';
import { buildSchemaSdl } from './graphql-schema';

describe('GraphQL schema', () => {
  it('the checked-in apps/gateway/schema.gql matches the code-first schema (run npm run generate:graphql)', async () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(await buildSchemaSdl());
  });
});
