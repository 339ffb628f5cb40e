import { ConflictError, NotFoundError, ValidationError } from '@dev-health/control-plane';
import { createTestDatabase, queryRows, stackEndpoints } from '@dev-health/testing';
import { ControlPlaneStore } from './control-plane-store';
import { Leadership } from './leadership';
import { PostgresStore } from './postgres-store';

const T0 = Date.UTC(2026, 11, 1, 9);

describe('ControlPlaneStore (real Postgres)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let postgres: PostgresStore;
  let store: ControlPlaneStore;
  let clock = T0;

  beforeAll(async () => {
    database = await createTestDatabase(stackEndpoints().databaseUri, 'control');
    postgres = await PostgresStore.connect(database.uri, 'control-test');
    store = new ControlPlaneStore(postgres.dataSource, () => new Date(clock));
  });
  afterAll(async () => {
    await postgres.close();
    await database.drop();
  });

  const problemsOf = async (work: Promise<unknown>) => {
    const error: unknown = await work.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!(error instanceof ValidationError)) throw new Error(`expected a ValidationError, got ${String(error)}`);
    return error.problems.map((problem) => problem.field);
  };

  it('starts with the default org (enterprise: pre-tenancy installs keep unlimited backfill)', async () => {
    expect(await store.getOrganization('default')).toMatchObject({ slug: 'default', tier: 'enterprise' });
  });

  it('creates organizations, naming each invalid field, refusing a duplicate slug', async () => {
    expect(await store.createOrganization({ slug: 'acme', name: 'Acme', tier: 'team' })).toMatchObject({
      slug: 'acme',
      tier: 'team',
    });
    expect(await problemsOf(store.createOrganization({ slug: 'Not A Slug', name: '', tier: 'gold' as never }))).toEqual(
      ['slug', 'name', 'tier'],
    );
    await expect(store.createOrganization({ slug: 'acme', name: 'Again' })).rejects.toThrow(ConflictError);
    await store.createOrganization({ slug: 'globex', name: 'Globex' });
    expect((await store.listOrganizations(['acme', 'globex'])).map((org) => org.slug)).toEqual(['acme', 'globex']);
    expect((await store.getOrganization('globex')).tier).toBe('community');
  });

  it('validates integrations per provider and never takes a token for a credential reference', async () => {
    expect(
      await problemsOf(
        store.createIntegration({
          org_id: 'acme',
          provider: 'github',
          name: 'gh',
          scope: { repositories: [1] } as never,
        }),
      ),
    ).toEqual(['scope.owner', 'scope.repositories']);
    const token = 'ghp_0123456789abcdefghijklmnopqrstuvwxyz';
    const error: unknown = await store
      .createIntegration({
        org_id: 'acme',
        provider: 'github',
        name: 'gh',
        scope: { owner: 'acme-inc' },
        credential_ref: token,
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/credential_ref must be env:<VARIABLE> or file:<absolute path>/);
    expect((error as Error).message).not.toContain(token);
    await expect(
      store.createIntegration({ org_id: 'nobody', provider: 'git', name: 'x', scope: { paths: ['/r'] } }),
    ).rejects.toThrow(NotFoundError);
    expect(
      await problemsOf(
        store.createIntegration({
          org_id: 'acme',
          provider: 'jira',
          name: 'j',
          scope: {},
          schedule_interval_seconds: 5,
        }),
      ),
    ).toEqual(['scope.site', 'scope.projects', 'schedule_interval_seconds']);
  });

  it("keeps one integration name per org, and hides another org's integration", async () => {
    const github = await store.createIntegration({
      org_id: 'acme',
      provider: 'github',
      name: 'github',
      scope: { owner: 'acme-inc' },
      credential_ref: 'env:GITHUB_TOKEN',
      schedule_interval_seconds: 900,
    });
    expect(github).toMatchObject({ enabled: true, credential_ref: 'env:GITHUB_TOKEN', scope: { owner: 'acme-inc' } });
    await expect(
      store.createIntegration({ org_id: 'acme', provider: 'github', name: 'github', scope: { owner: 'other' } }),
    ).rejects.toThrow(ConflictError);
    // The same name in another org is another integration.
    await store.createIntegration({ org_id: 'globex', provider: 'github', name: 'github', scope: { owner: 'globex' } });
    await expect(store.getIntegration(github.id, ['globex'])).rejects.toThrow(NotFoundError);
    await expect(store.getIntegration('not-a-uuid')).rejects.toThrow(NotFoundError);
    const updated = await store.updateIntegration(github.id, { enabled: false, schedule_interval_seconds: null }, [
      'acme',
    ]);
    expect(updated).toMatchObject({ enabled: false, schedule_interval_seconds: null, name: 'github' });
    await expect(store.requestSync(github.id, 'incremental')).rejects.toThrow(/is disabled/);
    await store.updateIntegration(github.id, { enabled: true });
  });

  it('never has two active runs of one integration, however many requests race', async () => {
    const integration = await store.createIntegration({
      org_id: 'acme',
      provider: 'git',
      name: 'race',
      scope: { paths: ['/r'] },
    });
    const results = await Promise.all(
      Array.from({ length: 12 }, () => store.requestSync(integration.id, 'incremental')),
    );
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.run.id)).size).toBe(1);

    const { run } = results[0] ?? { run: undefined };
    if (!run) throw new Error('no run');
    expect(await store.startRun(run.id)).toBe(true);
    expect(await store.startRun(run.id)).toBe(false);
    clock += 1_000;
    await store.heartbeat(run.id, { commit: 40 });
    expect((await store.requestSync(integration.id, 'backfill')).created).toBe(false);
    clock += 1_000;
    expect(await store.finishRun(run.id, { status: 'succeeded' }, { commit: 42, repository: 1 })).toBe(true);
    expect(await store.finishRun(run.id, { status: 'failed', stage: 'publish', message: 'late' })).toBe(false);
    expect(await store.getRun(run.id)).toMatchObject({ status: 'succeeded', records: { commit: 42, repository: 1 } });

    const next = await store.requestSync(integration.id, 'backfill', {
      start: new Date(T0 - 7 * 86_400_000),
      end: new Date(T0),
    });
    expect(next.created).toBe(true);
    expect(next.run).toMatchObject({ mode: 'backfill', status: 'queued', window_end: new Date(T0) });
  });

  it('fails a running sync whose connector went silent, so it is never stuck running', async () => {
    const integration = await store.createIntegration({
      org_id: 'acme',
      provider: 'git',
      name: 'silent',
      scope: { paths: ['/r'] },
    });
    const { run } = await store.requestSync(integration.id, 'incremental');
    await store.startRun(run.id);
    clock += 30_000;
    expect(await store.failSilentRuns(60_000)).toEqual([]);
    clock += 60_000;
    const failed = await store.failSilentRuns(60_000);
    expect(failed.map((stale) => stale.id)).toEqual([run.id]);
    expect(failed[0]).toMatchObject({ status: 'failed', error_stage: 'connector' });
    expect(failed[0]?.error_message).toMatch(/no progress for 60 s/);
    expect((await store.requestSync(integration.id, 'incremental')).created).toBe(true);

    const health = (await store.integrationHealth('acme')).find((entry) => entry.integration_id === integration.id);
    expect(health).toMatchObject({ last_failure_stage: 'connector', last_success_at: null });
    expect(health?.active_run_id).not.toBeNull();
    const race = (await store.integrationHealth('acme')).find((entry) => entry.last_success_at !== null);
    expect(race?.last_success_records).toEqual({ commit: 42, repository: 1 });
    expect((await store.listRuns('acme', { integrationId: integration.id })).map((listed) => listed.status)).toEqual([
      'queued',
      'failed',
    ]);
    expect(await store.listRuns('globex')).toEqual([]);
  });

  it('keeps watermarks per integration and target, the latest cursor winning', async () => {
    const integration = await store.createIntegration({
      org_id: 'globex',
      provider: 'git',
      name: 'marks',
      scope: { paths: ['/r'] },
    });
    await store.saveWatermarks(integration.id, [
      { target: 'repo:main', cursor: 'a' },
      { target: 'repo:dev', cursor: 'b' },
    ]);
    await store.saveWatermarks(integration.id, [{ target: 'repo:main', cursor: 'c' }]);
    expect(await store.loadWatermarks(integration.id)).toEqual(
      new Map([
        ['repo:main', 'c'],
        ['repo:dev', 'b'],
      ]),
    );
  });

  it('authenticates API keys by a hashed secret; revoked, altered or unknown keys are nobody', async () => {
    const { principal, token } = await store.createApiKey({ name: 'acme viewer', role: 'viewer', orgs: ['acme'] });
    expect(principal).toMatchObject({ role: 'viewer', orgs: ['acme'] });
    const [stored] = await queryRows<{ secret_hash: string }>(
      database.uri,
      `SELECT secret_hash FROM api_keys WHERE id = $1`,
      [principal.keyId],
    );
    expect(token).not.toContain(stored?.secret_hash ?? '?');
    expect(stored?.secret_hash).not.toContain(token.split('_').at(-1) ?? '?');
    const lastUsed = async () =>
      (
        await queryRows<{ at: Date | null }>(database.uri, `SELECT last_used_at AS at FROM api_keys WHERE id = $1`, [
          principal.keyId,
        ])
      )[0]?.at?.getTime();
    const firstUse = clock;
    expect(await store.authenticate(token)).toEqual(principal);
    expect(await lastUsed()).toBe(firstUse);
    // Written at most once a minute.
    clock += 30_000;
    await store.authenticate(token);
    expect(await lastUsed()).toBe(firstUse);
    clock += 31_000;
    await store.authenticate(token);
    expect(await lastUsed()).toBe(clock);
    expect(await store.authenticate(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
    expect(await store.authenticate('dho_0000000000000000_' + 'a'.repeat(43))).toBeNull();
    await store.revokeApiKey(principal.keyId);
    expect(await store.authenticate(token)).toBeNull();
    await expect(store.createApiKey({ name: 'x', role: 'viewer', orgs: ['nobody'] })).rejects.toThrow(NotFoundError);
    expect(await problemsOf(store.createApiKey({ name: '', role: 'root' as never, orgs: null }))).toEqual([
      'name',
      'role',
    ]);
  });

  it('schedules due integrations once per interval, never beside an active run', async () => {
    await store.createOrganization({ slug: 'sched', name: 'Scheduled' });
    const every = await store.createIntegration({
      org_id: 'sched',
      provider: 'git',
      name: 'every-minute',
      scope: { paths: ['/r'] },
      schedule_interval_seconds: 60,
    });
    await store.createIntegration({ org_id: 'sched', provider: 'git', name: 'manual', scope: { paths: ['/r'] } });
    await store.createIntegration({
      org_id: 'sched',
      provider: 'git',
      name: 'off',
      scope: { paths: ['/r'] },
      schedule_interval_seconds: 60,
      enabled: false,
    });
    const queuedFor = async () =>
      (await store.enqueueDueSyncs()).filter((run) => run.org_id === 'sched').map((run) => run.integration_id);
    expect(await queuedFor()).toEqual([every.id]);
    expect(await queuedFor()).toEqual([]);
    const [run] = await store.listRuns('sched');
    if (!run) throw new Error('no run');
    await store.startRun(run.id);
    await store.finishRun(run.id, { status: 'succeeded' });
    clock += 30_000;
    expect(await queuedFor()).toEqual([]);
    clock += 31_000;
    expect(await queuedFor()).toEqual([every.id]);
    expect((await store.listRuns('sched')).map((listed) => listed.status)).toEqual(['queued', 'succeeded']);
  });

  it('lets one scheduler lead at a time, and another take over when it stops', async () => {
    const first = new Leadership(postgres.dataSource, 42_4242);
    const second = new Leadership(postgres.dataSource, 42_4242);
    expect(await first.tryLead()).toBe(true);
    expect(await second.tryLead()).toBe(false);
    expect(await first.tryLead()).toBe(true);
    await first.release();
    expect(await second.tryLead()).toBe(true);
    await second.release();
  });
});
