import {
  type ConnectorSyncConfig,
  EnvReader,
  type KafkaConfig,
  readConnectorSyncConfig,
  readKafkaConfig,
  readServiceBase,
  type ServiceBaseConfig,
} from '@dev-health/config';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface GitLabConnectorConfig {
  base: ServiceBaseConfig;
  kafka: KafkaConfig;
  sync: ConnectorSyncConfig;
  /** https://gitlab.com, or a self-managed instance's base URL. */
  baseUrl: string;
  /** Records per page (GitLab allows 100). */
  pageSize: number;
  /** How far back a first sync reads activity. */
  initialHistoryDays: number;
  /** Requests kept in reserve per token: at this many left, a run waits for the reset. */
  reserve: number;
  /** Where the partial clones that commits are read from are cached (one per integration and project). */
  cloneDirectory: string;
}

export function readGitLabConnectorConfig(env: Readonly<Record<string, string | undefined>>): GitLabConnectorConfig {
  const reader = new EnvReader(env);
  const config: GitLabConnectorConfig = {
    base: readServiceBase(reader, 'connector-gitlab', 9112),
    kafka: readKafkaConfig(reader, 'connector-gitlab'),
    sync: readConnectorSyncConfig(reader),
    baseUrl: reader.url('GITLAB_URL', { protocols: ['http', 'https'], default: 'https://gitlab.com' }),
    pageSize: reader.int('GITLAB_PAGE_SIZE', { default: 100, min: 1, max: 100 }),
    initialHistoryDays: reader.int('GITLAB_INITIAL_HISTORY_DAYS', { default: 90, min: 1, max: 3_650 }),
    reserve: reader.int('GITLAB_RATE_LIMIT_RESERVE', { default: 50, min: 0, max: 100_000 }),
    cloneDirectory: path.resolve(
      reader.string('GITLAB_CLONE_DIR', { default: path.join(tmpdir(), 'dev-health-gitlab-clones') }),
    ),
  };
  reader.done();
  return config;
}
