import { Admin } from '@platformatic/kafka';
import { KAFKA_CLIENTS } from '@dev-health/config';
import { JsonLogger } from '@dev-health/observability';
import { readFileSync } from 'node:fs';
import { saslSslEndpoint, stackEndpoints, uniqueName, waitFor } from '@dev-health/testing';
import { readDeadLetter } from './dead-letter';
import { markRetriability } from './errors';
import { type BatchContext, KafkaClient } from './kafka-client';
import { javaPartitionHash } from './partitioner';
import type { IncomingRecord } from './records';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One handler call's write window: the writer log of the rebalance tests. */
interface WriteWindow {
  member: string;
  partition: number;
  from: number;
  to: number;
}

/** Write windows of two members on one partition that overlap in time: what must never happen. */
function overlappingWrites(writes: readonly WriteWindow[]): string[] {
  return writes.flatMap((write, index) =>
    writes
      .slice(index + 1)
      .filter(
        (other) =>
          other.partition === write.partition &&
          other.member !== write.member &&
          other.from < write.to &&
          write.from < other.to,
      )
      .map((other) => `partition ${write.partition}: ${JSON.stringify(write)} overlaps ${JSON.stringify(other)}`),
  );
}

/** The adapter's contract, which every selectable client (KAFKA_CLIENT) must keep against the real broker. */
describe.each(KAFKA_CLIENTS)('libs/kafka on %s (real broker)', (client) => {
  const kafka = new KafkaClient(
    { brokers: stackEndpoints().kafkaBrokers, clientId: uniqueName(`contract_${client}`), client },
    new JsonLogger('test', 'error'),
  );

  async function topicWith(partitions: number, count: number, keys = 7) {
    const topic = uniqueName(`contract_${client}`);
    await kafka.ensureTopics([{ topic, partitions }]);
    const producer = kafka.createProducer();
    const sent = Array.from({ length: count }, (_, index) => ({
      topic,
      key: `key-${index % keys}`,
      value: Buffer.from(`value-${index}`),
      headers: { 'x-index': String(index), 'x-name': 'ümlaut' },
    }));
    await producer.send(sent);
    await producer.disconnect();
    return { topic, sent };
  }

  /** Resolves once the group's commits on `topic` add up to `count` records: every partition read to its end. */
  async function waitForCommittedEnd(groupId: string, topic: string, count: number, timeoutMs: number) {
    await waitFor(
      async () => {
        const committed = await kafka.committedOffsets(groupId, topic);
        return [...committed.values()].reduce((sum, offset) => sum + Math.max(0, Number(offset)), 0) >= count;
      },
      { description: 'every partition committed to its end', timeoutMs, intervalMs: 500 },
    );
  }

  it('produces and consumes over TLS with SCRAM-SHA-512, and refuses a wrong password with an authentication error', async () => {
    const endpoint = saslSslEndpoint();
    const secure = (password: string) =>
      new KafkaClient(
        {
          brokers: endpoint.brokers,
          clientId: uniqueName(`tls_${client}`),
          client,
          security: {
            protocol: 'SASL_SSL',
            tls: { ca: readFileSync(endpoint.caFile, 'utf8') },
            sasl: { mechanism: 'scram-sha-512', username: endpoint.username, password },
          },
        },
        new JsonLogger('test', 'error'),
      );
    const kafkaTls = secure(endpoint.password);
    const topic = uniqueName(`tls_${client}`);
    await kafkaTls.ensureTopics([{ topic, partitions: 2 }]);
    const producer = kafkaTls.createProducer();
    await producer.send(
      Array.from({ length: 50 }, (_, index) => ({ topic, key: `k${index}`, value: Buffer.from(`v${index}`) })),
    );
    await producer.disconnect();
    const received: IncomingRecord[] = [];
    const consumer = kafkaTls.createBatchConsumer({
      groupId: uniqueName('tls_group'),
      topics: [topic],
      deadLetterTopic: `${topic}.dlq`,
    });
    try {
      await consumer.start((records) => {
        received.push(...records);
        return Promise.resolve({ rejected: [] });
      });
      await waitFor(() => received.length >= 50, { description: 'every record over TLS', timeoutMs: 30_000 });
    } finally {
      await consumer.stop();
    }
    expect(new Set(received.map((record) => record.value?.toString())).size).toBe(50);
    // The same records are on the plaintext listener: one broker, two listeners.
    expect([...(await kafka.endOffsets(topic)).values()].reduce((sum, high) => sum + Number(high), 0)).toBe(50);

    const wrong = secure('not-the-password').createProducer();
    const attempt = Promise.race([
      wrong.send([{ topic, key: 'k', value: Buffer.from('v') }]).then(() => 'sent'),
      sleep(20_000).then(() => 'timed out'),
    ]);
    await expect(attempt).rejects.toThrow(/authenticat|SASL|credentials/i);
    await wrong.disconnect().catch(() => undefined);
  }, 60_000);

  it('delivers every record once, in order per key, on the partition the Java client picks', async () => {
    const { topic, sent } = await topicWith(4, 500);
    const groupId = uniqueName('contract_group');
    const received: IncomingRecord[] = [];
    const consumer = kafka.createBatchConsumer({
      groupId,
      topics: [topic],
      deadLetterTopic: `${topic}.dlq`,
    });
    try {
      await consumer.start((records) => {
        received.push(...records);
        return Promise.resolve({ rejected: [] });
      });
      await waitFor(() => received.length >= sent.length, { description: 'every record', timeoutMs: 30_000 });
      await sleep(500);
    } finally {
      await consumer.stop();
    }
    expect(received).toHaveLength(sent.length);
    for (const record of received) {
      expect(record.partition).toBe(javaPartitionHash(Buffer.from(record.key ?? '')) % 4);
      expect(record.headers['x-name']).toBe('ümlaut');
      expect(record.value?.toString()).toBe(`value-${record.headers['x-index']}`);
    }
    const byKey = new Map<string, number[]>();
    for (const record of received) {
      const list = byKey.get(record.key ?? '') ?? [];
      list.push(Number(record.headers['x-index']));
      byKey.set(record.key ?? '', list);
    }
    for (const indexes of byKey.values()) expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    // The committed offsets are the partitions' ends: a restarted group reads nothing again.
    const committed = await kafka.committedOffsets(groupId, topic);
    const ends = await kafka.endOffsets(topic);
    expect(Object.fromEntries(committed)).toEqual(Object.fromEntries(ends));
  }, 60_000);

  it('retries a failing batch without committing it, and dead-letters what the handler rejects', async () => {
    const { topic } = await topicWith(1, 20);
    const groupId = uniqueName('contract_group');
    let failures = 0;
    const handled: string[] = [];
    const consumer = kafka.createBatchConsumer({
      groupId,
      topics: [topic],
      deadLetterTopic: `${topic}.dlq`,
      backoff: { initialMs: 50, maxMs: 200, factor: 2 },
    });
    await kafka.ensureTopics([{ topic: `${topic}.dlq`, partitions: 1 }]);
    try {
      await consumer.start(async (records) => {
        if (failures < 2) {
          failures++;
          // Nothing may be committed while the batch fails.
          expect(await kafka.committedOffsets(groupId, topic)).not.toEqual(new Map([[0, '20']]));
          throw new Error('database unavailable');
        }
        handled.push(...records.map((record) => record.value?.toString() ?? ''));
        const poison = records.filter((record) => record.value?.toString() === 'value-13');
        return { rejected: poison.map((record) => ({ record, reason: 'value 13 is poison' })) };
      });
      await waitFor(() => handled.length >= 20, { description: 'the batch after two failures', timeoutMs: 30_000 });
      await waitFor(async () => (await kafka.committedOffsets(groupId, topic)).get(0) === '20', {
        description: 'the commit',
        timeoutMs: 10_000,
      });
    } finally {
      await consumer.stop();
    }
    expect(failures).toBe(2);
    expect(new Set(handled).size).toBe(20);
    const deadLetters = await kafka.readPartition(`${topic}.dlq`, 0, '0', 10);
    expect(deadLetters).toHaveLength(1);
    const details = readDeadLetter(deadLetters[0] as IncomingRecord);
    expect(details.reason).toBe('value 13 is poison');
    expect(details.source).toMatchObject({ topic, partition: 0, offset: '13' });
  }, 60_000);

  it('starts a new group at the planned offsets and a resumed one at its commits', async () => {
    const { topic } = await topicWith(2, 100, 2);
    const groupId = uniqueName('contract_group');
    const ends = await kafka.endOffsets(topic);
    const startAt = [...ends].map(([partition, high]) => ({
      topic,
      partition,
      offset: String(Number(high) - 10),
    }));
    const run = async () => {
      const received: IncomingRecord[] = [];
      const consumer = kafka.createBatchConsumer({
        groupId,
        topics: [topic],
        deadLetterTopic: `${topic}.dlq`,
        startAt,
      });
      await consumer.start((records) => {
        received.push(...records);
        return Promise.resolve({ rejected: [] });
      });
      return { received, consumer };
    };
    const first = await run();
    await waitFor(() => first.received.length >= 20, { description: 'the planned tail', timeoutMs: 30_000 });
    await sleep(1_000);
    await first.consumer.stop();
    expect(first.received).toHaveLength(20);
    for (const record of first.received)
      expect(Number(record.offset)).toBeGreaterThanOrEqual(Number(ends.get(record.partition)) - 10);
    // Resumed: the plan no longer applies; the commits do, so nothing is read again.
    const second = await run();
    await sleep(3_000);
    await second.consumer.stop();
    expect(second.received).toHaveLength(0);
  }, 60_000);

  it('keeps its membership while a handler works longer than the session timeout', async () => {
    const topic = uniqueName(`slow_handler_${client}`);
    const groupId = uniqueName('slow_group');
    await kafka.ensureTopics([{ topic, partitions: 1 }]);
    const producer = kafka.createProducer();
    await producer.connect();
    const consumer = kafka.createBatchConsumer({ groupId, topics: [topic], deadLetterTopic: `${topic}.dlq` });
    const handled: string[] = [];
    try {
      await producer.send([{ topic, key: 'a', value: Buffer.from('first') }]);
      await consumer.start(async (records) => {
        // 14 s: longer than the 10 s session timeout; without heartbeats the member is evicted and its
        // commit fails.
        if (handled.length === 0) await sleep(14_000);
        handled.push(...records.map((record) => record.value?.toString() ?? ''));
        return { rejected: [] };
      });
      await waitFor(() => handled.length === 1, { description: 'the slow batch', timeoutMs: 40_000 });
      await producer.send([{ topic, key: 'a', value: Buffer.from('second') }]);
      await waitFor(() => handled.length === 2, { description: 'the next batch', timeoutMs: 20_000 });
      // Each record once: the slow batch's offset was committed, not redelivered after an eviction.
      expect(handled).toEqual(['first', 'second']);
    } finally {
      await consumer.stop();
      await producer.disconnect();
    }
  }, 90_000);

  it('a member fenced while it works (removed from the group) rejoins and goes on consuming', async () => {
    const topic = uniqueName(`fenced_${client}`);
    const groupId = uniqueName('fenced_group');
    await kafka.ensureTopics([{ topic, partitions: 1 }]);
    const producer = kafka.createProducer();
    const handled: string[] = [];
    let fence: (() => Promise<void>) | null = async () => {
      // What a broker that forgot the member does to it: its heartbeats and its commit are refused.
      const admin = new Admin({ clientId: 'fencer', bootstrapBrokers: stackEndpoints().kafkaBrokers });
      try {
        await admin.removeMembersFromConsumerGroup({ groupId });
      } finally {
        await admin.close();
      }
    };
    const consumer = kafka.createBatchConsumer({
      groupId,
      topics: [topic],
      deadLetterTopic: `${topic}.dlq`,
      backoff: { initialMs: 100, maxMs: 500, factor: 2 },
    });
    try {
      await producer.send([{ topic, key: 'a', value: Buffer.from('first') }]);
      await consumer.start(async (records) => {
        if (fence) {
          const fencing = fence;
          fence = null;
          await fencing();
          await sleep(1_000);
        }
        handled.push(...records.map((record) => record.value?.toString() ?? ''));
        return { rejected: [] };
      });
      await waitFor(() => handled.includes('first'), {
        description: 'the batch the member was fenced in',
        timeoutMs: 30_000,
      });
      await producer.send([{ topic, key: 'a', value: Buffer.from('after') }]);
      await waitFor(() => handled.includes('after'), {
        description: 'a record sent after the fencing',
        timeoutMs: 45_000,
      });
      await waitFor(async () => (await kafka.committedOffsets(groupId, topic)).get(0) === '2', {
        description: 'the commit after the fencing',
        timeoutMs: 20_000,
      });
    } finally {
      await consumer.stop();
      await producer.disconnect();
    }
  }, 120_000);

  it('shares partitions with a member that joins mid-stream and loses nothing', async () => {
    const { topic, sent } = await topicWith(6, 3_000, 60);
    const groupId = uniqueName('contract_group');
    const seen = new Set<string>();
    const handler = async (records: IncomingRecord[]) => {
      for (const record of records) seen.add(`${record.partition}/${record.offset}`);
      await sleep(20);
      return { rejected: [] };
    };
    const options = { groupId, topics: [topic], deadLetterTopic: `${topic}.dlq`, maxBytesPerPartition: 2_048 };
    const first = kafka.createBatchConsumer(options);
    const second = kafka.createBatchConsumer(options);
    try {
      await first.start(handler);
      await waitFor(() => seen.size > 0, { description: 'the first batches', timeoutMs: 30_000 });
      await second.start(handler);
      await waitForCommittedEnd(groupId, topic, sent.length, 60_000);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
    expect(seen.size).toBe(sent.length);
  }, 90_000);
  it('a member joining during a long batch never writes a partition while the other still does, and nothing is lost', async () => {
    const topic = uniqueName(`writer_log_${client}`);
    await kafka.ensureTopics([{ topic, partitions: 2 }]);
    const producer = kafka.createProducer();
    // One request per record, each larger than half the fetch size: one record per batch, many batches.
    const sent = Array.from({ length: 24 }, (_, index) => ({
      topic,
      key: `key-${index % 6}`,
      value: Buffer.alloc(700, index),
    }));
    for (const record of sent) await producer.send([record]);
    await producer.disconnect();
    const groupId = uniqueName('writer_log_group');
    /** Every write window of every batch, abandoned ones included: the writer log. */
    const writes: WriteWindow[] = [];
    const handled = new Set<string>();
    let inLongBatch = false;
    const writer = (member: string) => async (records: IncomingRecord[], context: BatchContext) => {
      const partition = records[0]?.partition ?? -1;
      const from = Date.now();
      inLongBatch = true;
      try {
        // A long batch written in steps (as chunked writers do), each step only while the batch is ours.
        for (let step = 0; step < 8; step++) {
          if (context.isStopping()) throw new Error('revoked: stop writing');
          await sleep(250);
        }
        for (const record of records) handled.add(`${record.partition}/${record.offset}`);
        return { rejected: [] };
      } finally {
        writes.push({ member, partition, from, to: Date.now() });
      }
    };
    const options = {
      groupId,
      topics: [topic],
      deadLetterTopic: `${topic}.dlq`,
      maxBytesPerPartition: 1_024,
      backoff: { initialMs: 100, maxMs: 500, factor: 2 },
    };
    const first = kafka.createBatchConsumer(options);
    const second = kafka.createBatchConsumer(options);
    try {
      await first.start(writer('first'));
      await waitFor(() => inLongBatch, { description: 'the first member inside a long batch', timeoutMs: 30_000 });
      await sleep(500);
      await second.start(writer('second'));
      await waitForCommittedEnd(groupId, topic, sent.length, 120_000);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
    expect(new Set(writes.map((write) => write.member))).toEqual(new Set(['first', 'second']));
    expect(overlappingWrites(writes)).toEqual([]);
    expect(handled.size).toBe(sent.length);
  }, 180_000);
  it('a member retrying a failing batch when a rebalance starts stops retrying and rejoins; no overlap, nothing lost', async () => {
    const topic = uniqueName(`retrying_rebalance_${client}`);
    await kafka.ensureTopics([{ topic, partitions: 2 }]);
    const producer = kafka.createProducer();
    const sent = Array.from({ length: 8 }, (_, index) => ({
      topic,
      key: `key-${index}`,
      value: Buffer.from(`v${index}`),
    }));
    await producer.send(sent);
    await producer.disconnect();
    const groupId = uniqueName('retrying_group');
    const writes: WriteWindow[] = [];
    const handled = new Set<string>();
    // The first member's store is away for 45 s, longer than the 30 s rebalance timeout: a member that
    // kept retrying through a rebalance would be dropped from the group while it still writes.
    const storeBackAt = Date.now() + 45_000;
    const writer = (member: string) => async (records: IncomingRecord[]) => {
      const from = Date.now();
      try {
        await sleep(50);
        if (member === 'first' && Date.now() < storeBackAt)
          throw markRetriability(new Error('connect ECONNREFUSED (store away)'), 'transient');
        for (const record of records) handled.add(`${record.partition}/${record.offset}`);
        return { rejected: [] };
      } finally {
        writes.push({ member, partition: records[0]?.partition ?? -1, from, to: Date.now() });
      }
    };
    const options = {
      groupId,
      topics: [topic],
      deadLetterTopic: `${topic}.dlq`,
      backoff: { initialMs: 200, maxMs: 1_000, factor: 2 },
    };
    const first = kafka.createBatchConsumer(options);
    const second = kafka.createBatchConsumer(options);
    try {
      await first.start(writer('first'));
      await waitFor(() => writes.length >= 3, { description: 'the first member retrying', timeoutMs: 30_000 });
      const joinedAt = Date.now();
      await second.start(writer('second'));
      // The second member takes one partition and finishes it, well before the store is back.
      await waitFor(() => handled.size >= 1, { description: 'the second member writing', timeoutMs: 40_000 });
      expect(Date.now() - joinedAt).toBeLessThan(25_000);
      await waitForCommittedEnd(groupId, topic, sent.length, 90_000);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
    expect(overlappingWrites(writes)).toEqual([]);
    expect(handled.size).toBe(sent.length);
  }, 180_000);
});
