import type { BatchOutcome, IncomingRecord, OutgoingRecord, RecordProducer } from '@dev-health/kafka';
import {
  type BusinessHours,
  type KeyFacts,
  type MetricKey,
  type TimeRange,
  doraDayRow,
  isEmptyDora,
  isEmptyRepoDay,
  keyId,
  repoDayRow,
  scopeOf,
  teamDayRow,
  userDayRows,
  workItemDayRow,
} from '@dev-health/metric-definitions';
import type { MetricFactsReader } from '@dev-health/postgres';
import { decodeBatch } from '@dev-health/registry';
import type { ServiceRuntime } from '@dev-health/runtime';
import {
  METRIC_ENTITY_NAMES,
  METRIC_KEYS,
  SchemaCatalog,
  Topology,
  metricSchemaFile,
  type MetricEntityName,
  type MetricRow,
  type MetricsUpdated,
  type StoreChanged,
} from '@dev-health/schemas';
import { ChangeDebouncer } from './change-debouncer';
import { deriveKeys } from './key-derivation';

export function metricsTopology(topology: Topology) {
  return {
    group: topology.group('metrics'),
    consumes: [topology.storeChanged()],
    produces: METRIC_ENTITY_NAMES.map((metric) => topology.metric(metric)),
    updates: topology.metricsUpdated(),
    deadLetter: topology.deadLetter('metrics'),
  };
}

export interface RecomputeOptions {
  businessHours: BusinessHours;
  debounceMs: number;
  concurrency: number;
}

export interface ComputedKey {
  key: MetricKey;
  rows: { metric: MetricEntityName; row: MetricRow }[];
}

/**
 * Keys per recompute round, in a rebuild and in a debounce window's flush: bounds memory, publishes as
 * it goes (each chunk's rows, then its events), and keeps each step well inside a heartbeat interval.
 */
const RECOMPUTE_CHUNK = 500;

/**
 * Recomputes metric keys from the primary store and publishes append-only rows (every sink persists
 * them) plus one metrics.updated event per key. Incremental: change events from the primary sink are
 * debounced, turned into keys and recomputed. Full: every key with data in a date range.
 */
