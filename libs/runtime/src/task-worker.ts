import type { BatchConsumer, BatchContext, BatchOutcome, IncomingRecord, RecordProducer } from '@dev-health/kafka';
import { decodeBatch } from '@dev-health/registry';
import type { ReplayPartition, TaskCommand, TaskStatus } from '@dev-health/schemas';
import { waitUntilStored } from './pipeline-barrier';
import { planReplay, replayProgress, replayStartOf, withinPlan } from './replay-plan';
import type { ServiceRuntime } from './service-runtime';
import {
  REBUILD_REQUESTED,
  REPLAY_REQUESTED,
  type ReplayStage,
  TASK_CANCEL,
  TaskControlTopics,
  type TaskState,
} from './task-control';

/** What a stage service tells the worker about itself: how it consumes, and how it processes a replayed batch. */
export interface StageTasks {
  stage: ReplayStage;
  /** The live consumer group; a replay consumes as `<group>.replay.<task id>` beside it. */
  group: string;
  /** The input topics a replay reprocesses. */
  topics: string[];
  deadLetterTopic: string;
  /** Processes a replayed batch, already narrowed to the task's org and to the offsets planned. */
  replay(records: IncomingRecord[], context: BatchContext, command: TaskCommand): Promise<BatchOutcome>;
  /** Metrics only: recomputes an org's keys with data in [start, end); resolves with how many. */
  rebuild?(
    org: string,
    range: { start: number; end: number },
    progress: (done: number, total: number) => void,
  ): Promise<number>;
}

export interface TaskWorkerOptions {
  /** How often progress is read from the replay group's commits and published. */
  progressIntervalMs: number;
  /** A running task publishes its status at least this often, so the admin service knows it is alive. */
  heartbeatMs: number;
}

const DEFAULT_OPTIONS: TaskWorkerOptions = { progressIntervalMs: 1_000, heartbeatMs: 10_000 };
/** Task ids remembered as finished here, so a resent command does not run a finished task again. */
const FINISHED_MEMORY = 1_000;

/**
 * Runs the replays and rebuilds sent to one stage. A replay is its own consumer group over the stage's
 * input topics, seeded at the planned start offsets and stopped once its committed offsets reach the
 * end offsets captured when it started: the live group keeps consuming beside it, and a replay that
 * is interrupted resumes from its commits when its command is resent. Records of other orgs and
 * records past the plan are skipped (and committed).
 */
