import type { KafkaClient } from '@dev-health/kafka';
import { CANONICAL_ENTITY_NAMES, type ReplayPartition, type Topology } from '@dev-health/schemas';

/** Offsets a consumer group must have committed: "topic/partition" → offset. */
type Ends = Map<string, number>;

const key = (topic: string, partition: number) => `${topic}/${partition}`;

/** True once `group` committed at least `ends` everywhere (a partition with nothing to read counts as reached). */
async function groupReached(kafka: KafkaClient, group: string, ends: Ends): Promise<boolean> {
  const topics = [...new Set([...ends.keys()].map((id) => id.slice(0, id.lastIndexOf('/'))))];
  const committed = await kafka.groupPositions(group, topics);
  return [...ends].every(([id, end]) => end <= 0 || Number(committed.get(id) ?? '-1') >= end);
}

async function endsOf(kafka: KafkaClient, topics: readonly string[]): Promise<Ends> {
  const ends: Ends = new Map();
  for (const topic of topics)
    for (const partition of await kafka.partitionOffsets(topic))
      ends.set(key(topic, partition.partition), Number(partition.high));
  return ends;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Waits until what was on the raw topics up to `rawEnds` is stored and recomputed: the processor has
 * consumed it, then the primary sink the canonical topics up to their ends at that moment, then the
 * metrics service the change events up to theirs. A metrics
 * rebuild after a backfill runs behind this barrier, so it reads the backfilled records, not an empty
 * range. `onWait` is called between polls (status heartbeats).
 */
export async function waitUntilStored(
  kafka: KafkaClient,
  topology: Topology,
  rawEnds: readonly ReplayPartition[],
  onWait: (stage: 'processor' | 'sink-postgres' | 'metrics') => Promise<void>,
  pollMs = 500,
): Promise<void> {
  const raw: Ends = new Map(rawEnds.map((entry) => [key(entry.topic, entry.partition), entry.end]));
  while (!(await groupReached(kafka, topology.group('processor'), raw))) {
    await onWait('processor');
    await sleep(pollMs);
  }
  const canonical = await endsOf(
    kafka,
    CANONICAL_ENTITY_NAMES.map((entity) => topology.canonical(entity)),
  );
  while (!(await groupReached(kafka, topology.group('sink-postgres'), canonical))) {
    await onWait('sink-postgres');
    await sleep(pollMs);
  }
  // And the live recomputes of those records are done, so the rebuild has the last word.
  const changes = await endsOf(kafka, [topology.storeChanged()]);
  while (!(await groupReached(kafka, topology.group('metrics'), changes))) {
    await onWait('metrics');
    await sleep(pollMs);
  }
}

/** The raw topics' end offsets now: the barrier a rebuild waits behind (sent in its command's plan). */
export async function rawEndOffsets(kafka: KafkaClient, topics: readonly string[]): Promise<ReplayPartition[]> {
  const plan: ReplayPartition[] = [];
  for (const [id, end] of await endsOf(kafka, topics)) {
    const slash = id.lastIndexOf('/');
    plan.push({ topic: id.slice(0, slash), partition: Number(id.slice(slash + 1)), start: 0, end, position: 0 });
  }
  return plan;
}
