/**
 * Holds a fake's JSON answers to a vendor's own OpenAPI description: every field it serves must exist
 * there with a compatible type. A fake serves a subset of the real API, never an invention.
 */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
}

export interface OpenApi {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }> }>
  >;
  components: { schemas: Record<string, JsonSchema> };
}

const typeOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;

export class OpenApiConformance {
  constructor(
    private readonly openapi: OpenApi,
    /** Whose API it is, for the messages ("not a GitHub field"). */
    private readonly vendor: string,
    /**
     * Atlassian's description marks nothing nullable, yet Jira serves null for an absent value (a
     * changelog item's from/to, an unassigned issue): then null passes wherever a value is described.
     */
    private readonly options: { undeclaredNulls?: boolean } = {},
  ) {}

  /** The 200 application/json schema of an operation. */
  responseSchema(route: string, method: 'get' | 'post' = 'get'): JsonSchema {
    const schema = this.openapi.paths[route]?.[method]?.responses['200']?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`no 200 schema for ${method.toUpperCase()} ${route}`);
    return schema;
  }

  /** Problems of `value` against `schema`: fields the vendor does not have, or of another type. */
  problems(value: unknown, raw: JsonSchema, at = 'body'): string[] {
    const schema = this.resolve(raw);
    const alternatives = schema.anyOf ?? schema.oneOf;
    if (alternatives) {
      const results = alternatives.map((alternative) => this.problems(value, alternative, at));
      return results.some((result) => result.length === 0) ? [] : (results[0] ?? []);
    }
    if (schema.allOf) return schema.allOf.flatMap((part) => this.problems(value, part, at));
    const actual = typeOf(value);
    const allowed = [schema.type ?? []].flat();
    if (actual === 'null' && (schema.nullable || allowed.includes('null') || this.options.undeclaredNulls)) return [];
    if (allowed.length > 0 && !allowed.includes(actual) && !(actual === 'integer' && allowed.includes('number')))
      return [`${at}: ${actual}, ${this.vendor} says ${allowed.join('|')}`];
    if (actual === 'array')
      return (value as unknown[]).flatMap((item, index) => this.problems(item, schema.items ?? {}, `${at}[${index}]`));
    if (actual !== 'object') return [];
    const entries = Object.entries(value as Record<string, unknown>);
    // A map (additionalProperties a schema): every value held to it; free-form (true, or no properties): anything.
    if (!schema.properties) {
      const values = schema.additionalProperties;
      return typeof values === 'object'
        ? entries.flatMap(([key, field]) => this.problems(field, values, `${at}.${key}`))
        : [];
    }
    return entries.flatMap(([key, field]) => {
      const property = schema.properties?.[key];
      if (property) return this.problems(field, property, `${at}.${key}`);
      const extra = schema.additionalProperties;
      return typeof extra === 'object' || extra === true
        ? this.problems(field, typeof extra === 'object' ? extra : {}, `${at}.${key}`)
        : [`${at}.${key}: not a ${this.vendor} field`];
    });
  }

  private resolve(schema: JsonSchema): JsonSchema {
    return schema.$ref
      ? this.resolve(this.openapi.components.schemas[schema.$ref.split('/').pop() ?? ''] ?? {})
      : schema;
  }
}
