const registeredSecrets = new Set<string>();

/** Config registers every secret it reads, so no log line or error message can carry it. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) registeredSecrets.add(value);
}

/** Removes registered secrets and credentials embedded in URLs (scheme://user:password@host). */
export function redactSecrets(text: string): string {
  let result = text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s"]*):([^@\s"]+)@/gi, '$1:***@');
  for (const secret of registeredSecrets) result = result.split(secret).join('***');
  return result;
}
