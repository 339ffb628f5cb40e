import { EventEmitter } from 'node:events';
import { JsonLogger } from '@dev-health/observability';
import { PlatformaticBatchSource } from './platformatic-transport';
import type { PartitionBatch } from './transport';

/** A message as the client's stream emits it, with only what the source reads. */
function message(topic: string, partition: number, offset: number) {
  return {
    topic,
    partition,
    offset: BigInt(offset),
    leaderEpoch: 0,
    key: Buffer.from(`k${partition}`),
    value: Buffer.from(`${topic}/${partition}/${offset}`),
    headers: new Map<Buffer, Buffer>(),
    timestamp: 0n,
  };
}

class ScriptedStream extends EventEmitter {
  paused = false;
  pause() {
    this.paused = true;
    return this;
  }
  resume() {
    this.paused = false;
    return this;
  }
  isPaused() {
    return this.paused;
  }
  close() {
    return Promise.resolve();
  }
}

/** The client's consumer, scripted: the test says when the group joins and what the stream delivers. */
class ScriptedConsumer extends EventEmitter {
  readonly stream = new ScriptedStream();
  readonly commits: { topic: string; partition: number; offset: bigint }[] = [];
  consume() {
    return Promise.resolve(this.stream);
  }
  commitError: Error | null = null;
  commit(options: { offsets: { topic: string; partition: number; offset: bigint }[] }) {
    if (this.commitError) return Promise.reject(this.commitError);
    this.commits.push(...options.offsets);
    return Promise.resolve();
  }
  startLagMonitoring() {}
  close() {
    return Promise.resolve();
  }
  join(assignments: Record<string, number[]>) {
    this.emit('consumer:group:join', {
      assignments: Object.entries(assignments).map(([topic, partitions]) => ({ topic, partitions })),
    });
  }
  deliver(...messages: ReturnType<typeof message>[]) {
    for (const each of messages) this.stream.emit('data', each);
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const settle = async () => {
  for (let i = 0; i < 10; i++) await tick();
};

function sourceWith(consumers: ScriptedConsumer[], partitionsConcurrently = 2) {
  const source = new PlatformaticBatchSource(
    { brokers: ['unused:9092'], clientId: 'test' },
    {
      groupId: 'g',
      topics: ['t'],
      fromBeginning: true,
      maxBytesPerPartition: 1_000_000,
      partitionsConcurrently,
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 30_000,
      heartbeatIntervalMs: 3_000,
    },
    new JsonLogger('test', 'error'),
    undefined,
    () => {
      const next = new ScriptedConsumer();
      consumers.push(next);
      return next as never;
    },
  );
  return source;
}

describe('PlatformaticBatchSource', () => {
  it('hands a fetch response out as one batch, in offset order, and drops what a rejoin refetches', async () => {
    const consumers: ScriptedConsumer[] = [];
    const source = sourceWith(consumers);
    const batches: string[][] = [];
    await source.start(async (batch) => {
      batches.push(batch.records.map((record) => record.offset));
      await batch.commit(String(Number(batch.records.at(-1)?.offset) + 1));
    });
    const consumer = consumers[0] as ScriptedConsumer;
    consumer.join({ t: [0] });
    consumer.deliver(message('t', 0, 0), message('t', 0, 1), message('t', 0, 2));
    await settle();
    // The same partition stays assigned after a rejoin; the stream refetches from the commit (1).
    consumer.join({ t: [0] });
    consumer.deliver(message('t', 0, 1), message('t', 0, 2), message('t', 0, 3));
    await settle();
    await source.stop();
    expect(batches).toEqual([['0', '1', '2'], ['3']]);
    expect(consumer.commits.map((commit) => commit.offset)).toEqual([3n, 4n]);
  });

  it('drops a revoked partition, and a partition given back waits for its old batch before the next', async () => {
    const consumers: ScriptedConsumer[] = [];
    const source = sourceWith(consumers);
    const seen: string[] = [];
    let releaseFirst: () => void = () => undefined;
    let inHand = 0;
    let mostAtOnce = 0;
    let first: PartitionBatch | undefined;
    await source.start(async (batch) => {
      inHand++;
      mostAtOnce = Math.max(mostAtOnce, inHand);
      if (!first) {
        first = batch;
        await new Promise<void>((resolve) => (releaseFirst = resolve));
      }
      const offsets = batch.records.map((record) => record.offset).join(',');
      seen.push(`${batch.partition}:${offsets}${batch.isRevoked() ? ' (revoked)' : ''}`);
      inHand--;
    });
    const consumer = consumers[0] as ScriptedConsumer;
    consumer.join({ t: [0] });
    consumer.deliver(message('t', 0, 0));
    await settle();
    expect(first?.isRevoked()).toBe(false);
    // Revoked while its batch is in hand: queued records go, and records still arriving for it too.
    consumer.deliver(message('t', 0, 1));
    consumer.join({ t: [1] });
    consumer.deliver(message('t', 0, 2), message('t', 1, 0));
    await settle();
    expect(first?.isRevoked()).toBe(true);
    // Given back: read again from the committed offset (0) once the old batch is done.
    consumer.join({ t: [0, 1] });
    consumer.deliver(message('t', 0, 0), message('t', 0, 1));
    await settle();
    releaseFirst();
    await settle();
    await source.stop();
    // Partition 1 ran beside the held batch; partition 0's next batch only after it.
    expect(seen).toEqual(['1:0', '0:0 (revoked)', '0:0,1']);
    expect(mostAtOnce).toBe(2);
  });

  it('ignores records of partitions it does not own and pauses the stream past its bound', async () => {
    const consumers: ScriptedConsumer[] = [];
    const source = sourceWith(consumers, 1);
    const handled: string[] = [];
    let release: () => void = () => undefined;
    await source.start(async (batch) => {
      handled.push(...batch.records.map((record) => `${record.partition}/${record.offset}`));
      await new Promise<void>((resolve) => (release = resolve));
    });
    const consumer = consumers[0] as ScriptedConsumer;
    consumer.join({ t: [0] });
    consumer.deliver(message('t', 3, 0), message('t', 0, 0));
    await settle();
    expect(handled).toEqual(['0/0']);
    // 1 partition at once × 1 MB × 2: more than 2 MB queued pauses the stream; draining resumes it.
    const big = { ...message('t', 0, 1), value: Buffer.alloc(2_100_000) };
    consumer.deliver(big);
    expect(consumer.stream.isPaused()).toBe(true);
    release();
    await settle();
    expect(consumer.stream.isPaused()).toBe(false);
    release();
    await settle();
    await source.stop();
  });

  it('replaces a consumer whose stream failed with a new member', async () => {
    const consumers: ScriptedConsumer[] = [];
    const source = sourceWith(consumers);
    const handled: string[] = [];
    await source.start((batch) => {
      handled.push(...batch.records.map((record) => record.offset));
      return Promise.resolve();
    });
    const failed = consumers[0] as ScriptedConsumer;
    failed.join({ t: [0] });
    failed.stream.emit('error', new Error('The coordinator is not aware of this member'));
    for (let i = 0; i < 100 && consumers.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(consumers).toHaveLength(2);
    const replacement = consumers[1] as ScriptedConsumer;
    // Late records of the failed member are not handled; the new member's are.
    failed.deliver(message('t', 0, 0));
    replacement.join({ t: [0] });
    replacement.deliver(message('t', 0, 0));
    await settle();
    await source.stop();
    expect(handled).toEqual(['0']);
  });

  it('replaces a member whose commits fail past the client retries (outside its group, still fetching), once', async () => {
    const consumers: ScriptedConsumer[] = [];
    const source = sourceWith(consumers);
    const handled: string[] = [];
    await source.start(async (batch) => {
      handled.push(...batch.records.map((record) => `${batch.partition}/${record.offset}`));
      await batch.commit(String(Number(batch.records.at(-1)?.offset) + 1));
    });
    const broken = consumers[0] as ScriptedConsumer;
    broken.commitError = new Error('Connection closed (OffsetCommit the broker could not parse)');
    broken.join({ t: [0, 1] });
    broken.deliver(message('t', 0, 0), message('t', 1, 0));
    for (let i = 0; i < 100 && consumers.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Both partitions' commits failed; one replacement, not one per failure.
    expect(consumers).toHaveLength(2);
    const replacement = consumers[1] as ScriptedConsumer;
    replacement.join({ t: [0, 1] });
    replacement.deliver(message('t', 0, 0), message('t', 1, 0));
    await settle();
    await source.stop();
    expect(replacement.commits.map(({ partition, offset }) => `${partition}/${offset}`).sort()).toEqual(['0/1', '1/1']);
    expect(handled.sort()).toEqual(['0/0', '0/0', '1/0', '1/0']);
  });
});
