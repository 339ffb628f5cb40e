import { RequestBudget } from './request-budget';

function clockedBudget(reserve: number) {
  let now = 1_000_000;
  const slept: number[] = [];
  const budget = new RequestBudget({
    reserve,
    now: () => now,
    sleep: (ms) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
  });
  return { budget, slept, advance: (ms: number) => (now += ms), now: () => now };
}

describe('RequestBudget', () => {
  it('spends down to the reserve, then waits for the reset before the next request', async () => {
    const { budget, slept, now } = clockedBudget(2);
    budget.observe({
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4',
      'x-ratelimit-reset': String((now() + 60_000) / 1000),
    });
    await budget.acquire(); // 4 → 3
    await budget.acquire(); // 3 → 2: the reserve is reached
    expect(slept).toEqual([]);
    await budget.acquire(); // waits for the reset (+1 s), then the window is full again
    expect(slept).toEqual([61_000]);
    expect(budget.state).toMatchObject({ remaining: 5000, pauses: 1, requests: 3 });
  });

  it('lets nothing through while a secondary limit (Retry-After) lasts', async () => {
    const { budget, slept } = clockedBudget(0);
    budget.block(30);
    await budget.acquire();
    expect(slept).toEqual([30_000]);
    expect(budget.waitMs()).toBe(0);
  });

  it('takes GraphQL rateLimit as the primary budget too', async () => {
    const { budget, slept, now } = clockedBudget(10);
    budget.observeGraphql({ remaining: 10, resetAt: new Date(now() + 5_000).toISOString() });
    await budget.acquire();
    expect(slept).toEqual([6_000]);
  });

  it('reads a reset given as an ISO instant (Jira: X-RateLimit-Reset)', async () => {
    const { budget, slept, now } = clockedBudget(1);
    budget.observe({
      'x-ratelimit-limit': '100',
      'x-ratelimit-remaining': '1',
      'x-ratelimit-reset': new Date(now() + 30_000).toISOString(),
    });
    await budget.acquire();
    expect(slept).toEqual([31_000]);
  });

  it('without any limit seen, never waits', async () => {
    const { budget, slept } = clockedBudget(100);
    for (let i = 0; i < 5; i++) await budget.acquire();
    expect(slept).toEqual([]);
  });
});
