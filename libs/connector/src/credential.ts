import { readFileSync } from 'node:fs';
import { processEnvironment } from '@dev-health/config';
import { isCredentialRef, parseCredentialRef, resolveCredential } from '@dev-health/control-plane';
import { registerSecret } from '@dev-health/observability';
import { SyncStageError } from './sync-job';

/**
 * The secret an integration's credential reference names (env:NAME or file:/path), read when its run
 * starts and registered for redaction; null when it has none. A bad or empty reference fails the run
 * at stage "auth", naming the reference, never a value.
 */
export function readIntegrationCredential(
  reference: string | null,
  env: Readonly<Record<string, string | undefined>> = processEnvironment(),
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): string | null {
  if (reference === null) return null;
  const parsed = parseCredentialRef(reference);
  if (!isCredentialRef(parsed)) throw new SyncStageError('auth', `credential_ref: ${parsed.message}`);
  let secret: string;
  try {
    secret = resolveCredential(parsed, env, readFile);
  } catch (error: unknown) {
    throw new SyncStageError('auth', error instanceof Error ? error.message : String(error));
  }
  registerSecret(secret);
  return secret;
}
