import type { EnvReader } from './env-reader';

export const SINK_STORES = ['postgres', 'clickhouse', 'mongo'] as const;
export type SinkStore = (typeof SINK_STORES)[number];

/** Which store a connection URI points at, by scheme. */
export function storeOfUri(uri: string): SinkStore | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'postgres':
    case 'postgresql':
      return 'postgres';
    case 'clickhouse':
    case 'clickhouses':
      return 'clickhouse';
    case 'mongodb':
    case 'mongodb+srv':
      return 'mongo';
    default:
      return undefined;
  }
}

/** clickhouse://user:pass@host:8123/db → the HTTP endpoint @clickhouse/client expects, and the database. */
export function clickhouseHttpEndpoint(uri: string): { url: string; database: string | undefined } {
  const parsed = new URL(uri);
  const protocol =
    parsed.protocol === 'clickhouses:' ? 'https:' : parsed.protocol === 'clickhouse:' ? 'http:' : parsed.protocol;
  const database = parsed.pathname.replace(/^\//, '') || undefined;
  const auth = parsed.username ? `${parsed.username}${parsed.password ? `:${parsed.password}` : ''}@` : '';
  return { url: `${protocol}//${auth}${parsed.host}`, database };
}

/**
 * The sinks to run and where each writes. The seeds' model still works: DATABASE_URI is the primary,
 * SECONDARY_DATABASE_URI the second store (their schemes say which). SINKS=postgres,clickhouse,mongo
 * names them explicitly, taking each one's address from those URIs or from CLICKHOUSE_URL / MONGODB_URI.
 */
export function readSinkTargets(reader: EnvReader): Map<SinkStore, string> {
  const byStore = new Map<SinkStore, string>();
  const named: { variable: string; uri: string }[] = [];
  for (const variable of ['DATABASE_URI', 'SECONDARY_DATABASE_URI']) {
    const uri = reader.optionalString(variable, { secret: true });
    if (!uri) continue;
    const store = storeOfUri(uri);
    if (!store) reader.problem(`${variable} must be a postgresql://, clickhouse:// or mongodb:// URI`);
    else if (byStore.has(store)) reader.problem(`DATABASE_URI and SECONDARY_DATABASE_URI both point at ${store}`);
    else {
      byStore.set(store, uri);
      named.push({ variable, uri });
    }
  }
  const clickhouseUrl = reader.optionalString('CLICKHOUSE_URL', { secret: true });
  const mongodbUri = reader.optionalString('MONGODB_URI', { secret: true });
  const explicit = reader.optionalString('SINKS');
  if (!explicit) return byStore;

  const selected = new Map<SinkStore, string>();
  for (const name of explicit
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)) {
    if (!(SINK_STORES as readonly string[]).includes(name)) {
      reader.problem(`SINKS: unknown sink "${name}" (one of ${SINK_STORES.join(', ')})`);
      continue;
    }
    const store = name as SinkStore;
    const address =
      byStore.get(store) ?? (store === 'clickhouse' ? clickhouseUrl : store === 'mongo' ? mongodbUri : undefined);
    if (!address) {
      const where =
        store === 'postgres'
          ? 'DATABASE_URI'
          : store === 'clickhouse'
            ? 'CLICKHOUSE_URL (or a clickhouse:// DATABASE_URI)'
            : 'MONGODB_URI (or a mongodb:// DATABASE_URI)';
      reader.problem(`SINKS includes ${store} but ${where} is not set`);
      continue;
    }
    selected.set(store, address);
  }
  return selected;
}

/** The address one sink service writes to, or a problem naming what to set. */
export function readSinkTarget(reader: EnvReader, store: SinkStore): string {
  const targets = readSinkTargets(reader);
  const direct =
    store === 'clickhouse'
      ? reader.optionalString('CLICKHOUSE_URL', { secret: true })
      : store === 'mongo'
        ? reader.optionalString('MONGODB_URI', { secret: true })
        : undefined;
  const address = targets.get(store) ?? direct;
  if (!address) {
    reader.problem(
      store === 'postgres'
        ? 'DATABASE_URI is required'
        : `${store === 'clickhouse' ? 'CLICKHOUSE_URL' : 'MONGODB_URI'} is required (or DATABASE_URI / SECONDARY_DATABASE_URI with a ${store === 'clickhouse' ? 'clickhouse://' : 'mongodb://'} URI)`,
    );
    return '';
  }
  return address;
}
