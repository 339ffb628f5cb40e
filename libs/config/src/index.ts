export { ConfigError, EnvReader, processEnvironment } from './env-reader';
export {
  readConnectorSyncConfig,
  readDatabaseServiceConfig,
  readDatabaseUri,
  readKafkaConfig,
  readOrg,
  readServiceBase,
  readSilentRunSeconds,
} from './common-config';
export type { ConnectorSyncConfig, DatabaseServiceConfig, KafkaConfig, ServiceBaseConfig } from './common-config';
export { SINK_STORES, storeOfUri, clickhouseHttpEndpoint, readSinkTargets, readSinkTarget } from './sink-targets';
export type { SinkStore } from './sink-targets';
