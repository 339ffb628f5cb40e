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
});
