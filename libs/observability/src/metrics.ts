import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus metrics every pipeline service exposes at /metrics. */
export class PipelineMetrics {
  readonly registry = new Registry();
  readonly recordsConsumed: Counter<'topic'>;
  readonly recordsProduced: Counter<'topic'>;
  readonly recordsDeadLettered: Counter<'topic'>;
  readonly recordsReplayed: Counter<'stage'>;
  readonly recordsWritten: Counter<'store' | 'table'>;
  readonly batchRetries: Counter<'group'>;
  readonly batchDuration: Histogram<'group'>;
  readonly consumerLag: Gauge<'group' | 'topic' | 'partition'>;
  readonly consumerLastProgress: Gauge<'group'>;
  readonly metricKeysRecomputed: Counter<'kind'>;
  readonly metricRecomputeLag: Histogram;
  readonly syncRunsFinished: Counter<'provider' | 'mode' | 'status'>;
  readonly syncRunsActive: Gauge<'provider'>;
  readonly syncRunDuration: Histogram<'provider' | 'mode'>;
  readonly syncRecordsPublished: Counter<'provider' | 'entity_kind'>;
  readonly syncCommandsDispatched: Counter;
  readonly syncRunsFailedSilent: Counter;
  readonly providerRateLimitRemaining: Gauge<'provider' | 'integration'>;
  readonly providerRequests: Counter<'provider' | 'outcome'>;
  readonly enrichmentPending: Gauge<'provider' | 'integration'>;

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
    this.recordsReplayed = new Counter({
      name: 'dho_records_replayed_total',
      help: 'Records of one org reprocessed by a replay, per stage',
      labelNames: ['stage'],
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
      help: 'Records of a partition the group has yet to handle, as last seen by this member',
      labelNames: ['group', 'topic', 'partition'],
      registers,
    });
    this.consumerLastProgress = new Gauge({
      name: 'dho_consumer_last_progress_timestamp_seconds',
      help: 'Unix time of the last batch this member handled and committed, per group',
      labelNames: ['group'],
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
    this.syncRunsFinished = new Counter({
      name: 'dho_sync_runs_finished_total',
      help: 'Sync runs this connector ended, by outcome (succeeded, failed, cancelled, requeued)',
      labelNames: ['provider', 'mode', 'status'],
      registers,
    });
    this.syncRunsActive = new Gauge({
      name: 'dho_sync_runs_active',
      help: 'Sync runs this connector is running now',
      labelNames: ['provider'],
      registers,
    });
    this.syncRunDuration = new Histogram({
      name: 'dho_sync_run_duration_seconds',
      help: 'From a connector claiming a sync run to its end',
      labelNames: ['provider', 'mode'],
      buckets: [1, 5, 15, 60, 300, 900, 3600, 14_400],
      registers,
    });
    this.syncRecordsPublished = new Counter({
      name: 'dho_sync_records_published_total',
      help: 'Raw records published by sync runs, per entity kind',
      labelNames: ['provider', 'entity_kind'],
      registers,
    });
    this.syncCommandsDispatched = new Counter({
      name: 'dho_sync_commands_dispatched_total',
      help: 'sync.requested commands the admin service published (first dispatch and re-dispatch)',
      registers,
    });
    this.providerRateLimitRemaining = new Gauge({
      name: 'dho_provider_rate_limit_remaining',
      help: 'Requests left in the provider rate-limit window of an integration’s token, as last reported',
      labelNames: ['provider', 'integration'],
      registers,
    });
    this.providerRequests = new Counter({
      name: 'dho_provider_requests_total',
      help: 'Provider API requests sent (outcome sent) and those answered 304 (outcome not_modified, free)',
      labelNames: ['provider', 'outcome'],
      registers,
    });
    this.enrichmentPending = new Gauge({
      name: 'dho_enrichment_pending',
      help: 'Events whose enrichment (actor, repository, commit list) is still pending after a sync run',
      labelNames: ['provider', 'integration'],
      registers,
    });
    this.syncRunsFailedSilent = new Counter({
      name: 'dho_sync_runs_failed_silent_total',
      help: 'Runs the admin sweeper failed: running without a heartbeat, or queued with no connector taking them',
      registers,
    });
  }
}
