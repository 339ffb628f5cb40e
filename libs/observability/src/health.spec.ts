import { HealthState } from './health';

describe('HealthState', () => {
  it('is ready only when every named check holds and every probe answers', async () => {
    const health = new HealthState();
    health.set('consumer', true);
    let storeUp = true;
    health.addProbe('postgres-reachable', () =>
      storeUp ? Promise.resolve() : Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
    );
    expect(await health.readiness(1_000)).toEqual({
      ready: true,
      checks: { consumer: { ready: true }, 'postgres-reachable': { ready: true } },
    });
    storeUp = false;
    // Within the cache window the last answer stands; after it, the probe is asked again.
    expect((await health.readiness(2_000)).ready).toBe(true);
    const down = await health.readiness(10_000);
    expect(down.ready).toBe(false);
    expect(down.checks['postgres-reachable']).toEqual({ ready: false, detail: 'connect ECONNREFUSED 127.0.0.1:5432' });
    health.set('consumer', false, 'stopping');
    storeUp = true;
    expect((await health.readiness(20_000)).checks.consumer).toEqual({ ready: false, detail: 'stopping' });
  });

  it('counts a probe that does not answer within 3 s as not ready', async () => {
    jest.useFakeTimers();
    try {
      const health = new HealthState();
      health.addProbe('registry', () => new Promise(() => undefined));
      const answer = health.readiness(0);
      await jest.advanceTimersByTimeAsync(3_001);
      expect(await answer).toEqual({
        ready: false,
        checks: { registry: { ready: false, detail: 'no answer in 3000 ms' } },
      });
    } finally {
      jest.useRealTimers();
    }
  });

  it('reports liveness problems by name, and a check that throws never kills the process', async () => {
    const health = new HealthState();
    expect(await health.liveness()).toEqual({});
    health.addLivenessCheck('broken', () => Promise.reject(new Error('cannot tell')));
    expect(await health.liveness()).toEqual({});
    health.addLivenessCheck('consumers', () =>
      Promise.resolve('dho.processor: 40 records behind, no progress for 301 s'),
    );
    expect(await health.liveness()).toEqual({ consumers: 'dho.processor: 40 records behind, no progress for 301 s' });
  });
});
