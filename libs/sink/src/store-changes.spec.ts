import type { Commit, Identity, Review, WorkItem, WorkItemTransition } from '@dev-health/schemas';
import { feedsMetrics, storeChanges, versionsToAnnounce } from './store-changes';

const provenance = {
  raw_topic: 't',
  raw_partition: 0,
  raw_offset: 0,
  raw_source_id: 's',
  fetched_at: 0,
  reprocessing_generation: 0,
};
const DAY = 20_458;
const at = (day: number, hour: number) => (day * 24 + hour) * 3_600_000;

describe('store changes', () => {
  it('groups commits by repository and UTC day with their authors, deduplicated and sorted', () => {
    const commit = (id: string, repository: string, author: string, authoredAt: number) =>
      ({
        id,
        org_id: 'default',
        repository_id: repository,
        author_identity_id: author,
        authored_at: authoredAt,
      }) as Commit;
    const changes = storeChanges(
      'commit',
      [
        commit('1', 'b', 'y', at(DAY, 23)),
        commit('2', 'b', 'x', at(DAY, 1)),
        commit('3', 'a', 'x', at(DAY + 1, 0)),
        commit('4', 'b', 'y', at(DAY, 2)),
      ],
      'postgres',
      9,
    );
    expect(changes).toEqual([
      {
        org_id: 'default',
        store: 'postgres',
        entity: 'commit',
        repository_id: 'a',
        day: DAY + 1,
        author_identity_ids: ['x'],
        record_ids: [],
        through_day: null,
        open_ended: false,
        work_provider: '',
        work_scope_id: '',
        work_team_id: '',
        written_at: 9,
      },
      {
        org_id: 'default',
        store: 'postgres',
        entity: 'commit',
        repository_id: 'b',
        day: DAY,
        author_identity_ids: ['x', 'y'],
        record_ids: [],
        through_day: null,
        open_ended: false,
        work_provider: '',
        work_scope_id: '',
        work_team_id: '',
        written_at: 9,
      },
    ]);
  });

  it('reports the PR of a review and the item of a transition, for the metrics service to resolve', () => {
    const review: Review = {
      id: 'v',
      org_id: 'default',
      provider: 'p',
      provenance,
      pull_request_id: 'pr-1',
      repository_id: 'r',
      reviewer_identity_id: 'x',
      state: 'approved',
      submitted_at: at(DAY, 5),
    };
    expect(storeChanges('review', [review], 'postgres', 1)).toMatchObject([
      { entity: 'review', repository_id: 'r', day: DAY, author_identity_ids: ['x'], record_ids: ['pr-1'] },
    ]);
    const transition = { org_id: 'default', work_item_id: 'w-1', transitioned_at: at(DAY, 3) } as WorkItemTransition;
    expect(storeChanges('work_item_transition', [transition], 'postgres', 1)).toMatchObject([
      { repository_id: '', day: DAY, record_ids: ['w-1'] },
    ]);
  });

  it('never groups the records of two orgs into one event', () => {
    const commit = (id: string, org: string) =>
      ({ id, org_id: org, repository_id: 'r', author_identity_id: 'x', authored_at: at(DAY, 1) }) as Commit;
    const changes = storeChanges('commit', [commit('1', 'globex'), commit('2', 'acme')], 'postgres', 1);
    expect(changes.map((change) => change.org_id)).toEqual(['acme', 'globex']);
  });

  it('splits a large group so no event carries more than 1 000 ids; entities without metrics report nothing', () => {
    const reviews = Array.from({ length: 2_500 }, (_, index) => ({
      org_id: 'default',
      pull_request_id: `pr-${String(index).padStart(4, '0')}`,
      repository_id: 'r',
      reviewer_identity_id: 'x',
      submitted_at: at(DAY, 1),
    })) as Review[];
    const changes = storeChanges('review', reviews, 'postgres', 1);
    expect(changes.map((change) => change.record_ids.length)).toEqual([1_000, 1_000, 500]);
    expect(new Set(changes.flatMap((change) => change.record_ids)).size).toBe(2_500);
    expect(feedsMetrics('pipeline_run')).toBe(false);
    expect(storeChanges('pipeline_run', [], 'postgres', 1)).toEqual([]);
  });

  it('reports a work item as its whole span in its scope, open-ended while unfinished', () => {
    const item = (status: string, updatedDay: number) =>
      ({
        id: 'w',
        org_id: 'default',
        provider: 'jira',
        work_scope_id: 'OPS',
        team_id: null,
        status_category: status,
        created_at: at(DAY, 1),
        completed_at: null,
        updated_at: at(updatedDay, 2),
      }) as WorkItem;
    expect(storeChanges('work_item', [item('in_progress', DAY + 3)], 'postgres', 1)).toMatchObject([
      {
        day: DAY,
        through_day: DAY + 3,
        open_ended: true,
        work_provider: 'jira',
        work_scope_id: 'OPS',
        work_team_id: '',
      },
    ]);
    expect(storeChanges('work_item', [item('done', DAY + 1)], 'postgres', 1)).toMatchObject([
      { day: DAY, through_day: DAY + 1, open_ended: false },
    ]);
  });

  it('announces the replaced version too, and an identity only when its primary email changed or on redelivery', () => {
    const commit = (day: number) =>
      ({ id: 'c', org_id: 'default', repository_id: 'r', author_identity_id: 'x', authored_at: at(day, 1) }) as Commit;
    const moved = versionsToAnnounce('commit', [
      { record: commit(DAY + 1), previous: commit(DAY), sameVersion: false },
    ]);
    expect(storeChanges('commit', moved, 'postgres', 1).map((change) => change.day)).toEqual([DAY, DAY + 1]);
    expect(
      versionsToAnnounce('commit', [{ record: commit(DAY), previous: commit(DAY), sameVersion: true }]),
    ).toHaveLength(1);

    const identity = (email: string) => ({ id: 'i', org_id: 'default', primary_email: email }) as Identity;
    const announce = (previous: Identity | null, record: Identity, sameVersion = false) =>
      versionsToAnnounce('identity', [{ record, previous, sameVersion }]).length;
    expect(announce(null, identity('a@x'))).toBe(1);
    expect(announce(identity('a@x'), identity('a@x'))).toBe(0); // the processor rewrites identities from every commit
    expect(announce(identity('a@x'), identity('a@x'), true)).toBe(1); // a redelivery may not have been announced
    expect(announce(identity('a@x'), identity('b@x'))).toBe(2);
  });
});
