import { GraphQLError } from 'graphql';
import { type JWTPayload, type JWTVerifyGetKey, createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { Principal } from '@dev-health/control-plane';
import { isOrgSlug } from '@dev-health/schemas';
import type { GatewayAuthConfig } from '../config';

/** Who is calling: the orgs they may read (null: every org, an operator API key). */
export interface Caller {
  subject: string;
  orgs: readonly string[] | null;
  via: 'api-key' | 'jwt';
}

/** 401: no credential, or one that does not verify. */
export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/** 403: a valid caller asking for an org its credential does not carry. */
export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
}

export function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
}

/**
 * Verifies the bearer credential of a request or a WebSocket connection: the admin API's keys
 * (`dho_…`, checked against the control plane) or a JWT signed with the configured secret (HS256) or
 * a key of the configured JWKS. A JWT names its orgs in `org_id` (the UI's session claim) or `orgs`.
 */
export class CallerAuthenticator {
  private readonly jwks: JWTVerifyGetKey | null;
  private readonly secret: Uint8Array | null;

  constructor(
    private readonly config: GatewayAuthConfig,
    private readonly apiKeys: (token: string) => Promise<Principal | null>,
  ) {
    this.secret = config.jwtSecret === null ? null : new TextEncoder().encode(config.jwtSecret);
    this.jwks = config.jwksUrl === null ? null : createRemoteJWKSet(new URL(config.jwksUrl));
  }

  /** The caller behind an `Authorization` value, or a 401 naming what is wrong (never the token). */
  async authenticate(authorization: string | undefined | null): Promise<Caller> {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (!token) throw unauthenticated('a bearer token is required: Authorization: Bearer <token>');
    if (token.startsWith('dho_')) {
      const principal = await this.apiKeys(token);
      if (!principal) throw unauthenticated('the API key is not valid');
      return { subject: `api-key:${principal.keyId}`, orgs: principal.orgs, via: 'api-key' };
    }
    return this.verifyJwt(token);
  }

  private async verifyJwt(token: string): Promise<Caller> {
    if (this.secret === null && this.jwks === null)
      throw unauthenticated('JWTs are not accepted here (no GATEWAY_JWT_SECRET or GATEWAY_JWKS_URL); use an API key');
    const options = {
      ...(this.config.jwtIssuer === null ? {} : { issuer: this.config.jwtIssuer }),
      ...(this.config.jwtAudience === null ? {} : { audience: this.config.jwtAudience }),
    };
    // An HS256 token is checked with the secret; any other with the key set. A token whose kind this
    // gateway has no key for fails like a bad signature.
    let payload: JWTPayload;
    try {
      const symmetric = decodeProtectedHeader(token).alg === 'HS256';
      if (symmetric && this.secret !== null)
        payload = (await jwtVerify(token, this.secret, { ...options, algorithms: ['HS256'] })).payload;
      else if (!symmetric && this.jwks !== null)
        payload = (await jwtVerify(token, this.jwks, { ...options, algorithms: ['RS256', 'ES256', 'PS256', 'EdDSA'] }))
          .payload;
      else throw Object.assign(new Error('no key for this algorithm'), { code: 'ERR_JOSE_ALG_NOT_ALLOWED' });
    } catch (error: unknown) {
      // jose's codes say why (expired, bad signature, wrong audience) without echoing the token.
      const code = (error as { code?: string }).code ?? 'ERR_JWT_INVALID';
      throw unauthenticated(`the token does not verify (${code})`);
    }
    const orgs = orgsOf(payload);
    if (orgs.length === 0) throw forbidden('the token names no organization (org_id or orgs claim)');
    return { subject: `jwt:${payload.sub ?? 'unknown'}`, orgs, via: 'jwt' };
  }
}

function orgsOf(payload: JWTPayload): string[] {
  const claims = [payload.org_id, payload.orgs, payload.org_ids].flatMap((claim: unknown): unknown[] =>
    Array.isArray(claim) ? (claim as unknown[]) : claim === undefined ? [] : [claim],
  );
  return [...new Set(claims.filter((org): org is string => typeof org === 'string' && isOrgSlug(org)))];
}
