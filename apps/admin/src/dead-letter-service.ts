import { NotFoundError } from '@dev-health/control-plane';
import {
  type IncomingRecord,
  type KafkaClient,
  type PartitionOffsets,
  type RecordProducer,
  readDeadLetter,
  redriveRecord,
} from '@dev-health/kafka';
import type { Logger } from '@dev-health/observability';
import { type DeadLetterRedrive, DeadLetterRedriveStore } from '@dev-health/postgres';
import { AvroSerde } from '@dev-health/registry';
import { Topology } from '@dev-health/schemas';
import {
  type DeadLetterPageRequest,
  type DeadLetterView,
  REDRIVE_MAX_SPAN,
  type RedriveRequest,
  type RedriveResult,
  deadLetterTopicOf,
  deadLetterView,
} from './dead-letter-views';

export interface DeadLetterGroupView {
  group: string;
  topic: string;
  partitions: PartitionOffsets[];
  /** Dead letters the topic still keeps. */
  records: number;
  /** Of those ever written, how many were redriven. */
  redriven: number;
}

export interface DeadLetterPage {
  group: string;
  topic: string;
  partition: number;
  low: string;
  high: string;
  records: DeadLetterView[];
  /** Pass as `after` for the next page; null at the end. */
  next: string | null;
}

/** Copies published per producer request: claims are taken for a chunk, then its copies sent at once. */
const REDRIVE_CHUNK = 100;

/**
 * Dead letters of every consumer group of this deployment (topics `<prefix>.dlq.<group>`): listing,
 * inspection, and redrive — publishing a dead letter's original record back to its source topic, once,
 * after whatever made it fail has been fixed. The ledger (DeadLetterRedriveStore) is what makes it
 * once: a copy is sent only under a claim, and a published claim is never given out again.
 */
export class DeadLetterService {
  private readonly deadLetterPrefix: string;

  constructor(
    private readonly kafka: Pick<KafkaClient, 'topicsWithPrefix' | 'readPartition'>,
    private readonly producer: Pick<RecordProducer, 'send'>,
    private readonly topology: Topology,
    private readonly ledger: Pick<
      DeadLetterRedriveStore,
      'claim' | 'markPublished' | 'release' | 'find' | 'publishedCounts'
    >,
    private readonly serde: { decode(value: Buffer | null): Promise<unknown> },
    private readonly logger: Logger,
  ) {
    this.deadLetterPrefix = topology.deadLetter('');
  }

  /** Wired from what the admin service already has: its Kafka client and (acks=all) producer, its database. */
  static create(
    kafka: KafkaClient,
    producer: RecordProducer,
    dataSource: ConstructorParameters<typeof DeadLetterRedriveStore>[0],
    kafkaConfig: { topicPrefix: string; schemaRegistryUrl: string },
    logger: Logger,
  ): DeadLetterService {
    return new DeadLetterService(
      kafka,
      producer,
      new Topology(kafkaConfig.topicPrefix),
      new DeadLetterRedriveStore(dataSource),
      new AvroSerde(kafkaConfig.schemaRegistryUrl),
      logger,
    );
  }

  async groups(): Promise<DeadLetterGroupView[]> {
    const topics = await this.kafka.topicsWithPrefix(this.deadLetterPrefix);
    const redriven = await this.ledger.publishedCounts(topics.map((entry) => entry.topic));
    return topics.map(({ topic, partitions }) => ({
      group: topic.slice(this.deadLetterPrefix.length),
      topic,
      partitions,
      records: partitions.reduce((sum, entry) => sum + Number(BigInt(entry.high) - BigInt(entry.low)), 0),
      redriven: redriven.get(topic) ?? 0,
    }));
  }

  async page(group: string, request: DeadLetterPageRequest): Promise<DeadLetterPage> {
    const { topic, offsets } = await this.partitionOf(group, request.partition);
    const from = request.after === null ? offsets.low : (BigInt(request.after) + 1n).toString();
    const records = await this.kafka.readPartition(topic, request.partition, from, request.limit);
    const last = records.at(-1);
    return {
      group,
      topic,
      partition: request.partition,
      low: offsets.low,
      high: offsets.high,
      records: await this.views(topic, request.partition, records),
      next: last && BigInt(last.offset) + 1n < BigInt(offsets.high) ? last.offset : null,
    };
  }

  /** One dead letter with its value: decoded when it is Avro the registry knows, base64 always. */
  async record(group: string, partition: number, offset: string) {
    const { topic } = await this.partitionOf(group, partition);
    const [record] = await this.kafka.readPartition(topic, partition, offset, 1);
    if (!record || record.offset !== offset)
      throw new NotFoundError(`no dead letter at offset ${offset} of ${topic}/${partition}`);
    const [view] = await this.views(topic, partition, [record]);
    return {
      ...view,
      value: await this.decode(record.value),
      value_base64: record.value?.toString('base64') ?? null,
    };
  }