export class TaskWorker {
  private readonly control: TaskControlTopics;
  private readonly producer: RecordProducer;
  private consumer: BatchConsumer | undefined;
  private readonly active = new Map<string, { cancel: AbortController; work: Promise<void> }>();
  private readonly finished = new Set<string>();
  private readonly shutdown = new AbortController();
  private readonly options: TaskWorkerOptions;

  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly tasks: StageTasks,
    options: Partial<TaskWorkerOptions> = {},
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
    this.producer = runtime.kafka.createProducer();
    this.control = new TaskControlTopics(runtime.kafka, runtime.serde, runtime.topology, this.producer);
  }

  async start(): Promise<void> {
    await this.control.prepare();
    await this.producer.connect();
    const { topology } = this.runtime;
    this.consumer = this.runtime.kafka.createBatchConsumer({
      groupId: topology.group(`tasks-${this.tasks.stage}`),
      topics: [topology.taskCommands()],
      deadLetterTopic: topology.deadLetter(`tasks-${this.tasks.stage}`),
      // Commands from before this stage ever consumed are not run: the admin service resends live ones.
      fromBeginning: false,
      partitionsConcurrently: 1,
    });
    await this.consumer.start((records) => this.handleCommands(records));
  }

  /** Stops taking commands and interrupts running tasks without ending them: their commands are resent. */
  async stop(): Promise<void> {
    this.shutdown.abort();
    await this.consumer?.stop();
    await Promise.allSettled([...this.active.values()].map((task) => task.work));
    await this.producer.disconnect();
  }

  private async handleCommands(records: IncomingRecord[]): Promise<BatchOutcome> {
    const { decoded, rejected } = await decodeBatch<TaskCommand>(this.runtime.serde, records);
    for (const { decoded: command } of decoded) {
      if (command.stage !== this.tasks.stage) continue;
      if (command.command === TASK_CANCEL) {
        this.active.get(command.task_id)?.cancel.abort();
        continue;
      }
      if (this.active.has(command.task_id) || this.finished.has(command.task_id)) continue;
      const run =
        command.command === REPLAY_REQUESTED
          ? (cancel: AbortSignal) => this.replay(command, cancel)
          : command.command === REBUILD_REQUESTED && this.tasks.rebuild
            ? (cancel: AbortSignal) => this.rebuild(command, cancel)
            : undefined;
      if (!run) continue;
      const cancel = new AbortController();
      const work = run(cancel.signal)
        .catch(async (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          this.runtime.logger.error('task failed', { task: command.task_id, command: command.command, error: message });
          await this.publish(command, 'failed', { message }).catch(() => undefined);
        })
        .finally(() => {
          this.active.delete(command.task_id);
          this.remember(command.task_id);
        });
      this.active.set(command.task_id, { cancel, work });
    }
    return { rejected };
  }

  private async replay(command: TaskCommand, cancel: AbortSignal): Promise<void> {
    const { kafka, logger } = this.runtime;
    const plan = command.plan.length > 0 ? command.plan : await this.planOf(command);
    const topics = [...new Set(plan.map((entry) => entry.topic))];
    const group = `${this.tasks.group}.replay.${command.task_id}`;
    const progressOf = async () => replayProgress(plan, await kafka.groupPositions(group, topics));
    const committed = await kafka.groupPositions(group, topics);
    let progress = replayProgress(plan, committed);
    logger.info('replay starting', { task: command.task_id, org: command.org_id, group, offsets: progress.total });
    await this.publish(command, 'running', progress);
    if (!progress.finished) {
      const consumer = kafka.createBatchConsumer({
        groupId: group,
        topics: [...new Set(plan.filter((entry) => entry.end > entry.start).map((entry) => entry.topic))],
        deadLetterTopic: this.tasks.deadLetterTopic,
        fromBeginning: true,
        // A new replay starts at its plan; a resumed one (resent after a restart) at its own commits.
        startAt: plan
          .filter(
            (entry) => entry.end > entry.start && (committed.get(`${entry.topic}/${entry.partition}`) ?? '-1') === '-1',
          )
          .map((entry) => ({ topic: entry.topic, partition: entry.partition, offset: String(entry.start) })),
      });
      await consumer.start((records, context) => this.replayBatch(records, context, command, plan));
      let published = Date.now();
      try {
        while (!cancel.aborted && !this.shutdown.signal.aborted) {
          await sleep(this.options.progressIntervalMs);
          const next = await progressOf();
          const moved = next.done !== progress.done;
          progress = next;
          if (progress.finished) break;
          if (moved || Date.now() - published >= this.options.heartbeatMs) {
            await this.publish(command, 'running', progress);
            published = Date.now();
          }
        }
      } finally {
        await consumer.stop();
      }
    }
    // Interrupted by shutdown: no end state; the admin service resends the command and it resumes.
    if (this.shutdown.signal.aborted && !progress.finished) return;
    const state: TaskState = progress.finished ? 'done' : 'cancelled';
    await this.publish(command, state, progress);
    logger.info('replay ended', { task: command.task_id, state, offsets: progress.done });
    await kafka.deleteGroups([group]).catch((error: unknown) => {
      logger.warn('could not delete the replay consumer group', { group, error });
    });
  }

  private async replayBatch(
    records: IncomingRecord[],
    context: BatchContext,
    command: TaskCommand,
    plan: readonly ReplayPartition[],
  ): Promise<BatchOutcome> {
    const planned = withinPlan(records, plan);
    // Undecodable records were dead-lettered when first consumed: a replay skips them.
    const { decoded } = await decodeBatch<{ org_id?: string }>(this.runtime.serde, planned);
    const ofOrg = decoded.filter((record) => record.decoded.org_id === command.org_id);
    if (ofOrg.length === 0) return { rejected: [] };
    const outcome = await this.tasks.replay(
      ofOrg.map(({ decoded: _decoded, ...record }) => record),
      context,
      command,
    );
    this.runtime.metrics.recordsReplayed.inc({ stage: this.tasks.stage }, ofOrg.length);
    return outcome;
  }

  private async planOf(command: TaskCommand): Promise<ReplayPartition[]> {
    const { kafka } = this.runtime;
    const partitions = (
      await Promise.all(
        this.tasks.topics.map(async (topic) =>
          (await kafka.partitionOffsets(topic)).map((offsets) => ({ topic, ...offsets })),
        ),
      )
    ).flat();
    const byTime = async (at: number) => {
      const offsets = new Map<string, string>();
      for (const topic of this.tasks.topics)
        for (const [partition, offset] of await kafka.offsetsForTime(topic, at))
          offsets.set(`${topic}/${partition}`, offset);
      return offsets;
    };
    const start = replayStartOf(command);
    return planReplay({
      partitions,
      start,
      startByTime: start.kind === 'time' ? await byTime(start.at) : undefined,
      endByTime: command.to_time === null ? undefined : await byTime(command.to_time),
    });
  }

  private async rebuild(command: TaskCommand, cancel: AbortSignal): Promise<void> {
    if (!this.tasks.rebuild || command.from_time === null || command.to_time === null) {
      throw new Error('a rebuild needs a range (from_time, to_time)');
    }
    await this.publish(command, 'running', { done: 0, total: 0, percent: 0 });
    // Behind the barrier: the records published before the command (a backfill's) are stored first.
    let waited = 0;
    await waitUntilStored(this.runtime.kafka, this.runtime.topology, command.plan, async (stage) => {
      if (Date.now() - waited < this.options.heartbeatMs) return;
      waited = Date.now();
      await this.publish(command, 'running', { message: `waiting for ${stage} to store the records before it` });
    });
    let last = 0;
    const keys = await this.tasks.rebuild(
      command.org_id,
      { start: command.from_time, end: command.to_time },
      (done, total) => {
        if (cancel.aborted || Date.now() - last < this.options.progressIntervalMs) return;
        last = Date.now();
        void this.publish(command, 'running', { done, total, percent: total === 0 ? 100 : (done / total) * 100 }).catch(
          () => undefined,
        );
      },
    );
    await this.publish(command, 'done', { done: keys, total: keys, percent: 100 });
  }

  private publish(
    command: TaskCommand,
    state: TaskState,
    progress: Partial<Pick<TaskStatus, 'done' | 'total' | 'percent' | 'partitions' | 'message'>>,
  ): Promise<void> {
    return this.control.publishStatus({
      org_id: command.org_id,
      task_id: command.task_id,
      kind: command.command === REBUILD_REQUESTED ? 'rebuild' : 'replay',
      stage: command.stage,
      state,
      percent: progress.percent ?? 0,
      done: progress.done ?? 0,
      total: progress.total ?? 0,
      partitions: progress.partitions ?? [],
      chunk: null,
      message: progress.message ?? null,
      at: Date.now(),
    });
  }

  private remember(taskId: string): void {
    this.finished.add(taskId);
    if (this.finished.size > FINISHED_MEMORY) {
      const oldest = this.finished.values().next().value;
      if (oldest !== undefined) this.finished.delete(oldest);
    }
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
