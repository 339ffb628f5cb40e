import { RateLimiter } from './rate-limiter';

function fakeClock() {
  let now = 0;
  const slept: number[] = [];
  return {
    now: () => now,
    sleep: (ms: number) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
    advance: (ms: number) => (now += ms),
    slept,
    get elapsed() {
      return now;
    },
  };
}

describe('RateLimiter', () => {
  it('lets one second of records through at once, then paces to the rate', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(1_000, clock.now, clock.sleep);
    await limiter.take(1_000);
    expect(clock.slept).toEqual([]);
    for (let i = 0; i < 10; i++) await limiter.take(500);
    // 5 000 more records at 1 000/s: 5 s of waiting.
    expect(clock.elapsed).toBeCloseTo(5_000, 5);
  });

  it('does not bank more than a second of idle time', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(100, clock.now, clock.sleep);
    clock.advance(60_000);
    await limiter.take(300);
    expect(clock.slept).toEqual([2_000]);
  });

  it('0 means unlimited', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(0, clock.now, clock.sleep);
    await limiter.take(1_000_000);
    expect(clock.slept).toEqual([]);
    expect(limiter.unlimited).toBe(true);
  });
});
