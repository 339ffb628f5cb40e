import { redactSecrets } from '@dev-health/observability';
import { ConfigError, EnvReader } from './env-reader';
import { readDatabaseUri, readKafkaConfig } from './common-config';

describe('EnvReader', () => {
  it('reports every invalid variable by name in one error', () => {
    const reader = new EnvReader({ BATCH_SIZE: 'many', TOPIC_PREFIX: 'bad prefix!', SCHEMA_REGISTRY_URL: 'ftp://x' });
    reader.int('BATCH_SIZE', { default: 10 });
    readKafkaConfig(reader, 'test');
    expect(() => reader.done()).toThrow(ConfigError);
    try {
      reader.done();
    } catch (error: unknown) {
      const problems = (error as ConfigError).problems;
      expect(problems).toEqual([
        'BATCH_SIZE must be an integer, got "many"',
        'TOPIC_PREFIX may contain only letters, digits, ".", "_" and "-"',
        'KAFKA_BROKERS is required',
        'SCHEMA_REGISTRY_URL must use http or https, got ftp',
      ]);
    }
  });

  it('picks the Kafka client: the measured default, either by name, anything else refused by name', () => {
    const base = { KAFKA_BROKERS: 'k:9092', SCHEMA_REGISTRY_URL: 'http://r:8081' };
    expect(readKafkaConfig(new EnvReader(base), 'test').client).toBe('platformatic');
    expect(readKafkaConfig(new EnvReader({ ...base, KAFKA_CLIENT: 'kafkajs' }), 'test').client).toBe('kafkajs');
    const reader = new EnvReader({ ...base, KAFKA_CLIENT: 'rdkafka' });
    readKafkaConfig(reader, 'test');
    expect(() => reader.done()).toThrow(/KAFKA_CLIENT must be one of platformatic, kafkajs/);
  });

  it('applies defaults and bounds', () => {
    const reader = new EnvReader({ PORT: '70000', FLAG: 'yes' });
    expect(reader.int('MISSING', { default: 5 })).toBe(5);
    expect(reader.boolean('FLAG')).toBe(true);
    reader.int('PORT', { max: 65535 });
    expect(() => reader.done()).toThrow(/PORT must be <= 65535, got 70000/);
  });

  it('never echoes a secret URL and registers its password for redaction', () => {
    const reader = new EnvReader({ DATABASE_URI: 'postgresql://app:s3cr3t-value@db:5432/x' });
    expect(readDatabaseUri(reader)).toContain('s3cr3t-value');
    reader.done();
    expect(redactSecrets('connect failed for s3cr3t-value')).toBe('connect failed for ***');
    const invalid = new EnvReader({ DATABASE_URI: 'not a url with hunter22' });
    readDatabaseUri(invalid);
    expect(() => invalid.done()).toThrow('DATABASE_URI is not a valid URL');
    try {
      invalid.done();
    } catch (error: unknown) {
      expect((error as Error).message).not.toContain('hunter22');
    }
  });
});
