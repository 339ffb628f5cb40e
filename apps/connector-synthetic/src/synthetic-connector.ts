import type { RateLimiter } from '@dev-health/connector';
import type { Logger } from '@dev-health/observability';
import type { RawRecord } from '@dev-health/schemas';
import type { SyntheticGenerator } from '@dev-health/synthetic';

/** Where records go: the raw publisher, or a sync run's counting context. */
export interface RecordSink {
  publish(records: RawRecord[]): Promise<void>;
}

export interface PublishProgress {
  records: number;
  /** Records per entity kind, e.g. how many commits a dataset has. */
  byKind: Record<string, number>;
  batches: number;
  seconds: number;
}

/**
 * Publishes a generated organisation through the same RawPublisher as every connector: the history
 * (org chart, then day by day), and in live mode a tick of fresh activity every second.
 */
export class SyntheticConnector {
  private published = 0;

  constructor(
    private readonly generator: SyntheticGenerator,
    private readonly publisher: RecordSink,
    private readonly limiter: RateLimiter,
    private readonly logger: Logger,
    private readonly batchSize: number,
  ) {}

  get recordsPublished(): number {
    return this.published;
  }

  /** The whole history, or a backfill window's days; logs progress every few seconds (days done, records, rate). */
  async publishHistory(
    isStopping: () => boolean = () => false,
    window: { startMs: number; endMs: number } | null = null,
  ): Promise<PublishProgress> {
    const started = performance.now();
    const days = this.generator.days(window).length;
    let lastLog = started;
    let step = 0;
    let batches = 0;
    const before = this.published;
    const byKind: Record<string, number> = {};
    for (const records of this.generator.batches(window)) {
      if (isStopping()) break;
      for (const record of records) byKind[record.entity_kind] = (byKind[record.entity_kind] ?? 0) + 1;
      batches += await this.publish(records);
      step++;
      const now = performance.now();
      if (now - lastLog > 5_000 || step === days + 1) {
        lastLog = now;
        const records = this.published - before;
        this.logger.info('synthetic history progress', {
          days: `${step - 1}/${days}`,
          records,
          recordsPerSecond: Math.round(records / ((now - started) / 1000)),
        });
      }
    }
    return { records: this.published - before, byKind, batches, seconds: (performance.now() - started) / 1000 };
  }

  /** One live tick: activity happening now, stamped with the wall clock. */
  async publishLiveTick(now: number, events: number): Promise<number> {
    const records = this.generator.liveRecords(Math.floor(now / 1000), now, events);
    await this.publish(records);
    return records.length;
  }

  private async publish(records: RawRecord[]): Promise<number> {
    let batches = 0;
    for (let start = 0; start < records.length; start += this.batchSize) {
      const batch = records.slice(start, start + this.batchSize);
      await this.limiter.take(batch.length);
      await this.publisher.publish(batch);
      this.published += batch.length;
      batches++;
    }
    return batches;
  }
}
