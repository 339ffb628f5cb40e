import {
  EnvReader,
  type KafkaConfig,
  readDatabaseUri,
  readKafkaConfig,
  readServiceBase,
  type ServiceBaseConfig,
} from '@dev-health/config';

export interface MetricsConfig {
  base: ServiceBaseConfig;
  kafka: KafkaConfig;
  databaseUri: string;
}

export function readMetricsConfig(env: Readonly<Record<string, string | undefined>>): MetricsConfig {
  const reader = new EnvReader(env);
  const config: MetricsConfig = {
    base: readServiceBase(reader, 'metrics', 9104),
    kafka: readKafkaConfig(reader, 'metrics'),
    databaseUri: readDatabaseUri(reader),
  };
  reader.done();
  return config;
}