export class MetricsRecomputer {
  private readonly debouncer: ChangeDebouncer<StoreChanged>;
  private lastComputedAt = 0;

  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly facts: MetricFactsReader,
    private readonly producer: RecordProducer,
    private readonly options: RecomputeOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.debouncer = new ChangeDebouncer((changes) => this.recomputeChanges(changes), options.debounceMs);
  }

  async prepare(): Promise<void> {
    const { kafka, serde, topology } = this.runtime;
    const wiring = metricsTopology(topology);
    await kafka.ensureTopics([
      { topic: topology.storeChanged(), partitions: 'storeChanged' as const },
      ...wiring.produces.map((topic) => ({ topic, partitions: 'data' as const })),
      { topic: wiring.updates, partitions: 'storeChanged' as const },
      { topic: wiring.deadLetter, partitions: 'deadLetter' as const },
    ]);
    const catalog = SchemaCatalog.load();
    for (const metric of METRIC_ENTITY_NAMES)
      await serde.register(
        Topology.subject(topology.metric(metric)),
        catalog.get('internal', metricSchemaFile(metric)).schema,
      );
    await serde.register(Topology.subject(wiring.updates), catalog.get('internal', 'metrics-updated').schema);
    // Change events written by an older sink decode with today's defaults (e.g. no record ids).
    serde.readAs(topology.storeChanged(), catalog.get('internal', 'store-changed').schema);
  }

  readonly handleBatch = async (records: IncomingRecord[]): Promise<BatchOutcome> => {
    const { decoded, rejected } = await decodeBatch<StoreChanged>(this.runtime.serde, records);
    await this.debouncer.add(decoded.map((record) => record.decoded));
    return { rejected };
  };

  private async recomputeChanges(changes: StoreChanged[]): Promise<void> {
    const started = this.now();
    const keys = await deriveKeys(changes, this.facts);
    const derivedAt = this.now();
    await this.recomputeInChunks(keys);
    this.runtime.logger.debug('recompute round', {
      changes: changes.length,
      keys: keys.length,
      derive_ms: derivedAt - started,
      recompute_ms: this.now() - derivedAt,
    });
    const publishedAt = this.now();
    for (const change of changes)
      this.runtime.metrics.metricRecomputeLag.observe((publishedAt - change.written_at) / 1000);
  }

  /** Computes the rows of one key from the store; no rows when the key has no data. */
  async computeKey(key: MetricKey, computedAt: number): Promise<ComputedKey> {
    const keyFacts = await this.facts.factsFor(key);
    return { key, rows: this.rowsOf(keyFacts, computedAt) };
  }

  private rowsOf(keyFacts: KeyFacts, computedAt: number): ComputedKey['rows'] {
    switch (keyFacts.kind) {
      case 'repo':
        if (isEmptyRepoDay(keyFacts.facts)) return [];
        return [
          { metric: 'repo_metrics_daily', row: repoDayRow(keyFacts.facts, computedAt) },
          ...userDayRows(keyFacts.facts, computedAt).map((row) => ({ metric: 'user_metrics_daily' as const, row })),
        ];
      case 'dora':
        return isEmptyDora(keyFacts.facts)
          ? []
          : [{ metric: 'dora_metrics_daily', row: doraDayRow(keyFacts.facts, computedAt) }];
      case 'team':
        return keyFacts.facts.commits.length === 0
          ? []
          : [{ metric: 'team_metrics_daily', row: teamDayRow(keyFacts.facts, this.options.businessHours, computedAt) }];
      case 'work_items':
        return keyFacts.facts.items.length === 0
          ? []
          : [{ metric: 'work_item_metrics_daily', row: workItemDayRow(keyFacts.facts, computedAt) }];
    }
  }

  /** A strictly increasing computed_at: two recomputes of a key in one millisecond still order. */
  private nextComputedAt(): number {
    this.lastComputedAt = Math.max(this.now(), this.lastComputedAt + 1);
    return this.lastComputedAt;
  }

  /**
   * Recomputes keys, publishes their rows, then one metrics.updated event per key: the computation
   * (key + computed_at) that every store keeps, and that replaces the key's earlier rows as a set.
   */
  async recompute(keys: readonly MetricKey[]): Promise<ComputedKey[]> {
    if (keys.length === 0) return [];
    const { serde, topology } = this.runtime;
    const computedAt = this.nextComputedAt();
    const computed = await mapConcurrently(keys, this.options.concurrency, (key) => this.computeKey(key, computedAt));
    const rows: OutgoingRecord[] = [];
    const events: OutgoingRecord[] = [];
    const updatesSubject = Topology.subject(topology.metricsUpdated());
    for (const { key, rows: keyRows } of computed) {
      this.runtime.metrics.metricKeysRecomputed.inc({ kind: key.kind });
      for (const { metric, row } of keyRows) {
        const topic = topology.metric(metric);
        rows.push({ topic, key: metricRowKey(metric, row), value: await serde.encode(Topology.subject(topic), row) });
      }
      // Also for a key with no rows: its computation withdraws whatever rows it had.
      const event: MetricsUpdated = {
        org_id: key.org_id,
        kind: key.kind,
        scope_id: scopeOf(key),
        provider: key.kind === 'work_items' ? key.provider : '',
        team_id: key.kind === 'work_items' ? key.team_id : '',
        day: key.day,
        tables: [...new Set(keyRows.map(({ metric }) => metric))],
        rows: keyRows.length,
        computed_at: computedAt,
      };
      events.push({
        topic: topology.metricsUpdated(),
        key: keyId(key),
        value: await serde.encode(updatesSubject, event),
      });
    }
    // Rows first: a computation is never announced before its rows were published.
    await this.producer.send(rows);
    await this.producer.send(events);
    this.runtime.logger.debug('recomputed metrics', { keys: keys.length, rows: rows.length });
    return computed;
  }

  /**
   * Every key with data in [range.start, range.end) (of one org when given), in chunks, with progress
   * logs and callbacks: after a backfill, a replay or a change of definitions.
   */
  async rebuild(
    range: TimeRange,
    org?: string,
    progress?: (done: number, total: number) => void,
  ): Promise<{ keys: number; rows: number; seconds: number }> {
    const started = this.now();
    const inRange = await this.facts.keysInRange(range);
    const ofOrg = <K extends { org_id: string }>(keys: K[]) =>
      org === undefined ? keys : keys.filter((key) => key.org_id === org);
    const keys: MetricKey[] = [
      ...ofOrg(inRange.repo).map((key) => ({ kind: 'repo' as const, ...key })),
      ...ofOrg(inRange.dora).map((key) => ({ kind: 'dora' as const, ...key })),
      ...ofOrg(inRange.team).map((key) => ({ kind: 'team' as const, ...key })),
      ...ofOrg(inRange.workItems).map((key) => ({ kind: 'work_items' as const, ...key })),
    ];
    let rows = 0;
    await this.recomputeInChunks(keys, (computed, done) => {
      rows += computed.reduce((sum, key) => sum + key.rows.length, 0);
      progress?.(done, keys.length);
      const seconds = (this.now() - started) / 1000;
      this.runtime.logger.info('rebuild progress', {
        keys_done: done,
        keys_total: keys.length,
        rows,
        keys_per_second: Math.round(done / Math.max(seconds, 0.001)),
      });
    });
    return { keys: keys.length, rows, seconds: (this.now() - started) / 1000 };
  }

  /** Recomputes keys RECOMPUTE_CHUNK at a time; `onChunk` hears each chunk's rows and the keys done so far. */
  private async recomputeInChunks(
    keys: readonly MetricKey[],
    onChunk?: (computed: ComputedKey[], done: number) => void,
  ): Promise<void> {
    for (let start = 0; start < keys.length; start += RECOMPUTE_CHUNK) {
      const computed = await this.recompute(keys.slice(start, start + RECOMPUTE_CHUNK));
      onChunk?.(computed, Math.min(start + RECOMPUTE_CHUNK, keys.length));
    }
  }
}

/** Kafka key of a metric row: its metric key, so one key's computations stay in order on one partition. */
function metricRowKey(metric: MetricEntityName, row: MetricRow): string {
  const fields = row as unknown as Record<string, unknown>;
  return METRIC_KEYS[metric].map((column) => String(fields[column])).join('/');
}

async function mapConcurrently<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
