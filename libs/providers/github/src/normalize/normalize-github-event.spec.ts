import type { GitHubEventRecordPayload } from '../payloads';
import type { Identity, Push } from '@dev-health/schemas';
import { IdentityResolver, createNormalize, rawRecordFixture } from '@dev-health/normalize';
import { GITHUB_NORMALIZERS } from './normalize-github';

const normalize = createNormalize({ github: GITHUB_NORMALIZERS });
const provenance = {
  raw_topic: 'dho.raw.github',
  raw_partition: 0,
  raw_offset: 3,
  raw_source_id: 'x',
  fetched_at: 0,
  reprocessing_generation: 0,
};
const context = { provenance, identities: new IdentityResolver({}) };
const raw = (entityKind: string, payload: unknown) => rawRecordFixture('github', entityKind, payload);

const event: GitHubEventRecordPayload['event'] = {
  id: '40000000001',
  type: 'PushEvent',
  actor: { id: 7, login: 'ada' },
  repo: { id: 4242, name: 'acme-inc/api' },
  created_at: '2026-11-30T10:00:00Z',
  // Trimmed, as the events API now serves pushes: no commit list, no size.
  payload: { push_id: 1, ref: 'refs/heads/main', head: 'b'.repeat(40), before: 'a'.repeat(40) },
};

describe('GitHub public events', () => {
  it('turns a trimmed push into a push keyed by its event id, incomplete until the compare', () => {
    const [push] = normalize(raw('event', { event, compare: null }), context).map((output) => output.record as Push);
    expect(push).toMatchObject({
      id: 'acme/github:push:40000000001',
      event_id: '40000000001',
      repository_id: 'acme/github:repository:4242',
      ref: 'refs/heads/main',
      size: 0,
      commit_shas: [],
      commits_complete: false,
      pushed_at: Date.UTC(2026, 10, 30, 10),
    });
    const compared = normalize(raw('event', { event, compare: { total_commits: 2, shas: ['c1', 'c2'] } }), context);
    expect(compared[0]?.record).toMatchObject({
      id: push?.id,
      size: 2,
      commit_shas: ['c1', 'c2'],
      commits_complete: true,
    });
  });

  it('keeps other event types raw only, names an enriched actor, and rejects a malformed event', () => {
    expect(normalize(raw('event', { event: { ...event, type: 'WatchEvent' }, compare: null }), context)).toEqual([]);
    const [identity] = normalize(raw('user', { id: 7, login: 'ada', name: 'Ada Lovelace', type: 'User' }), context);
    expect((identity?.record as Identity).display_name).toBe('Ada Lovelace');
    expect(() => normalize(raw('event', { event: { ...event, payload: { ref: 3 } }, compare: null }), context)).toThrow(
      /field "ref"/,
    );
  });
});
