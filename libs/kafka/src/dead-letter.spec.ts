import {
  DEAD_LETTER_HEADERS,
  REDRIVEN_FROM_HEADER,
  nextOffset,
  readDeadLetter,
  redriveRecord,
  toDeadLetter,
} from './dead-letter';
import { backoffDelay } from './errors';
import { chunkRecordsBySize } from './kafka-client';

describe('toDeadLetter', () => {
  it('keeps key, value and headers and adds the reason and source coordinates', () => {
    const record = {
      topic: 't',
      partition: 3,
      offset: '17',
      key: 'k',
      value: Buffer.from('v'),
      headers: { a: '1' },
      timestamp: '0',
    };
    const letter = toDeadLetter({ record, reason: 'bad payload' }, 'dho.dlq.g', 'g', new Date('2026-01-02T03:04:05Z'));
    expect(letter).toEqual({
      topic: 'dho.dlq.g',
      key: 'k',
      value: Buffer.from('v'),
      headers: {
        a: '1',
        [DEAD_LETTER_HEADERS.reason]: 'bad payload',
        [DEAD_LETTER_HEADERS.sourceTopic]: 't',
        [DEAD_LETTER_HEADERS.sourcePartition]: '3',
        [DEAD_LETTER_HEADERS.sourceOffset]: '17',
        [DEAD_LETTER_HEADERS.consumerGroup]: 'g',
        [DEAD_LETTER_HEADERS.failedAt]: '2026-01-02T03:04:05.000Z',
      },
    });
  });

  it('gives keyless records a key from their coordinates', () => {
    const record = { topic: 't', partition: 0, offset: '5', key: null, value: null, headers: {}, timestamp: '0' };
    expect(toDeadLetter({ record, reason: 'x' }, 'd', 'g', new Date()).key).toBe('t/0/5');
  });
});

describe('readDeadLetter and redriveRecord', () => {
  const original = {
    topic: 'dho.raw.git',
    partition: 4,
    offset: '120',
    key: 'org/repo/commit/abc',
    value: Buffer.from([0, 0, 0, 0, 7, 42]),
    headers: { 'dho.sync-mode': 'incremental', [REDRIVEN_FROM_HEADER]: 'dho.dlq.processor/0/1' },
    timestamp: '0',
  };
  const letter = toDeadLetter(
    { record: original, reason: 'schema id 7 not found' },
    'dho.dlq.processor',
    'dho.processor',
    new Date('2026-01-02T03:04:05Z'),
  );
  const deadLetter = {
    ...letter,
    partition: 0,
    offset: '9',
    key: letter.key,
    headers: letter.headers ?? {},
    timestamp: '0',
  };

  it('reads the reason, source coordinates, group and time back from the headers', () => {
    expect(readDeadLetter(deadLetter)).toEqual({
      reason: 'schema id 7 not found',
      source: { topic: 'dho.raw.git', partition: 4, offset: '120' },
      consumerGroup: 'dho.processor',
      failedAt: '2026-01-02T03:04:05.000Z',
    });
    expect(
      readDeadLetter({
        headers: { [DEAD_LETTER_HEADERS.sourceTopic]: 't', [DEAD_LETTER_HEADERS.sourcePartition]: 'x' },
      }).source,
    ).toBeNull();
  });

  it('rebuilds the original record for its source topic, dlq headers dropped, this redrive named', () => {
    expect(redriveRecord(deadLetter)).toEqual({
      topic: 'dho.raw.git',
      key: 'org/repo/commit/abc',
      value: original.value,
      headers: { 'dho.sync-mode': 'incremental', [REDRIVEN_FROM_HEADER]: 'dho.dlq.processor/0/9' },
    });
  });

  it('refuses a record that names no source', () => {
    expect(() => redriveRecord({ ...deadLetter, headers: {} })).toThrow(/no dead-letter source headers/);
  });
});

describe('nextOffset', () => {
  it('is one past the highest offset, compared as integers not strings', () => {
    expect(nextOffset([{ offset: '9' }, { offset: '10' }, { offset: '2' }])).toBe('11');
    expect(nextOffset([{ offset: '9007199254740993' }])).toBe('9007199254740994');
    expect(nextOffset([])).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('grows exponentially, is capped, and jitters within ±20%', () => {
    const policy = { initialMs: 100, maxMs: 1_000, factor: 2 };
    expect(backoffDelay(1, policy, () => 0.5)).toBe(100);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(400);
    expect(backoffDelay(10, policy, () => 0.5)).toBe(1_000);
    expect(backoffDelay(1, policy, () => 0)).toBe(80);
    expect(backoffDelay(1, policy, () => 1)).toBe(120);
  });
});

describe('chunkRecordsBySize', () => {
  it('keeps every chunk under the byte budget, preserves order, and never splits nothing', () => {
    const records = Array.from({ length: 25 }, (_, index) => ({
      topic: 't',
      key: `k${index}`,
      value: Buffer.alloc(100 * (index % 5) + 10),
    }));
    const chunks = chunkRecordsBySize(records, 600);
    expect(chunks.flat()).toEqual(records);
    for (const chunk of chunks) {
      const size = chunk.reduce((sum, record) => sum + record.value.length + Buffer.byteLength(record.key) + 64, 0);
      expect(chunk.length === 1 || size <= 600).toBe(true);
    }
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunkRecordsBySize([], 600)).toEqual([]);
  });
});
