import { JsonLogger } from '@dev-health/observability';
import { BatchConsumer, RecordProducer } from './kafka-client';
import { DEAD_LETTER_HEADERS } from './dead-letter';
import { markRetriability } from './errors';
import type { IncomingRecord, OutgoingRecord } from './records';
import type { BatchSource, PartitionBatch, ProducerTransport } from './transport';

const quiet = new JsonLogger('test', 'error', undefined, { write: () => undefined });

function records(count: number): IncomingRecord[] {
  return Array.from({ length: count }, (_, index) => ({
    topic: 'dho.raw.test',
    partition: 0,
    offset: String(index),
    key: `k${index}`,
    value: Buffer.from(`v${index}`),
    headers: {},
    timestamp: '0',
  }));
}

class MemoryProducer implements ProducerTransport {
  readonly sent: OutgoingRecord[] = [];
  connect = () => Promise.resolve();
  disconnect = () => Promise.resolve();
  send(byTopic: Map<string, OutgoingRecord[]>): Promise<void> {
    for (const list of byTopic.values()) this.sent.push(...list);
    return Promise.resolve();
  }
}

/** Hands one batch to the consumer and records its commit. */
class OneBatchSource implements BatchSource {
  committed: string | undefined;
  done: Promise<void> = Promise.resolve();
  revoked = false;
  constructor(private readonly batch: IncomingRecord[]) {}
  start(onBatch: (batch: PartitionBatch) => Promise<void>): Promise<void> {
    this.done = onBatch({
      topic: 'dho.raw.test',
      partition: 0,
      records: this.batch,
      isRevoked: () => this.revoked,
      heartbeat: () => Promise.resolve(),
      commit: (offset) => {
        this.committed = offset;
        return Promise.resolve();
      },
    });
    return Promise.resolve();
  }
  stop = () => Promise.resolve();
}

async function consumeOnce(batch: IncomingRecord[], handle: (records: IncomingRecord[]) => Promise<void>) {
  const source = new OneBatchSource(batch);
  const transport = new MemoryProducer();
  const handled: string[][] = [];
  const consumer = new BatchConsumer(
    source,
    new RecordProducer(transport),
    {
      groupId: 'g',
      topics: ['dho.raw.test'],
      deadLetterTopic: 'dho.dlq.test',
      backoff: { initialMs: 1, maxMs: 2, factor: 1 },
    },
    () => Promise.resolve(),
    quiet,
  );
  await consumer.start(async (records) => {
    handled.push(records.map((record) => record.offset));
    await handle(records);
    return { rejected: [] };
  });
  await source.done;
  return { committed: source.committed, deadLetters: transport.sent, handled };
}

describe('BatchConsumer error classification', () => {
  it('isolates the record that fails deterministically, dead-letters it with stack and attempts, and commits past it', async () => {
    const { committed, deadLetters, handled } = await consumeOnce(records(10), (batch) => {
      if (batch.some((record) => record.offset === '6'))
        throw new TypeError("Cannot read properties of undefined (reading 'sha')");
      return Promise.resolve();
    });
    expect(deadLetters.map((letter) => letter.key)).toEqual(['k6']);
    const headers = deadLetters[0]?.headers ?? {};
    expect(headers[DEAD_LETTER_HEADERS.reason]).toMatch(
      /^TypeError: Cannot read properties .* \(after \d+ attempts\)$/,
    );
    expect(headers[DEAD_LETTER_HEADERS.errorStack]).toContain('batch-consumer.spec.ts');
    expect(Number(headers[DEAD_LETTER_HEADERS.attempts])).toBeGreaterThanOrEqual(3);
    expect(committed).toBe('10');
    // Every other record was handled in a batch that succeeded, in offset order.
    const succeeded = handled.filter((batch) => !batch.includes('6')).flat();
    expect(succeeded).toEqual(['0', '1', '2', '3', '4', '5', '7', '8', '9']);
  });

  it('dead-letters two poison records of one batch and nothing else', async () => {
    const { deadLetters, committed } = await consumeOnce(records(33), (batch) => {
      if (batch.some((record) => record.offset === '0' || record.offset === '32'))
        throw new RangeError('Invalid time value');
      return Promise.resolve();
    });
    expect(deadLetters.map((letter) => letter.key)).toEqual(['k0', 'k32']);
    expect(committed).toBe('33');
  });

  it('retries a transient failure until it passes and dead-letters nothing', async () => {
    let failures = 0;
    const { deadLetters, committed, handled } = await consumeOnce(records(4), () => {
      if (failures++ < 8) throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
      return Promise.resolve();
    });
    expect(deadLetters).toEqual([]);
    expect(handled).toHaveLength(9);
    expect(handled.every((batch) => batch.length === 4)).toBe(true);
    expect(committed).toBe('4');
  });

  it('treats an error its adapter marked transient as transient, whatever its class', async () => {
    let failures = 0;
    const { deadLetters } = await consumeOnce(records(2), () => {
      if (failures++ < 5) throw markRetriability(new TypeError('fetch failed'), 'transient');
      return Promise.resolve();
    });
    expect(deadLetters).toEqual([]);
    expect(failures).toBe(6);
  });
});

describe('BatchConsumer liveness', () => {
  it('counts a handler that hangs as idle although the membership is kept alive, and progress as activity', async () => {
    jest.useFakeTimers();
    try {
      const source = new OneBatchSource(records(3));
      let release: () => void = () => undefined;
      const consumer = new BatchConsumer(
        source,
        new RecordProducer(new MemoryProducer()),
        { groupId: 'g', topics: ['dho.raw.test'], deadLetterTopic: 'dho.dlq.test' },
        () => Promise.resolve(),
        quiet,
      );
      expect(consumer.idleMs()).toBeUndefined();
      const start = Date.now();
      await consumer.start(() => new Promise((resolve) => (release = () => resolve({ rejected: [] }))));
      await jest.advanceTimersByTimeAsync(60_000);
      // The keep-alive heartbeats every 3 s, yet a minute without progress shows, with the handler at work.
      expect(consumer.idleMs(start + 60_000)).toBeGreaterThanOrEqual(60_000);
      expect(consumer.handling).toBe(true);
      release();
      await source.done;
      expect(source.committed).toBe('3');
      expect(consumer.handling).toBe(false);
      expect(consumer.idleMs()).toBeLessThan(1_000);
      await consumer.stop();
      expect(consumer.idleMs()).toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('BatchConsumer on a revoked partition', () => {
  it('starts no new attempt once the partition is revoked during a retry, cuts the backoff short and commits nothing', async () => {
    const source = new OneBatchSource(records(5));
    const attempts: number[] = [];
    const consumer = new BatchConsumer(
      source,
      new RecordProducer(new MemoryProducer()),
      {
        groupId: 'g',
        topics: ['dho.raw.test'],
        deadLetterTopic: 'dho.dlq.test',
        // A long backoff: the revocation must end it, not the timer.
        backoff: { initialMs: 60_000, maxMs: 60_000, factor: 1 },
      },
      () => Promise.resolve(),
      quiet,
    );
    const started = Date.now();
    await consumer.start((batch) => {
      attempts.push(batch.length);
      // The store is away; meanwhile a rebalance gives the partition to another member.
      setTimeout(() => (source.revoked = true), 50);
      return Promise.reject(markRetriability(new Error('connection refused'), 'transient'));
    });
    await expect(source.done).rejects.toThrow(/abandoned: partition revoked/);
    expect(attempts).toEqual([5]);
    expect(source.committed).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
