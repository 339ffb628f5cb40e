import { DEFAULT_ORG, orgScopedId } from '@dev-health/schemas';

/** Alias map: canonical email → other emails (and provider logins, "github:octocat") of the same person. */
export type IdentityAliases = Record<string, string[]>;

/**
 * Identity ids do not depend on a provider: one person, one id, across git, GitHub, GitLab and Jira.
 * They do depend on the org: the same address in two orgs is two people as far as either org can see.
 */
export function identityId(org: string, primaryEmail: string): string {
  return orgScopedId(org, `identity:${primaryEmail}`);
}

export interface ResolvedIdentity {
  id: string;
  primaryEmail: string;
}

/**
 * Resolves an email or login to one identity of one org: emails are lower-cased and trimmed, then
 * mapped through the alias table. Unknown emails are their own identity.
 */
export class IdentityResolver {
  /** The alias table, built once and shared by the resolvers of every org. */
  private readonly table: AliasTable;

  constructor(
    aliases: IdentityAliases | AliasTable = {},
    readonly org: string = DEFAULT_ORG,
  ) {
    this.table = aliases instanceof AliasTable ? aliases : new AliasTable(aliases);
  }

  /** The same alias table, resolving to the identities of `org`. */
  inOrg(org: string): IdentityResolver {
    if (org === this.org) return this;
    let resolver = this.table.resolvers.get(org);
    if (!resolver) {
      resolver = new IdentityResolver(this.table, org);
      this.table.resolvers.set(org, resolver);
    }
    return resolver;
  }

  resolve(emailOrLogin: string): ResolvedIdentity {
    const normalized = normalizeEmail(emailOrLogin);
    const primaryEmail = this.table.canonicalByAlias.get(normalized) ?? normalized;
    return { id: identityId(this.org, primaryEmail), primaryEmail };
  }

  /** Every known address of the identity that `primaryEmail` names (for the identity record). */
  aliasesOf(primaryEmail: string): string[] {
    return this.table.aliasesByCanonical.get(primaryEmail) ?? [];
  }
}

/** Alias → primary email, and primary email → every alias; one per processor, whatever the orgs. */
class AliasTable {
  readonly canonicalByAlias = new Map<string, string>();
  /** Built once: an identity record per commit asks for these, and a scan of every alias was 6 % of the processor. */
  readonly aliasesByCanonical = new Map<string, string[]>();
  /** A resolver per org, made on first use. */
  readonly resolvers = new Map<string, IdentityResolver>();

  constructor(aliases: IdentityAliases) {
    for (const [canonical, others] of Object.entries(aliases)) {
      const primary = normalizeEmail(canonical);
      this.canonicalByAlias.set(primary, primary);
      for (const alias of others) this.canonicalByAlias.set(normalizeEmail(alias), primary);
    }
    for (const [alias, canonical] of this.canonicalByAlias)
      this.aliasesByCanonical.set(canonical, [...(this.aliasesByCanonical.get(canonical) ?? []), alias]);
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function validateIdentityAliases(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'must be a JSON object {"primary@x": ["alias@y", ...]}';
  for (const [key, aliases] of Object.entries(value)) {
    if (!Array.isArray(aliases) || aliases.some((alias) => typeof alias !== 'string'))
      return `entry "${key}" must be an array of strings`;
  }
  return undefined;
}
