import {
  EnvReader,
  type KafkaConfig,
  clickhouseHttpEndpoint,
  readKafkaConfig,
  readServiceBase,
  readSinkTarget,
  type ServiceBaseConfig,
} from '@dev-health/config';

export interface ClickHouseSinkConfig {
  base: ServiceBaseConfig;
  kafka: KafkaConfig;
  url: string;
  database: string;
}

export function readClickHouseSinkConfig(env: Readonly<Record<string, string | undefined>>): ClickHouseSinkConfig {
  const reader = new EnvReader(env);
  const target = readSinkTarget(reader, 'clickhouse');
  const endpoint = target ? clickhouseHttpEndpoint(target) : { url: '', database: undefined };
  const config: ClickHouseSinkConfig = {
    base: readServiceBase(reader, 'sink-clickhouse', 9105),
    kafka: readKafkaConfig(reader, 'sink-clickhouse'),
    url: endpoint.url,
    database: reader.string('CLICKHOUSE_DATABASE', { default: endpoint.database ?? 'devhealth' }),
  };
  reader.done();
  return config;
}
