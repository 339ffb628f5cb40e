/**
 * Organizations (tenants). An org is named by its slug everywhere data carries it: raw envelopes,
 * canonical records, metric rows, events. Records written before tenancy decode as the default org.
 */
export const DEFAULT_ORG = 'default';

/** Lower-case letters, digits and inner hyphens, at most 40: safe in ids, topic keys, URLs and SQL. */
export const ORG_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export function isOrgSlug(value: unknown): boolean {
  return typeof value === 'string' && ORG_SLUG_PATTERN.test(value);
}

/**
 * An id made unique across orgs: "acme/github:repository:acme-inc/api". The default org's ids keep
 * their pre-tenancy form, so stores written before tenancy stay valid without rewriting a key. No
 * collision is possible: a slug has no ':', and an unprefixed id has a ':' before any '/'.
 */
export function orgScopedId(org: string, id: string): string {
  return org === DEFAULT_ORG ? id : `${org}/${id}`;
}

/** The org an org-scoped id belongs to (the inverse of orgScopedId): the gateway refuses other orgs' ids. */
export function orgOfId(id: string): string {
  const slash = id.indexOf('/');
  const colon = id.indexOf(':');
  if (slash > 0 && (colon === -1 || slash < colon)) return id.slice(0, slash);
  return DEFAULT_ORG;
}
