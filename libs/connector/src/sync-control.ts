import type { SyncRun } from '@dev-health/control-plane';
import type { KafkaClient, OutgoingRecord, RecordProducer } from '@dev-health/kafka';
import type { AvroSerde } from '@dev-health/registry';
import { SchemaCatalog, Topology, type Provider, type SyncCommand, type SyncEvent } from '@dev-health/schemas';

export const SYNC_REQUESTED = 'sync.requested';
export const SYNC_EVENTS = ['sync.started', 'sync.progress', 'sync.finished'] as const;
export type SyncEventName = (typeof SYNC_EVENTS)[number];

/** A run's records per entity kind as the event carries them (sorted, so equal counts encode equally). */
export function recordCounts(records: Record<string, number>): SyncEvent['records'] {
  return Object.keys(records)
    .sort()
    .map((entity_kind) => ({ entity_kind, records: records[entity_kind] ?? 0 }));
}

/**
 * The control topics: commands (admin → connectors, keyed by integration so one integration's
 * commands stay ordered; backfill runs on a stream of their own) and sync events (connectors → anyone
 * watching, keyed by run).
 */
export class SyncControlTopics {
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
      { topic: this.topology.commands(), partitions: 'control' as const },
      { topic: this.topology.backfillCommands(), partitions: 'control' as const },
      { topic: this.topology.syncEvents(), partitions: 'control' as const },
    ]);
    for (const topic of [this.topology.commands(), this.topology.backfillCommands()])
      await this.serde.register(Topology.subject(topic), catalog.get('internal', 'sync-command').schema);
    await this.serde.register(
      Topology.subject(this.topology.syncEvents()),
      catalog.get('internal', 'sync-event').schema,
    );
  }

  /** The stream a run's command goes to: backfills have their own. */
  commandsTopic(mode: SyncRun['mode']): string {
    return mode === 'backfill' ? this.topology.backfillCommands() : this.topology.commands();
  }

  /** sync.requested for each queued run (on its mode's stream); resolves once the broker has them all. */
  async requestSyncs(runs: readonly (SyncRun & { provider: Provider })[]): Promise<void> {
    const outgoing: OutgoingRecord[] = [];
    for (const run of runs) {
      const topic = this.commandsTopic(run.mode);
      const command: SyncCommand = {
        org_id: run.org_id,
        command: SYNC_REQUESTED,
        run_id: run.id,
        integration_id: run.integration_id,
        provider: run.provider,
        mode: run.mode,
        window_start: run.window_start ? new Date(run.window_start).getTime() : null,
        window_end: run.window_end ? new Date(run.window_end).getTime() : null,
        requested_at: new Date(run.requested_at).getTime(),
      };
      outgoing.push({
        topic,
        key: run.integration_id,
        value: await this.serde.encode(Topology.subject(topic), command),
        headers: { 'dho.command': SYNC_REQUESTED, 'dho.provider': run.provider },
      });
    }
    if (outgoing.length > 0) await this.producer.send(outgoing);
  }

  async publishEvent(event: SyncEvent): Promise<void> {
    const topic = this.topology.syncEvents();
    await this.producer.send([
      {
        topic,
        key: event.run_id,
        value: await this.serde.encode(Topology.subject(topic), event),
        headers: { 'dho.event': event.event },
      },
    ]);
  }
}
