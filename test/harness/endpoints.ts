/** Where the integration tests find the real servers. Same names for the local stack and Docker. */
export interface StackEndpoints {
  kafkaBrokers: string[];
  schemaRegistryUrl: string;
  databaseUri: string;
  clickhouseUrl: string;
  mongodbUri: string;
}

export const ENDPOINT_VARIABLES = [
  'KAFKA_BROKERS',
  'SCHEMA_REGISTRY_URL',
  'DATABASE_URI',
  'CLICKHOUSE_URL',
  'MONGODB_URI',
] as const;

export type EndpointVariable = (typeof ENDPOINT_VARIABLES)[number];

export function missingEndpointVariables(env: NodeJS.ProcessEnv = process.env): EndpointVariable[] {
  return ENDPOINT_VARIABLES.filter((name) => !env[name]?.trim());
}

export function stackEndpoints(env: NodeJS.ProcessEnv = process.env): StackEndpoints {
  const missing = missingEndpointVariables(env);
  if (missing.length > 0) {
    throw new Error(
      `integration tests need ${missing.join(', ')}: start the local stack (scripts/stack start; eval "$(scripts/stack env)") or a Docker engine`,
    );
  }
  const read = (name: EndpointVariable): string => (env[name] ?? '').trim();
  return {
    kafkaBrokers: read('KAFKA_BROKERS')
      .split(',')
      .map((broker) => broker.trim())
      .filter(Boolean),
    schemaRegistryUrl: read('SCHEMA_REGISTRY_URL'),
    databaseUri: read('DATABASE_URI'),
    clickhouseUrl: read('CLICKHOUSE_URL'),
    mongodbUri: read('MONGODB_URI'),
  };
}

/** The broker's SASL_SSL listener (TLS with a self-signed CA, SCRAM users), as the local stack provides it. */
export interface SaslSslEndpoint {
  brokers: string[];
  username: string;
  password: string;
  caFile: string;
}

const SASL_SSL_VARIABLES = [
  'KAFKA_SASL_SSL_BROKERS',
  'KAFKA_SASL_SSL_USERNAME',
  'KAFKA_SASL_SSL_PASSWORD',
  'KAFKA_SASL_SSL_CA_FILE',
] as const;

/** Throws, naming what is missing, when the stack has no SASL_SSL listener. */
export function saslSslEndpoint(env: NodeJS.ProcessEnv = process.env): SaslSslEndpoint {
  const missing = SASL_SSL_VARIABLES.filter((name) => !env[name]?.trim());
  if (missing.length > 0)
    throw new Error(`the TLS + SCRAM test needs ${missing.join(', ')}: the local stack (scripts/stack) provides them`);
  return {
    brokers: (env.KAFKA_SASL_SSL_BROKERS ?? '').split(',').map((broker) => broker.trim()),
    username: env.KAFKA_SASL_SSL_USERNAME ?? '',
    password: env.KAFKA_SASL_SSL_PASSWORD ?? '',
    caFile: env.KAFKA_SASL_SSL_CA_FILE ?? '',
  };
}
