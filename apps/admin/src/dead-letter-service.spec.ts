import { randomUUID } from 'node:crypto';
import { type IncomingRecord, type OutgoingRecord, REDRIVEN_FROM_HEADER, toDeadLetter } from '@dev-health/kafka';
import { JsonLogger } from '@dev-health/observability';
import type { DeadLetterRedrive, RedriveClaim, TopicPosition } from '@dev-health/postgres';
import { Topology } from '@dev-health/schemas';
import { DeadLetterService } from './dead-letter-service';

const topology = new Topology('t1');
const DLQ = topology.deadLetter('processor');
const RAW = topology.raw('git');

/** A dead-letter topic in memory: one partition, offsets from 0. */
class FakeTopics {
  readonly records: IncomingRecord[] = [];

  add(original: Partial<IncomingRecord> & { offset: string }, sourceTopic = RAW): void {
    const record: IncomingRecord = {
      topic: sourceTopic,
      partition: 1,
      key: `key-${original.offset}`,
      value: Buffer.from(`value-${original.offset}`),
      headers: { 'dho.sync-mode': 'incremental' },
      timestamp: '0',
      ...original,
    };
    const letter = toDeadLetter({ record, reason: 'unknown schema' }, DLQ, 't1.processor', new Date(0));
    this.records.push({
      topic: DLQ,
      partition: 0,
      offset: String(this.records.length),
      key: letter.key,
      value: letter.value,
      headers: letter.headers ?? {},
      timestamp: '0',
    });
  }

  topicsWithPrefix(prefix: string) {
    const partitions = [{ partition: 0, low: '0', high: String(this.records.length) }];
    return Promise.resolve(DLQ.startsWith(prefix) ? [{ topic: DLQ, partitions }] : []);
  }

  readPartition(topic: string, _partition: number, from: string, limit: number) {
    return Promise.resolve(
      topic === DLQ ? this.records.filter((record) => BigInt(record.offset) >= BigInt(from)).slice(0, limit) : [],
    );
  }
}

/** The ledger's claim rules, in memory (the SQL itself is tested against Postgres). */
class FakeLedger {
  readonly rows = new Map<string, DeadLetterRedrive>();

  claim(deadLetter: TopicPosition, source: TopicPosition, requestedBy: string | null): Promise<RedriveClaim> {
    const key = `${deadLetter.topic}/${deadLetter.partition}/${deadLetter.offset}`;
    const existing = this.rows.get(key);
    if (existing) return Promise.resolve({ claimed: false, ledger: existing });
    const claimId = randomUUID();
    this.rows.set(key, {
      dlq_topic: deadLetter.topic,
      dlq_partition: deadLetter.partition,
      dlq_offset: deadLetter.offset,
      source_topic: source.topic,
      source_partition: source.partition,
      source_offset: source.offset,
      status: 'claimed',
      claim_id: claimId,
      attempts: 1,
      requested_by: requestedBy,
      claimed_at: new Date(),
      published_at: null,
    });
    return Promise.resolve({ claimed: true, claimId, retaken: false });
  }

  markPublished(deadLetter: TopicPosition): Promise<void> {
    const row = this.rows.get(`${deadLetter.topic}/${deadLetter.partition}/${deadLetter.offset}`);
    if (row) Object.assign(row, { status: 'published', published_at: new Date() });
    return Promise.resolve();
  }

  release(deadLetter: TopicPosition, claimId: string): Promise<void> {
    const key = `${deadLetter.topic}/${deadLetter.partition}/${deadLetter.offset}`;
    if (this.rows.get(key)?.claim_id === claimId) this.rows.delete(key);
    return Promise.resolve();
  }

  find(topic: string, partition: number, offsets: readonly string[]): Promise<DeadLetterRedrive[]> {
    return Promise.resolve(
      offsets.flatMap((offset) => {
        const row = this.rows.get(`${topic}/${partition}/${offset}`);
        return row ? [row] : [];
      }),
    );
  }

  publishedCounts(topics: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const row of this.rows.values())
      if (topics.includes(row.dlq_topic) && row.status === 'published')
        counts.set(row.dlq_topic, (counts.get(row.dlq_topic) ?? 0) + 1);
    return Promise.resolve(counts);
  }
}

