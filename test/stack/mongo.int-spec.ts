import { MongoClient, MongoServerError } from 'mongodb';
import { stackEndpoints, uniqueName } from '@dev-health/testing';

describe('MongoDB-wire server (real server)', () => {
  const client = new MongoClient(stackEndpoints().mongodbUri, { serverSelectionTimeoutMS: 10_000 });
  beforeAll(async () => {
    await client.connect();
  });
  afterAll(async () => {
    await client.close();
  });

  it('upserts with bulkWrite, finds documents and enforces a unique index', async () => {
    const database = client.db(uniqueName('stack_mongo'));
    try {
      const commits = database.collection<{ _id: string; sha: string; additions: number }>('commits');
      await commits.createIndex({ sha: 1 }, { unique: true });
      const upsert = (id: string, additions: number) => ({
        updateOne: { filter: { _id: id }, update: { $set: { sha: id, additions } }, upsert: true },
      });
      await commits.bulkWrite([upsert('a', 1), upsert('b', 2)]);
      const second = await commits.bulkWrite([upsert('a', 10), upsert('b', 2)]);
      expect(second.upsertedCount).toBe(0);
      expect(await commits.find({}).sort({ _id: 1 }).toArray()).toEqual([
        { _id: 'a', sha: 'a', additions: 10 },
        { _id: 'b', sha: 'b', additions: 2 },
      ]);
      const duplicate = commits.insertOne({ _id: 'c', sha: 'a', additions: 0 });
      await expect(duplicate).rejects.toBeInstanceOf(MongoServerError);
    } finally {
      await database.dropDatabase();
    }
  });
});
