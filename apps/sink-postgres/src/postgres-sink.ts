import type { BatchOutcome, IncomingRecord, OutgoingRecord, RecordProducer } from '@dev-health/kafka';
import { POSTGRES_ENTITY_NAMES, type PostgresEntityName, type PostgresStore } from '@dev-health/postgres';
import { decodeBatch } from '@dev-health/registry';
import type { ServiceRuntime } from '@dev-health/runtime';
import {
  SchemaCatalog,
  Topology,
  type CanonicalRecord,
  type Commit,
  type MetricEntityName,
  type RepoMetricsDaily,
  type UserMetricsDaily,
} from '@dev-health/schemas';
import { commitStoreChanges } from './store-changes';

export function postgresSinkTopology(topology: Topology) {
  const entityByTopic = new Map<string, PostgresEntityName>(
    POSTGRES_ENTITY_NAMES.map((entity) => [topology.canonical(entity), entity]),
  );
  const metricByTopic = new Map<string, MetricEntityName>(
    (['repo_metrics_daily', 'user_metrics_daily'] as const).map((metric) => [topology.metric(metric), metric]),
  );
  return {
    group: topology.group('sink-postgres'),
    consumes: [...entityByTopic.keys(), ...metricByTopic.keys()],
    entityByTopic,
    metricByTopic,
    produces: [topology.storeChanged()],
    deadLetter: topology.deadLetter('sink-postgres'),
  };
}

/**
 * Canonical and metric topics → Postgres. A batch is written in one transaction; only after it
 * commits are store-changed events published and the offsets committed (by the batch consumer).
 */
export class PostgresSink {
  private readonly wiring;

  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly store: PostgresStore,
    private readonly producer: RecordProducer,
  ) {
    this.wiring = postgresSinkTopology(runtime.topology);
  }

  get topology() {
    return this.wiring;
  }

  async prepare(): Promise<void> {
    const { kafka, serde, topology } = this.runtime;
    await kafka.ensureTopics([
      ...this.wiring.consumes.map((topic) => ({ topic, partitions: 6 })),
      { topic: topology.storeChanged(), partitions: 3 },
      { topic: this.wiring.deadLetter, partitions: 1 },
    ]);
    await serde.register(
      Topology.subject(topology.storeChanged()),
      SchemaCatalog.load().get('internal', 'store-changed').schema,
    );
  }

  readonly handleBatch = async (records: IncomingRecord[]): Promise<BatchOutcome> => {
    const { decoded, rejected } = await decodeBatch<CanonicalRecord | RepoMetricsDaily | UserMetricsDaily>(
      this.runtime.serde,
      records,
    );
    const topic = records[0]?.topic ?? '';
    const values = decoded.map((record) => record.decoded);
    try {
      await this.writeBatch(topic, values);
      this.runtime.health.set('postgres', true);
    } catch (error: unknown) {
      this.runtime.health.set('postgres', false, error instanceof Error ? error.message : String(error));
      throw error;
    }
    return { rejected };
  };

  /** The only persistence path: writes one topic's records, returns how many rows were written. */
  async writeBatch(topic: string, values: (CanonicalRecord | RepoMetricsDaily | UserMetricsDaily)[]): Promise<number> {
    if (values.length === 0) return 0;
    const entity = this.wiring.entityByTopic.get(topic);
    const metric = this.wiring.metricByTopic.get(topic);
    const written = await this.store.transaction(async (manager) => {
      if (entity) return this.store.upsert(manager, entity, values as CanonicalRecord[]);
      if (metric === 'repo_metrics_daily') return this.store.appendRepoMetrics(manager, values as RepoMetricsDaily[]);
      if (metric === 'user_metrics_daily') return this.store.appendUserMetrics(manager, values as UserMetricsDaily[]);
      throw new Error(`no table for topic ${topic}`);
    });
    this.runtime.metrics.recordsWritten.inc({ store: 'postgres', table: entity ?? metric ?? topic }, written);
    if (entity === 'commit') await this.publishChanges(commitStoreChanges(values as Commit[], 'postgres', Date.now()));
    return written;
  }

  private async publishChanges(changes: ReturnType<typeof commitStoreChanges>): Promise<void> {
    const topic = this.runtime.topology.storeChanged();
    const subject = Topology.subject(topic);
    const outgoing: OutgoingRecord[] = [];
    for (const change of changes) {
      outgoing.push({
        topic,
        key: `${change.repository_id}/${change.day}`,
        value: await this.runtime.serde.encode(subject, change),
      });
    }
    await this.producer.send(outgoing);
  }
}
