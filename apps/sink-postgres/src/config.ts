import { type DatabaseServiceConfig, readDatabaseServiceConfig } from '@dev-health/config';

export type PostgresSinkConfig = DatabaseServiceConfig;

export function readPostgresSinkConfig(env: Readonly<Record<string, string | undefined>>): PostgresSinkConfig {
  return readDatabaseServiceConfig(env, 'sink-postgres', 9103);
}
