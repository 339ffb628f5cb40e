import {
  type ConnectorSyncConfig,
  EnvReader,
  type KafkaConfig,
  readConnectorSyncConfig,
  readKafkaConfig,
  readOrg,
  readServiceBase,
  type ServiceBaseConfig,
} from '@dev-health/config';

export interface GitConnectorConfig {
  base: ServiceBaseConfig;
  kafka: KafkaConfig;
  sync: ConnectorSyncConfig;
  /**
   * Set: run one sync of these local repository paths and exit (a Kubernetes Job, local use), as the
   * integration INTEGRATION_NAME of ORG_ID (created or updated to these paths). Empty: the
   * long-running service that runs the syncs the control plane asks for.
   */
  repositories: string[];
  org: string;
  integrationName: string;
  /** Records per Kafka batch. */
  batchSize: number;
  /** Also publish blame for files at HEAD. */
  blame: boolean;
  blameMaxFiles: number;
}

export function readGitConnectorConfig(env: Readonly<Record<string, string | undefined>>): GitConnectorConfig {
  const reader = new EnvReader(env);
  const config: GitConnectorConfig = {
    base: readServiceBase(reader, 'connector-git', 9101),
    kafka: readKafkaConfig(reader, 'connector-git'),
    sync: readConnectorSyncConfig(reader),
    repositories: reader.list('GIT_REPOSITORIES', { default: [] }),
    org: readOrg(reader),
    integrationName: reader.string('INTEGRATION_NAME', { default: 'git-local' }),
    batchSize: reader.int('BATCH_SIZE', { default: 500, min: 1, max: 100_000 }),
    blame: reader.boolean('GIT_BLAME', { default: false }),
    blameMaxFiles: reader.int('GIT_BLAME_MAX_FILES', { default: 500, min: 1 }),
  };
  reader.done();
  return config;
}
