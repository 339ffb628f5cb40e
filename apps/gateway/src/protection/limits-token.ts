/** The request limits (GatewayLimits) as a Nest injection token. */
export const GatewayLimitsToken = Symbol('GatewayLimits');
