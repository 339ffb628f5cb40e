import { readFileSync } from 'node:fs';
import type { SASLOptions } from '@platformatic/kafka';
import type { KafkaConfig as KafkajsConfig, SASLOptions as KafkajsSasl } from 'kafkajs';
import type { KafkaSecurity } from '@dev-health/config';
import type { ConnectionOptions } from 'node:tls';

// One KafkaSecurity (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*, KAFKA_SSL_*) in each client's own terms.

const oauthToken = (tokenFile: string): string => readFileSync(tokenFile, 'utf8').trim();

function tlsOptions(security: KafkaSecurity): ConnectionOptions | undefined {
  if (!security.tls) return undefined;
  return {
    rejectUnauthorized: true,
    ...(security.tls.ca === undefined ? {} : { ca: [security.tls.ca] }),
    ...(security.tls.serverName === undefined ? {} : { servername: security.tls.serverName }),
  };
}

export function kafkajsSecurity(security: KafkaSecurity | undefined): Pick<KafkajsConfig, 'ssl' | 'sasl'> {
  if (!security) return {};
  const tls = tlsOptions(security);
  const sasl = security.sasl;
  let saslOptions: KafkajsSasl | undefined;
  if (sasl?.mechanism === 'oauthbearer') {
    const { tokenFile } = sasl;
    saslOptions = {
      mechanism: 'oauthbearer',
      oauthBearerProvider: () => Promise.resolve({ value: oauthToken(tokenFile) }),
    };
  } else if (sasl) saslOptions = { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password };
  return { ...(tls ? { ssl: tls } : {}), ...(saslOptions ? { sasl: saslOptions } : {}) };
}

const PLATFORMATIC_MECHANISMS = {
  plain: 'PLAIN',
  'scram-sha-256': 'SCRAM-SHA-256',
  'scram-sha-512': 'SCRAM-SHA-512',
  oauthbearer: 'OAUTHBEARER',
} as const;

export function platformaticSecurity(security: KafkaSecurity | undefined): {
  tls?: ConnectionOptions;
  sasl?: SASLOptions;
} {
  if (!security) return {};
  const tls = tlsOptions(security);
  const sasl = security.sasl;
  let saslOptions: SASLOptions | undefined;
  if (sasl?.mechanism === 'oauthbearer') {
    const { tokenFile } = sasl;
    saslOptions = { mechanism: 'OAUTHBEARER', token: () => oauthToken(tokenFile) };
  } else if (sasl)
    saslOptions = {
      mechanism: PLATFORMATIC_MECHANISMS[sasl.mechanism],
      username: sasl.username,
      password: sasl.password,
    };
  return { ...(tls ? { tls } : {}), ...(saslOptions ? { sasl: saslOptions } : {}) };
}
