import type { FieldProblem } from './model';

/**
 * Credentials are never stored: an integration names where its token is, and the connector reads it
 * when it runs. "env:GITHUB_TOKEN" is an environment variable of the connector's process (a Kubernetes
 * Secret as env); "file:/var/run/secrets/github/token" is a mounted file. Rotation is the cluster's
 * business, a database dump holds no secret, and the API can echo the reference safely.
 */
export type CredentialRef = { kind: 'env'; name: string } | { kind: 'file'; path: string };

const ENV_NAME = /^[A-Z_][A-Z0-9_]{0,127}$/;

export function parseCredentialRef(value: string): CredentialRef | FieldProblem {
  const problem = (message: string): FieldProblem => ({ field: 'credential_ref', message });
  const separator = value.indexOf(':');
  const kind = separator === -1 ? '' : value.slice(0, separator);
  const target = value.slice(separator + 1);
  if (kind === 'env')
    return ENV_NAME.test(target) ? { kind, name: target } : problem('env: needs an upper-case variable name');
  if (kind === 'file')
    return target.startsWith('/') && !target.split('/').includes('..')
      ? { kind, path: target }
      : problem('file: needs an absolute path without ".."');
  return problem('must be env:<VARIABLE> or file:<absolute path> (the token itself is never accepted)');
}

export function isCredentialRef(value: CredentialRef | FieldProblem): value is CredentialRef {
  return 'kind' in value;
}

/** Reads the secret a reference names; the error names the reference, never a value. */
export function resolveCredential(
  ref: CredentialRef,
  env: Readonly<Record<string, string | undefined>>,
  readFile: (path: string) => string,
): string {
  const value = ref.kind === 'env' ? env[ref.name] : readFile(ref.path);
  if (value === undefined || value.trim() === '')
    throw new Error(
      ref.kind === 'env'
        ? `credential env:${ref.name} is not set in the connector's environment`
        : `credential file:${ref.path} is empty`,
    );
  return value.trim();
}
