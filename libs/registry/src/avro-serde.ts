import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
// Not re-exported by the package index; the class is how encode() reports a record that does not fit.
import { isNetworkError, markRetriability } from '@dev-health/kafka';
import { ConfluentSchemaRegistryValidationError } from '@kafkajs/confluent-schema-registry/dist/errors';
import avro from 'avsc';
import type { AvroRecordSchema } from '@dev-health/schemas';

export type Compatibility = 'BACKWARD' | 'FORWARD' | 'FULL' | 'NONE';

/** Confluent wire format: magic byte 0, 4-byte schema id, Avro binary. */
const WIRE_HEADER_BYTES = 5;
/**
 * The registry is away or failing rather than the record wrong. Its HTTP client reports a socket
 * failure as a status-400 response carrying the socket error's message, hence the message test.
 */
function registryUnavailable(error: unknown, status: unknown, message: string): boolean {
  if (isNetworkError(error)) return true;
  if (typeof status === 'number' && (status >= 500 || status === 429 || status === 408)) return true;
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|socket hang up/.test(message);
}

/** A registry request that takes longer is abandoned and retried (a hung registry is an outage too). */
const REGISTRY_TIMEOUT_MS = 10_000;

function withTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        // ETIMEDOUT: a socket code, so decode treats it as the registry being away (transient).
        reject(Object.assign(new Error(`schema registry: ${what} took over ${timeoutMs} ms`), { code: 'ETIMEDOUT' })),
      timeoutMs,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Tries of a decode whose schema id the registry answers 404 for, before the record counts as undecodable. */
const SCHEMA_NOT_FOUND_TRIES = 4;

export class SchemaRegistrationError extends Error {
  override readonly name = 'SchemaRegistrationError';
}

/** A record that does not fit its schema: a bug or bad input, never fixed by retrying. */
export class SchemaMismatchError extends Error {
  override readonly name = 'SchemaMismatchError';
}

export class UndecodableRecordError extends Error {
  override readonly name = 'UndecodableRecordError';
}

/**
 * Avro serialisation through a Confluent-compatible registry (Apicurio's ccompat API or Confluent's).
 * Schema ids are cached by the underlying client: after the first record of a schema, encode and
 * decode make no network calls.
 */
export class AvroSerde {
  private readonly registry: SchemaRegistry;
  private readonly idsBySubject = new Map<string, number>();
  /** Per topic, the schema this process reads records as (see readAs). */
  private readonly readerTypes = new Map<string, avro.Type>();
  /** Per topic and writer schema id: how to read that writer's bytes as the reader schema. */
  private readonly resolutions = new Map<string, { resolver: avro.Resolver | undefined }>();

  constructor(private readonly registryUrl: string) {
    this.registry = new SchemaRegistry({ host: registryUrl }, { [SchemaType.AVRO]: { logicalTypes: {} } });
  }

  /** Resolves when the registry answers its subjects list within `timeoutMs`: the readiness probe. */
  async ping(timeoutMs = 3_000): Promise<void> {
    const url = new URL(`${this.registryUrl.replace(/\/+$/, '')}/subjects`);
    const headers: Record<string, string> = {};
    // fetch refuses credentials in the URL: they go into the Authorization header.
    if (url.username !== '' || url.password !== '') {
      const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`schema registry answered ${response.status}`);
  }

  /** Registers `schema` under `subject` (subject compatibility set on first registration) and returns its id. */
  async register(
    subject: string,
    schema: AvroRecordSchema,
    compatibility: Compatibility = 'BACKWARD',
  ): Promise<number> {
    // Services starting together register the same new subject at once. The client registers the
    // schema first and sets the subject's compatibility after, so the loser of that race either fails
    // to set the rule ("already exists") or reads the subject before its rule is set ("BACKWARD !=
    // NONE"); a moment later the rule is there and the retry succeeds.
    for (let attempt = 1; ; attempt++) {
      try {
        const { id } = await this.registry.register(
          { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
          { subject, compatibility: COMPATIBILITY[compatibility] },
        );
        this.idsBySubject.set(subject, id);
        return id;
      } catch (error: unknown) {
        const message = error instanceof Error ? error.message : String(error);
        if (attempt < 5 && /already exists|compatibility does not match/i.test(message)) {
          await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
          continue;
        }
        throw new SchemaRegistrationError(`registering ${schema.name} under subject ${subject} failed: ${message}`);
      }
    }
  }

  idFor(subject: string): number {
    const id = this.idsBySubject.get(subject);
    if (id === undefined) throw new Error(`schema for subject ${subject} is not registered by this process`);
    return id;
  }

  async encode(subject: string, record: object): Promise<Buffer> {
    try {
      return await this.registry.encode(this.idFor(subject), record);
    } catch (error: unknown) {
      if (error instanceof ConfluentSchemaRegistryValidationError) {
        const paths = (error as { paths?: string[][] }).paths ?? [];
        throw new SchemaMismatchError(
          `record does not match ${subject}: invalid field(s) ${paths.map((path) => path.join('.')).join(', ') || '(unknown)'}`,
        );
      }
      throw error;
    }
  }

  /**
   * Records on `topic` are decoded into `schema` (the version this code was built with), by Avro schema
   * resolution: fields an older writer lacked take their defaults, fields it had and we dropped are
   * skipped. Without it a consumer would see whatever shape each record was written in.
   */
  readAs(topic: string, schema: AvroRecordSchema): void {
    this.readerTypes.set(topic, avro.Type.forSchema(schema as avro.Schema));
  }

  /** Decodes a Confluent-framed Avro value; anything that is not one is an UndecodableRecordError. */
  async decode<T>(value: Buffer | null, topic?: string): Promise<T> {
    if (!value || value.length < WIRE_HEADER_BYTES || value.readUInt8(0) !== 0) {
      throw new UndecodableRecordError(
        'value is not in Confluent Avro wire format (missing magic byte 0 and schema id)',
      );
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.decodeFramed<T>(value, topic);
      } catch (error: unknown) {
        const message = error instanceof Error ? error.message : String(error);
        const status = (error as { status?: unknown } | null)?.status;
        // A registry that is away, overloaded or failing is retried (by the consumer, with backoff).
        if (registryUnavailable(error, status, message)) throw markRetriability(error, 'transient');
        // An id another registry node has just written may not have reached this one yet: wait a little.
        if (status === 404 && attempt < SCHEMA_NOT_FOUND_TRIES) {
          await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
          continue;
        }
        // A schema id the registry does not know, or bytes that do not fit it: the record's own fault.
        throw new UndecodableRecordError(`Avro decode failed (schema id ${value.readInt32BE(1)}): ${message}`);
      }
    }
  }

  private async decodeFramed<T>(value: Buffer, topic: string | undefined): Promise<T> {
    const reader = topic === undefined ? undefined : this.readerTypes.get(topic);
    if (!reader) return (await withTimeout(this.registry.decode(value), REGISTRY_TIMEOUT_MS, 'decode')) as T;
    const schemaId = value.readInt32BE(1);
    const key = `${topic}/${schemaId}`;
    let resolution = this.resolutions.get(key);
    if (!resolution) {
      // The client caches writer schemas by id: one registry request per id, then none.
      const writer = (await withTimeout(
        this.registry.getSchema(schemaId),
        REGISTRY_TIMEOUT_MS,
        `schema ${schemaId}`,
      )) as unknown as avro.Type;
      resolution = { resolver: reader.equals(writer) ? undefined : reader.createResolver(writer) };
      this.resolutions.set(key, resolution);
    }
    return reader.fromBuffer(value.subarray(WIRE_HEADER_BYTES), resolution.resolver) as T;
  }
}
