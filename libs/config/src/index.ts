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
  DEFAULT_TOPIC_PARTITIONS,
  KAFKA_SASL_MECHANISMS,
  KAFKA_SECURITY_PROTOCOLS,
  TOPIC_ROLES,
  readKafkaSecurity,
  readTopicPolicy,
} from './common-config';
export type {
  KafkaClientKind,
  ConnectorSyncConfig,
  DatabaseServiceConfig,
  KafkaConfig,
  KafkaSasl,
  KafkaSecurity,
  ServiceBaseConfig,
  TopicPolicy,
  TopicRole,
} from './common-config';
export { SINK_STORES, storeOfUri, clickhouseHttpEndpoint, readSinkTargets, readSinkTarget } from './sink-targets';
export type { SinkStore } from './sink-targets';
