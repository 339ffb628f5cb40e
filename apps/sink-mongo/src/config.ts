import {
  EnvReader,
  type KafkaConfig,
  readKafkaConfig,
  readServiceBase,
  readSinkTarget,
  type ServiceBaseConfig,
} from '@dev-health/config';

export interface MongoSinkConfig {
  base: ServiceBaseConfig;
  kafka: KafkaConfig;
  uri: string;
}

export function readMongoSinkConfig(env: Readonly<Record<string, string | undefined>>): MongoSinkConfig {
  const reader = new EnvReader(env);
  const config: MongoSinkConfig = {
    base: readServiceBase(reader, 'sink-mongo', 9106),
    kafka: readKafkaConfig(reader, 'sink-mongo'),
    uri: readSinkTarget(reader, 'mongo'),
  };
  reader.done();
  return config;
}
