import {
  type ConnectorSyncConfig,
  EnvReader,
  type KafkaConfig,
  readConnectorSyncConfig,
  readKafkaConfig,
  readServiceBase,
  type ServiceBaseConfig,
} from '@dev-health/config';

export interface JiraConnectorConfig {
  base: ServiceBaseConfig;
  kafka: KafkaConfig;
  sync: ConnectorSyncConfig;
  /** How far back a first sync reads issues by their last update. */
  initialHistoryDays: number;
  /** Minutes each incremental run re-reads before its watermark (the search index trails writes). */
  overlapMinutes: number;
  /** Histories per bulk changelog page. */
  changelogPageSize: number;
  /** Hours between sweeps for deleted issues (0: every run). */
  deletionSweepHours: number;
  /** Requests kept in reserve per credential: at this many left, a run waits for the reset. */
  reserve: number;
  /** Requests in flight at once per run (per-issue changelogs, Data Center's cut changelogs). */
  concurrency: number;
}

export function readJiraConnectorConfig(env: Readonly<Record<string, string | undefined>>): JiraConnectorConfig {
  const reader = new EnvReader(env);
  const config: JiraConnectorConfig = {
    base: readServiceBase(reader, 'connector-jira', 9113),
    kafka: readKafkaConfig(reader, 'connector-jira'),
    sync: readConnectorSyncConfig(reader),
    initialHistoryDays: reader.int('JIRA_INITIAL_HISTORY_DAYS', { default: 90, min: 1, max: 3_650 }),
    overlapMinutes: reader.int('JIRA_SYNC_OVERLAP_MINUTES', { default: 5, min: 1, max: 1_440 }),
    changelogPageSize: reader.int('JIRA_CHANGELOG_PAGE_SIZE', { default: 1_000, min: 10, max: 10_000 }),
    deletionSweepHours: reader.int('JIRA_DELETION_SWEEP_HOURS', { default: 24, min: 0, max: 24 * 30 }),
    reserve: reader.int('JIRA_RATE_LIMIT_RESERVE', { default: 20, min: 0, max: 100_000 }),
    concurrency: reader.int('JIRA_MAX_CONCURRENCY', { default: 4, min: 1, max: 32 }),
  };
  reader.done();
  return config;
}
