import { NotFoundError, ValidationError } from '@dev-health/control-plane';
import { DEAD_LETTER_HEADERS } from '@dev-health/kafka';
import {
  REDRIVE_MAX_SPAN,
  deadLetterPageRequest,
  deadLetterTopicOf,
  deadLetterView,
  redriveRequest,
} from './dead-letter-views';

const fieldsOf = (work: () => unknown): string[] => {
  try {
    work();
  } catch (error: unknown) {
    if (error instanceof ValidationError) return error.problems.map((problem) => problem.field);
    throw error;
  }
  throw new Error('expected a ValidationError');
};

describe('redriveRequest', () => {
  it('takes offsets as numbers or strings, sorted and without repeats, partition 0 by default', () => {
    expect(redriveRequest({ offsets: ['10', 3, 3, '9'] })).toEqual({ partition: 0, offsets: ['3', '9', '10'] });
    // 64-bit offsets stay exact (as strings).
    expect(redriveRequest({ offsets: ['9007199254740995', '9007199254740993'] }).offsets).toEqual([
      '9007199254740993',
      '9007199254740995',
    ]);
  });

  it('takes all: true instead of offsets', () => {
    expect(redriveRequest({ all: true, partition: '0' })).toEqual({ partition: 0, offsets: 'all' });
  });

  it('names every invalid field', () => {
    expect(fieldsOf(() => redriveRequest({}))).toEqual(['offsets']);
    expect(fieldsOf(() => redriveRequest({ offsets: [-1] }))).toEqual(['offsets']);
    expect(fieldsOf(() => redriveRequest({ offsets: ['1e3'] }))).toEqual(['offsets']);
    expect(fieldsOf(() => redriveRequest({ all: true, offsets: [1] }))).toEqual(['offsets']);
    expect(fieldsOf(() => redriveRequest({ all: 'yes', partition: -1 }))).toEqual(['partition', 'all', 'offsets']);
    expect(fieldsOf(() => redriveRequest({ offsets: [0, REDRIVE_MAX_SPAN] }))).toEqual(['offsets']);
    expect(redriveRequest({ offsets: [0, REDRIVE_MAX_SPAN - 1] }).offsets).toHaveLength(2);
  });
});

describe('deadLetterPageRequest', () => {
  it('defaults to the first 50 of partition 0 and checks after, limit and partition', () => {
    expect(deadLetterPageRequest({})).toEqual({ partition: 0, after: null, limit: 50 });
    expect(deadLetterPageRequest({ after: '12', limit: '500' })).toEqual({ partition: 0, after: '12', limit: 500 });
    expect(fieldsOf(() => deadLetterPageRequest({ after: 'x', limit: '501', partition: 'p' }))).toEqual([
      'partition',
      'after',
      'limit',
    ]);
  });
});

describe('deadLetterTopicOf', () => {
  it('appends a group name to the dead-letter prefix; anything else is not found', () => {
    expect(deadLetterTopicOf('dho.dlq.', 'sink-postgres')).toBe('dho.dlq.sink-postgres');
    expect(() => deadLetterTopicOf('dho.dlq.', '../raw')).toThrow(NotFoundError);
    expect(() => deadLetterTopicOf('dho.dlq.', '')).toThrow(NotFoundError);
  });
});

describe('deadLetterView', () => {
  it('shows the reason and source apart from the record’s own headers, and the ledger row', () => {
    const record = {
      topic: 'dho.dlq.processor',
      partition: 0,
      offset: '4',
      key: 'k',
      value: Buffer.from('xyz'),
      timestamp: '0',
      headers: {
        'dho.sync-mode': 'backfill',
        [DEAD_LETTER_HEADERS.reason]: 'bad',
        [DEAD_LETTER_HEADERS.sourceTopic]: 'dho.raw.git',
        [DEAD_LETTER_HEADERS.sourcePartition]: '2',
        [DEAD_LETTER_HEADERS.sourceOffset]: '77',
        [DEAD_LETTER_HEADERS.consumerGroup]: 'dho.processor',
        [DEAD_LETTER_HEADERS.failedAt]: '2026-01-01T00:00:00.000Z',
      },
    };
    const published = new Date('2026-01-02T00:00:00Z');
    expect(
      deadLetterView(record, 'acme', {
        dlq_topic: 'dho.dlq.processor',
        dlq_partition: 0,
        dlq_offset: '4',
        source_topic: 'dho.raw.git',
        source_partition: 2,
        source_offset: '77',
        status: 'published',
        claim_id: 'c',
        attempts: 1,
        requested_by: 'key1',
        claimed_at: published,
        published_at: published,
      }),
    ).toEqual({
      partition: 0,
      offset: '4',
      key: 'k',
      reason: 'bad',
      source: { topic: 'dho.raw.git', partition: 2, offset: '77' },
      consumer_group: 'dho.processor',
      failed_at: '2026-01-01T00:00:00.000Z',
      org_id: 'acme',
      headers: { 'dho.sync-mode': 'backfill' },
      value_bytes: 3,
      redrive: {
        status: 'published',
        attempts: 1,
        requested_by: 'key1',
        claimed_at: published,
        published_at: published,
      },
    });
    expect(deadLetterView(record, null, undefined).redrive).toBeNull();
  });
});
