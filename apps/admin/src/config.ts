import {
  EnvReader,
  type KafkaConfig,
  readDatabaseUri,
  readKafkaConfig,
  readServiceBase,
  readSilentRunSeconds,
  type ServiceBaseConfig,
} from '@dev-health/config';

export interface AdminConfig {
  base: ServiceBaseConfig;
  /** Where sync.requested commands go. */
  kafka: KafkaConfig;
  databaseUri: string;
  /** Write requests per minute per API key (bursts up to that many). */
  writesPerMinute: number;
  /** A running sync whose connector reported nothing for this long is failed. */
  silentRunSeconds: number;
  /** A queued run no connector took for this long is failed (no connector of its provider is running). */
  queuedRunTimeoutSeconds: number;
  /** A queued run's command is sent again when no connector took it for this long. */
  commandResendSeconds: number;
  /** Seconds between sweeper/scheduler/dispatcher ticks. */
  tickSeconds: number;
}

export function readAdminConfig(env: Readonly<Record<string, string | undefined>>): AdminConfig {
  const reader = new EnvReader(env);
  const config: AdminConfig = {
    base: readServiceBase(reader, 'admin', 9110),
    databaseUri: readDatabaseUri(reader),
    writesPerMinute: reader.int('ADMIN_WRITES_PER_MINUTE', { default: 60, min: 1, max: 100_000 }),
    kafka: readKafkaConfig(reader, 'admin'),
    silentRunSeconds: readSilentRunSeconds(reader),
    queuedRunTimeoutSeconds: reader.int('SYNC_QUEUED_TIMEOUT_SECONDS', { default: 3600, min: 60, max: 7 * 86_400 }),
    commandResendSeconds: reader.int('SYNC_COMMAND_RESEND_SECONDS', { default: 60, min: 5, max: 3600 }),
    tickSeconds: reader.int('ADMIN_TICK_SECONDS', { default: 10, min: 1, max: 300 }),
  };
  reader.done();
  return config;
}

/** `create-key` needs the database only. */
export function readAdminKeyConfig(env: Readonly<Record<string, string | undefined>>): { databaseUri: string } {
  const reader = new EnvReader(env);
  const config = { databaseUri: readDatabaseUri(reader) };
  reader.done();
  return config;
}
