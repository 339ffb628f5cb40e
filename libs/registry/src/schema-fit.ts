import avro from 'avsc';
import type { AvroRecordSchema } from '@dev-health/schemas';

/**
 * The fields of a value its Avro schema rejects, as `path=value` ([] when it fits): what encoding would
 * refuse, checked without a registry (tests of normalizers, the fuzz suite).
 */
export function schemaMisfits(schema: AvroRecordSchema): (value: unknown) => string[] {
  const type = avro.Type.forSchema(schema as avro.Schema);
  return (value) => {
    const paths: string[] = [];
    type.isValid(value, { errorHook: (path, invalid) => paths.push(`${path.join('.')}=${String(invalid)}`) });
    return paths;
  };
}
