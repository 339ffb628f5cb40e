import { EnvReader, readDatabaseUri, readServiceBase, type ServiceBaseConfig } from '@dev-health/config';

export interface AdminConfig {
  base: ServiceBaseConfig;
  databaseUri: string;
  /** Write requests per minute per API key (bursts up to that many). */
  writesPerMinute: number;
  /** A running sync whose connector reported nothing for this long is failed. */
  silentRunSeconds: number;
}

export function readAdminConfig(env: Readonly<Record<string, string | undefined>>): AdminConfig {
  const reader = new EnvReader(env);
  const config: AdminConfig = {
    base: readServiceBase(reader, 'admin', 9110),
    databaseUri: readDatabaseUri(reader),
    writesPerMinute: reader.int('ADMIN_WRITES_PER_MINUTE', { default: 60, min: 1, max: 100_000 }),
    silentRunSeconds: reader.int('SYNC_SILENT_RUN_SECONDS', { default: 300, min: 10, max: 86_400 }),
  };
  reader.done();
  return config;
}
