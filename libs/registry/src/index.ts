export { AvroSerde, SchemaMismatchError, SchemaRegistrationError, UndecodableRecordError } from './avro-serde';
export type { Compatibility } from './avro-serde';
export { decodeBatch } from './decode-batch';
export type { DecodedBatch } from './decode-batch';
export { schemaMisfits } from './schema-fit';
