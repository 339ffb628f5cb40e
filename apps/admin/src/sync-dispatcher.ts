import type { SyncRun } from '@dev-health/control-plane';
import type { SyncControlTopics } from '@dev-health/connector';
import type { Logger, PipelineMetrics } from '@dev-health/observability';
import type { ControlPlaneStore } from '@dev-health/postgres';
import type { Provider } from '@dev-health/schemas';

/**
 * Sends sync.requested for queued runs: at once for a run requested over the API, and on every tick
 * for queued runs whose command was never sent (the scheduler's, or the API's when Kafka was down) or
 * not taken within `resendAfterMs`. sync_runs is the outbox; a command sent twice starts one run,
 * because a connector must claim the run (queued → running) before it syncs anything.
 */
export class SyncDispatcher {
  constructor(
    private readonly store: ControlPlaneStore,
    private readonly control: SyncControlTopics,
    private readonly resendAfterMs: number,
    private readonly logger: Logger,
    private readonly metrics: PipelineMetrics,
  ) {}

  /** Sends a just-queued run's command; a failure is logged, and the next tick sends it. */
  async dispatchNow(run: SyncRun, provider: Provider): Promise<void> {
    try {
      await this.send([{ ...run, provider }]);
    } catch (error: unknown) {
      this.logger.warn('could not send sync.requested now; the next tick resends it', { run: run.id, error });
    }
  }

  /** The tick: (re)sends every queued run that needs it. */
  async dispatchQueued(): Promise<number> {
    const runs = await this.store.runsToDispatch(this.resendAfterMs);
    await this.send(runs);
    return runs.length;
  }

  private async send(runs: (SyncRun & { provider: Provider })[]): Promise<void> {
    if (runs.length === 0) return;
    await this.control.requestSyncs(runs);
    await this.store.markDispatched(runs.map((run) => run.id));
    this.metrics.syncCommandsDispatched.inc(runs.length);
    for (const run of runs)
      this.logger.info('sync.requested sent', { run: run.id, integration: run.integration_id, provider: run.provider });
  }
}
