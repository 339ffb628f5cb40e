import { JsonLogger } from '@dev-health/observability';
import { stackEndpoints, uniqueName } from '@dev-health/testing';
import { KafkaClient } from './kafka-client';

const WEEK_MS = 7 * 86_400_000;

describe('topic retention (real broker)', () => {
  const kafka = new KafkaClient(
    { brokers: stackEndpoints().kafkaBrokers, clientId: uniqueName('retention') },
    new JsonLogger('test', 'error'),
  );

  it('creates a topic with its retention, and corrects an existing topic that has another', async () => {
    const kept = uniqueName('raw_kept');
    await kafka.ensureTopics([{ topic: kept, partitions: 1, retentionMs: -1 }]);
    expect(await kafka.topicRetentionMs(kept)).toBe(-1);

    // A topic made before retention was managed: the broker's week.
    const older = uniqueName('raw_older');
    await kafka.ensureTopics([{ topic: older, partitions: 1, retentionMs: WEEK_MS }]);
    expect(await kafka.topicRetentionMs(older)).toBe(WEEK_MS);
    await kafka.ensureTopics([{ topic: older, partitions: 1, retentionMs: -1 }]);
    expect(await kafka.topicRetentionMs(older)).toBe(-1);

    // Compaction stays when retention is corrected.
    const compacted = uniqueName('state');
    await kafka.ensureTopics([{ topic: compacted, partitions: 1, compacted: true, retentionMs: WEEK_MS }]);
    await kafka.ensureTopics([{ topic: compacted, partitions: 1, compacted: true, retentionMs: -1 }]);
    expect(await kafka.topicRetentionMs(compacted)).toBe(-1);
    expect(await kafka.topicConfig(compacted, 'cleanup.policy')).toBe('compact');
  }, 60_000);

  it('creates topics with the configured partitions, replication, min.insync.replicas, retention and cleanup policy', async () => {
    const configured = new KafkaClient(
      {
        brokers: stackEndpoints().kafkaBrokers,
        clientId: uniqueName('policy'),
        topics: {
          partitions: { data: 4, storeChanged: 2, deadLetter: 1, control: 1 },
          replicationFactor: 1,
          minInsyncReplicas: 1,
          retentionMs: 2 * 86_400_000,
        },
      },
      new JsonLogger('test', 'error'),
    );
    const data = uniqueName('canonical');
    const state = uniqueName('state');
    const raw = uniqueName('raw');
    await configured.ensureTopics([
      { topic: data, partitions: 'data' },
      { topic: state, partitions: 'control', compacted: true },
      { topic: raw, partitions: 'data', retentionMs: -1 },
    ]);
    expect(await configured.partitionOffsets(data)).toHaveLength(4);
    expect(await configured.partitionOffsets(state)).toHaveLength(1);
    expect(await configured.topicConfig(data, 'cleanup.policy')).toBe('delete');
    expect(await configured.topicConfig(data, 'retention.ms')).toBe(String(2 * 86_400_000));
    expect(await configured.topicConfig(data, 'min.insync.replicas')).toBe('1');
    // A compacted topic keeps every key's latest value: no time-based retention from the policy.
    expect(await configured.topicConfig(state, 'cleanup.policy')).toBe('compact');
    expect(await configured.topicConfig(state, 'retention.ms')).not.toBe(String(2 * 86_400_000));
    // The raw topic's own retention wins over the policy's.
    expect(await configured.topicRetentionMs(raw)).toBe(-1);
  }, 60_000);
});
