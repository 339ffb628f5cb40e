import type { KafkaClient, RecordProducer } from '@dev-health/kafka';
import type { AvroSerde } from '@dev-health/registry';
import {
  PROVIDERS,
  type ReplayPartition,
  SchemaCatalog,
  Topology,
  type TaskCommand,
  type TaskStatus,
} from '@dev-health/schemas';
import { rawEndOffsets } from './pipeline-barrier';

export const REPLAY_REQUESTED = 'replay.requested';
export const REBUILD_REQUESTED = 'rebuild.requested';
export const TASK_CANCEL = 'task.cancel';

/** The stages a replay can reprocess: each consumes its input topics again from a point. */
export const REPLAY_STAGES = ['processor', 'sink-postgres', 'sink-clickhouse', 'sink-mongo', 'metrics'] as const;
export type ReplayStage = (typeof REPLAY_STAGES)[number];

export function isReplayStage(value: unknown): value is ReplayStage {
  return typeof value === 'string' && (REPLAY_STAGES as readonly string[]).includes(value);
}

export type TaskState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/**
 * The two task topics: commands (admin → stages, keyed by task id) and task.status (whoever runs a
 * task → the admin service, which persists it, and the gateway, which streams it).
 */
export class TaskControlTopics {
  constructor(
    private readonly kafka: KafkaClient,
    private readonly serde: AvroSerde,
    private readonly topology: Topology,
    private readonly producer: RecordProducer,
  ) {}

  /** Creates both topics and registers their schemas. Call once at boot. */
  async prepare(): Promise<void> {
    const catalog = SchemaCatalog.load();
    await this.kafka.ensureTopics([
      { topic: this.topology.taskCommands(), partitions: 'control' as const },
      { topic: this.topology.taskStatus(), partitions: 'control' as const },
    ]);
    await this.serde.register(
      Topology.subject(this.topology.taskCommands()),
      catalog.get('internal', 'task-command').schema,
    );
    await this.serde.register(
      Topology.subject(this.topology.taskStatus()),
      catalog.get('internal', 'task-status').schema,
    );
  }

  async sendCommand(command: TaskCommand): Promise<void> {
    const topic = this.topology.taskCommands();
    await this.producer.send([
      {
        topic,
        key: command.task_id,
        value: await this.serde.encode(Topology.subject(topic), command),
        headers: { 'dho.command': command.command, 'dho.stage': command.stage },
      },
    ]);
  }

  /** Every raw topic's end offsets now: what a rebuild must wait to see stored. */
  rawEndOffsets(): Promise<ReplayPartition[]> {
    return rawEndOffsets(
      this.kafka,
      PROVIDERS.map((provider) => this.topology.raw(provider)),
    );
  }

  async publishStatus(status: TaskStatus): Promise<void> {
    const topic = this.topology.taskStatus();
    await this.producer.send([
      {
        topic,
        key: status.task_id,
        value: await this.serde.encode(Topology.subject(topic), status),
        headers: { 'dho.task-kind': status.kind, 'dho.task-state': status.state },
      },
    ]);
  }
}
