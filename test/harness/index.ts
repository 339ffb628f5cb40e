export { stackEndpoints, missingEndpointVariables, ENDPOINT_VARIABLES } from './endpoints';
export type { StackEndpoints, EndpointVariable } from './endpoints';
export { uniqueName } from './names';
export { waitFor } from './wait-for';
export type { WaitForOptions } from './wait-for';
