import { SyncStageError } from '@dev-health/connector';
import { registerSecret } from '@dev-health/observability';

/** A GitHub App installation: what an integration's credential holds as JSON instead of a token. */
export interface GitHubAppCredential {
  appId: number;
  installationId: number;
  privateKey: string;
}

/**
 * Reads an integration's secret: a token as is, or a GitHub App installation as JSON
 * (`{"app_id", "installation_id", "private_key"}`). A malformed App document fails the run at stage
 * "auth", naming the field, never a value.
 */
export function parseGitHubCredential(secret: string | null): string | GitHubAppCredential | null {
  if (secret === null || !secret.trimStart().startsWith('{')) return secret;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(secret) as Record<string, unknown>;
  } catch {
    throw new SyncStageError('auth', 'the GitHub App credential is not valid JSON');
  }
  const appId = Number(parsed.app_id);
  const installationId = Number(parsed.installation_id);
  for (const [field, value] of [
    ['app_id', appId],
    ['installation_id', installationId],
  ] as const)
    if (!Number.isInteger(value) || value <= 0)
      throw new SyncStageError('auth', `the GitHub App credential needs ${field} (a positive integer)`);
  if (typeof parsed.private_key !== 'string' || !parsed.private_key.includes('PRIVATE KEY'))
    throw new SyncStageError('auth', 'the GitHub App credential needs private_key (PEM)');
  // The document was registered whole; the key alone must be redacted too.
  registerSecret(parsed.private_key);
  return { appId, installationId, privateKey: parsed.private_key };
}
