import type { ICustomPartitioner } from 'kafkajs';

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/**
 * Kafka's murmur2 (the Java client's DefaultPartitioner hash) in 32-bit integer arithmetic. kafkajs's
 * own emulates it with 64-bit BigInt longs, ~8 % of the processor's CPU; the low 32 bits, all the hash
 * keeps, are the same, so every key lands on the partition it always did (the unit test compares them).
 */
export function murmur2(key: Buffer): number {
  const length = key.length;
  let h = (SEED ^ length) | 0;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = (key[i] ?? 0) | ((key[i + 1] ?? 0) << 8) | ((key[i + 2] ?? 0) << 16) | ((key[i + 3] ?? 0) << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  // The last 1–3 bytes, as the reference's falling-through switch takes them.
  const tail = length & 3;
  if (tail > 0) {
    if (tail === 3) h ^= (key[whole + 2] ?? 0) << 16;
    if (tail >= 2) h ^= (key[whole + 1] ?? 0) << 8;
    h ^= key[whole] ?? 0;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** The Java client's partition hash for a key: murmur2 made non-negative; the partition is it mod the count. */
export function javaPartitionHash(key: Buffer): number {
  return murmur2(key) & 0x7fffffff;
}

/**
 * kafkajs's DefaultPartitioner with the 32-bit murmur2: a keyed record goes to
 * (murmur2(key) & 0x7fffffff) % partitions, as the Java client and kafkajs put it. Every record here
 * is keyed (the canonical id, the raw source id); an unkeyed one goes round the available partitions.
 */
export const Murmur2Partitioner: ICustomPartitioner = () => {
  let next = 0;
  return ({ partitionMetadata, message }) => {
    if (message.partition !== null && message.partition !== undefined) return message.partition;
    if (message.key !== null && message.key !== undefined) {
      const key = Buffer.isBuffer(message.key) ? message.key : Buffer.from(String(message.key));
      return javaPartitionHash(key) % partitionMetadata.length;
    }
    const available = partitionMetadata.filter((partition) => partition.leader >= 0);
    const pool = available.length > 0 ? available : partitionMetadata;
    return pool[next++ % pool.length]?.partitionId ?? 0;
  };
};
