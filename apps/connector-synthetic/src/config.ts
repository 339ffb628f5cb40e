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
import { DEFAULT_SYNTHETIC_OPTIONS, type SyntheticOptions, parseStartDate } from '@dev-health/synthetic';

export interface SyntheticConnectorConfig {
  base: ServiceBaseConfig;
  kafka: KafkaConfig;
  /**
   * Set (SYNTHETIC_SERVE=true): the long-running service that runs the synthetic integrations' sync runs
   * the control plane asks for, each generating the org its scope describes over these defaults.
   */
  sync: ConnectorSyncConfig | null;
  generator: SyntheticOptions;
  /** Publish the generated history (org chart + days). */
  history: boolean;
  /** Then keep emitting activity in real time until stopped. */
  live: boolean;
  liveEventsPerSecond: number;
  /** Records per second, 0 = as fast as Kafka takes them. */
  rateLimit: number;
  batchSize: number;
}

export function readSyntheticConnectorConfig(
  env: Readonly<Record<string, string | undefined>>,
): SyntheticConnectorConfig {
  const reader = new EnvReader(env);
  const defaults = DEFAULT_SYNTHETIC_OPTIONS;
  const startDate = reader.string('SYNTHETIC_START_DATE', { default: defaults.startDate });
  try {
    parseStartDate(startDate);
  } catch (error: unknown) {
    reader.problem(`SYNTHETIC_START_DATE: ${error instanceof Error ? error.message : String(error)}`);
  }
  const serve = reader.boolean('SYNTHETIC_SERVE', { default: false });
  const config: SyntheticConnectorConfig = {
    base: readServiceBase(reader, 'connector-synthetic', 9107),
    kafka: readKafkaConfig(reader, 'connector-synthetic'),
    sync: serve ? readConnectorSyncConfig(reader) : null,
    generator: {
      seed: reader.string('SYNTHETIC_SEED', { default: defaults.seed }),
      startDate,
      days: reader.int('SYNTHETIC_DAYS', { default: defaults.days, min: 1, max: 3_650 }),
      repos: reader.int('SYNTHETIC_REPOS', { default: defaults.repos, min: 1, max: 10_000 }),
      teams: reader.int('SYNTHETIC_TEAMS', { default: defaults.teams, min: 1, max: 1_000 }),
      people: reader.int('SYNTHETIC_PEOPLE', { default: defaults.people, min: 2, max: 100_000 }),
      commitsPerDay: reader.int('SYNTHETIC_COMMITS_PER_DAY', { default: defaults.commitsPerDay, min: 0 }),
      pullRequestsPerDay: reader.int('SYNTHETIC_PULL_REQUESTS_PER_DAY', {
        default: defaults.pullRequestsPerDay,
        min: 0,
        max: 99_999,
      }),
      workItemsPerDay: reader.int('SYNTHETIC_WORK_ITEMS_PER_DAY', { default: defaults.workItemsPerDay, min: 0 }),
      org: readOrg(reader),
    },
    history: reader.boolean('SYNTHETIC_HISTORY', { default: true }),
    live: reader.boolean('SYNTHETIC_LIVE', { default: false }),
    liveEventsPerSecond: reader.int('SYNTHETIC_LIVE_EVENTS_PER_SECOND', { default: 5, min: 1, max: 100_000 }),
    rateLimit: reader.int('SYNTHETIC_RATE_LIMIT', { default: 0, min: 0 }),
    batchSize: reader.int('BATCH_SIZE', { default: 2_000, min: 1, max: 100_000 }),
  };
  if (!config.history && !config.live)
    reader.problem('SYNTHETIC_HISTORY and SYNTHETIC_LIVE are both false: nothing to do');
  reader.done();
  return config;
}

/** The variables that make this connector generate `options`: for tests, benchmarks and demos that start it. */
export function syntheticEnvironment(options: SyntheticOptions): Record<string, string> {
  return {
    SYNTHETIC_SEED: options.seed,
    SYNTHETIC_START_DATE: options.startDate,
    SYNTHETIC_DAYS: String(options.days),
    SYNTHETIC_REPOS: String(options.repos),
    SYNTHETIC_TEAMS: String(options.teams),
    SYNTHETIC_PEOPLE: String(options.people),
    SYNTHETIC_COMMITS_PER_DAY: String(options.commitsPerDay),
    SYNTHETIC_PULL_REQUESTS_PER_DAY: String(options.pullRequestsPerDay),
    SYNTHETIC_WORK_ITEMS_PER_DAY: String(options.workItemsPerDay),
  };
}
