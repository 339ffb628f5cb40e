import { WriteRateLimit } from './write-rate-limit';

describe('write rate limit', () => {
  it('allows a burst of perMinute writes per key, then asks to wait until a token is back', () => {
    let now = 0;
    const limit = new WriteRateLimit(3, () => now);
    expect([limit.take('a'), limit.take('a'), limit.take('a')]).toEqual([0, 0, 0]);
    expect(limit.take('a')).toBe(20);
    expect(limit.take('b')).toBe(0);
    now += 20_000;
    expect(limit.take('a')).toBe(0);
    expect(limit.take('a')).toBe(20);
  });
});
