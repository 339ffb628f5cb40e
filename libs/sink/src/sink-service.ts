import {
  markRetriability,
  type BatchOutcome,
  type IncomingRecord,
  type OutgoingRecord,
  type RecordProducer,
} from '@dev-health/kafka';
import { decodeBatch } from '@dev-health/registry';
import type { ServiceRuntime } from '@dev-health/runtime';
import {
  METRIC_COMPUTATIONS_TABLE,
  METRIC_ENTITY_NAMES,
  SchemaCatalog,
  Topology,
  canonicalSchemaFile,
  metricSchemaFile,
  type CanonicalEntityName,
  type CanonicalRecord,
  type MetricEntityName,
  type MetricRow,
  type MetricsUpdated,
  type StoreChanged,
} from '@dev-health/schemas';
import type { SinkWriter } from './sink-writer';
import { type ChangedRecord, feedsMetrics, storeChanges, versionsToAnnounce } from './store-changes';

/** The consumer group and topics of one sink (its topology table). */
export function sinkTopology(topology: Topology, writer: Pick<SinkWriter, 'store' | 'entities'>) {
  const entityByTopic = new Map<string, CanonicalEntityName>(
    writer.entities.map((entity) => [topology.canonical(entity), entity]),
  );
  const metricByTopic = new Map<string, MetricEntityName>(
    METRIC_ENTITY_NAMES.map((metric) => [topology.metric(metric), metric]),
  );
  const computations = topology.metricsUpdated();
  return {
    group: topology.group(`sink-${writer.store}`),
    consumes: [...entityByTopic.keys(), ...metricByTopic.keys(), computations],
    computations,
    entityByTopic,
    metricByTopic,
    deadLetter: topology.deadLetter(`sink-${writer.store}`),
  };
}

export interface SinkServiceOptions {
  /** The primary store announces durable writes of records that feed metrics, so metrics recompute from it. */
  publishStoreChanges: boolean;
}

/**
 * Canonical and metric topics → one store. Every sink is the same loop: decode the batch (undecodable
 * → DLQ), write it through the writer (throws → retried, offsets not committed), then, for the
 * primary store, announce which metric keys changed.
 */
export class SinkService {
  readonly topology: ReturnType<typeof sinkTopology>;

  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly writer: SinkWriter,
    private readonly producer: RecordProducer,
    private readonly options: SinkServiceOptions,
  ) {
    this.topology = sinkTopology(runtime.topology, writer);
  }

  async prepare(): Promise<void> {
    const { kafka, serde, topology } = this.runtime;
    await kafka.ensureTopics([
      ...this.topology.consumes
        .filter((topic) => topic !== this.topology.computations)
        .map((topic) => ({ topic, partitions: 'data' as const })),
      { topic: this.topology.computations, partitions: 'storeChanged' as const },
      { topic: topology.storeChanged(), partitions: 'storeChanged' as const },
      { topic: this.topology.deadLetter, partitions: 'deadLetter' as const },
    ]);
    const catalog = SchemaCatalog.load();
    for (const [topic, entity] of this.topology.entityByTopic)
      serde.readAs(topic, catalog.get('canonical', canonicalSchemaFile(entity)).schema);
    for (const [topic, metric] of this.topology.metricByTopic)
      serde.readAs(topic, catalog.get('internal', metricSchemaFile(metric)).schema);
    serde.readAs(this.topology.computations, catalog.get('internal', 'metrics-updated').schema);
    if (this.options.publishStoreChanges) {
      await serde.register(Topology.subject(topology.storeChanged()), catalog.get('internal', 'store-changed').schema);
    }
  }

  readonly handleBatch = async (records: IncomingRecord[]): Promise<BatchOutcome> => {
    const { decoded, rejected } = await decodeBatch<CanonicalRecord | MetricRow | MetricsUpdated>(
      this.runtime.serde,
      records,
    );
    try {
      await this.writeBatch(
        records[0]?.topic ?? '',
        decoded.map((record) => record.decoded),
      );
      this.runtime.health.set(this.writer.store, true);
    } catch (error: unknown) {
      const retriability = this.writer.retriability(error);
      // Only a store that is away makes the sink unready; a row it refuses is the record's fault.
      if (retriability !== 'deterministic')
        this.runtime.health.set(this.writer.store, false, error instanceof Error ? error.message : String(error));
      throw retriability === undefined ? error : markRetriability(error, retriability);
    }
    return { rejected };
  };

  /** The only persistence path: writes one topic's records, returns how many rows were written. */
  async writeBatch(topic: string, values: (CanonicalRecord | MetricRow | MetricsUpdated)[]): Promise<number> {
    if (values.length === 0) return 0;
    const entity = this.topology.entityByTopic.get(topic);
    const metric = this.topology.metricByTopic.get(topic);
    let written: number;
    if (entity) {
      const records = values as CanonicalRecord[];
      const result = await this.writer.writeEntities(entity, records);
      written = result.written;
      if (this.options.publishStoreChanges && feedsMetrics(entity)) {
        // A store that cannot tell what changed announces every record (recomputes are idempotent).
        const versions =
          result.changed === null ? records : versionsToAnnounce(entity, result.changed as ChangedRecord<never>[]);
        await this.publishChanges(storeChanges(entity, versions as never[], this.writer.store, Date.now()));
      }
    } else if (metric) written = await this.writer.writeMetrics(metric, values as MetricRow[]);
    else if (topic === this.topology.computations)
      written = await this.writer.writeComputations(values as MetricsUpdated[]);
    else throw new Error(`sink-${this.writer.store} has no table for topic ${topic}`);
    const table = entity ?? metric ?? METRIC_COMPUTATIONS_TABLE;
    this.runtime.metrics.recordsWritten.inc({ store: this.writer.store, table }, written);
    return written;
  }

  private async publishChanges(changes: StoreChanged[]): Promise<void> {
    const topic = this.runtime.topology.storeChanged();
    const subject = Topology.subject(topic);
    const outgoing: OutgoingRecord[] = [];
    for (const change of changes) {
      outgoing.push({
        topic,
        key: `${change.repository_id || change.entity}/${change.day}`,
        value: await this.runtime.serde.encode(subject, change),
      });
    }
    await this.producer.send(outgoing);
  }
}
