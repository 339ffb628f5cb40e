import {
  EnvReader,
  clickhouseHttpEndpoint,
  readDatabaseUri,
  readKafkaConfig,
  readServiceBase,
  type KafkaConfig,
  type ServiceBaseConfig,
} from '@dev-health/config';

export const ANALYTICS_STORES = ['clickhouse', 'postgres'] as const;
export type AnalyticsStoreName = (typeof ANALYTICS_STORES)[number];

/** How callers prove who they are: admin API keys always; JWTs when a secret or a JWKS is configured. */
export interface GatewayAuthConfig {
  /** HS256 shared secret (GATEWAY_JWT_SECRET). */
  jwtSecret: string | null;
  /** RS256/ES256 key set (GATEWAY_JWKS_URL). */
  jwksUrl: string | null;
  /** Required `iss` / `aud` when set. */
  jwtIssuer: string | null;
  jwtAudience: string | null;
}

/** What one request may ask for: the limits named in their errors. */
export interface GatewayLimits {
  maxDepth: number;
  maxAliases: number;
  /** Fields selected, each list field counted with its children once more (a cheap cost estimate). */
  maxComplexity: number;
  maxWindowDays: number;
  maxPageSize: number;
  /** Statement timeout of every store read, so one slow query cannot hold a request. */
  queryTimeoutMs: number;
  /** How long a dashboard answer (Home) may be served again unless a change of its org arrives first; 0: never. */
  resultCacheSeconds: number;
}

export interface GatewayConfig {
  base: ServiceBaseConfig;
  databaseUri: string;
  /** Where analytics reads go (GATEWAY_ANALYTICS_STORE); Postgres is the fallback store. */
  analyticsStore: AnalyticsStoreName;
  clickhouse: { url: string; database: string } | null;
  kafka: KafkaConfig;
  auth: GatewayAuthConfig;
  limits: GatewayLimits;
  introspection: boolean;
  /** Responses carry `extensions.statements` (for tests of the statement count per operation). */
  diagnostics: boolean;
  /** Browser origins allowed to call; `*`-free on purpose. */
  allowedOrigins: string[];
}

export function readGatewayConfig(env: Readonly<Record<string, string | undefined>>): GatewayConfig {
  const reader = new EnvReader(env);
  const clickhouseUrl = reader.optionalString('CLICKHOUSE_URL', { secret: true });
  const analyticsStore = reader.oneOf('GATEWAY_ANALYTICS_STORE', ANALYTICS_STORES, {
    default: clickhouseUrl ? 'clickhouse' : 'postgres',
  });
  if (analyticsStore === 'clickhouse' && !clickhouseUrl)
    reader.problem('CLICKHOUSE_URL is required when GATEWAY_ANALYTICS_STORE is clickhouse');
  const endpoint = clickhouseUrl ? clickhouseHttpEndpoint(clickhouseUrl) : null;
  const production = env.NODE_ENV === 'production';
  const config: GatewayConfig = {
    base: readServiceBase(reader, 'gateway', 4000),
    databaseUri: readDatabaseUri(reader),
    analyticsStore,
    clickhouse: endpoint
      ? {
          url: endpoint.url,
          database: reader.string('CLICKHOUSE_DATABASE', { default: endpoint.database ?? 'devhealth' }),
        }
      : null,
    kafka: readKafkaConfig(reader, 'gateway'),
    auth: {
      jwtSecret: reader.optionalString('GATEWAY_JWT_SECRET', { secret: true }) ?? null,
      jwksUrl: reader.optionalString('GATEWAY_JWKS_URL') ?? null,
      jwtIssuer: reader.optionalString('GATEWAY_JWT_ISSUER') ?? null,
      jwtAudience: reader.optionalString('GATEWAY_JWT_AUDIENCE') ?? null,
    },
    limits: {
      maxDepth: reader.int('GATEWAY_MAX_DEPTH', { default: 12, min: 2, max: 64 }),
      maxAliases: reader.int('GATEWAY_MAX_ALIASES', { default: 30, min: 1, max: 1000 }),
      maxComplexity: reader.int('GATEWAY_MAX_COMPLEXITY', { default: 2_000, min: 10, max: 1_000_000 }),
      maxWindowDays: reader.int('GATEWAY_MAX_WINDOW_DAYS', { default: 730, min: 1, max: 3_650 }),
      maxPageSize: reader.int('GATEWAY_MAX_PAGE_SIZE', { default: 1_000, min: 1, max: 100_000 }),
      queryTimeoutMs: reader.int('GATEWAY_QUERY_TIMEOUT_MS', { default: 10_000, min: 100, max: 600_000 }),
      resultCacheSeconds: reader.int('GATEWAY_RESULT_CACHE_SECONDS', { default: 5, min: 0, max: 3_600 }),
    },
    introspection: reader.boolean('GATEWAY_INTROSPECTION', { default: !production }),
    diagnostics: reader.boolean('GATEWAY_DIAGNOSTICS', { default: false }),
    allowedOrigins: reader.list('GATEWAY_ALLOWED_ORIGINS', { default: [] }),
  };
  if (config.auth.jwtSecret !== null && config.auth.jwtSecret.length < 32)
    reader.problem('GATEWAY_JWT_SECRET must be at least 32 characters');
  if (config.auth.jwksUrl !== null && !/^https?:\/\//.test(config.auth.jwksUrl))
    reader.problem('GATEWAY_JWKS_URL must be an http(s) URL');
  reader.done();
  return config;
}
