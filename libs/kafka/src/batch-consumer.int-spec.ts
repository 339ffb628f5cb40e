import { JsonLogger } from '@dev-health/observability';
import { stackEndpoints, uniqueName, waitFor } from '@dev-health/testing';
import { KafkaClient } from './kafka-client';

describe('BatchConsumer (real broker)', () => {
  const kafka = new KafkaClient(
    { brokers: stackEndpoints().kafkaBrokers, clientId: uniqueName('batch_consumer') },
    new JsonLogger('test', 'error'),
  );

  it('keeps its group membership while a handler works longer than the session timeout', async () => {
    const topic = uniqueName('slow_handler');
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
        if (handled.length === 0) await new Promise((resolve) => setTimeout(resolve, 14_000));
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
});