class FakeProducer {
  readonly sent: OutgoingRecord[] = [];
  failures = 0;

  send(records: OutgoingRecord[]): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      return Promise.reject(new Error('broker said no'));
    }
    this.sent.push(...records);
    return Promise.resolve();
  }
}

describe('DeadLetterService', () => {
  let topics: FakeTopics;
  let ledger: FakeLedger;
  let producer: FakeProducer;
  let service: DeadLetterService;

  beforeEach(() => {
    topics = new FakeTopics();
    ledger = new FakeLedger();
    producer = new FakeProducer();
    const serde = { decode: () => Promise.resolve({ org_id: 'acme' }) };
    service = new DeadLetterService(topics, producer, topology, ledger, serde, new JsonLogger('test', 'error'));
    topics.add({ offset: '40' });
    topics.add({ offset: '41' });
  });

  it('publishes a dead letter’s original back to its source topic once; redriving it again publishes nothing', async () => {
    const first = await service.redrive('processor', { partition: 0, offsets: ['1'] }, 'key1');
    expect(first).toMatchObject({ topic: DLQ, published: 1, results: [{ offset: '1', outcome: 'published' }] });
    expect(producer.sent).toEqual([
      {
        topic: RAW,
        key: 'key-41',
        value: Buffer.from('value-41'),
        headers: { 'dho.sync-mode': 'incremental', [REDRIVEN_FROM_HEADER]: `${DLQ}/0/1` },
      },
    ]);
    const again = await service.redrive('processor', { partition: 0, offsets: ['1'] }, 'key1');
    expect(again.results).toEqual([
      { offset: '1', outcome: 'already-redriven', source: { topic: RAW, partition: 1, offset: '41' } },
    ]);
    const all = await service.redrive('processor', { partition: 0, offsets: 'all' }, 'key1');
    expect(all.results.map((result) => [result.offset, result.outcome])).toEqual([
      ['0', 'published'],
      ['1', 'already-redriven'],
    ]);
    expect(producer.sent.map((record) => record.key)).toEqual(['key-41', 'key-40']);
  });

  it('reports offsets with no dead letter, and refuses a source outside the deployment', async () => {
    topics.add({ offset: '42' }, 'other-env.raw.git');
    const result = await service.redrive('processor', { partition: 0, offsets: ['2', '7'] }, null);
    expect(result.results.map((entry) => [entry.offset, entry.outcome])).toEqual([
      ['2', 'not-redrivable'],
      ['7', 'not-found'],
    ]);
    expect(producer.sent).toEqual([]);
  });

  it('releases its claims when the publish fails, so a retry publishes', async () => {
    producer.failures = 1;
    await expect(service.redrive('processor', { partition: 0, offsets: ['0', '1'] }, null)).rejects.toThrow(
      /broker said no/,
    );
    expect(ledger.rows.size).toBe(0);
    expect((await service.redrive('processor', { partition: 0, offsets: ['0', '1'] }, null)).published).toBe(2);
  });

  it('lists groups with records kept and redriven, and pages of dead letters with org and redrive state', async () => {
    await service.redrive('processor', { partition: 0, offsets: ['0'] }, 'key1');
    expect(await service.groups()).toEqual([
      {
        group: 'processor',
        topic: DLQ,
        partitions: [{ partition: 0, low: '0', high: '2' }],
        records: 2,
        redriven: 1,
      },
    ]);
    const page = await service.page('processor', { partition: 0, after: null, limit: 1 });
    expect(page).toMatchObject({
      topic: DLQ,
      next: '0',
      records: [{ offset: '0', org_id: 'acme', reason: 'unknown schema', redrive: { status: 'published' } }],
    });
    const last = await service.page('processor', { partition: 0, after: '0', limit: 50 });
    expect(last).toMatchObject({ next: null, records: [{ offset: '1', redrive: null }] });
    await expect(service.page('sink-mongo', { partition: 0, after: null, limit: 1 })).rejects.toThrow(/not found/);
  });
});
