import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redactSecrets } from '@dev-health/observability';
import { DEFAULT_TOPIC_PARTITIONS, readKafkaConfig } from './common-config';
import { EnvReader } from './env-reader';

const base = { KAFKA_BROKERS: 'k:9092', SCHEMA_REGISTRY_URL: 'http://r:8081' };

function problemsOf(env: Record<string, string>): string[] {
  const reader = new EnvReader({ ...base, ...env });
  readKafkaConfig(reader, 'test');
  try {
    reader.done();
    return [];
  } catch (error: unknown) {
    return (error as { problems: string[] }).problems;
  }
}

describe('Kafka topic policy', () => {
  it('defaults to the role counts and the broker’s replication, and takes production values from the environment', () => {
    expect(readKafkaConfig(new EnvReader(base), 't').topics).toEqual({
      partitions: DEFAULT_TOPIC_PARTITIONS,
      replicationFactor: -1,
      minInsyncReplicas: undefined,
      retentionMs: undefined,
    });
    const production = readKafkaConfig(
      new EnvReader({
        ...base,
        KAFKA_TOPIC_PARTITIONS: '12',
        KAFKA_TOPIC_REPLICATION_FACTOR: '3',
        KAFKA_TOPIC_MIN_INSYNC_REPLICAS: '2',
        KAFKA_TOPIC_RETENTION_MS: '604800000',
      }),
      't',
    ).topics;
    expect(production).toEqual({
      partitions: { ...DEFAULT_TOPIC_PARTITIONS, data: 12 },
      replicationFactor: 3,
      minInsyncReplicas: 2,
      retentionMs: 604_800_000,
    });
  });

  it('refuses settings no write could succeed with, naming the variables', () => {
    expect(problemsOf({ KAFKA_TOPIC_REPLICATION_FACTOR: '2', KAFKA_TOPIC_MIN_INSYNC_REPLICAS: '3' })).toEqual([
      'KAFKA_TOPIC_MIN_INSYNC_REPLICAS (3) exceeds KAFKA_TOPIC_REPLICATION_FACTOR (2): no write could succeed',
    ]);
    expect(problemsOf({ KAFKA_TOPIC_REPLICATION_FACTOR: '0' })[0]).toMatch(/^KAFKA_TOPIC_REPLICATION_FACTOR/);
    expect(problemsOf({ KAFKA_TOPIC_PARTITIONS: '0' })[0]).toMatch(/^KAFKA_TOPIC_PARTITIONS must be >= 1/);
  });
});

describe('Kafka security', () => {
  const directory = mkdtempSync(join(tmpdir(), 'kafka-security-'));
  const caFile = join(directory, 'ca.pem');
  writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');

  it('is plaintext by default', () => {
    expect(readKafkaConfig(new EnvReader(base), 't').security).toEqual({ protocol: 'PLAINTEXT' });
  });

  it('reads SASL_SSL with SCRAM: the CA’s contents at boot, the password registered as a secret', () => {
    const security = readKafkaConfig(
      new EnvReader({
        ...base,
        KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
        KAFKA_SSL_CA_FILE: caFile,
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'dho',
        KAFKA_SASL_PASSWORD: 's3cr3t-kafka-pw',
      }),
      't',
    ).security;
    expect(security).toEqual({
      protocol: 'SASL_SSL',
      tls: { ca: expect.stringContaining('BEGIN CERTIFICATE') as unknown },
      sasl: { mechanism: 'scram-sha-512', username: 'dho', password: 's3cr3t-kafka-pw' },
    });
    expect(redactSecrets('auth failed for s3cr3t-kafka-pw')).toBe('auth failed for ***');
  });

  it('fails fast on what it cannot use, naming the variable', () => {
    expect(problemsOf({ KAFKA_SECURITY_PROTOCOL: 'TLS' })[0]).toMatch(/^KAFKA_SECURITY_PROTOCOL must be one of/);
    expect(problemsOf({ KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT' })).toEqual([
      'KAFKA_SASL_MECHANISM is required (one of plain, scram-sha-256, scram-sha-512, oauthbearer)',
      'KAFKA_SASL_USERNAME is required',
      'KAFKA_SASL_PASSWORD is required',
    ]);
    expect(
      problemsOf({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA_FILE: join(directory, 'missing.pem') })[0],
    ).toMatch(/^KAFKA_SSL_CA_FILE: cannot read .*missing\.pem \(ENOENT\)/);
    expect(
      problemsOf({
        KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
        KAFKA_SASL_MECHANISM: 'scram-sha-256',
        KAFKA_SASL_USERNAME: 'u',
      }),
    ).toEqual(['KAFKA_SASL_PASSWORD is required']);
    expect(
      problemsOf({
        KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
        KAFKA_SASL_MECHANISM: 'oauthbearer',
        KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: join(directory, 'no-token'),
      })[0],
    ).toMatch(/^KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: cannot read/);
  });
});
