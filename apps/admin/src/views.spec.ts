import { ValidationError, type Organization, backfillChunks } from '@dev-health/control-plane';
import { backfillRequest } from './views';

const NOW = Date.parse('2026-12-06T12:00:00Z');
const DAY = 86_400_000;
const org = (tier: Organization['tier']): Organization => ({
  slug: 'acme',
  name: 'Acme',
  tier,
  created_at: new Date(0),
  updated_at: new Date(0),
});
const request = (tier: Organization['tier'], daysBack: number) =>
  backfillRequest(
    {
      integration: 'i-1',
      since: new Date(NOW - daysBack * DAY).toISOString(),
      before: new Date(NOW).toISOString(),
    },
    org(tier),
    NOW,
  );

describe('backfill requests against the tier', () => {
  it.each([
    ['community', 30],
    ['team', 90],
  ] as const)(
    '%s: %i days back is allowed, a minute more is refused naming tier, limit and earliest date',
    (tier, days) => {
      expect(request(tier, days).since.getTime()).toBe(NOW - days * DAY);
      let refused: unknown;
      try {
        request(tier, days + 1 / 1440);
      } catch (error: unknown) {
        refused = error;
      }
      expect(refused).toBeInstanceOf(ValidationError);
      const message = (refused as ValidationError).problems[0]?.message ?? '';
      expect(message).toContain(`the ${tier} tier allows ${days} days`);
      expect(message).toContain(new Date(NOW - days * DAY).toISOString());
    },
  );

  it('enterprise: any depth', () => {
    expect(request('enterprise', 3_650).since.getTime()).toBe(NOW - 3_650 * DAY);
  });

  it('names each invalid field', () => {
    expect(() => backfillRequest({ since: 'x', before: '2026-01-01' }, org('enterprise'), NOW)).toThrow(
      'integration must be an integration id; since must be an ISO 8601 date or instant',
    );
    expect(() =>
      backfillRequest({ integration: 'i', since: '2026-02-01', before: '2026-01-01' }, org('enterprise'), NOW),
    ).toThrow('before must be after since');
  });
});

describe('backfillChunks', () => {
  it('cuts a range into 7-day windows, the last one partial', () => {
    const since = new Date('2026-11-01T00:00:00Z');
    const chunks = backfillChunks(since, new Date(since.getTime() + 16 * DAY));
    expect(
      chunks.map((chunk) => [
        (chunk.start.getTime() - since.getTime()) / DAY,
        (chunk.end.getTime() - since.getTime()) / DAY,
      ]),
    ).toEqual([
      [0, 7],
      [7, 14],
      [14, 16],
    ]);
    expect(backfillChunks(since, since)).toEqual([]);
  });
});
