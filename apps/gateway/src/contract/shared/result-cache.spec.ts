import { ResultCache } from './result-cache';

describe('ResultCache', () => {
  it('shares one computation between identical requests, per org', async () => {
    const cache = new ResultCache(30_000);
    let computed = 0;
    const compute = () => Promise.resolve(++computed);
    const [a, b] = await Promise.all([cache.get('acme', 'k', compute), cache.get('acme', 'k', compute)]);
    expect([a, b, computed]).toEqual([1, 1, 1]);
    expect(await cache.get('globex', 'k', compute)).toBe(2);
  });

  it('computes again after a change of the org', async () => {
    const cache = new ResultCache(1_000);
    let computed = 0;
    const compute = () => Promise.resolve(++computed);
    await cache.get('acme', 'k', compute);
    await cache.get('globex', 'k', compute);
    cache.invalidate('acme');
    expect(await cache.get('acme', 'k', compute)).toBe(3);
    expect(await cache.get('globex', 'k', compute)).toBe(2);
  });

  it('past the TTL, serves the stale answer once while one refresh runs, then the refreshed one', async () => {
    let now = 0;
    const cache = new ResultCache(1_000, 100, () => now);
    let computed = 0;
    let release: () => void = () => undefined;
    const compute = () => new Promise<number>((resolve) => (release = () => resolve(++computed)));
    const first = cache.get('acme', 'k', compute);
    release();
    expect(await first).toBe(1);
    now = 1_000;
    expect(await cache.get('acme', 'k', compute)).toBe(1);
    expect(await cache.get('acme', 'k', compute)).toBe(1);
    release();
    await Promise.resolve();
    expect(computed).toBe(2);
    expect(await cache.get('acme', 'k', compute)).toBe(2);
  });

  it('does not keep what was computed from before a change', async () => {
    const cache = new ResultCache(30_000);
    let release: (value: string) => void = () => undefined;
    const before = cache.get('acme', 'k', () => new Promise<string>((resolve) => (release = resolve)));
    cache.invalidate('acme');
    release('old');
    expect(await before).toBe('old');
    expect(await cache.get('acme', 'k', () => Promise.resolve('new'))).toBe('new');
  });

  it('keeps no failure, and nothing at all with a TTL of 0', async () => {
    const cache = new ResultCache(30_000);
    await expect(cache.get('acme', 'k', () => Promise.reject(new Error('store down')))).rejects.toThrow('store down');
    expect(await cache.get('acme', 'k', () => Promise.resolve('ok'))).toBe('ok');
    const off = new ResultCache(0);
    let computed = 0;
    await Promise.all([
      off.get('acme', 'k', () => Promise.resolve(++computed)),
      off.get('acme', 'k', () => Promise.resolve(++computed)),
    ]);
    expect(computed).toBe(2);
    expect(off.size).toBe(0);
  });

  it('holds at most maxEntries, dropping the oldest', async () => {
    const cache = new ResultCache(30_000, 2);
    for (const key of ['a', 'b', 'c']) await cache.get('acme', key, () => Promise.resolve(key));
    expect(cache.size).toBe(2);
    let computed = false;
    await cache.get('acme', 'a', () => Promise.resolve((computed = true)));
    expect(computed).toBe(true);
  });
});
