export { ConfigError, EnvReader, processEnvironment } from './env-reader';
export { readDatabaseServiceConfig, readDatabaseUri, readKafkaConfig, readOrg, readServiceBase } from './common-config';
export type { DatabaseServiceConfig, KafkaConfig, ServiceBaseConfig } from './common-config';
export { SINK_STORES, storeOfUri, clickhouseHttpEndpoint, readSinkTargets, readSinkTarget } from './sink-targets';
export type { SinkStore } from './sink-targets';
