import { createTestDatabase, stackEndpoints } from '@dev-health/testing';
import { DeadLetterRedriveStore } from './dead-letter-redrive-store';
import { PostgresStore } from './postgres-store';

const T0 = Date.UTC(2026, 11, 1, 9);
const LEASE_MS = 60_000;

describe('DeadLetterRedriveStore (real Postgres)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let postgres: PostgresStore;
  let store: DeadLetterRedriveStore;
  let clock = T0;

  beforeAll(async () => {
    database = await createTestDatabase(stackEndpoints().databaseUri, 'redrives');
    postgres = await PostgresStore.connect(database.uri, 'redrive-test');
    store = new DeadLetterRedriveStore(postgres.dataSource, () => new Date(clock), LEASE_MS);
  });
  afterAll(async () => {
    await postgres.close();
    await database.drop();
  });

  const letter = (offset: string) => ({ topic: 'x.dlq.processor', partition: 0, offset });
  const source = { topic: 'x.raw.git', partition: 3, offset: '9007199254740993' };

  it('gives one claim out of many concurrent ones, and none once the copy is published', async () => {
    const claims = await Promise.all(Array.from({ length: 8 }, () => store.claim(letter('1'), source, 'key1')));
    expect(claims.filter((claim) => claim.claimed)).toHaveLength(1);
    expect(claims.filter((claim) => !claim.claimed && claim.ledger.status === 'claimed')).toHaveLength(7);
    await store.markPublished(letter('1'));
    clock += 10 * LEASE_MS;
    const after = await store.claim(letter('1'), source, 'key2');
    expect(after).toMatchObject({
      claimed: false,
      ledger: { status: 'published', attempts: 1, requested_by: 'key1', source_offset: '9007199254740993' },
    });
  });

  it('takes over a claim left unpublished past its lease (its publisher died before the ack)', async () => {
    const first = await store.claim(letter('2'), source, 'key1');
    expect(first).toMatchObject({ claimed: true, retaken: false });
    clock += LEASE_MS - 1;
    expect(await store.claim(letter('2'), source, 'key2')).toMatchObject({ claimed: false });
    clock += 2;
    const retaken = await store.claim(letter('2'), source, 'key2');
    expect(retaken).toMatchObject({ claimed: true, retaken: true });
    const [row] = await store.find('x.dlq.processor', 0, ['2']);
    expect(row).toMatchObject({ status: 'claimed', attempts: 2, requested_by: 'key2' });
  });

  it('releases only its own claim, after which the dead letter can be claimed at once', async () => {
    const mine = await store.claim(letter('3'), source, null);
    if (!mine.claimed) throw new Error('expected a claim');
    await store.release(letter('3'), '00000000-0000-4000-8000-000000000000');
    expect(await store.find('x.dlq.processor', 0, ['3'])).toHaveLength(1);
    await store.release(letter('3'), mine.claimId);
    expect(await store.find('x.dlq.processor', 0, ['3'])).toHaveLength(0);
    expect(await store.claim(letter('3'), source, null)).toMatchObject({ claimed: true, retaken: false });
  });

  it('counts published redrives per dead-letter topic', async () => {
    expect(await store.publishedCounts(['x.dlq.processor', 'x.dlq.metrics'])).toEqual(
      new Map([['x.dlq.processor', 1]]),
    );
  });
});
