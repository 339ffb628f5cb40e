import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** An Avro schema in JSON form, as read from schemas/. */
export type AvroSchema =
  AvroRecordSchema | AvroEnumSchema | AvroArraySchema | AvroPrimitiveSchema | AvroSchema[] | string;

export interface AvroField {
  name: string;
  type: AvroSchema;
  doc?: string;
  default?: unknown;
}
export interface AvroRecordSchema {
  type: 'record';
  name: string;
  namespace?: string;
  doc?: string;
  fields: AvroField[];
}
export type AvroNamedSchema = AvroRecordSchema | AvroEnumSchema;

export interface AvroEnumSchema {
  type: 'enum';
  name: string;
  namespace?: string;
  doc?: string;
  symbols: string[];
  /** The symbol a reader uses for a writer's symbol it does not know (schema evolution). */
  default?: string;
}
export interface AvroArraySchema {
  type: 'array';
  items: AvroSchema;
}
export interface AvroPrimitiveSchema {
  type: 'string' | 'int' | 'long' | 'double' | 'float' | 'boolean' | 'null' | 'bytes';
  logicalType?: string;
}

export type SchemaGroup = 'common' | 'raw' | 'canonical' | 'internal';

export interface CatalogEntry {
  /** File name without extension, e.g. "commit-file-change". */
  name: string;
  group: SchemaGroup;
  /** Fully qualified record name, e.g. dev.health.canonical.Commit. */
  fullName: string;
  /** Self-contained schema: shared named types (schemas/common) inlined at first use. */
  schema: AvroRecordSchema;
}

function locateSchemasDirectory(): string {
  let directory = __dirname;
  for (;;) {
    const candidate = path.join(directory, 'schemas');
    if (existsSync(path.join(candidate, 'common'))) return candidate;
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error(`schemas/ directory not found above ${__dirname}`);
    directory = parent;
  }
}

function readRecordSchema(file: string): AvroRecordSchema {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as AvroRecordSchema;
  if (parsed.type !== 'record') throw new Error(`${file}: top-level schema must be a record`);
  return parsed;
}

/** Shared named types: records (Provenance) and the canonical vocabularies (enums). */
function readSharedSchema(file: string): AvroNamedSchema {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as AvroNamedSchema;
  if (parsed.type !== 'record' && parsed.type !== 'enum')
    throw new Error(`${file}: a shared schema must be a record or an enum`);
  return parsed;
}

function fullNameOf(schema: { name: string; namespace?: string }): string {
  return schema.name.includes('.') || !schema.namespace ? schema.name : `${schema.namespace}.${schema.name}`;
}

/** Replaces references to shared named types by their definition, the first time each appears (Avro's rule). */
function inlineSharedTypes(schema: AvroSchema, shared: Map<string, AvroNamedSchema>, seen: Set<string>): AvroSchema {
  if (typeof schema === 'string') {
    const definition = shared.get(schema);
    if (!definition || seen.has(schema)) return schema;
    seen.add(schema);
    return inlineSharedTypes(definition, shared, seen);
  }
  if (Array.isArray(schema)) return schema.map((member) => inlineSharedTypes(member, shared, seen));
  switch (schema.type) {
    case 'record':
      return {
        ...schema,
        fields: schema.fields.map((field) => ({ ...field, type: inlineSharedTypes(field.type, shared, seen) })),
      };
    case 'array':
      return { ...schema, items: inlineSharedTypes(schema.items, shared, seen) };
    default:
      return schema;
  }
}

export class SchemaCatalog {
  private constructor(private readonly entries: Map<string, CatalogEntry>) {}

  static load(directory: string = locateSchemasDirectory()): SchemaCatalog {
    const schemaFiles = (group: SchemaGroup) =>
      readdirSync(path.join(directory, group))
        .filter((file) => file.endsWith('.avsc'))
        .sort();
    const read = (group: SchemaGroup) =>
      schemaFiles(group).map((file) => ({
        name: file.replace(/\.avsc$/, ''),
        group,
        schema: readRecordSchema(path.join(directory, group, file)),
      }));

    const shared = new Map(
      schemaFiles('common')
        .map((file) => readSharedSchema(path.join(directory, 'common', file)))
        .map((schema) => [fullNameOf(schema), schema] as const),
    );
    const entries = new Map<string, CatalogEntry>();
    for (const group of ['raw', 'canonical', 'internal'] as const) {
      for (const { name, schema } of read(group)) {
        const resolved = inlineSharedTypes(schema, shared, new Set()) as AvroRecordSchema;
        entries.set(`${group}/${name}`, { name, group, fullName: fullNameOf(schema), schema: resolved });
      }
    }
    return new SchemaCatalog(entries);
  }

  get(group: Exclude<SchemaGroup, 'common'>, name: string): CatalogEntry {
    const entry = this.entries.get(`${group}/${name}`);
    if (!entry) throw new Error(`no schema ${group}/${name}.avsc`);
    return entry;
  }

  /** Fields of a schema that hold timestamp-millis values (nullable or not): stores convert these. */
  timestampFields(group: Exclude<SchemaGroup, 'common'>, name: string): string[] {
    const isTimestamp = (schema: AvroSchema): boolean =>
      Array.isArray(schema)
        ? schema.some(isTimestamp)
        : typeof schema === 'object' && 'logicalType' in schema && schema.logicalType === 'timestamp-millis';
    return this.get(group, name)
      .schema.fields.filter((field) => isTimestamp(field.type))
      .map((field) => field.name);
  }

  all(): CatalogEntry[] {
    return [...this.entries.values()];
  }
}
