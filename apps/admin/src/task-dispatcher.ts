import type { BackfillJob, BackfillJobView, ReplayJob } from '@dev-health/control-plane';
import type { BatchConsumer, BatchOutcome, IncomingRecord, KafkaClient } from '@dev-health/kafka';
import type { Logger } from '@dev-health/observability';
import type { BackfillJobStore, ReplayJobStore } from '@dev-health/postgres';
import { type AvroSerde, decodeBatch } from '@dev-health/registry';
import { REBUILD_REQUESTED, REPLAY_REQUESTED, TASK_CANCEL, type TaskControlTopics } from '@dev-health/runtime';
import type { ReplayPartition, SyncEvent, TaskCommand, TaskStatus, Topology } from '@dev-health/schemas';

const DAY_MS = 86_400_000;

function replayCommand(job: ReplayJob): TaskCommand {
  return {
    org_id: job.org_id,
    task_id: job.id,
    command: REPLAY_REQUESTED,
    stage: job.stage,
    from_time: job.from_time ? new Date(job.from_time).getTime() : null,
    to_time: job.to_time ? new Date(job.to_time).getTime() : null,
    from_offsets: job.from_offsets,
    // A resent replay keeps the offsets its first start captured.
    plan: job.partitions,
    generation: job.generation,
    requested_at: new Date(job.requested_at).getTime(),
  };
}

/**
 * A backfill job's rebuild: every metric key of its org in the job's range, widened to whole UTC days,
 * behind the raw topics' end offsets (the metrics stage waits until those records are stored).
 */
function rebuildCommand(job: BackfillJob, rawEnds: ReplayPartition[]): TaskCommand {
  const since = new Date(job.since).getTime();
  const before = new Date(job.before).getTime();
  return {
    org_id: job.org_id,
    task_id: job.id,
    command: REBUILD_REQUESTED,
    stage: 'metrics',
    from_time: Math.floor(since / DAY_MS) * DAY_MS,
    to_time: Math.ceil(before / DAY_MS) * DAY_MS,
    from_offsets: [],
    plan: rawEnds,
    generation: 0,
    requested_at: Date.now(),
  };
}

/**
 * The admin side of tasks: sends replay and rebuild commands (replay_jobs and backfill_jobs are the
 * outboxes; a command sent twice runs once), publishes backfill jobs' task.status, and applies the
 * task.status the stages report.
 */
export class TaskDispatcher {
  constructor(
    private readonly replays: ReplayJobStore,
    private readonly backfills: BackfillJobStore,
    private readonly control: TaskControlTopics,
    private readonly resendAfterMs: number,
    private readonly logger: Logger,
  ) {}

  /** Sends a just-queued replay's command; on failure the next tick sends it. */
  async dispatchNow(job: ReplayJob): Promise<void> {
    try {
      await this.control.sendCommand(replayCommand(job));
      await this.replays.markDispatched([job.id]);
    } catch (error: unknown) {
      this.logger.warn('could not send replay.requested now; the next tick resends it', { replay: job.id, error });
    }
  }

  async cancel(job: ReplayJob): Promise<void> {
    await this.control.sendCommand({ ...replayCommand(job), command: TASK_CANCEL });
  }

  /** The tick: (re)sends replays and rebuilds that need it; ends cancelled replays nobody confirmed. */
  async dispatchQueued(): Promise<void> {
    await this.replays.sweepCancelled(this.resendAfterMs * 2);
    const replays = await this.replays.toDispatch(this.resendAfterMs);
    for (const job of replays) await this.control.sendCommand(replayCommand(job));
    await this.replays.markDispatched(replays.map((job) => job.id));
    for (const job of replays) this.logger.info('replay.requested sent', { replay: job.id, stage: job.stage });
    const rebuilds = await this.backfills.rebuildsToDispatch(this.resendAfterMs);
    const rawEnds = rebuilds.length > 0 ? await this.control.rawEndOffsets() : [];
    for (const job of rebuilds) await this.control.sendCommand(rebuildCommand(job, rawEnds));
    await this.backfills.markRebuildDispatched(rebuilds.map((job) => job.id));
    for (const job of rebuilds) this.logger.info('rebuild.requested sent', { backfill: job.id, org: job.org_id });
  }

  /** task.status of a backfill job: state, percent of chunks done, the chunk running. */
  async publishBackfill(job: BackfillJobView): Promise<void> {
    const running = job.chunks.find((chunk) => chunk.status === 'running');
    await this.control.publishStatus({
      org_id: job.org_id,
      task_id: job.id,
      kind: 'backfill',
      stage: job.integration_id,
      state: job.status === 'succeeded' ? 'done' : job.status,
      percent: job.progress.percent,
      done: job.progress.chunks_done,
      total: job.progress.chunks_total,
      partitions: [],
      chunk: running ? running.chunk_index : null,
      message: job.error,
      at: Date.now(),
    });
  }
}

/**
 * Consumes task.status (replay progress and rebuild ends, persisted) and sync events (a finished sync
 * run may let a backfill job start its next chunk at once instead of at the next tick).
 */
export class TaskStatusListener {
  constructor(
    private readonly consumer: BatchConsumer,
    private readonly serde: AvroSerde,
    private readonly topology: Topology,
    private readonly replays: ReplayJobStore,
    private readonly backfills: BackfillJobStore,
    private readonly onSyncFinished: () => void,
    private readonly logger: Logger,
  ) {}

  static topics(topology: Topology): string[] {
    return [topology.taskStatus(), topology.syncEvents()];
  }

  start(): Promise<void> {
    return this.consumer.start((records) => this.handleBatch(records));
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  private async handleBatch(records: IncomingRecord[]): Promise<BatchOutcome> {
    if (records[0]?.topic === this.topology.syncEvents()) {
      const { decoded, rejected } = await decodeBatch<SyncEvent>(this.serde, records);
      if (decoded.some(({ decoded: event }) => event.event === 'sync.finished')) this.onSyncFinished();
      return { rejected };
    }
    const { decoded, rejected } = await decodeBatch<TaskStatus>(this.serde, records);
    for (const { decoded: status } of decoded) {
      if (status.kind === 'replay') {
        const job = await this.replays.applyStatus(status);
        if (job && job.status !== 'running')
          this.logger.info('replay ended', { replay: job.id, status: job.status, offsets: job.done });
      } else if (status.kind === 'rebuild') {
        const job = await this.backfills.applyRebuildStatus(status.task_id, status.state, status.message);
        if (job && status.state !== 'running')
          this.logger.info('backfill rebuild ended', { backfill: job.id, status: status.state });
      }
    }
    return { rejected };
  }
}

/** The admin service's consumer group on the task-status and sync-events topics. */
export function taskStatusConsumer(kafka: KafkaClient, topology: Topology): BatchConsumer {
  return kafka.createBatchConsumer({
    groupId: topology.group('admin-tasks'),
    topics: TaskStatusListener.topics(topology),
    deadLetterTopic: topology.deadLetter('admin-tasks'),
    fromBeginning: true,
  });
}
