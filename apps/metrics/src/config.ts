import { type DatabaseServiceConfig, readDatabaseServiceConfig } from '@dev-health/config';

export type MetricsConfig = DatabaseServiceConfig;

export function readMetricsConfig(env: Readonly<Record<string, string | undefined>>): MetricsConfig {
  return readDatabaseServiceConfig(env, 'metrics', 9104);
}
