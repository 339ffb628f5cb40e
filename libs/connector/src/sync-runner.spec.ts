import type { Integration, RunOutcome, SyncRun } from '@dev-health/control-plane';
import { JsonLogger, PipelineMetrics } from '@dev-health/observability';
import type { RawRecord, SyncEvent } from '@dev-health/schemas';
import { SyncStageError, type SyncJob, type SyncRunStore } from './sync-job';
import { SyncRunner } from './sync-runner';

/** The control plane's run lifecycle in memory: the same transitions the Postgres store enforces. */
class MemoryRunStore implements SyncRunStore {
  readonly watermarks = new Map<string, string>();
  constructor(
    public run: SyncRun,
    readonly integration: Integration,
  ) {}
  getRun = () => Promise.resolve({ ...this.run });
  getIntegration = () => Promise.resolve(this.integration);
  startRun = () => Promise.resolve(this.move(['queued'], { status: 'running' }));
  heartbeat = (_id: string, records: Record<string, number>) =>
    Promise.resolve(this.move(['running'], { records: { ...records } }));
  finishRun = (_id: string, outcome: RunOutcome, records?: Record<string, number>) =>
    Promise.resolve(
      this.move(['queued', 'running'], {
        status: outcome.status,
        ...(records ? { records: { ...records } } : {}),
        error_stage: outcome.status === 'failed' ? outcome.stage : null,
        error_message: outcome.status === 'succeeded' ? null : outcome.message,
      }),
    );
  requeueRun = (_id: string, records: Record<string, number>) =>
    Promise.resolve(this.move(['running'], { status: 'queued', records: { ...records } }));
  loadWatermarks = () => Promise.resolve(new Map(this.watermarks));
  loadHttpCache = () => Promise.resolve(new Map());
  saveHttpCache = () => Promise.resolve();
  saveRateLimit = () => Promise.resolve();
  saveWatermarks = (_id: string, entries: readonly { target: string; cursor: string }[]) => {
    for (const { target, cursor } of entries) this.watermarks.set(target, cursor);
    return Promise.resolve();
  };
  private move(from: SyncRun['status'][], changes: Partial<SyncRun>): boolean {
    if (!from.includes(this.run.status)) return false;
    this.run = { ...this.run, ...changes };
    return true;
  }
}

const record = (kind: string, id: string): RawRecord =>
  ({ entity_kind: kind, source_id: id, provider: 'git', org_id: 'acme' }) as unknown as RawRecord;

function setup(job: SyncJob, mode: SyncRun['mode'] = 'incremental') {
  const run = {
    id: 'run-1',
    integration_id: 'int-1',
    org_id: 'acme',
    mode,
    status: 'queued',
    records: {},
    requested_at: new Date(0),
  } as unknown as SyncRun;
  const integration = {
    id: 'int-1',
    org_id: 'acme',
    provider: 'git',
    scope: { paths: ['/r'] },
  } as unknown as Integration;
  const store = new MemoryRunStore(run, integration);
  const published: RawRecord[] = [];
  const events: SyncEvent[] = [];
  const resent: string[] = [];
  const runner = new SyncRunner({
    provider: 'git',
    job,
    store,
    publisher: { publish: (records) => Promise.resolve(void published.push(...records)) },
    control: {
      publishEvent: (event) => Promise.resolve(void events.push(event)),
      requestSyncs: (runs) => Promise.resolve(void resent.push(...runs.map((queued) => queued.id))),
    },
    logger: new JsonLogger('test', 'error'),
    metrics: new PipelineMetrics('test'),
    heartbeatMs: 20,
  });
  return { store, runner, published, events, resent, run };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SyncRunner', () => {
  it('claims the run, counts what the job publishes per entity kind, and records success', async () => {
    const { store, runner, events, run } = setup(async (context) => {
      await context.publish([record('repository', 'r'), record('commit', 'a'), record('commit', 'b')]);
      await context.watermarks.save([{ target: 'r:main', cursor: 'b' }]);
    });
    expect(await runner.run(run, new AbortController().signal)).toBe('succeeded');
    expect(store.run).toMatchObject({ status: 'succeeded', records: { repository: 1, commit: 2 } });
    expect(store.watermarks.get('r:main')).toBe('b');
    expect(events.map((event) => event.event)).toEqual(['sync.started', 'sync.finished']);
    expect(events.at(-1)?.records).toEqual([
      { entity_kind: 'commit', records: 2 },
      { entity_kind: 'repository', records: 1 },
    ]);
  });

  it('runs nothing for a run another connector took', async () => {
    let ran = false;
    const { store, runner, run } = setup(() => Promise.resolve(void (ran = true)));
    store.run = { ...store.run, status: 'running' };
    expect(await runner.run(run, new AbortController().signal)).toBe('skipped');
    expect(ran).toBe(false);
  });

  it('fails the run with the stage and a redacted message', async () => {
    const { store, runner, events, run } = setup(() => {
      throw new SyncStageError('fetch', 'GET https://x:hunter2@api.example.com failed');
    });
    expect(await runner.run(run, new AbortController().signal)).toBe('failed');
    expect(store.run).toMatchObject({ status: 'failed', error_stage: 'fetch' });
    expect(store.run.error_message).not.toContain('hunter2');
    expect(events.at(-1)).toMatchObject({ event: 'sync.finished', status: 'failed', error_stage: 'fetch' });
  });

  it('stops a run cancelled meanwhile at its next heartbeat, and leaves it cancelled', async () => {
    const { store, runner, published, events, run } = setup(async (context) => {
      for (let batch = 0; batch < 1_000; batch++) {
        await context.publish([record('commit', String(batch))]);
        await sleep(5);
      }
    });
    const running = runner.run(run, new AbortController().signal);
    await sleep(50);
    await store.finishRun(run.id, { status: 'cancelled', message: 'cancelled on request' });
    expect(await running).toBe('cancelled');
    expect(published.length).toBeLessThan(1_000);
    expect(store.run.status).toBe('cancelled');
    expect(events.at(-1)).toMatchObject({ event: 'sync.finished', status: 'cancelled' });
  });

  it('hands the run back to the queue and re-sends its command when the connector shuts down', async () => {
    const { store, runner, resent, run } = setup(async (context) => {
      for (let batch = 0; batch < 1_000; batch++) {
        await context.publish([record('commit', String(batch))]);
        await sleep(5);
      }
    });
    const shutdown = new AbortController();
    const running = runner.run(run, shutdown.signal);
    await sleep(30);
    shutdown.abort();
    expect(await running).toBe('queued');
    expect(store.run.status).toBe('queued');
    expect(store.run.records.commit).toBeGreaterThan(0);
    expect(resent).toEqual([run.id]);
  });

  it('never moves incremental watermarks in a backfill run', async () => {
    const { store, runner, run } = setup(async (context) => {
      await context.watermarks.save([{ target: 'r:main', cursor: 'old-commit' }]);
    }, 'backfill');
    expect(await runner.run(run, new AbortController().signal)).toBe('succeeded');
    expect(store.watermarks.size).toBe(0);
  });
});
