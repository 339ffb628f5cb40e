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

export interface GitHubConnectorConfig {
  base: ServiceBaseConfig;
  kafka: KafkaConfig;
  sync: ConnectorSyncConfig;
  /** REST and GraphQL base: https://api.github.com, or https://<host>/api/v3 for GitHub Enterprise Server. */
  apiUrl: string;
  /** Pull requests per GraphQL request (at most 100). */
  pageSize: number;
  /** Repositories per REST page. */
  listPageSize: number;
  /** How far back a first sync reads workflow runs, which cost a jobs request each. */
  initialHistoryDays: number;
  /** Requests kept in reserve per token: at this many left, a run waits for the reset. */
  reserve: number;
  /** Where the partial clones that commits are read from are cached (one per integration and repository). */
  cloneDirectory: string;
}

export function readGitHubConnectorConfig(env: Readonly<Record<string, string | undefined>>): GitHubConnectorConfig {
  const reader = new EnvReader(env);
  const config: GitHubConnectorConfig = {
    base: readServiceBase(reader, 'connector-github', 9111),
    kafka: readKafkaConfig(reader, 'connector-github'),
    sync: readConnectorSyncConfig(reader),
    apiUrl: reader.url('GITHUB_API_URL', { protocols: ['http', 'https'], default: 'https://api.github.com' }),
    pageSize: reader.int('GITHUB_PAGE_SIZE', { default: 100, min: 1, max: 100 }),
    listPageSize: reader.int('GITHUB_LIST_PAGE_SIZE', { default: 100, min: 1, max: 100 }),
    initialHistoryDays: reader.int('GITHUB_INITIAL_HISTORY_DAYS', { default: 90, min: 1, max: 3_650 }),
    reserve: reader.int('GITHUB_RATE_LIMIT_RESERVE', { default: 50, min: 0, max: 5_000 }),
    cloneDirectory: path.resolve(
      reader.string('GITHUB_CLONE_DIR', { default: path.join(tmpdir(), 'dev-health-github-clones') }),
    ),
  };
  reader.done();
  return config;
}
