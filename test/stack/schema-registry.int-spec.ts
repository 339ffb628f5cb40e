import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { stackEndpoints, uniqueName } from '@dev-health/testing';

describe('schema registry (Confluent REST API)', () => {
  const registry = new SchemaRegistry({ host: stackEndpoints().schemaRegistryUrl });

  it('registers an Avro schema, encodes in Confluent wire format and decodes back', async () => {
    const subject = uniqueName('stack_subject');
    const schema = {
      type: 'record',
      name: 'Probe',
      namespace: 'dev.health.test',
      fields: [
        { name: 'id', type: 'string' },
        { name: 'count', type: 'long' },
        { name: 'note', type: ['null', 'string'], default: null },
      ],
    };
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(schema) }, { subject });
    expect(id).toBeGreaterThan(0);

    const record = { id: 'abc', count: 42, note: 'héllo' };
    const encoded = await registry.encode(id, record);
    expect(encoded.readUInt8(0)).toBe(0); // magic byte
    expect(encoded.readInt32BE(1)).toBe(id);

    // A fresh client has no cache: decoding must fetch the schema by id from the server.
    const freshClient = new SchemaRegistry({ host: stackEndpoints().schemaRegistryUrl });
    await expect(freshClient.decode(encoded)).resolves.toEqual(record);
    expect(await freshClient.getLatestSchemaId(subject)).toBe(id);
  });
});
