import type { SyncRun, SyncStatus } from '@dev-health/control-plane';
import type { Logger, PipelineMetrics } from '@dev-health/observability';
import { redactSecrets } from '@dev-health/observability';
import type { Provider, RawRecord, SyncEvent } from '@dev-health/schemas';
import { readIntegrationCredential } from './credential';
import type { RawPublisher } from './raw-publisher';
import type { SyncControlTopics, SyncEventName } from './sync-control';
import { recordCounts } from './sync-control';
import {
  type SyncContext,
  type SyncJob,
  type SyncRunStore,
  SyncStageError,
  SyncStoppedError,
  type SyncWatermarks,
} from './sync-job';

/** The key under which a run's records announce their expected total (the CLI's bar and ETA read it). */
export const EXPECTED_RECORDS = '_expected';

/** How a run ended here: its status, queued when handed back on shutdown, skipped when not ours to run. */
export type RunEnd = Exclude<SyncStatus, 'running'> | 'skipped';

export interface SyncRunnerOptions {
  provider: Provider;
  job: SyncJob;
  store: SyncRunStore;
  publisher: Pick<RawPublisher, 'publish'>;
  control: Pick<SyncControlTopics, 'requestSyncs' | 'publishEvent'>;
  logger: Logger;
  metrics: PipelineMetrics;
  /** Heartbeat, progress event and cancellation check period. */
  heartbeatMs: number;
}

/**
 * Runs sync runs of one provider: claims a run (queued → running), runs the job with a context that
 * counts what it publishes, heartbeats progress into sync_runs and onto the sync-events topic, and
 * ends the run. A run cancelled meanwhile is stopped at its next heartbeat. When the connector is
 * shutting down, the run goes back to queued and its command is re-sent, so another replica resumes it
 * from the watermarks saved so far.
 */
export class SyncRunner {
  constructor(private readonly options: SyncRunnerOptions) {}

  async run(queued: SyncRun, shutdown: AbortSignal): Promise<RunEnd> {
    const { store, provider, logger, metrics } = this.options;
    if (!(await store.startRun(queued.id))) {
      logger.info('sync run not started: taken or ended already', { run: queued.id });
      return 'skipped';
    }
    const run: SyncRun = { ...queued, status: 'running' };
    const integration = await store.getIntegration(run.integration_id);
    const runLogger = logger.child(`run ${run.id}`);
    const counts: Record<string, number> = {};
    const stop = new AbortController();
    let stopReason: 'cancelled' | 'shutdown' | null = null;
    const stopFor = (reason: 'cancelled' | 'shutdown') => {
      stopReason ??= reason;
      stop.abort(new SyncStoppedError(reason));
    };
    const onShutdown = () => stopFor('shutdown');
    if (shutdown.aborted) onShutdown();
    else shutdown.addEventListener('abort', onShutdown, { once: true });

    const watermarks: SyncWatermarks = {
      load: () => store.loadWatermarks(integration.id),
      save: async (entries) => {
        if (run.mode === 'backfill') return; // backfills never move incremental watermarks
        await store.saveWatermarks(integration.id, entries);
      },
    };
    const context: SyncContext = {
      run,
      integration,
      logger: runLogger,
      watermarks,
      credential: () => readIntegrationCredential(integration.credential_ref),
      httpCache: {
        load: () => store.loadHttpCache(integration.id),
        save: (entries) => store.saveHttpCache(integration.id, entries),
      },
      reportRateLimit: (rateLimit) => store.saveRateLimit(integration.id, rateLimit),
      signal: stop.signal,
      throwIfStopped: () => {
        if (stopReason) throw new SyncStoppedError(stopReason);
      },
      expect: (total) => {
        counts[EXPECTED_RECORDS] = total;
      },
      publish: async (records: RawRecord[]) => {
        context.throwIfStopped();
        // Whatever the connector stamped, a backfill run's records say so (sinks and metrics can tell).
        await this.options.publisher.publish(
          run.mode === 'backfill' ? records.map((record) => ({ ...record, sync_mode: 'backfill' as const })) : records,
          run.id,
        );
        for (const [kind, total] of Object.entries(countByKind(records))) {
          counts[kind] = (counts[kind] ?? 0) + total;
          metrics.syncRecordsPublished.inc({ provider, entity_kind: kind }, total);
        }
      },
    };

    metrics.syncRunsActive.inc({ provider });
    const timer = metrics.syncRunDuration.startTimer({ provider, mode: run.mode });
    await this.event('sync.started', run, 'running', counts);
    runLogger.info('sync run started', { integration: integration.name, org: run.org_id, mode: run.mode });
    const beat = setInterval(() => {
      void (async () => {
        if (!(await store.heartbeat(run.id, counts))) stopFor('cancelled');
        else await this.event('sync.progress', run, 'running', counts);
      })().catch((error: unknown) => runLogger.warn('heartbeat failed', { error }));
    }, this.options.heartbeatMs);

    let end: RunEnd;
    try {
      await this.options.job(context);
      context.throwIfStopped();
      await store.finishRun(run.id, { status: 'succeeded' }, counts);
      end = 'succeeded';
      runLogger.info('sync run succeeded', { records: counts });
    } catch (error: unknown) {
      end = await this.endAfterError(run, error, stopReason, counts, runLogger);
    } finally {
      clearInterval(beat);
      shutdown.removeEventListener('abort', onShutdown);
      metrics.syncRunsActive.dec({ provider });
      timer();
    }
    metrics.syncRunsFinished.inc({ provider, mode: run.mode, status: end });
    // As the store has it: a run stopped for cancellation may have been failed by the sweeper instead.
    const final = await store.getRun(run.id);
    await this.event('sync.finished', run, final.status, counts, final).catch((error: unknown) =>
      runLogger.warn('could not publish sync.finished', { error }),
    );
    if (end === 'queued') await this.options.control.requestSyncs([{ ...run, status: 'queued', provider }]);
    return end;
  }

  private async endAfterError(
    run: SyncRun,
    error: unknown,
    stopReason: 'cancelled' | 'shutdown' | null,
    counts: Record<string, number>,
    logger: Logger,
  ): Promise<RunEnd> {
    const { store } = this.options;
    if (stopReason === 'shutdown' && (await store.requeueRun(run.id, counts))) {
      logger.warn('connector stopping: sync run handed back to the queue', { records: counts });
      return 'queued';
    }
    if (stopReason === 'cancelled') {
      logger.warn('sync run stopped: it was cancelled or failed elsewhere', { records: counts });
      return 'cancelled';
    }
    const stage = error instanceof SyncStageError ? error.stage : 'sync';
    const message = redactSecrets(error instanceof Error ? error.message : String(error));
    await store.finishRun(run.id, { status: 'failed', stage, message }, counts);
    logger.error('sync run failed', { stage, error: message, records: counts });
    return 'failed';
  }

  private async event(
    name: SyncEventName,
    run: SyncRun,
    status: string,
    counts: Record<string, number>,
    ended: SyncRun | null = null,
  ): Promise<void> {
    const event: SyncEvent = {
      org_id: run.org_id,
      event: name,
      run_id: run.id,
      integration_id: run.integration_id,
      provider: this.options.provider,
      mode: run.mode,
      status,
      records: recordCounts(counts),
      error_stage: ended?.error_stage ?? null,
      error_message: ended?.error_message ?? null,
      at: Date.now(),
    };
    await this.options.control.publishEvent(event);
  }
}

function countByKind(records: readonly RawRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const record of records) counts[record.entity_kind] = (counts[record.entity_kind] ?? 0) + 1;
  return counts;
}
