import { ControlPlaneStore, PostgresStore } from '@dev-health/postgres';
import {
  type RunningService,
  createTestDatabase,
  issueApiKey,
  listeningUrl,
  runToCompletion,
  stackEndpoints,
  pipelineEnvironment,
  startService,
  waitFor,
} from '@dev-health/testing';

/** The dho CLI against a running admin API: what an operator types, what it prints, how it exits. */
describe('dho CLI (real admin API and Postgres)', () => {
  const endpoints = stackEndpoints();
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let admin: RunningService;
  let postgres: PostgresStore;
  let store: ControlPlaneStore;
  let cliEnv: Record<string, string>;

  const dho = async (...args: string[]) => {
    const { code, output } = await runToCompletion('cli', cliEnv, 60_000, args);
    const json = output
      .split('\n')
      .filter((line) => line.startsWith('{') || line.startsWith('['))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    return { code, output, json };
  };

  beforeAll(async () => {
    database = await createTestDatabase(endpoints.databaseUri, 'cli');
    // A 1-second tick: the backfill driver queues each chunk's run promptly.
    const env = { ...pipelineEnvironment('cli', database.uri).env, ADMIN_TICK_SECONDS: '1' };
    const token = await issueApiKey(env);
    admin = startService('admin', env);
    cliEnv = { DHO_API_URL: await listeningUrl(admin), DHO_API_KEY: token };
    postgres = await PostgresStore.connect(database.uri, 'cli-test');
    store = new ControlPlaneStore(postgres.dataSource);
  });

  afterAll(async () => {
    await admin?.stop();
    await postgres?.close();
    await database?.drop();
  });

  it('creates an org and a GitHub integration, and explains a refusal', async () => {
    const created = await dho('--json', 'org', 'create', 'acme', '--name', 'Acme', '--tier', 'team');
    expect(created.code).toBe(0);
    expect(created.json[0]).toMatchObject({ slug: 'acme', tier: 'team' });
    const added = await dho(
      '--json',
      'integration',
      'add',
      'github',
      '--org',
      'acme',
      '--scope',
      'acme-inc,api,web',
      '--token-env',
      'GITHUB_TOKEN',
    );
    expect(added.code).toBe(0);
    expect(added.json[0]).toMatchObject({
      provider: 'github',
      name: 'github',
      scope: { owner: 'acme-inc', repositories: ['api', 'web'] },
      credential: { kind: 'env' },
    });
    const refused = await dho('integration', 'add', 'gitlab', '--org', 'acme');
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/dho: invalid request; scope.group must name the GitLab group \(HTTP 400\)/);
    const unknown = await dho('integration', 'list', '--org', 'nobody');
    expect(unknown.code).toBe(1);
    expect(unknown.output).toMatch(/organization nobody not found \(HTTP 404\)/);
    const badKey = await runToCompletion(
      'cli',
      { ...cliEnv, DHO_API_KEY: 'dho_0000000000000000_' + 'x'.repeat(43) },
      60_000,
      ['org', 'list'],
    );
    expect(badKey.code).toBe(1);
    expect(badKey.output).toMatch(/HTTP 401/);
    expect((await dho('sync', 'nonsense')).code).toBe(2);
  });

  it('issues, lists and revokes API keys; the revoked token stops working at once', async () => {
    const created = await dho('--json', 'key', 'create', '--name', 'acme-ci', '--role', 'viewer', '--orgs', 'acme');
    expect(created.code).toBe(0);
    const { id, token } = created.json[0] as { id: string; token: string };
    expect(token).toMatch(/^dho_/);
    const asNewKey = await runToCompletion('cli', { ...cliEnv, DHO_API_KEY: token }, 60_000, ['org', 'list']);
    expect(asNewKey.code).toBe(0);
    const listed = await dho('key', 'list');
    expect(listed.output).toMatch(new RegExp(`${id}\\tviewer\\tacme-ci\\tacme`));
    expect(listed.output).not.toContain(token);
    expect((await dho('key', 'revoke', id)).code).toBe(0);
    const revoked = await runToCompletion('cli', { ...cliEnv, DHO_API_KEY: token }, 60_000, ['org', 'list']);
    expect(revoked.code).toBe(1);
    expect(revoked.output).toMatch(/HTTP 401/);
  });

  it('runs a sync, follows it to the end with progress, and never starts a second one', async () => {
    const integration = (await dho('--json', 'integration', 'list', '--org', 'acme')).json[0] as unknown as {
      id: string;
    }[];
    const id = integration[0]?.id ?? '';
    const queued = await dho('--json', 'sync', 'run', id, '--org', 'acme');
    expect(queued.json[0]).toMatchObject({ created: true, run: { status: 'queued' } });
    const runId = (queued.json[0]?.run as { id: string }).id;

    // Followed as a human would: one line per change (not a TTY here).
    const following = startService('cli', cliEnv, 'dho-follow', [
      'sync',
      'run',
      id,
      '--org',
      'acme',
      '--follow',
      '--interval',
      '100',
    ]);
    await following.waitForLog(/already syncing: run/);
    await store.startRun(runId);
    await store.heartbeat(runId, { commit: 120, _expected: 480 });
    await following.waitForLog(/running\s+\[#####\.+\] 25% 120 records \(commit 120\)/);
    await store.finishRun(runId, { status: 'succeeded' }, { commit: 480, repository: 3 });
    expect(await following.exited).toBe(0);
    expect(following.logs()).toMatch(/succeeded .*483 records \(commit 480, repository 3\)/);

    const status = await dho('--json', 'sync', 'status', '--org', 'acme');
    expect((status.json[0] as unknown as { id: string; status: string }[]).map((run) => [run.id, run.status])).toEqual([
      [runId, 'succeeded'],
    ]);
  });

  it('exits 1 when the followed run fails, printing each change as JSON', async () => {
    const integration = (await dho('--json', 'integration', 'list', '--org', 'acme')).json[0] as unknown as {
      id: string;
    }[];
    const id = integration[0]?.id ?? '';
    const following = startService('cli', cliEnv, 'dho-follow-json', [
      '--json',
      'sync',
      'run',
      id,
      '--org',
      'acme',
      '--follow',
      '--interval',
      '100',
    ]);
    const line = await following.waitForLog(/"created":true/);
    const runId = (JSON.parse(line) as { run: { id: string } }).run.id;
    await store.startRun(runId);
    await waitFor(() => /"status":"running"/.test(following.logs()), {
      description: 'running seen',
      timeoutMs: 10_000,
    });
    await store.finishRun(runId, { status: 'failed', stage: 'fetch', message: 'GitHub answered 403' });
    expect(await following.exited).toBe(1);
    const last = following
      .logs()
      .split('\n')
      .filter((entry) => entry.startsWith('{'))
      .at(-1);
    expect(JSON.parse(last ?? '{}')).toMatchObject({
      status: 'failed',
      error_stage: 'fetch',
      error_message: 'GitHub answered 403',
    });
  });

  it('runs a backfill job, follows it chunk by chunk to the end, shows and cancels jobs', async () => {
    const integration = (await dho('--json', 'integration', 'list', '--org', 'acme')).json[0] as unknown as {
      id: string;
    }[];
    const id = integration[0]?.id ?? '';
    const day = 86_400_000;
    const since = new Date(Date.now() - 20 * day).toISOString();
    const before = new Date(Date.now() - 11 * day).toISOString();
    const following = startService('cli', cliEnv, 'dho-backfill', [
      'backfill',
      'run',
      id,
      '--org',
      'acme',
      '--since',
      since,
      '--before',
      before,
      '--follow',
      '--interval',
      '100',
    ]);
    const queued = await following.waitForLog(/backfill \S+ queued: 2 chunks/);
    const jobId = /backfill (\S+) queued/.exec(queued)?.[1] ?? '';
    // No connector here: the test plays it, taking each chunk's backfill run as the driver queues it.
    for (const records of [7, 2]) {
      const run = await waitFor(
        async () => {
          const status = await dho('--json', 'sync', 'status', '--org', 'acme');
          const runs = status.json[0] as unknown as { id: string; mode: string; status: string }[];
          return runs.find((candidate) => candidate.mode === 'backfill' && candidate.status === 'queued');
        },
        { description: 'the next chunk’s backfill run', timeoutMs: 20_000, intervalMs: 200 },
      );
      await store.startRun(run.id);
      await store.finishRun(run.id, { status: 'succeeded' }, { commit: records });
    }
    expect(await following.exited).toBe(0);
    expect(following.logs()).toMatch(/succeeded\s+2\/2 chunks \(100%\), 9 records/);

    const shown = await dho('backfill', 'show', jobId, '--org', 'acme');
    expect(shown.output).toContain(`${jobId}\tsucceeded\t2/2 chunks`);
    const another = await dho('--json', 'backfill', 'run', id, '--org', 'acme', '--since', since, '--before', before);
    const cancelled = await dho('backfill', 'cancel', String(another.json[0]?.id), '--org', 'acme');
    expect(cancelled.code).toBe(0);
    expect(cancelled.output).toMatch(/\tcancelled\t/);
    const tooDeep = await dho('backfill', 'run', id, '--org', 'acme', '--since', '2020-01-01', '--before', before);
    expect(tooDeep.code).toBe(1);
    expect(tooDeep.output).toMatch(/team tier allows 90 days/);
  });
});
