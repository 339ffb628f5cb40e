import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  AdminApi,
  type RunningService,
  createTestDatabase,
  issueApiKey,
  listeningUrl,
  stackEndpoints,
  pipelineEnvironment,
  startService,
} from '@dev-health/testing';

/** The admin REST API as a client sees it: API keys, roles, org scoping, validation, rate limits. */
describe('admin API (real Postgres)', () => {
  const endpoints = stackEndpoints();
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let admin: RunningService;
  let url: string;
  const keys: Record<'operator' | 'acmeAdmin' | 'acmeViewer' | 'globexAdmin', string> = {
    operator: '',
    acmeAdmin: '',
    acmeViewer: '',
    globexAdmin: '',
  };
  let env: Record<string, string>;

  const createKey = (role: 'admin' | 'viewer', orgs?: string) =>
    issueApiKey(env, { name: `${role} ${orgs ?? 'all'}`, role, ...(orgs === undefined ? {} : { orgs }) });

  const call = (method: string, path: string, key: string | null, body?: unknown) =>
    new AdminApi(url, key).call(method, path, body);

  beforeAll(async () => {
    database = await createTestDatabase(endpoints.databaseUri, 'admin');
    env = { ...pipelineEnvironment('admin', database.uri).env, ADMIN_WRITES_PER_MINUTE: '30' };
    keys.operator = await createKey('admin');
    admin = startService('admin', env);
    url = await listeningUrl(admin);
    expect((await call('POST', '/orgs', keys.operator, { slug: 'acme', name: 'Acme', tier: 'community' })).status).toBe(
      201,
    );
    expect((await call('POST', '/orgs', keys.operator, { slug: 'globex', name: 'Globex' })).status).toBe(201);
    keys.acmeAdmin = await createKey('admin', 'acme');
    keys.acmeViewer = await createKey('viewer', 'acme');
    keys.globexAdmin = await createKey('admin', 'globex');
  });

  afterAll(async () => {
    await admin?.stop();
    await database?.drop();
  });

  it('answers 401 without a valid key, and keeps health and metrics open', async () => {
    expect((await call('GET', '/orgs', null)).status).toBe(401);
    const wrong = await call('GET', '/orgs', 'dho_0123456789abcdef_' + 'x'.repeat(43));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
    expect((await call('GET', '/orgs', 'not-a-key')).status).toBe(401);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    // The API describes itself without a key; the served document is the checked-in one.
    const served = await fetch(`${url}/api/openapi.json`);
    expect(served.status).toBe(200);
    expect(await served.text()).toBe(
      readFileSync(path.join(__dirname, '..', '..', 'apps', 'admin', 'openapi.json'), 'utf8'),
    );
  });

  it("scopes every request to the caller's orgs: another org is not found, a viewer cannot write", async () => {
    const listed = await call('GET', '/orgs', keys.acmeViewer);
    expect((listed.body.organizations as { slug: string }[]).map((org) => org.slug)).toEqual(['acme']);
    expect((await call('GET', '/orgs/globex', keys.acmeAdmin)).status).toBe(404);
    expect((await call('GET', '/orgs/globex/integrations', keys.acmeViewer)).status).toBe(404);
    const write = await call('POST', '/orgs/acme/integrations', keys.acmeViewer, {
      provider: 'git',
      name: 'x',
      scope: { paths: ['/r'] },
    });
    expect(write.status).toBe(403);
    expect((await call('POST', '/orgs', keys.acmeAdmin, { slug: 'evil', name: 'Evil' })).status).toBe(403);

    const created = await call('POST', '/orgs/globex/integrations', keys.globexAdmin, {
      provider: 'github',
      name: 'github',
      scope: { owner: 'globex' },
    });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    // Its id, asked for under another org or by another org's key, does not exist.
    expect((await call('GET', `/orgs/acme/integrations/${id}`, keys.acmeAdmin)).status).toBe(404);
    expect((await call('GET', `/orgs/globex/integrations/${id}`, keys.acmeAdmin)).status).toBe(404);
    expect((await call('POST', `/orgs/acme/integrations/${id}/syncs`, keys.acmeAdmin, {})).status).toBe(404);
  });

  it('names every invalid field with a 400, and never echoes a credential', async () => {
    const invalid = await call('POST', '/orgs/acme/integrations', keys.acmeAdmin, {
      provider: 'github',
      name: '',
      scope: { repositories: 'api' },
      schedule_interval_seconds: 1,
    });
    expect(invalid.status).toBe(400);
    expect((invalid.body.errors as { field: string }[]).map((problem) => problem.field)).toEqual([
      'name',
      'scope.owner',
      'scope.repositories',
      'schedule_interval_seconds',
    ]);
    const token = 'ghp_SuperSecretTokenValue1234567890abcd';
    const leaked = await call('POST', '/orgs/acme/integrations', keys.acmeAdmin, {
      provider: 'github',
      name: 'gh',
      scope: { owner: 'acme-inc' },
      credential_ref: token,
    });
    expect(leaked.status).toBe(400);
    expect(leaked.text).not.toContain(token);
    expect(admin.logs()).not.toContain(token);
    expect((await call('POST', '/orgs/acme/integrations', keys.acmeAdmin, '{not json')).status).toBe(400);

    const created = await call('POST', '/orgs/acme/integrations', keys.acmeAdmin, {
      provider: 'github',
      name: 'gh',
      scope: { owner: 'acme-inc' },
      credential_ref: 'env:ACME_GITHUB_TOKEN',
    });
    expect(created.status).toBe(201);
    expect(created.body.credential).toEqual({ kind: 'env' });
    expect(created.text).not.toContain('ACME_GITHUB_TOKEN');
    const listed = await call('GET', '/orgs/acme/integrations', keys.acmeViewer);
    expect(listed.text).not.toContain('ACME_GITHUB_TOKEN');
    const patched = await call('PATCH', `/orgs/acme/integrations/${String(created.body.id)}`, keys.acmeAdmin, {
      enabled: false,
    });
    expect(patched.body).toMatchObject({ enabled: false, credential: { kind: 'env' } });
    expect(
      (
        await call('POST', '/orgs/acme/integrations', keys.acmeAdmin, {
          provider: 'github',
          name: 'gh',
          scope: { owner: 'x' },
        })
      ).status,
    ).toBe(409);
  });

  it('queues one sync per integration, follows it, and bounds backfills by the org tier', async () => {
    const created = await call('POST', '/orgs/acme/integrations', keys.acmeAdmin, {
      provider: 'git',
      name: 'repo',
      scope: { paths: ['/srv/repo'] },
    });
    const id = String(created.body.id);
    const first = await call('POST', `/orgs/acme/integrations/${id}/syncs`, keys.acmeAdmin, {});
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ created: true, run: { status: 'queued', mode: 'incremental' } });
    const again = await call('POST', `/orgs/acme/integrations/${id}/syncs`, keys.acmeAdmin, { mode: 'incremental' });
    expect(again.body).toMatchObject({ created: false });
    expect((again.body.run as { id: string }).id).toBe((first.body.run as { id: string }).id);
    const runId = (first.body.run as { id: string }).id;
    expect((await call('GET', `/orgs/acme/syncs/${runId}`, keys.acmeViewer)).body).toMatchObject({ status: 'queued' });
    expect((await call('GET', `/orgs/globex/syncs/${runId}`, keys.globexAdmin)).status).toBe(404);
    const runs = await call('GET', `/orgs/acme/syncs?integration_id=${id}`, keys.acmeViewer);
    expect((runs.body.runs as { id: string }[]).map((run) => run.id)).toEqual([runId]);
    const health = await call('GET', '/orgs/acme/health', keys.acmeViewer);
    expect(health.body.integrations).toEqual(
      expect.arrayContaining([expect.objectContaining({ integration_id: id, active_run_id: runId })]),
    );

    const deep = await call('POST', `/orgs/acme/integrations/${id}/syncs`, keys.acmeAdmin, {
      mode: 'backfill',
      window: { start: new Date(Date.now() - 45 * 86_400_000).toISOString(), end: new Date().toISOString() },
    });
    expect(deep.status).toBe(400);
    const problems = deep.body.errors as { field: string; message: string }[];
    expect(problems.map((problem) => problem.field)).toEqual(['window.start']);
    expect(problems[0]?.message).toMatch(/reaches 45 days back; the community tier allows 30/);
    expect(
      (
        await call('POST', `/orgs/acme/integrations/${id}/syncs`, keys.acmeAdmin, {
          mode: 'backfill',
          window: { start: 'x' },
        })
      ).body.errors,
    ).toEqual([
      { field: 'window.start', message: 'must be an ISO 8601 date or instant' },
      { field: 'window.end', message: 'must be an ISO 8601 date or instant' },
    ]);
  });

  it('manages API keys: an org admin issues and revokes keys of its own orgs only; a token is shown once', async () => {
    const keyId = (token: string) => token.split('_')[1] ?? '?';
    const issued = await call('POST', '/keys', keys.acmeAdmin, { name: 'acme-ci', role: 'viewer', orgs: ['acme'] });
    expect(issued.status).toBe(201);
    const token = issued.body.token as string;
    expect(issued.body).toMatchObject({ name: 'acme-ci', role: 'viewer', orgs: ['acme'] });
    expect((await call('GET', '/orgs/acme', token)).status).toBe(200);
    expect((await call('GET', '/orgs/globex', token)).status).toBe(404);

    const listed = await call('GET', '/keys', keys.acmeAdmin);
    expect(listed.status).toBe(200);
    const ids = (listed.body.keys as { id: string }[]).map((key) => key.id);
    expect(ids).toContain(issued.body.id);
    expect(ids).not.toContain(keyId(keys.globexAdmin));
    expect(listed.text).not.toContain(token);
    expect(listed.text).not.toContain('secret_hash');
    expect((await call('GET', '/keys', keys.acmeViewer)).status).toBe(403);

    // No key can mint a wider one, or touch another org's keys.
    expect((await call('POST', '/keys', keys.acmeAdmin, { name: 'x', role: 'admin', orgs: ['globex'] })).status).toBe(
      404,
    );
    expect((await call('POST', '/keys', keys.acmeAdmin, { name: 'x', role: 'admin', orgs: null })).status).toBe(403);
    const empty = await call('POST', '/keys', keys.acmeAdmin, { name: 'x', role: 'admin', orgs: [] });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('orgs');
    expect((await call('DELETE', `/keys/${keyId(keys.globexAdmin)}`, keys.acmeAdmin)).status).toBe(404);

    expect((await call('DELETE', `/keys/${String(issued.body.id)}`, keys.acmeAdmin)).status).toBe(204);
    expect((await call('GET', '/orgs/acme', token)).status).toBe(401);
    const operatorIssued = await call('POST', '/keys', keys.operator, { name: 'ops-2', role: 'admin' });
    expect(operatorIssued.status).toBe(201);
    expect(operatorIssued.body.orgs).toBeNull();
  });

  it('limits writes per key with 429 and Retry-After, leaving other keys and reads alone', async () => {
    let limited: Awaited<ReturnType<typeof call>> | undefined;
    for (let attempt = 0; attempt < 40 && !limited; attempt++) {
      const response = await call('POST', '/orgs/globex/integrations', keys.globexAdmin, {
        provider: 'git',
        name: `burst-${attempt}`,
        scope: { paths: ['/r'] },
      });
      if (response.status === 429) limited = response;
      else expect(response.status).toBe(201);
    }
    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await call('GET', '/orgs/globex/integrations', keys.globexAdmin)).status).toBe(200);
    expect(
      (
        await call('POST', '/orgs/acme/integrations', keys.acmeAdmin, {
          provider: 'git',
          name: 'other',
          scope: { paths: ['/r'] },
        })
      ).status,
    ).toBe(201);
  });
});
