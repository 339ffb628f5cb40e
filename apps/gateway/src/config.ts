import { EnvReader, readDatabaseUri, readServiceBase, type ServiceBaseConfig } from '@dev-health/config';

export interface GatewayConfig {
  base: ServiceBaseConfig;
  databaseUri: string;
}

export function readGatewayConfig(env: Readonly<Record<string, string | undefined>>): GatewayConfig {
  const reader = new EnvReader(env);
  const config: GatewayConfig = {
    base: readServiceBase(reader, 'gateway', 4000),
    databaseUri: readDatabaseUri(reader),
  };
  reader.done();
  return config;
}
