import {
  EnvReader,
  type KafkaConfig,
  readKafkaConfig,
  readServiceBase,
  type ServiceBaseConfig,
} from '@dev-health/config';
import { type IdentityAliases, validateIdentityAliases } from '@dev-health/normalize';

export interface ProcessorConfig {
  base: ServiceBaseConfig;
  kafka: KafkaConfig;
  identityAliases: IdentityAliases;
}

export function readProcessorConfig(env: Readonly<Record<string, string | undefined>>): ProcessorConfig {
  const reader = new EnvReader(env);
  const config: ProcessorConfig = {
    base: readServiceBase(reader, 'processor', 9102),
    kafka: readKafkaConfig(reader, 'processor'),
    identityAliases: reader.json<IdentityAliases>('IDENTITY_ALIASES', validateIdentityAliases, { default: {} }),
  };
  reader.done();
  return config;
}
