import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** admin: read and write in its orgs; viewer: read only. */
export const ROLES = ['admin', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: a key's role and the orgs it may touch (null: every org, an operator key). */
export interface Principal {
  keyId: string;
  name: string;
  role: Role;
  orgs: string[] | null;
}

const TOKEN = /^dho_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/**
 * A new API key: "dho_<id>_<secret>". The id finds the stored row; only a hash of the secret is
 * stored. SHA-256 rather than a slow password hash because the secret is 256 random bits: nothing to
 * brute-force, and every request verifies one.
 */
export function generateApiKey(): { id: string; secretHash: string; token: string } {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, secretHash: hashSecret(secret), token: `dho_${id}_${secret}` };
}

export function parseApiKey(token: string): { id: string; secret: string } | null {
  const match = TOKEN.exec(token);
  return match?.[1] && match[2] ? { id: match[1], secret: match[2] } : null;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time: how much of a guess matched says nothing. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** May `principal` read (or write) in `org`? Orgs outside its list are not found, not forbidden. */
export function access(principal: Principal, org: string, action: 'read' | 'write'): 'ok' | 'forbidden' | 'not-found' {
  if (principal.orgs !== null && !principal.orgs.includes(org)) return 'not-found';
  if (action === 'write' && principal.role !== 'admin') return 'forbidden';
  return 'ok';
}

/**
 * Whether `manager` may issue, see or revoke a key over `orgs` (null: every org). Operator keys manage
 * every key; an org admin only keys confined to its own orgs, so no key can mint a wider one.
 */
export function mayManageKey(manager: Principal, orgs: readonly string[] | null): boolean {
  if (manager.role !== 'admin') return false;
  if (manager.orgs === null) return true;
  return orgs !== null && orgs.length > 0 && orgs.every((org) => manager.orgs?.includes(org));
}

/** An API key as the API shows it: never its secret or hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  role: Role;
  orgs: string[] | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}
