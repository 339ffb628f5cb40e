export { ConfigError, EnvReader, processEnvironment } from './env-reader';
export { readDatabaseUri, readKafkaConfig, readServiceBase } from './common-config';
export type { KafkaConfig, ServiceBaseConfig } from './common-config';