  async redrive(
    group: string,
    request: RedriveRequest,
    requestedBy: string | null,
  ): Promise<{ group: string; topic: string; partition: number; published: number; results: RedriveResult[] }> {
    const { topic, offsets } = await this.partitionOf(group, request.partition);
    const { partition } = request;
    const results: RedriveResult[] = [];
    if (request.offsets === 'all') {
      // Page by page, up to the end the partition had when the request came.
      let from = offsets.low;
      while (BigInt(from) < BigInt(offsets.high)) {
        const page = await this.kafka.readPartition(topic, partition, from, REDRIVE_MAX_SPAN);
        const last = page.at(-1);
        if (!last) break;
        const pageOffsets = page.map((record) => record.offset);
        results.push(...(await this.redriveRecords(topic, partition, page, pageOffsets, requestedBy)));
        from = (BigInt(last.offset) + 1n).toString();
      }
    } else {
      const [lowest, highest] = [request.offsets[0], request.offsets.at(-1)];
      const span = lowest === undefined || highest === undefined ? 0 : Number(BigInt(highest) - BigInt(lowest)) + 1;
      const read = lowest === undefined ? [] : await this.kafka.readPartition(topic, partition, lowest, span);
      results.push(...(await this.redriveRecords(topic, partition, read, request.offsets, requestedBy)));
    }
    const published = results.filter((result) => result.outcome === 'published').length;
    this.logger.info('dead letters redriven', { topic, partition, published, requestedBy });
    return { group, topic, partition, published, results };
  }

  /** Redrives `offsets` of the records `read`, one chunk of claims and one acked publish at a time. */
  private async redriveRecords(
    topic: string,
    partition: number,
    read: IncomingRecord[],
    offsets: string[],
    requestedBy: string | null,
  ): Promise<RedriveResult[]> {
    const byOffset = new Map(read.map((record) => [record.offset, record]));
    const results: RedriveResult[] = [];
    for (let index = 0; index < offsets.length; index += REDRIVE_CHUNK) {
      const chunk = offsets.slice(index, index + REDRIVE_CHUNK);
      results.push(...(await this.redriveChunk(topic, partition, chunk, byOffset, requestedBy)));
    }
    return results;
  }

  /** Claims what it can of `offsets`, publishes those copies in one acked request, then marks them published. */
  private async redriveChunk(
    topic: string,
    partition: number,
    offsets: string[],
    byOffset: Map<string, IncomingRecord>,
    requestedBy: string | null,
  ): Promise<RedriveResult[]> {
    const results: RedriveResult[] = [];
    const claimed: { record: IncomingRecord; claimId: string; result: RedriveResult }[] = [];
    for (const offset of offsets) {
      const record = byOffset.get(offset);
      const source = record ? readDeadLetter(record).source : null;
      if (!record) {
        results.push({ offset, outcome: 'not-found', source: null });
        continue;
      }
      if (!source || !this.isSourceTopic(source.topic)) {
        results.push({ offset, outcome: 'not-redrivable', source });
        continue;
      }
      const position = { topic, partition, offset };
      const claim = await this.ledger.claim(position, source, requestedBy);
      if (!claim.claimed) {
        const outcome = claim.ledger.status === 'published' ? 'already-redriven' : 'in-progress';
        results.push({ offset, outcome, source });
        continue;
      }
      if (claim.retaken) this.logger.warn('redriving a dead letter whose earlier redrive never confirmed', position);
      const result: RedriveResult = { offset, outcome: 'published', source };
      claimed.push({ record, claimId: claim.claimId, result });
      results.push(result);
    }
    if (claimed.length === 0) return results;
    try {
      await this.producer.send(claimed.map(({ record }) => redriveRecord(record)));
    } catch (error: unknown) {
      // Most likely nothing was written; releasing lets a retry publish at once rather than after the lease.
      for (const { record, claimId } of claimed)
        await this.ledger.release({ topic, partition, offset: record.offset }, claimId);
      throw error;
    }
    for (const { record } of claimed) await this.ledger.markPublished({ topic, partition, offset: record.offset });
    return results;
  }

  /** A copy may only go to a topic of this deployment that is not itself a dead-letter topic. */
  private isSourceTopic(topic: string): boolean {
    return topic.startsWith(this.topology.group('')) && !topic.startsWith(this.deadLetterPrefix);
  }

  private async partitionOf(group: string, partition: number): Promise<{ topic: string; offsets: PartitionOffsets }> {
    const topic = deadLetterTopicOf(this.deadLetterPrefix, group);
    const [described] = (await this.kafka.topicsWithPrefix(topic)).filter((entry) => entry.topic === topic);
    if (!described) throw new NotFoundError(`dead-letter group ${group} not found (no topic ${topic})`);
    const offsets = described.partitions.find((entry) => entry.partition === partition);
    if (!offsets) throw new NotFoundError(`${topic} has no partition ${partition}`);
    return { topic, offsets };
  }

  private async views(topic: string, partition: number, records: IncomingRecord[]): Promise<DeadLetterView[]> {
    const ledger = new Map<string, DeadLetterRedrive>(
      (
        await this.ledger.find(
          topic,
          partition,
          records.map((record) => record.offset),
        )
      ).map((row) => [String(row.dlq_offset), row]),
    );
    const views: DeadLetterView[] = [];
    for (const record of records) {
      const decoded = await this.decode(record.value);
      const org = typeof decoded === 'object' && decoded !== null ? (decoded as { org_id?: unknown }).org_id : null;
      views.push(deadLetterView(record, typeof org === 'string' ? org : null, ledger.get(record.offset)));
    }
    return views;
  }

  /** Every record the pipeline writes is Avro carrying its org; poison often is not, and decodes to null. */
  private async decode(value: Buffer | null): Promise<unknown> {
    try {
      return await this.serde.decode(value);
    } catch {
      return null;
    }
  }
}
