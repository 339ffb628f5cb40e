import type { BatchOutcome, IncomingRecord, OutgoingRecord, RecordProducer } from '@dev-health/kafka';
import type { PostgresStore } from '@dev-health/postgres';
import { decodeBatch } from '@dev-health/registry';
import type { ServiceRuntime } from '@dev-health/runtime';
import { SchemaCatalog, TOPIC_PARTITIONS, Topology, type StoreChanged } from '@dev-health/schemas';
import { affectedKeys, repoMetricsRow, userMetricsRow } from './metric-rows';

export function metricsTopology(topology: Topology) {
  return {
    group: topology.group('metrics'),
    consumes: [topology.storeChanged()],
    produces: [topology.metric('repo_metrics_daily'), topology.metric('user_metrics_daily')],
    deadLetter: topology.deadLetter('metrics'),
  };
}

/**
 * Recomputes daily rollups for the keys a sink reports as changed, reading the primary store, and
 * publishes append-only metric rows (every sink persists them). A batch of change events is the
 * debounce window: keys are coalesced before anything is recomputed.
 */
export class MetricsRecomputer {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly store: PostgresStore,
    private readonly producer: RecordProducer,
    private readonly now: () => number = Date.now,
  ) {}

  async prepare(): Promise<void> {
    const { kafka, serde, topology } = this.runtime;
    const wiring = metricsTopology(topology);
    await kafka.ensureTopics([
      { topic: topology.storeChanged(), partitions: TOPIC_PARTITIONS.storeChanged },
      ...wiring.produces.map((topic) => ({ topic, partitions: TOPIC_PARTITIONS.data })),
      { topic: wiring.deadLetter, partitions: TOPIC_PARTITIONS.deadLetter },
    ]);
    const catalog = SchemaCatalog.load();
    await serde.register(
      Topology.subject(topology.metric('repo_metrics_daily')),
      catalog.get('internal', 'repo-metrics-daily').schema,
    );
    await serde.register(
      Topology.subject(topology.metric('user_metrics_daily')),
      catalog.get('internal', 'user-metrics-daily').schema,
    );
  }

  readonly handleBatch = async (records: IncomingRecord[]): Promise<BatchOutcome> => {
    const { decoded, rejected } = await decodeBatch<StoreChanged>(this.runtime.serde, records);
    await this.recompute(affectedKeys(decoded.map((record) => record.decoded)));
    return { rejected };
  };

  async recompute(keys: ReturnType<typeof affectedKeys>): Promise<number> {
    const { serde, topology } = this.runtime;
    const repoTopic = topology.metric('repo_metrics_daily');
    const userTopic = topology.metric('user_metrics_daily');
    const computedAt = this.now();
    const outgoing: OutgoingRecord[] = [];
    for (const key of keys) {
      const repoRow = repoMetricsRow(key, await this.store.repositoryDayRollup(key.repositoryId, key.day), computedAt);
      outgoing.push({
        topic: repoTopic,
        key: `${key.repositoryId}/${key.day}`,
        value: await serde.encode(Topology.subject(repoTopic), repoRow),
      });
      for (const rollup of await this.store.authorDayRollups(key.repositoryId, key.day)) {
        const userRow = userMetricsRow(key, rollup, computedAt);
        outgoing.push({
          topic: userTopic,
          key: `${key.repositoryId}/${rollup.author_identity_id}/${key.day}`,
          value: await serde.encode(Topology.subject(userTopic), userRow),
        });
      }
    }
    await this.producer.send(outgoing);
    this.runtime.logger.debug('recomputed metrics', { keys: keys.length, rows: outgoing.length });
    return keys.length;
  }
}
