import type { Commit, Review, WorkItemTransition } from '@dev-health/schemas';
import { feedsMetrics, storeChanges } from './store-changes';

const provenance = { raw_topic: 't', raw_partition: 0, raw_offset: 0, raw_source_id: 's', fetched_at: 0 };
const DAY = 20_458;
const at = (day: number, hour: number) => (day * 24 + hour) * 3_600_000;

describe('store changes', () => {
  it('groups commits by repository and UTC day with their authors, deduplicated and sorted', () => {
    const commit = (id: string, repository: string, author: string, authoredAt: number) =>
      ({ id, repository_id: repository, author_identity_id: author, authored_at: authoredAt }) as Commit;
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
        store: 'postgres',
        entity: 'commit',
        repository_id: 'a',
        day: DAY + 1,
        author_identity_ids: ['x'],
        record_ids: [],
        written_at: 9,
      },
      {
        store: 'postgres',
        entity: 'commit',
        repository_id: 'b',
        day: DAY,
        author_identity_ids: ['x', 'y'],
        record_ids: [],
        written_at: 9,
      },
    ]);
  });

  it('reports the PR of a review and the item of a transition, for the metrics service to resolve', () => {
    const review: Review = {
      id: 'v',
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
    const transition = { work_item_id: 'w-1', transitioned_at: at(DAY, 3) } as WorkItemTransition;
    expect(storeChanges('work_item_transition', [transition], 'postgres', 1)).toMatchObject([
      { repository_id: '', day: DAY, record_ids: ['w-1'] },
    ]);
  });

  it('splits a large group so no event carries more than 1 000 ids; entities without metrics report nothing', () => {
    const reviews = Array.from({ length: 2_500 }, (_, index) => ({
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
});
