import {
  type CommitFacts,
  type RepoDayFacts,
  commitColumns,
  dayRange,
  doraWindow,
  isEmptyRepoDay,
  userDayRows,
} from './daily-rows';
import { KeySet, keyId, lineageOf } from './keys';

const H = 3_600_000;
const DAY = 20_458; // 2026-01-05, a Monday
const MON = DAY * 24 * H;

const commit = (id: string, author: string, at: number, lines: number, size: string): CommitFacts => ({
  id,
  author_identity_id: author,
  authored_at: at,
  author_utc_offset_minutes: 0,
  additions: lines,
  deletions: 0,
  files_changed: 1,
  size_bucket: size,
});

function repoDay(overrides: Partial<RepoDayFacts>): RepoDayFacts {
  return {
    org_id: 'default',
    repository_id: 'r',
    day: DAY,
    commits: [],
    opened: [],
    merged: [],
    reviews: [],
    comments: [],
    emails: {},
    ...overrides,
  };
}

describe('commit columns', () => {
  it('sums, averages and rates by hand; no commits → null average and ratio, not 0', () => {
    expect(commitColumns([commit('a', 'x', MON, 50, 'small'), commit('b', 'x', MON, 301, 'large')])).toEqual({
      commits: 2,
      additions: 351,
      deletions: 0,
      files_changed: 2,
      large_commits: 1,
      avg_commit_size: 175.5,
      lines_touched: 351,
      large_commit_ratio: 0.5,
    });
    expect(commitColumns([])).toMatchObject({ commits: 0, avg_commit_size: null, large_commit_ratio: null });
  });
});

describe('user day rows', () => {
  it('counts reviews given and received, ignores self-reviews, and spans first → last activity', () => {
    const facts = repoDay({
      commits: [commit('c1', 'ann', MON + 9 * H, 10, 'small'), commit('c2', 'ann', MON + 15.5 * H, 10, 'small')],
      opened: [
        {
          id: 'p',
          author_identity_id: 'ann',
          created_at: MON + 8 * H,
          merged_at: null,
          additions: 1,
          deletions: 0,
          reviews: [],
          comments: [],
        },
      ],
      reviews: [
        {
          id: 'v1',
          pull_request_id: 'p',
          reviewer_identity_id: 'ben',
          state: 'approved',
          submitted_at: MON + 20 * H,
          pull_request_author_identity_id: 'ann',
        },
        {
          id: 'v2',
          pull_request_id: 'p',
          reviewer_identity_id: 'ann',
          state: 'commented',
          submitted_at: MON + 21 * H,
          pull_request_author_identity_id: 'ann',
        },
      ],
      emails: { ann: 'ann@x.io' },
    });
    const rows = userDayRows(facts, 7);
    expect(
      rows.map(
        ({
          author_identity_id,
          author_email,
          commits,
          prs_authored,
          reviews_given,
          reviews_received,
          active_hours,
        }) => ({
          author_identity_id,
          author_email,
          commits,
          prs_authored,
          reviews_given,
          reviews_received,
          active_hours,
        }),
      ),
    ).toEqual([
      // 08:00 PR opened … 15:30 last commit; her self-review neither gives nor receives nor counts as activity
      {
        author_identity_id: 'ann',
        author_email: 'ann@x.io',
        commits: 2,
        prs_authored: 1,
        reviews_given: 0,
        reviews_received: 1,
        active_hours: 7.5,
      },
      // one review: active for 0 h; no known email → the identity id
      {
        author_identity_id: 'ben',
        author_email: 'ben',
        commits: 0,
        prs_authored: 0,
        reviews_given: 1,
        reviews_received: 0,
        active_hours: 0,
      },
    ]);
    expect(isEmptyRepoDay(facts)).toBe(false);
    expect(isEmptyRepoDay(repoDay({}))).toBe(true);
  });
});

describe('DORA window', () => {
  it('computes one window from the records, not an average of days, and bands it', () => {
    const deployment = (id: string, at: number, status = 'success') => ({
      id,
      environment: 'production',
      status,
      created_at: at,
      finished_at: at,
    });
    const window = doraWindow({
      repository_id: 'r',
      range: dayRange(DAY, 7),
      deployments: [
        deployment('d1', MON + 2 * H),
        deployment('d2', MON + 30 * H, 'failed'),
        deployment('d3', MON + 50 * H),
      ],
      incident_linked_deployment_ids: [],
      merged_pull_requests: [
        { id: 'p1', merged_at: MON + H },
        { id: 'p2', merged_at: MON + 26 * H },
      ],
      incidents: [],
    });
    expect(window).toMatchObject({
      days: 7,
      deployments: 3,
      successful_deployments: 2,
      change_failure_rate: 0.3333,
      lead_time_p50_hours: 12.5, // [1, 24]
      bands: { deployment_frequency: 'high', lead_time: 'elite', change_failure_rate: 'low', time_to_restore: null },
    });
  });
});

describe('metric keys and lineage', () => {
  it('deduplicates keys and orders them stably', () => {
    const keys = new KeySet();
    keys.add({ org_id: 'default', kind: 'repo', repository_id: 'b', day: 2 });
    keys.add({ org_id: 'default', kind: 'team', team_id: 't', day: 1 });
    keys.add({ org_id: 'default', kind: 'repo', repository_id: 'a', day: 3 });
    keys.add({ org_id: 'default', kind: 'repo', repository_id: 'b', day: 2 });
    keys.add({ org_id: 'acme', kind: 'repo', repository_id: 'b', day: 2 });
    expect(keys.sorted().map(keyId)).toEqual([
      'acme/repo/b/2',
      'default/repo/a/3',
      'default/repo/b/2',
      'default/team/t/1',
    ]);
  });

  it('lists the records behind a key, sorted, with counts', () => {
    expect(
      lineageOf({
        kind: 'team',
        facts: {
          org_id: 'default',
          team_id: 't',
          day: DAY,
          commits: [commit('z', 'a', MON, 1, 'small'), commit('y', 'b', MON, 1, 'small')],
        },
      }),
    ).toEqual([{ table: 'commits', role: "authored that day by the team's members", count: 2, ids: ['y', 'z'] }]);
  });
});
