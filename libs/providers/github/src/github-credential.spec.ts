import { generateKeyPairSync } from 'node:crypto';
import { SyncStageError } from '@dev-health/connector';
import { parseGitHubCredential } from './github-credential';

describe('GitHub credentials', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

  it('takes a token as is, and a GitHub App installation from JSON', () => {
    expect(parseGitHubCredential('ghp_abc')).toBe('ghp_abc');
    expect(parseGitHubCredential(null)).toBeNull();
    expect(parseGitHubCredential(JSON.stringify({ app_id: 12, installation_id: '34', private_key: pem }))).toEqual({
      appId: 12,
      installationId: 34,
      privateKey: pem,
    });
  });

  it('fails a malformed App credential at stage auth, naming the field and never the key', () => {
    const attempt = (value: unknown) => () => parseGitHubCredential(JSON.stringify(value));
    expect(attempt({ app_id: 12, private_key: pem })).toThrow(
      new SyncStageError('auth', 'the GitHub App credential needs installation_id (a positive integer)'),
    );
    expect(attempt({ app_id: 12, installation_id: 3, private_key: 'secret-ish' })).toThrow(/private_key \(PEM\)/);
    expect(() => parseGitHubCredential('{not json')).toThrow(/not valid JSON/);
    try {
      attempt({ app_id: 'x', installation_id: 3, private_key: pem })();
    } catch (error: unknown) {
      expect(String(error)).not.toContain('PRIVATE KEY');
    }
  });
});
