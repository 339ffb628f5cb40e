import type { Integration, RunOutcome, SyncRun } from '@dev-health/control-plane';
import type { Logger } from '@dev-health/observability';
import type { RawRecord } from '@dev-health/schemas';

/** The control-plane operations a connector needs (ControlPlaneStore implements them). */
export interface SyncRunStore {
  getRun(runId: string): Promise<SyncRun>;
  getIntegration(integrationId: string): Promise<Integration>;
  /** queued → running; false when another connector took it or it ended. */
  startRun(runId: string): Promise<boolean>;
  /** false when the run is no longer running (cancelled, failed by the sweeper). */
  heartbeat(runId: string, records: Record<string, number>): Promise<boolean>;
  finishRun(runId: string, outcome: RunOutcome, records?: Record<string, number>): Promise<boolean>;
  requeueRun(runId: string, records: Record<string, number>): Promise<boolean>;
  loadWatermarks(integrationId: string): Promise<Map<string, string>>;
  loadHttpCache(integrationId: string): Promise<Map<string, CachedResponse>>;
  saveHttpCache(integrationId: string, entries: readonly ({ key: string } & CachedResponse)[]): Promise<void>;
  saveWatermarks(integrationId: string, watermarks: readonly { target: string; cursor: string }[]): Promise<void>;
  /** The provider's rate-limit window as the run last saw it: what integration health shows. */
  saveRateLimit(integrationId: string, rateLimit: RateLimitObservation): Promise<void>;
}

export interface RateLimitObservation {
  limit: number | null;
  remaining: number | null;
  /** Epoch ms when the window resets. */
  resetAt: number | null;
}

/** A failure with the stage it happened in (clone, fetch, publish, …): what integration health reports. */
export class SyncStageError extends Error {
  constructor(
    readonly stage: string,
    message: string,
  ) {
    super(message);
    this.name = 'SyncStageError';
  }
}

/** Thrown by SyncContext.throwIfStopped: the run was cancelled, or the connector is shutting down. */
export class SyncStoppedError extends Error {
  constructor(readonly reason: 'cancelled' | 'shutdown') {
    super(reason === 'cancelled' ? 'the run was cancelled' : 'the connector is shutting down');
    this.name = 'SyncStoppedError';
  }
}

/** Where an incremental sync of one integration got to, per target (e.g. "<repo>:<branch>" → sha). */
export interface SyncWatermarks {
  load(): Promise<Map<string, string>>;
  /**
   * Moves watermarks; call once the records before them are acknowledged by Kafka. A backfill run never
   * moves incremental watermarks: in backfill mode this does nothing.
   */
  save(watermarks: readonly { target: string; cursor: string }[]): Promise<void>;
}

/** A provider GET's validator and the body it validated (what a 304 stands for). */
export interface CachedResponse {
  etag: string;
  body: unknown;
}

/**
 * The integration's conditional-request cache. Save entries together with the watermarks, once what
 * their bodies produced is acknowledged: a 304 next time means "nothing to publish".
 */
export interface SyncHttpCache {
  load(): Promise<Map<string, CachedResponse>>;
  save(entries: readonly ({ key: string } & CachedResponse)[]): Promise<void>;
}

/** What a provider's sync job gets for one run. */
export interface SyncContext {
  readonly run: SyncRun;
  readonly integration: Integration;
  readonly logger: Logger;
  readonly watermarks: SyncWatermarks;
  readonly httpCache: SyncHttpCache;
  /** The integration's secret (read from its credential reference now), or null; stage "auth" on failure. */
  credential(): string | null;
  /** Records the provider's rate-limit window (limit, remaining, reset) for integration health. */
  reportRateLimit(rateLimit: RateLimitObservation): Promise<void>;
  /** Publishes raw records and counts them per entity kind for the run's progress. */
  publish(records: RawRecord[]): Promise<void>;
  /** Announces how many records the run will publish, when known (progress bars, ETA). */
  expect(total: number): void;
  /** Throws SyncStoppedError once the run was cancelled or the connector is stopping; call between batches. */
  throwIfStopped(): void;
  readonly signal: AbortSignal;
}

/** One provider's sync: everything it publishes goes through context.publish. */
export type SyncJob = (context: SyncContext) => Promise<void>;
