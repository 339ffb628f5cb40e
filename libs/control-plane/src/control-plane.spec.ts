import { access, generateApiKey, mayManageKey, parseApiKey, secretMatches } from './api-keys';
import { isCredentialRef, parseCredentialRef, resolveCredential } from './credentials';
import { validateOrganization, validateSchedule, validateScope } from './model';

const fields = (problems: { field: string }[]) => problems.map((problem) => problem.field);

describe('integration scopes', () => {
  it('accepts what each provider needs', () => {
    expect(validateScope('git', { paths: ['/srv/repo'] })).toEqual([]);
    expect(validateScope('github', { owner: 'acme-inc', repositories: ['api'] })).toEqual([]);
    expect(
      validateScope('github', {
        owner: 'acme-inc',
        production_environment: '^prod-(eu|us)$',
        incident_labels: ['incident', 'sev1'],
        collect: ['pull_requests', 'deployments'],
        branches: ['main', 'release'],
        commits_from: 'api',
        commit_files: true,
        projects: [1, 12],
        project_status_field: 'Stage',
      }),
    ).toEqual([]);
    expect(validateScope('gitlab', { group: 'acme/platform' })).toEqual([]);
    expect(validateScope('jira', { site: 'https://acme.atlassian.net', jql: 'project = OPS' })).toEqual([]);
    expect(
      validateScope('jira', {
        site: 'https://jira.acme.internal',
        deployment: 'datacenter',
        projects: ['PAY'],
        issue_types: { Spike: 'story' },
        story_points_field: 'Points',
        teams: { from: 'labels', map: { 'team-pay': 'Payments' } },
      }),
    ).toEqual([]);
    expect(validateScope('synthetic', { seed: 'demo', days: 30 })).toEqual([]);
  });

  it('names each field that is missing, mistyped or unknown', () => {
    expect(fields(validateScope('git', { paths: [] }))).toEqual(['scope.paths']);
    expect(fields(validateScope('github', { owner: ' ', repo: 'x' }))).toEqual(['scope.owner', 'scope.repo']);
    expect(
      fields(
        validateScope('github', {
          owner: 'acme',
          production_environment: '^(prod',
          incident_labels: 'sev1',
          collect: ['commits', 'wikis'],
        }),
      ),
    ).toEqual(['scope.incident_labels', 'scope.production_environment', 'scope.collect']);
    expect(
      fields(validateScope('github', { owner: 'acme', commits_from: 'rest', commit_files: 'yes', projects: ['x'] })),
    ).toEqual(['scope.commits_from', 'scope.projects', 'scope.commit_files']);
    expect(fields(validateScope('jira', {}))).toEqual(['scope.site', 'scope.projects']);
    expect(
      fields(
        validateScope('jira', {
          site: 'acme.atlassian.net',
          deployment: 'server',
          projects: ['PAY'],
          issue_types: { Spike: 'research' },
          teams: { from: 'labels' },
        }),
      ),
    ).toEqual(['scope.site', 'scope.deployment', 'scope.issue_types', 'scope.teams.map']);
    expect(fields(validateScope('synthetic', { days: 0 }))).toEqual(['scope.days']);
    expect(fields(validateScope('svn', {}))).toEqual(['provider']);
    expect(fields(validateScope('git', ['x']))).toEqual(['scope']);
  });

  it('bounds schedules and validates organizations', () => {
    expect(validateSchedule(null)).toEqual([]);
    expect(validateSchedule(900)).toEqual([]);
    expect(fields(validateSchedule(30))).toEqual(['schedule_interval_seconds']);
    expect(fields(validateOrganization({ slug: 'ok', name: 'Ok', tier: 'team' }))).toEqual([]);
    expect(fields(validateOrganization({ slug: 'UPPER', name: 3, tier: 'free' }))).toEqual(['slug', 'name', 'tier']);
  });
});

describe('credential references', () => {
  it('parses env and file references only', () => {
    expect(parseCredentialRef('env:GITHUB_TOKEN')).toEqual({ kind: 'env', name: 'GITHUB_TOKEN' });
    expect(parseCredentialRef('file:/var/run/secrets/gh/token')).toEqual({
      kind: 'file',
      path: '/var/run/secrets/gh/token',
    });
    for (const bad of ['ghp_abc123', 'env:lower', 'file:relative/path', 'file:/a/../etc/passwd', 'vault:x'])
      expect(isCredentialRef(parseCredentialRef(bad))).toBe(false);
  });

  it('refuses a token without repeating it', () => {
    const token = 'glpat-SECRETSECRETSECRET';
    expect(JSON.stringify(parseCredentialRef(token))).not.toContain(token);
  });

  it('reads the secret a reference names, and names the reference (never a value) when it is missing', () => {
    expect(resolveCredential({ kind: 'env', name: 'T' }, { T: ' s3cret\n' }, () => '')).toBe('s3cret');
    expect(resolveCredential({ kind: 'file', path: '/t' }, {}, (path) => (path === '/t' ? 'from-file' : ''))).toBe(
      'from-file',
    );
    expect(() => resolveCredential({ kind: 'env', name: 'T' }, {}, () => '')).toThrow(
      "credential env:T is not set in the connector's environment",
    );
    expect(() => resolveCredential({ kind: 'file', path: '/t' }, {}, () => '  ')).toThrow(
      'credential file:/t is empty',
    );
  });
});

describe('API keys', () => {
  it('issues keys whose secret is checked against a hash only', () => {
    const key = generateApiKey();
    const parsed = parseApiKey(key.token);
    expect(parsed?.id).toBe(key.id);
    expect(key.secretHash).not.toContain(parsed?.secret ?? '?');
    expect(secretMatches(parsed?.secret ?? '', key.secretHash)).toBe(true);
    expect(secretMatches(`${parsed?.secret ?? ''}x`, key.secretHash)).toBe(false);
    for (const bad of ['', 'Bearer x', `dho_${key.id}`, key.token.slice(0, -1), key.token.replace('dho_', 'dh_')])
      expect(parseApiKey(bad)).toBeNull();
  });

  it('lets admins write and viewers read, in their own orgs only', () => {
    const viewer = { keyId: 'k', name: 'v', role: 'viewer' as const, orgs: ['acme'] };
    const operator = { keyId: 'o', name: 'ops', role: 'admin' as const, orgs: null };
    expect(access(viewer, 'acme', 'read')).toBe('ok');
    expect(access(viewer, 'acme', 'write')).toBe('forbidden');
    expect(access(viewer, 'globex', 'read')).toBe('not-found');
    expect(access(operator, 'globex', 'write')).toBe('ok');
  });
});

describe('who may manage which API keys', () => {
  const principal = (role: 'admin' | 'viewer', orgs: string[] | null) => ({ keyId: 'k', name: 'n', role, orgs });
  it('lets operators manage every key, org admins only keys confined to their orgs, viewers none', () => {
    expect(mayManageKey(principal('admin', null), null)).toBe(true);
    expect(mayManageKey(principal('admin', null), ['acme'])).toBe(true);
    expect(mayManageKey(principal('admin', ['acme', 'globex']), ['acme'])).toBe(true);
    expect(mayManageKey(principal('admin', ['acme']), ['acme', 'globex'])).toBe(false);
    expect(mayManageKey(principal('admin', ['acme']), null)).toBe(false);
    expect(mayManageKey(principal('admin', ['acme']), [])).toBe(false);
    expect(mayManageKey(principal('viewer', null), ['acme'])).toBe(false);
  });
});
