import { randomBytes } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { Murmur2Partitioner, murmur2 } from './partitioner';

// kafkajs's own murmur2, the reference every existing record was partitioned by.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const reference = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: Buffer) => number;

describe('murmur2', () => {
  it('equals kafkajs’s (and the Java client’s) hash on every key shape', () => {
    const keys = [
      '',
      'a',
      'ab',
      'abc',
      'abcd',
      'synthetic:commit:acme/api:0123456789abcdef',
      'acme/github:pull_request:octo/repo#42',
      'ünïcødé 🔑 key',
      ...Array.from({ length: 2_000 }, (_, index) => randomBytes(index % 97).toString('latin1')),
    ].map((key) => Buffer.from(key));
    for (const key of keys) expect(murmur2(key)).toBe(reference(key));
  });

  it('matches the Java client on a known value', () => {
    // org.apache.kafka.common.utils.Utils.murmur2("21".getBytes()) == -973932308
    expect(murmur2(Buffer.from('21'))).toBe(-973932308);
  });
});

describe('Murmur2Partitioner', () => {
  const metadata = (count: number) =>
    Array.from({ length: count }, (_, partitionId) => ({
      partitionId,
      partitionErrorCode: 0,
      leader: 1,
      replicas: [1],
      isr: [1],
    }));

  it('puts every keyed record where kafkajs’s DefaultPartitioner does', () => {
    const ours = Murmur2Partitioner();
    const theirs = Partitioners.DefaultPartitioner();
    for (let index = 0; index < 5_000; index++) {
      const message = { key: `canonical-id-${index}-${randomBytes(4).toString('hex')}`, value: null };
      const args = { topic: 't', partitionMetadata: metadata(1 + (index % 12)), message };
      expect(ours(args)).toBe(theirs(args));
    }
  });

  it('keeps an explicit partition and spreads unkeyed records over the available partitions', () => {
    const partition = Murmur2Partitioner();
    expect(partition({ topic: 't', partitionMetadata: metadata(4), message: { value: null, partition: 3 } })).toBe(3);
    const seen = new Set(
      Array.from({ length: 8 }, () =>
        partition({ topic: 't', partitionMetadata: metadata(4), message: { value: null } }),
      ),
    );
    expect(seen).toEqual(new Set([0, 1, 2, 3]));
  });
});
