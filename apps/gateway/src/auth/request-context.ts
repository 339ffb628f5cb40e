import type { IncomingMessage } from 'node:http';
import { DEFAULT_ORG, isOrgSlug, orgOfId } from '@dev-health/schemas';
import { type Caller, type CallerAuthenticator, badInput, forbidden } from './caller';

/** What every resolver of one request (or one WebSocket connection) knows. */
export interface GatewayContext {
  caller: Caller;
  /** The org the request names outside its variables (X-Org-Id, or ?org_id=); null when it names none. */
  requestOrg: string | null;
}

/** The org a request names outside its variables: the UI sends X-Org-Id, its browser proxy also ?org_id=. */
export function requestOrgOf(headers: IncomingMessage['headers'], url: string | undefined): string | null {
  const header = headers['x-org-id'];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  const fromQuery = url ? new URL(url, 'http://gateway').searchParams.get('org_id') : null;
  const named = (fromHeader ?? fromQuery ?? '').trim();
  if (named === '') return null;
  if (fromHeader && fromQuery && fromHeader.trim() !== fromQuery.trim())
    throw badInput('X-Org-Id and ?org_id= name different organizations');
  if (!isOrgSlug(named)) throw badInput('X-Org-Id must be an org slug (lower-case letters, digits, inner hyphens)');
  return named;
}

/** The context of an HTTP request: its caller (401 without a valid token) and the org it names. */
export async function httpContext(
  authenticator: CallerAuthenticator,
  request: IncomingMessage,
): Promise<GatewayContext> {
  const authorization: string | undefined = request.headers.authorization;
  const caller = await authenticator.authenticate(authorization);
  const requestOrg = requestOrgOf(request.headers, request.url);
  // A request for an org the token does not carry is refused whole (HTTP 403) before anything runs;
  // an argument naming another org is refused by the field (FORBIDDEN in the errors).
  if (requestOrg !== null && caller.orgs !== null && !caller.orgs.includes(requestOrg))
    throw forbidden(`this token does not carry organization ${requestOrg}`);
  return { caller, requestOrg };
}

/**
 * The org an operation reads, checked against the caller: its `orgId` argument, else the request's
 * org, else the caller's only org. An argument that contradicts the request's org, or an org the
 * token does not carry, is 403.
 */
export function orgFor(context: GatewayContext, argument: string | null | undefined): string {
  const named = argument ?? context.requestOrg;
  if (argument && context.requestOrg && argument !== context.requestOrg)
    throw forbidden(`orgId ${argument} is not the organization this request is for (${context.requestOrg})`);
  // Nothing named: the token's only org, or for an operator key the default org (single-tenant installs).
  const org =
    named ??
    (context.caller.orgs === null
      ? DEFAULT_ORG
      : context.caller.orgs.length === 1
        ? context.caller.orgs[0]
        : undefined);
  if (!org) throw badInput('name the organization: the orgId argument, the X-Org-Id header or ?org_id=');
  if (!isOrgSlug(org)) throw badInput('orgId must be an org slug (lower-case letters, digits, inner hyphens)');
  if (context.caller.orgs !== null && !context.caller.orgs.includes(org))
    throw forbidden(`this token does not carry organization ${org}`);
  return org;
}

/**
 * The org of a data-health read, whose only argument is `team`: the literal "ALL" and an org slug
 * mean the whole org; a canonical team id means its org (connectors and identities are org-wide).
 */
export function orgForTeam(context: GatewayContext, team: string): string {
  if (team === 'ALL') return orgFor(context, null);
  if (isOrgSlug(team)) return orgFor(context, team);
  const org = orgOfId(team);
  return orgFor(context, org);
}
