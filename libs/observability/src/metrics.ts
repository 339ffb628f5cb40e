import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus metrics every pipeline service exposes at /metrics. */
export class PipelineMetrics {
  readonly registry = new Registry();
  readonly recordsConsumed: Counter<'topic'>;
  readonly recordsProduced: Counter<'topic'>;
  readonly recordsDeadLettered: Counter<'topic'>;
  readonly recordsWritten: Counter<'store' | 'table'>;
  readonly batchRetries: Counter<'group'>;
  readonly batchDuration: Histogram<'group'>;
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  readonly metricKeysRecomputed: Counter<'kind'>;
  readonly metricRecomputeLag: Histogram;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.recordsConsumed = new Counter({
      name: 'dho_records_consumed_total',
      help: 'Records consumed: handled and their offsets committed',
      labelNames: ['topic'],
      registers,
    });
    this.recordsProduced = new Counter({
      name: 'dho_records_produced_total',
      help: 'Records produced',
      labelNames: ['topic'],
      registers,
    });
    this.recordsDeadLettered = new Counter({
      name: 'dho_records_dead_lettered_total',
      help: 'Records sent to a dead-letter topic',
      labelNames: ['topic'],
      registers,
    });
    this.recordsWritten = new Counter({
      name: 'dho_records_written_total',
      help: 'Rows written to a store',
      labelNames: ['store', 'table'],
      registers,
    });
    this.batchRetries = new Counter({
      name: 'dho_batch_retries_total',
      help: 'Batch handler retries after an error',
      labelNames: ['group'],
      registers,
    });
    this.batchDuration = new Histogram({
      name: 'dho_batch_duration_seconds',
      help: 'Time to handle one consumer batch',
      labelNames: ['group'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.consumerLag = new Gauge({
      name: 'dho_consumer_lag',
      help: 'Offset lag at the end of the last batch',
      labelNames: ['topic', 'partition'],
      registers,
    });
    this.metricKeysRecomputed = new Counter({
      name: 'dho_metric_keys_recomputed_total',
      help: 'Metric keys (scope, day) recomputed, by kind',
      labelNames: ['kind'],
      registers,
    });
    this.metricRecomputeLag = new Histogram({
      name: 'dho_metric_recompute_lag_seconds',
      help: 'From the primary store writing a change to its metric rows being published',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
  }
}
