export { SyntheticGenerator, DEFAULT_SYNTHETIC_OPTIONS, validateOptions } from './generator';
export type { SyntheticOptions } from './generator';
export { buildOrganisation, identityAliases, ORG_DOMAIN, NOREPLY_DOMAIN } from './organisation';
export type { Organisation, Person, Team, Repository, OrganisationShape } from './organisation';
export * from './payloads';
export { Random } from './random';
export { zonedIso, parseStartDate } from './time';
