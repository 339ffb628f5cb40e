import { JsonLogger } from './logger';
import { redactSecrets, registerSecret } from './redact';

describe('JsonLogger', () => {
  it('writes one JSON object per line with level filtering, and redacts credentials', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('svc', 'info', undefined, { write: (line) => lines.push(line) }).child('part');
    logger.debug('hidden');
    logger.info('connected', { url: 'postgresql://user:pa55word@db/x', error: new Error('boom') });
    expect(lines).toHaveLength(1);
    const event = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(event).toMatchObject({
      level: 'info',
      service: 'svc',
      component: 'part',
      message: 'connected',
      url: 'postgresql://user:***@db/x',
    });
    expect(event.error).toMatchObject({ name: 'Error', message: 'boom' });
  });
});

describe('redactSecrets', () => {
  it('removes registered secrets wherever they appear', () => {
    registerSecret('ghp_tokenvalue123');
    expect(redactSecrets('Authorization: token ghp_tokenvalue123 failed')).toBe('Authorization: token *** failed');
  });
});
