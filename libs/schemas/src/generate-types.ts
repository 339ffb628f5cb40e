import type { AvroField, AvroRecordSchema, AvroSchema, CatalogEntry } from './schema-catalog';

/**
 * TypeScript declarations for every schema in the catalog. The .avsc files are the single source;
 * `npm run generate:types` writes this output to libs/schemas/src/generated/types.ts and a unit
 * test fails when the checked-in file differs.
 */
export function generateTypeScript(entries: CatalogEntry[]): string {
  const declarations = new Map<string, string>();

  const typeOf = (schema: AvroSchema): string => {
    if (typeof schema === 'string') {
      switch (schema) {
        case 'string':
        case 'bytes':
          return schema === 'bytes' ? 'Buffer' : 'string';
        case 'int':
        case 'long':
        case 'float':
        case 'double':
          return 'number';
        case 'boolean':
          return 'boolean';
        case 'null':
          return 'null';
        default:
          return schema.split('.').pop() ?? schema;
      }
    }
    if (Array.isArray(schema)) return schema.map(typeOf).join(' | ');
    switch (schema.type) {
      case 'record':
        declare(schema);
        return schema.name;
      case 'enum':
        declarations.set(
          schema.name,
          `export type ${schema.name} = ${schema.symbols.map((symbol) => `'${symbol}'`).join(' | ')};`,
        );
        return schema.name;
      case 'array':
        return `Array<${typeOf(schema.items)}>`;
      default:
        return typeOf(schema.type);
    }
  };

  const fieldLine = (field: AvroField): string => {
    const doc = field.doc ? `  /** ${field.doc} */\n` : '';
    return `${doc}  ${field.name}: ${typeOf(field.type)};`;
  };

  const declare = (record: AvroRecordSchema): void => {
    if (declarations.has(record.name)) return;
    declarations.set(record.name, ''); // reserve: records may refer to themselves
    const lines = record.fields.map(fieldLine).join('\n');
    const doc = record.doc ? `/** ${record.doc} */\n` : '';
    declarations.set(record.name, `${doc}export interface ${record.name} {\n${lines}\n}`);
  };

  for (const entry of entries) declare(entry.schema);
  const header = '// Generated from schemas/*.avsc by `npm run generate:types`. Do not edit.\n';
  return `${header}\n${[...declarations.values()].join('\n\n')}\n`;
}
