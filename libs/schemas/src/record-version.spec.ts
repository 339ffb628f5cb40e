import type { Commit, PullRequest } from './generated/types';
import { compareRecordVersions, paddedRecordVersion, recordVersion, stableJson } from './record-version';

const provenance = (fetchedAt: number, offset = 0, generation = 0) => ({
  raw_topic: 't',
  raw_partition: 0,
  raw_offset: offset,
  raw_source_id: 's',
  fetched_at: fetchedAt,
  reprocessing_generation: generation,
});
const pr = (updatedAt: number, title: string, fetchedAt = 1, generation = 0) =>
  ({
    id: 'p',
    provider: 'x',
    provenance: provenance(fetchedAt, 0, generation),
    title,
    updated_at: updatedAt,
  }) as unknown as PullRequest;
const commit = (fetchedAt: number, subject: string, offset = 0) =>
  ({
    id: 'c',
    provider: 'x',
    provenance: provenance(fetchedAt, offset),
    message_subject: subject,
  }) as unknown as Commit;

describe('record versions: one ordering rule for every store', () => {
  it('orders by updated_at, else by fetch time, as 64-bit integers beyond a JavaScript number', () => {
    const older = recordVersion(pr(1_767_225_600_000, 'a', 9));
    const newer = recordVersion(pr(1_767_225_600_001, 'a', 1));
    expect(compareRecordVersions(older, newer)).toBeLessThan(0);
    expect(BigInt(newer) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(BigInt(newer) < 2n ** 63n).toBe(true);
    expect(compareRecordVersions(recordVersion(commit(5, 'x')), recordVersion(commit(6, 'x')))).toBeLessThan(0);
  });

  it('breaks a tie by content, not by arrival, and ignores provenance', () => {
    const a = recordVersion(pr(1_000, 'a'));
    const b = recordVersion(pr(1_000, 'b'));
    expect(a).not.toEqual(b);
    expect(recordVersion(pr(1_000, 'a'))).toEqual(a);
    expect(recordVersion(commit(7, 'x', 1))).toEqual(recordVersion(commit(7, 'x', 99)));
  });

  it('lets a later reprocessing generation of the same source version win, whatever its content hash', () => {
    const titles = Array.from({ length: 40 }, (_, index) => `title ${index}`);
    for (const [index, title] of titles.entries()) {
      const live = recordVersion(pr(1_000, titles[(index + 1) % titles.length] ?? '', 1, 0));
      const replayed = recordVersion(pr(1_000, title, 1, 1));
      const replayedAgain = recordVersion(pr(1_000, titles[(index + 7) % titles.length] ?? '', 1, 2));
      expect(compareRecordVersions(live, replayed)).toBeLessThan(0);
      expect(compareRecordVersions(replayed, replayedAgain)).toBeLessThan(0);
    }
    // A newer source version still wins over any reprocessing of an older one.
    expect(compareRecordVersions(recordVersion(pr(1_000, 'a', 1, 255)), recordVersion(pr(1_001, 'a')))).toBeLessThan(0);
  });

  it('pads to a fixed width so string order is numeric order', () => {
    const small = paddedRecordVersion(recordVersion(commit(1, 'x')));
    const large = paddedRecordVersion(recordVersion(commit(1_767_225_600_000, 'x')));
    expect(small).toHaveLength(large.length);
    expect(small < large).toBe(true);
  });

  it('hashes objects independently of key order', () => {
    expect(stableJson({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
  });

  it('writes exactly what the first definition wrote (stored versions keep their hashes)', () => {
    // The definition every stored version was hashed with.
    const reference = (value: unknown): string => {
      if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
      if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, field]) => field !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${reference(field)}`).join(',')}}`;
    };
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296;
    const keys = ['id', 'é', 'a"b', 'Z', 'z', '10', '9', '_', 'aa', 'a', '\u{1F511}', ''];
    const value = (depth: number): unknown => {
      const pick = random();
      if (depth > 3 || pick < 0.3)
        return [null, 0, -1.5, 'text', 'quote"\\', true, 1e21, undefined][Math.floor(random() * 8)];
      if (pick < 0.5) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      return Object.fromEntries(
        Array.from({ length: Math.floor(random() * 6) }, () => [
          keys[Math.floor(random() * keys.length)] ?? 'k',
          value(depth + 1),
        ]),
      );
    };
    for (let sample = 0; sample < 2_000; sample++) {
      const generated = value(0);
      expect(stableJson(generated)).toBe(reference(generated));
    }
  });
});
