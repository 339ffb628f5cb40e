import {
  EnvReader,
  type KafkaConfig,
  readDatabaseUri,
  readKafkaConfig,
  readServiceBase,
  type ServiceBaseConfig,
} from '@dev-health/config';

export interface PostgresSinkConfig {
  base: ServiceBaseConfig;
  kafka: KafkaConfig;
  databaseUri: string;
}

export function readPostgresSinkConfig(env: Readonly<Record<string, string | undefined>>): PostgresSinkConfig {
  const reader = new EnvReader(env);
  const config: PostgresSinkConfig = {
    base: readServiceBase(reader, 'sink-postgres', 9103),
    kafka: readKafkaConfig(reader, 'sink-postgres'),
    databaseUri: readDatabaseUri(reader),
  };
  reader.done();
  return config;
}
