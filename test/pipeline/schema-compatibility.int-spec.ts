import { AvroSerde } from '@dev-health/registry';
import { type AvroRecordSchema, SchemaCatalog } from '@dev-health/schemas';
import { stackEndpoints, uniqueName } from '@dev-health/testing';

/** Subjects are BACKWARD compatible: readers on the new schema can read data written with the old. */
describe('schema evolution in the registry (real registry)', () => {
  const serde = new AvroSerde(stackEndpoints().schemaRegistryUrl);
  const commit = SchemaCatalog.load().get('canonical', 'commit').schema;

  it('lets services that start together register a new subject at once (they race to set its rule)', async () => {
    const subject = `${uniqueName('race')}-value`;
    const url = stackEndpoints().schemaRegistryUrl;
    const ids = await Promise.all(Array.from({ length: 8 }, () => new AvroSerde(url).register(subject, commit)));
    expect(new Set(ids).size).toBe(1);
  });

  it('accepts a compatible change (new optional field with a default) and rejects an incompatible one', async () => {
    const subject = `${uniqueName('compat')}-value`;
    const firstId = await serde.register(subject, commit);

    const withOptionalField: AvroRecordSchema = {
      ...commit,
      fields: [...commit.fields, { name: 'signed', type: ['null', 'boolean'], default: null }],
    };
    const secondId = await serde.register(subject, withOptionalField);
    expect(secondId).not.toBe(firstId);

    const withRequiredField: AvroRecordSchema = {
      ...withOptionalField,
      fields: [...withOptionalField.fields, { name: 'reviewer_count', type: 'int' }],
    };
    await expect(serde.register(subject, withRequiredField)).rejects.toThrow(
      /registering Commit under subject .* failed/,
    );

    const retyped: AvroRecordSchema = {
      ...commit,
      fields: commit.fields.map((field) => (field.name === 'additions' ? { ...field, type: 'string' } : field)),
    };
    await expect(serde.register(subject, retyped)).rejects.toThrow(/failed/);
  });

  it('registering the same schema twice returns the same id (idempotent service start-up)', async () => {
    const subject = `${uniqueName('same')}-value`;
    expect(await serde.register(subject, commit)).toBe(await serde.register(subject, commit));
  });

  it('a consumer reads records of an older version in its own schema: missing fields take their defaults', async () => {
    const current = SchemaCatalog.load().get('internal', 'repo-metrics-daily').schema;
    const firstNames = [
      'repository_id',
      'day',
      'computed_at',
      'commits',
      'additions',
      'deletions',
      'files_changed',
      'large_commits',
      'avg_commit_size',
    ];
    const older: AvroRecordSchema = {
      ...current,
      fields: current.fields.filter((field) => firstNames.includes(field.name)),
    };
    const topic = uniqueName('evolve');
    const subject = `${topic}-value`;
    await serde.register(subject, older);
    const written = await serde.encode(subject, {
      repository_id: 'r',
      day: 20_458,
      computed_at: 1,
      commits: 2,
      additions: 3,
      deletions: 4,
      files_changed: 5,
      large_commits: 0,
      avg_commit_size: 3.5,
    });
    await serde.register(subject, current);

    const asWritten = await serde.decode<Record<string, unknown>>(written, topic);
    expect(asWritten).not.toHaveProperty('prs_merged');
    serde.readAs(topic, current);
    const asRead = await serde.decode<Record<string, unknown>>(written, topic);
    expect(asRead).toMatchObject({
      commits: 2,
      avg_commit_size: 3.5,
      lines_touched: 0,
      prs_merged: 0,
      rework_ratio: null,
    });
    expect(Object.keys(asRead).sort()).toEqual(current.fields.map((field) => field.name).sort());
  });

  it('tenancy is a BACKWARD compatible change of every schema: a pre-tenancy record reads as the default org', async () => {
    const catalog = SchemaCatalog.load();
    const withOrg = catalog.all().filter((entry) => entry.schema.fields.some((field) => field.name === 'org_id'));
    expect(withOrg.length).toBeGreaterThanOrEqual(24);
    for (const { schema } of withOrg) {
      const preTenancy: AvroRecordSchema = {
        ...schema,
        fields: schema.fields.filter((field) => field.name !== 'org_id'),
      };
      const subject = `${uniqueName('tenancy')}-value`;
      await serde.register(subject, preTenancy);
      await expect(serde.register(subject, schema)).resolves.toEqual(expect.any(Number));
    }
    // And a pre-tenancy raw record, read as the current schema.
    const raw = catalog.get('raw', 'raw-record').schema;
    const topic = uniqueName('tenancy-raw');
    const subject = `${topic}-value`;
    await serde.register(subject, { ...raw, fields: raw.fields.filter((field) => field.name !== 'org_id') });
    const written = await serde.encode(subject, {
      provider: 'git',
      entity_kind: 'commit',
      source_id: 'a',
      scope: 'o/r',
      fetched_at: 1,
      request: null,
      cursor: null,
      sync_mode: 'incremental',
      backfill_job_id: null,
      payload: '{}',
    });
    serde.readAs(topic, raw);
    expect(await serde.decode<Record<string, unknown>>(written, topic)).toMatchObject({
      org_id: 'default',
      scope: 'o/r',
    });
  });
});
