import { stackEndpoints } from './endpoints';
import { uniqueName } from './names';

/** What every pipeline service of one test or benchmark needs: the stack's endpoints and fresh names. */
export interface PipelineEnvironment {
  env: Record<string, string>;
  prefix: string;
  clickhouseDatabase: string;
  mongoUri: string;
}

/** A fresh topic prefix, ClickHouse database and Mongo database for `label`, on the given Postgres database. */
export function pipelineEnvironment(label: string, databaseUri: string): PipelineEnvironment {
  const endpoints = stackEndpoints();
  const prefix = uniqueName(label);
  const clickhouseDatabase = uniqueName(`${label}_ch`);
  const mongoUri = new URL(endpoints.mongodbUri);
  mongoUri.pathname = `/${uniqueName(`${label}_mongo`)}`;
  const env: Record<string, string> = {
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
    DATABASE_URI: databaseUri,
    CLICKHOUSE_URL: endpoints.clickhouseUrl,
    CLICKHOUSE_DATABASE: clickhouseDatabase,
    MONGODB_URI: mongoUri.toString(),
    TOPIC_PREFIX: prefix,
  };
  return { env, prefix, clickhouseDatabase, mongoUri: mongoUri.toString() };
}
