import { NotFoundError } from '@dev-health/control-plane';
import type { BatchConsumer, BatchContext, BatchOutcome, IncomingRecord } from '@dev-health/kafka';
import type { Logger } from '@dev-health/observability';
import { decodeBatch, type AvroSerde } from '@dev-health/registry';
import type { Provider, SyncCommand, Topology } from '@dev-health/schemas';
import { SYNC_REQUESTED } from './sync-control';
import type { SyncRunStore } from './sync-job';
import type { SyncRunner } from './sync-runner';

export interface SyncCommandServiceOptions {
  provider: Provider;
  /** Runs of this provider running at once in this process; further commands wait (and are not committed). */
  maxConcurrentRuns: number;
}

/** The consumer group of a provider's connector replicas on a commands stream (incremental or backfill). */
export function commandsGroup(
  topology: Topology,
  provider: Provider,
  stream: 'incremental' | 'backfill' = 'incremental',
): string {
  return topology.group(stream === 'backfill' ? `connector-${provider}-backfill` : `connector-${provider}`);
}

/**
 * A connector's long-running side: consumes sync.requested for its provider and runs each with the
 * SyncRunner, at most `maxConcurrentRuns` at once. A command's offset is committed once its run is
 * launched; a run that was never claimed (the process died in between) stays queued in sync_runs and
 * the admin service re-sends its command. Commands for other providers, or for runs that are not
 * queued any more (a duplicate), are skipped.
 */
export class SyncCommandService {
  private readonly running = new Set<Promise<unknown>>();
  private readonly shutdown = new AbortController();
  private readonly slotFreed = new Set<() => void>();

  constructor(
    private readonly consumer: BatchConsumer,
    private readonly serde: AvroSerde,
    private readonly store: SyncRunStore,
    private readonly runner: SyncRunner,
    private readonly logger: Logger,
    private readonly options: SyncCommandServiceOptions,
  ) {}

  get activeRuns(): number {
    return this.running.size;
  }

  start(): Promise<void> {
    return this.consumer.start((records, context) => this.handleBatch(records, context));
  }

  /** Stops consuming, asks running syncs to hand their runs back, and waits for them (up to `graceMs`). */
  async stop(graceMs = 20_000): Promise<void> {
    this.shutdown.abort();
    for (const wake of this.slotFreed) wake();
    await this.consumer.stop();
    const settled = Promise.allSettled([...this.running]);
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
  }

  private async handleBatch(records: IncomingRecord[], context: BatchContext): Promise<BatchOutcome> {
    const { decoded, rejected } = await decodeBatch<SyncCommand>(this.serde, records);
    for (const { decoded: command } of decoded) {
      if (command.provider !== this.options.provider || command.command !== SYNC_REQUESTED) continue;
      await this.waitForSlot(context);
      if (this.shutdown.signal.aborted) throw new Error('stopping: the command will be redelivered');
      const run = await this.store.getRun(command.run_id).catch((error: unknown) => {
        if (error instanceof NotFoundError) return null;
        throw error;
      });
      if (!run || run.status !== 'queued') {
        this.logger.debug('sync command skipped: the run is not queued', { run: command.run_id, status: run?.status });
        continue;
      }
      const work = this.runner.run(run, this.shutdown.signal).catch((error: unknown) => {
        this.logger.error('sync run crashed', { run: run.id, error });
      });
      this.running.add(work);
      void work.finally(() => {
        this.running.delete(work);
        for (const wake of this.slotFreed) wake();
      });
    }
    return { rejected };
  }

  /** Waits, heartbeating the consumer group, until fewer than maxConcurrentRuns are running. */
  private async waitForSlot(context: BatchContext): Promise<void> {
    while (this.running.size >= this.options.maxConcurrentRuns && !this.shutdown.signal.aborted) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.slotFreed.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, 1_000);
        this.slotFreed.add(wake);
      });
      await context.heartbeat().catch(() => undefined);
    }
  }
}
