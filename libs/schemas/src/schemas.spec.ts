import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateTypeScript } from './generate-types';
import { canonicalId, dayToIsoDate, daysSinceEpoch } from './ids';
import { SchemaCatalog } from './schema-catalog';
import { CANONICAL_ENTITY_NAMES, Topology, canonicalSchemaFile } from './topology';

describe('schema catalog', () => {
  const catalog = SchemaCatalog.load();

  it('has a canonical schema for every entity, each with id, provider and inlined provenance', () => {
    for (const entity of CANONICAL_ENTITY_NAMES) {
      const { schema } = catalog.get('canonical', canonicalSchemaFile(entity));
      expect(schema.fields.slice(0, 3).map((field) => field.name)).toEqual(['id', 'provider', 'provenance']);
      expect(schema.fields[2]?.type).toMatchObject({ type: 'record', name: 'Provenance' });
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
    expect(canonicalId('github', 'pull_request', 'org/repo', 42)).toBe('github:pull_request:org/repo/42');
    expect(() => canonicalId('git', 'commit')).toThrow(/needs a natural key/);
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
