import { readFileSync } from 'node:fs';
import type { LogLevel } from '@dev-health/observability';
import { DEFAULT_ORG, isOrgSlug } from '@dev-health/schemas';
import { EnvReader } from './env-reader';

/**
 * The Kafka client libraries libs/kafka can produce and consume with (KAFKA_CLIENT). The default is the
 * one the stage bench measured fastest; docs/DESIGN.md (Performance) has the numbers.
 */
export const KAFKA_CLIENTS = ['platformatic', 'kafkajs'] as const;
export type KafkaClientKind = (typeof KAFKA_CLIENTS)[number];
export const DEFAULT_KAFKA_CLIENT: KafkaClientKind = 'platformatic';

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  client: KafkaClientKind;
  /** Bytes fetched per partition per request: a batch's upper bound, and with it a consumer's memory. */
  fetchBytesPerPartition: number;
  /** Partitions a consumer handles at once (each in order): overlaps round trips, multiplies memory. */
  partitionsConcurrently: number;
  schemaRegistryUrl: string;
  /** Prefixed to every topic and consumer group: isolates environments and test runs on one cluster. */
  topicPrefix: string;
  /** retention.ms of the raw topics, the record of what was fetched (replays read them): -1 keeps forever. */
  rawRetentionMs: number;
  /** How topics this service creates are made: partitions, replication, retention. */
  topics: TopicPolicy;
  /** How to reach the brokers: TLS, SASL. */
  security: KafkaSecurity;
  /** A consumer with lag and no progress for this long fails liveness (a restart rejoins it). */
  consumerStallSeconds: number;
}

/** What a topic is for; each role has its own partition count. */
export const TOPIC_ROLES = ['data', 'storeChanged', 'deadLetter', 'control'] as const;
export type TopicRole = (typeof TOPIC_ROLES)[number];

/**
 * Data topics bound consumer parallelism (KAFKA_TOPIC_PARTITIONS); change events are small; dead-letter
 * topics are read by people; control topics carry a few messages per sync run. Every service must ask
 * for the same counts: whichever starts first creates a shared topic.
 */
export const DEFAULT_TOPIC_PARTITIONS: Readonly<Record<TopicRole, number>> = {
  data: 6,
  storeChanged: 3,
  deadLetter: 1,
  control: 3,
};

/** Settings of topics at creation, from KAFKA_TOPIC_*; existing topics keep theirs (retention.ms aside). */
export interface TopicPolicy {
  partitions: Readonly<Record<TopicRole, number>>;
  /** -1: the broker's default.replication.factor. */
  replicationFactor: number;
  /** Unset: the broker's min.insync.replicas. */
  minInsyncReplicas: number | undefined;
  /** retention.ms of topics that are neither raw nor compacted; unset: the broker's. */
  retentionMs: number | undefined;
}

export const KAFKA_SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type KafkaSecurityProtocol = (typeof KAFKA_SECURITY_PROTOCOLS)[number];
export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512', 'oauthbearer'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

export type KafkaSasl =
  | { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string }
  /** The token is read from the file at each authentication, so a sidecar can refresh it. */
  | { mechanism: 'oauthbearer'; tokenFile: string };

export interface KafkaSecurity {
  protocol: KafkaSecurityProtocol;
  /** Set for SSL and SASL_SSL: the CA (PEM) that signed the brokers' certificates, when not a public one. */
  tls?: { ca?: string; serverName?: string };
  /** Set for SASL_PLAINTEXT and SASL_SSL. */
  sasl?: KafkaSasl;
}

