import { EnvReader } from '@dev-health/config';

export interface CliConfig {
  /** The admin API's base URL (DHO_API_URL). */
  apiUrl: string;
  /** An API key (DHO_API_KEY); --key overrides it. */
  apiKey: string | undefined;
}

export function readCliConfig(env: Readonly<Record<string, string | undefined>>): CliConfig {
  const reader = new EnvReader(env);
  const config: CliConfig = {
    apiUrl: reader.url('DHO_API_URL', { protocols: ['http', 'https'], default: 'http://127.0.0.1:9110' }),
    apiKey: reader.optionalString('DHO_API_KEY', { secret: true }),
  };
  reader.done();
  return config;
}
