import {
  EnvReader,
  type KafkaConfig,
  readKafkaConfig,
  readOrg,
  readServiceBase,
  type ServiceBaseConfig,
} from '@dev-health/config';

export interface GitConnectorConfig {
  base: ServiceBaseConfig;
  kafka: KafkaConfig;
  /** The org whose records this connector publishes. */
  org: string;
  /** Local repository paths to sync. */
  repositories: string[];
  /** Records per Kafka batch. */
  batchSize: number;
  /** Also publish blame for files at HEAD. */
  blame: boolean;
  blameMaxFiles: number;
  /** 0: sync once and exit (a Kubernetes Job / CronJob); >0: stay up and sync every N seconds. */
  syncIntervalSeconds: number;
}

export function readGitConnectorConfig(env: Readonly<Record<string, string | undefined>>): GitConnectorConfig {
  const reader = new EnvReader(env);
  const config: GitConnectorConfig = {
    base: readServiceBase(reader, 'connector-git', 9101),
    kafka: readKafkaConfig(reader, 'connector-git'),
    org: readOrg(reader),
    repositories: reader.list('GIT_REPOSITORIES', { minItems: 1 }),
    batchSize: reader.int('BATCH_SIZE', { default: 500, min: 1, max: 100_000 }),
    blame: reader.boolean('GIT_BLAME', { default: false }),
    blameMaxFiles: reader.int('GIT_BLAME_MAX_FILES', { default: 500, min: 1 }),
    syncIntervalSeconds: reader.int('SYNC_INTERVAL_SECONDS', { default: 0, min: 0 }),
  };
  reader.done();
  return config;
}
