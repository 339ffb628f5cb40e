import type { SyncRun } from '@dev-health/control-plane';
import type { BatchConsumer, BatchContext, BatchHandler, IncomingRecord } from '@dev-health/kafka';
import { JsonLogger } from '@dev-health/observability';
import type { AvroSerde } from '@dev-health/registry';
import type { SyncCommand } from '@dev-health/schemas';
import { SyncCommandService } from './sync-command-service';
import type { SyncRunStore } from './sync-job';
import type { SyncRunner } from './sync-runner';

/** Commands as JSON instead of Avro: the service's own logic is what is under test here. */
const serde = { decode: (value: Buffer) => Promise.resolve(JSON.parse(value.toString('utf8')) as unknown) };
const command = (runId: string, provider = 'git'): IncomingRecord => {
  const value: Partial<SyncCommand> = { command: 'sync.requested', run_id: runId, provider, integration_id: runId };
  return {
    topic: 'c',
    partition: 0,
    offset: '0',
    key: runId,
    value: Buffer.from(JSON.stringify(value)),
    headers: {},
    timestamp: '0',
  };
};
const context: BatchContext = { heartbeat: () => Promise.resolve(), isStopping: () => false };

function setup(statuses: Record<string, SyncRun['status']>, maxConcurrentRuns: number) {
  let handler: BatchHandler | undefined;
  const consumer = {
    start: (next: BatchHandler) => Promise.resolve(void (handler = next)),
    stop: () => Promise.resolve(),
  } as unknown as BatchConsumer;
  const store = {
    getRun: (id: string) => Promise.resolve({ id, status: statuses[id] ?? 'queued' } as SyncRun),
  } as unknown as SyncRunStore;
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  const runner = {
    run: (run: SyncRun) => {
      started.push(run.id);
      return new Promise<string>((resolve) => finishers.set(run.id, () => resolve('succeeded')));
    },
  } as unknown as SyncRunner;
  const service = new SyncCommandService(
    consumer,
    serde as unknown as AvroSerde,
    store,
    runner,
    new JsonLogger('test', 'error'),
    { provider: 'git', maxConcurrentRuns },
  );
  const handle = async (records: IncomingRecord[]) => {
    if (!handler) await service.start();
    return (handler as BatchHandler)(records, context);
  };
  return { service, handle, started, finishers };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('SyncCommandService', () => {
  it('runs at most maxConcurrentRuns syncs at once; the next command waits for a free slot', async () => {
    const { handle, started, finishers, service } = setup({}, 1);
    const handled = handle([command('a'), command('b')]);
    await tick();
    expect(started).toEqual(['a']);
    expect(service.activeRuns).toBe(1);
    finishers.get('a')?.();
    await handled;
    expect(started).toEqual(['a', 'b']);
  });

  it("skips other providers' commands and runs that are not queued any more", async () => {
    const { handle, started } = setup({ done: 'succeeded', taken: 'running' }, 4);
    await handle([command('x', 'github'), command('done'), command('taken'), command('fresh')]);
    expect(started).toEqual(['fresh']);
  });
});
