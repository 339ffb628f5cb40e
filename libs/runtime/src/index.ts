export { ServiceRuntime, RuntimeModule, startHttpService, startJobContext, exitOnBootFailure } from './service-runtime';
