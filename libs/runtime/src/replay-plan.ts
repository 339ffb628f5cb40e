import type { PartitionProgress, ReplayPartition, TaskCommand } from '@dev-health/schemas';

/** A partition's stored range: `low` the oldest offset still kept, `high` the next to be written. */
export interface StoredPartition {
  topic: string;
  partition: number;
  low: string;
  high: string;
}

/** Where a replay starts in each partition: from a time, from explicit offsets, or from the earliest record. */
export type ReplayStart =
  | { kind: 'earliest' }
  | { kind: 'time'; at: number }
  | { kind: 'offsets'; offsets: { topic: string; partition: number; offset: string }[] };

export function replayStartOf(command: Pick<TaskCommand, 'from_time' | 'from_offsets'>): ReplayStart {
  if (command.from_offsets.length > 0)
    return {
      kind: 'offsets',
      offsets: command.from_offsets.map((entry) => ({ ...entry, offset: String(entry.offset) })),
    };
  return command.from_time === null ? { kind: 'earliest' } : { kind: 'time', at: command.from_time };
}

const maxOffset = (a: string, b: string) => (BigInt(a) > BigInt(b) ? a : b);
const minOffset = (a: string, b: string) => (BigInt(a) < BigInt(b) ? a : b);
const key = (topic: string, partition: number) => `${topic}/${partition}`;

/**
 * The offsets a replay covers in each partition: [start, end), end captured now (or at `to`), so
 * records arriving during the replay are left to the live consumers. Pure: the offsets are looked up
 * by the caller (`startByTime`/`endByTime` hold the offset of the first record at or after a time).
 */
export function planReplay(input: {
  partitions: StoredPartition[];
  start: ReplayStart;
  startByTime?: Map<string, string>;
  endByTime?: Map<string, string>;
}): ReplayPartition[] {
  const explicit = new Map(
    input.start.kind === 'offsets'
      ? input.start.offsets.map((entry) => [key(entry.topic, entry.partition), entry.offset])
      : [],
  );
  const plan: ReplayPartition[] = [];
  for (const partition of input.partitions) {
    const id = key(partition.topic, partition.partition);
    let start: string | undefined;
    if (input.start.kind === 'earliest') start = partition.low;
    else if (input.start.kind === 'time') start = input.startByTime?.get(id) ?? partition.high;
    // Explicit offsets: a partition not listed is not replayed (it starts at its end).
    else start = explicit.get(id) ?? partition.high;
    // Records below `low` are gone (retention); nothing past the end captured now is replayed.
    start = minOffset(maxOffset(start, partition.low), partition.high);
    const end = maxOffset(minOffset(input.endByTime?.get(id) ?? partition.high, partition.high), start);
    plan.push({
      topic: partition.topic,
      partition: partition.partition,
      start: Number(start),
      end: Number(end),
      position: Number(start),
    });
  }
  return plan;
}

/**
 * Progress from a replay group's committed offsets ("topic/partition" → next offset, '-1' when none):
 * a partition is done once its committed offset reaches its end; offsets past the end (a batch read
 * beyond it, filtered out) count as done.
 */
export function replayProgress(
  plan: readonly ReplayPartition[],
  committed: ReadonlyMap<string, string>,
): { partitions: PartitionProgress[]; done: number; total: number; percent: number; finished: boolean } {
  let done = 0;
  let total = 0;
  const partitions = plan.map((entry) => {
    const raw = Number(committed.get(key(entry.topic, entry.partition)) ?? '-1');
    const position = Math.min(entry.end, Math.max(entry.start, raw < 0 ? entry.start : raw));
    done += position - entry.start;
    total += entry.end - entry.start;
    return { topic: entry.topic, partition: entry.partition, start: entry.start, end: entry.end, position };
  });
  return {
    partitions,
    done,
    total,
    percent: total === 0 ? 100 : Math.floor((done / total) * 1000) / 10,
    finished: partitions.every((entry) => entry.position >= entry.end),
  };
}

/** The records of a batch a replay processes: below its partition's end. */
export function withinPlan<R extends { topic: string; partition: number; offset: string }>(
  records: readonly R[],
  plan: readonly ReplayPartition[],
): R[] {
  const ends = new Map(plan.map((entry) => [key(entry.topic, entry.partition), entry.end]));
  return records.filter((record) => Number(record.offset) < (ends.get(key(record.topic, record.partition)) ?? -1));
}
