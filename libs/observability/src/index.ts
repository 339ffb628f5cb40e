export { JsonLogger, NestLoggerAdapter } from './logger';
export type { Logger, LogFields, LogLevel, LogSink } from './logger';
export { redactSecrets, registerSecret } from './redact';
export { PipelineMetrics } from './metrics';
export { HealthState } from './health';
export type { CheckResult, LivenessCheck, ReadinessProbe } from './health';
export { ObservabilityController, ObservabilityModule } from './observability.controller';
