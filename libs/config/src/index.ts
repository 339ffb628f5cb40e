export { ConfigError, EnvReader, processEnvironment } from './env-reader';
export {
  readConnectorSyncConfig,
  readDatabaseServiceConfig,
  readDatabaseUri,
  readKafkaConfig,
  readOrg,
  readServiceBase,
  readSilentRunSeconds,
  KAFKA_CLIENTS,
  DEFAULT_KAFKA_CLIENT,
} from './common-config';
export type {
  KafkaClientKind,
  ConnectorSyncConfig,
  DatabaseServiceConfig,
  KafkaConfig,
  ServiceBaseConfig,
} from './common-config';
export { SINK_STORES, storeOfUri, clickhouseHttpEndpoint, readSinkTargets, readSinkTarget } from './sink-targets';
export type { SinkStore } from './sink-targets';
