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
});