function readFileSetting(reader: EnvReader, name: string): string | undefined {
  const path = reader.optionalString(name);
  if (path === undefined) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (error: unknown) {
    reader.problem(`${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}

export function readKafkaSecurity(reader: EnvReader): KafkaSecurity {
  const protocol = reader.oneOf('KAFKA_SECURITY_PROTOCOL', KAFKA_SECURITY_PROTOCOLS, { default: 'PLAINTEXT' });
  const security: KafkaSecurity = { protocol };
  if (protocol === 'SSL' || protocol === 'SASL_SSL') {
    const ca = readFileSetting(reader, 'KAFKA_SSL_CA_FILE');
    const serverName = reader.optionalString('KAFKA_SSL_SERVER_NAME');
    security.tls = { ...(ca === undefined ? {} : { ca }), ...(serverName === undefined ? {} : { serverName }) };
  }
  if (protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL') {
    const mechanism = reader.oneOf('KAFKA_SASL_MECHANISM', KAFKA_SASL_MECHANISMS);
    if (mechanism === 'oauthbearer') {
      const tokenFile = reader.string('KAFKA_SASL_OAUTHBEARER_TOKEN_FILE');
      if (tokenFile !== '') readFileSetting(reader, 'KAFKA_SASL_OAUTHBEARER_TOKEN_FILE');
      security.sasl = { mechanism, tokenFile };
    } else {
      security.sasl = {
        mechanism,
        username: reader.string('KAFKA_SASL_USERNAME'),
        password: reader.string('KAFKA_SASL_PASSWORD', { secret: true }),
      };
    }
  }
  return security;
}

export function readTopicPolicy(reader: EnvReader): TopicPolicy {
  const replicationFactor = reader.int('KAFKA_TOPIC_REPLICATION_FACTOR', { default: -1, min: -1, max: 32 });
  if (replicationFactor === 0) reader.problem('KAFKA_TOPIC_REPLICATION_FACTOR must be -1 (the broker default) or ≥ 1');
  const minInsync = reader.optionalString('KAFKA_TOPIC_MIN_INSYNC_REPLICAS');
  let minInsyncReplicas: number | undefined;
  if (minInsync !== undefined) {
    minInsyncReplicas = reader.int('KAFKA_TOPIC_MIN_INSYNC_REPLICAS', { min: 1, max: 32 });
    if (replicationFactor > 0 && minInsyncReplicas > replicationFactor)
      reader.problem(
        `KAFKA_TOPIC_MIN_INSYNC_REPLICAS (${minInsyncReplicas}) exceeds KAFKA_TOPIC_REPLICATION_FACTOR (${replicationFactor}): no write could succeed`,
      );
  }
  const retention = reader.optionalString('KAFKA_TOPIC_RETENTION_MS');
  return {
    partitions: {
      ...DEFAULT_TOPIC_PARTITIONS,
      data: reader.int('KAFKA_TOPIC_PARTITIONS', { default: DEFAULT_TOPIC_PARTITIONS.data, min: 1, max: 10_000 }),
    },
    replicationFactor,
    minInsyncReplicas,
    retentionMs:
      retention === undefined
        ? undefined
        : reader.int('KAFKA_TOPIC_RETENTION_MS', { min: -1, max: Number.MAX_SAFE_INTEGER }),
  };
}

export interface ServiceBaseConfig {
  serviceName: string;
  logLevel: LogLevel;
  /** Port for /healthz, /readyz, /metrics (and the gateway's API). 0 picks a free port. */
  httpPort: number;
}

export function readServiceBase(reader: EnvReader, serviceName: string, defaultPort: number): ServiceBaseConfig {
  return {
    serviceName,
    logLevel: reader.oneOf('LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, { default: 'info' }),
    httpPort: reader.int('HTTP_PORT', { default: defaultPort, min: 0, max: 65535 }),
  };
}

/** ORG_ID: the org a connector publishes for (until syncs name theirs); the default org when unset. */
export function readOrg(reader: EnvReader, name = 'ORG_ID'): string {
  const org = reader.string(name, { default: DEFAULT_ORG });
  if (!isOrgSlug(org))
    reader.problem(`${name} must be an org slug: lower-case letters, digits and inner hyphens, at most 40 characters`);
  return org;
}

export function readKafkaConfig(reader: EnvReader, clientId: string): KafkaConfig {
  const topicPrefix = reader.string('TOPIC_PREFIX', { default: 'dho' });
  if (!/^[a-zA-Z0-9._-]+$/.test(topicPrefix))
    reader.problem('TOPIC_PREFIX may contain only letters, digits, ".", "_" and "-"');
  return {
    brokers: reader.list('KAFKA_BROKERS', { minItems: 1 }),
    clientId,
    client: reader.oneOf('KAFKA_CLIENT', KAFKA_CLIENTS, { default: DEFAULT_KAFKA_CLIENT }),
    fetchBytesPerPartition: reader.int('KAFKA_FETCH_BYTES_PER_PARTITION', {
      default: 1024 * 1024,
      min: 16 * 1024,
      max: 64 * 1024 * 1024,
    }),
    partitionsConcurrently: reader.int('KAFKA_PARTITIONS_CONCURRENTLY', { default: 3, min: 1, max: 64 }),
    schemaRegistryUrl: reader.url('SCHEMA_REGISTRY_URL', { protocols: ['http', 'https'], secret: true }),
    topicPrefix,
    rawRetentionMs: reader.int('RAW_TOPIC_RETENTION_MS', { default: -1, min: -1, max: Number.MAX_SAFE_INTEGER }),
    topics: readTopicPolicy(reader),
    security: readKafkaSecurity(reader),
    consumerStallSeconds: reader.int('KAFKA_CONSUMER_STALL_SECONDS', { default: 300, min: 10, max: 86_400 }),
  };
}

export function readDatabaseUri(reader: EnvReader, name = 'DATABASE_URI'): string {
  return reader.url(name, { protocols: ['postgres', 'postgresql'], secret: true });
}

/** Services that consume Kafka and use the primary Postgres database (sink-postgres, metrics). */
export interface DatabaseServiceConfig {
  base: ServiceBaseConfig;
  kafka: KafkaConfig;
  databaseUri: string;
}

export function readDatabaseServiceConfig(
  env: Readonly<Record<string, string | undefined>>,
  serviceName: string,
  defaultPort: number,
): DatabaseServiceConfig {
  const reader = new EnvReader(env);
  const config: DatabaseServiceConfig = {
    base: readServiceBase(reader, serviceName, defaultPort),
    kafka: readKafkaConfig(reader, serviceName),
    databaseUri: readDatabaseUri(reader),
  };
  reader.done();
  return config;
}

/** How long a running sync may go without a heartbeat before it counts as dead (admin and job runners). */
export function readSilentRunSeconds(reader: EnvReader): number {
  return reader.int('SYNC_SILENT_RUN_SECONDS', { default: 300, min: 10, max: 86_400 });
}

/** What every connector service needs to run syncs: the control plane, its concurrency, its heartbeat. */
export interface ConnectorSyncConfig {
  /** The control-plane Postgres (sync runs, watermarks). */
  databaseUri: string;
  /** Incremental sync runs of this provider running at once per replica. */
  maxConcurrentRuns: number;
  /** Backfill runs (chunks) running at once per replica: a budget of their own, on their own stream. */
  maxConcurrentBackfillRuns: number;
  /** Seconds between a run's heartbeats (progress into sync_runs and onto the sync-events topic). */
  heartbeatSeconds: number;
  silentRunSeconds: number;
}

export function readConnectorSyncConfig(reader: EnvReader): ConnectorSyncConfig {
  const sync: ConnectorSyncConfig = {
    databaseUri: readDatabaseUri(reader),
    maxConcurrentRuns: reader.int('CONNECTOR_MAX_CONCURRENT_RUNS', { default: 2, min: 1, max: 64 }),
    maxConcurrentBackfillRuns: reader.int('CONNECTOR_MAX_CONCURRENT_BACKFILL_RUNS', { default: 1, min: 1, max: 64 }),
    heartbeatSeconds: reader.int('SYNC_HEARTBEAT_SECONDS', { default: 5, min: 1, max: 300 }),
    silentRunSeconds: readSilentRunSeconds(reader),
  };
  if (sync.heartbeatSeconds * 2 > sync.silentRunSeconds)
    reader.problem('SYNC_HEARTBEAT_SECONDS must be at most half of SYNC_SILENT_RUN_SECONDS, or live runs look dead');
  return sync;
}
