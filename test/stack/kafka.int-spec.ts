import { Kafka, logLevel } from 'kafkajs';
import { stackEndpoints, uniqueName, waitFor } from '@dev-health/testing';

describe('Kafka (real broker)', () => {
  const endpoints = stackEndpoints();
  const kafka = new Kafka({
    clientId: uniqueName('stack_test'),
    brokers: endpoints.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();

  beforeAll(async () => {
    await admin.connect();
  });
  afterAll(async () => {
    await admin.disconnect();
  });

  it('produces and consumes through a consumer group, and commits the group offset', async () => {
    const topic = uniqueName('stack_topic');
    const groupId = uniqueName('stack_group');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const sent = Array.from({ length: 20 }, (_, index) => ({ key: `key-${index % 4}`, value: `value-${index}` }));
    await producer.send({ topic, messages: sent, acks: -1 });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const received: string[] = [];
    await consumer.run({
      eachMessage: ({ message }) => {
        received.push(message.value?.toString() ?? '');
        return Promise.resolve();
      },
    });
    await waitFor(() => received.length >= sent.length, { description: 'all 20 messages', timeoutMs: 60_000 });
    await consumer.stop();
    await consumer.disconnect();

    expect([...received].sort()).toEqual(sent.map((message) => message.value).sort());
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committedTotal = committed[0]?.partitions.reduce((sum, partition) => sum + Number(partition.offset), 0);
    expect(committedTotal).toBe(sent.length);
  });
});
