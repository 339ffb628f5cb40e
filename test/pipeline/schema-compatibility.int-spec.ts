import { AvroSerde } from '@dev-health/registry';
import { type AvroRecordSchema, SchemaCatalog } from '@dev-health/schemas';
import { stackEndpoints, uniqueName } from '@dev-health/testing';

/** Subjects are BACKWARD compatible: readers on the new schema can read data written with the old. */
describe('schema evolution in the registry (real registry)', () => {
  const serde = new AvroSerde(stackEndpoints().schemaRegistryUrl);
  const commit = SchemaCatalog.load().get('canonical', 'commit').schema;

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
});
