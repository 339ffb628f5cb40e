import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateTypeScript } from './generate-types';
import { canonicalId, dayToIsoDate, daysSinceEpoch } from './ids';
import { SchemaCatalog } from './schema-catalog';
import { isOrgSlug, orgOfId, orgScopedId } from './tenancy';
import { CANONICAL_ENTITY_NAMES, Topology, canonicalSchemaFile } from './topology';

describe('schema catalog', () => {
  const catalog = SchemaCatalog.load();

  it('has a canonical schema for every entity, each with id, provider and inlined provenance', () => {
    for (const entity of CANONICAL_ENTITY_NAMES) {
      const { schema } = catalog.get('canonical', canonicalSchemaFile(entity));
      expect(schema.fields.slice(0, 4).map((field) => field.name)).toEqual(['id', 'org_id', 'provider', 'provenance']);
      expect(schema.fields[3]?.type).toMatchObject({ type: 'record', name: 'Provenance' });
    }
  });

  it('generated TypeScript types are up to date with the .avsc files (run npm run generate:types)', () => {
    const generated = generateTypeScript(catalog.all());
    const checkedIn = readFileSync(path.join(__dirname, 'generated', 'types.ts'), 'utf8');
    expect(checkedIn).toBe(generated);
  });
});

describe('ids and topology', () => {
  it('builds deterministic canonical ids', () => {
    expect(canonicalId('default', 'github', 'pull_request', 'org/repo', 42)).toBe('github:pull_request:org/repo/42');
    expect(() => canonicalId('default', 'git', 'commit')).toThrow(/needs a natural key/);
  });

  it('scopes ids by org, leaving the default org ids as they were before tenancy', () => {
    const acme = canonicalId('acme', 'github', 'repository', 'platform/api');
    const globex = canonicalId('globex', 'github', 'repository', 'platform/api');
    expect(acme).toBe('acme/github:repository:platform/api');
    expect(globex).not.toBe(acme);
    expect(canonicalId('default', 'github', 'repository', 'platform/api')).toBe('github:repository:platform/api');
    // An org named like a provider cannot collide with a default-org id.
    expect(canonicalId('github', 'git', 'repository', 'x')).not.toBe(
      canonicalId('default', 'github', 'repository', 'x'),
    );
  });

  it('tells the org of an id back', () => {
    expect(orgOfId(canonicalId('acme', 'github', 'repository', 'platform/api'))).toBe('acme');
    expect(orgOfId(canonicalId('default', 'github', 'repository', 'platform/api'))).toBe('default');
    expect(orgOfId(orgScopedId('globex', 'identity:ada@x.example'))).toBe('globex');
    expect(orgOfId('identity:ada/b@x.example')).toBe('default');
    expect(orgOfId('')).toBe('default');
  });

  it('accepts org slugs that are safe in ids, keys and URLs only', () => {
    for (const slug of ['default', 'acme', 'acme-inc', 'a1', 'x'.repeat(40)]) expect(isOrgSlug(slug)).toBe(true);
    for (const slug of ['', 'Acme', 'acme_inc', '-acme', 'acme-', 'a/b', 'a:b', 'x'.repeat(41), 42])
      expect(isOrgSlug(slug)).toBe(false);
  });

  it('converts instants to UTC days at the midnight boundary', () => {
    const midnight = Date.UTC(2026, 0, 2);
    expect(dayToIsoDate(daysSinceEpoch(midnight - 1))).toBe('2026-01-01');
    expect(dayToIsoDate(daysSinceEpoch(midnight))).toBe('2026-01-02');
  });

  it('derives every topic from one prefix', () => {
    const topology = new Topology('test');
    expect(topology.canonical('commit_file_change')).toBe('test.canonical.commit-file-change');
    expect(Topology.subject(topology.raw('git'))).toBe('test.raw.git-value');
    expect(topology.deadLetter('test.processor')).toBe('test.dlq.test.processor');
  });
});
