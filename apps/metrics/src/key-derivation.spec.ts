import { DAY_MS, dayOf, keyId } from '@dev-health/metric-definitions';
import type { StoreChanged } from '@dev-health/schemas';
import { deriveKeys, type KeyLookups } from './key-derivation';

// One week of UTC days (days since 1970-01-01): Monday 2024-10-07 to Monday 2024-10-14.
const PREV_SAT = 20_001;
const MON = 20_003;
const TUE = 20_004;
const WED = 20_005;
const THU = 20_006;
const FRI = 20_007;
const SAT = 20_008;
const SUN = 20_009;
const NEXT_MON = 20_010;

const HOUR_MS = 3_600_000;
/** An instant on a UTC day, `hours` after its midnight. */
const at = (day: number, hours = 12) => day * DAY_MS + hours * HOUR_MS;

// ---- an in-memory primary store, looked up the way MetricFactsReader's SQL does ----

interface Commit {
  repository_id: string;
  author_identity_id: string;
  authored_at: number;
}
interface PullRequest {
  id: string;
  repository_id: string;
  author_identity_id: string;
  created_at: number;
  merged_at: number | null;
}
interface Review {
  pull_request_id: string;
  repository_id: string;
  reviewer_identity_id: string;
  submitted_at: number;
}
interface Comment {
  pull_request_id: string;
  repository_id: string;
  author_identity_id: string;
  created_at: number;
}
interface Deployment {
  id: string;
  repository_id: string;
  environment: string;
  status: string;
  created_at: number;
  finished_at: number | null;
}
interface Incident {
  id: string;
  repository_id: string | null;
  deployment_id: string | null;
  started_at: number;
  resolved_at: number | null;
}
/** A stored work item with its recorded life already aggregated (first and last change, unfinished). */
interface WorkItem {
  id: string;
  provider: string;
  work_scope_id: string;
  team_id: string | null;
  first_at: number;
  last_at: number;
  open: boolean;
}
interface Membership {
  team_id: string;
  identity_id: string;
}

interface Store {
  commits: Commit[];
  pullRequests: PullRequest[];
  reviews: Review[];
  comments: Comment[];
  deployments: Deployment[];
  incidents: Incident[];
  workItems: WorkItem[];
  memberships: Membership[];
}

/** Rows without duplicates (SELECT DISTINCT / UNION). */
const distinct = <T>(rows: T[]): T[] => [...new Map(rows.map((row) => [JSON.stringify(row), row])).values()];
const daysFrom = (first: number, last: number) =>
  Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);

function fakeLookups(partial: Partial<Store>): KeyLookups {
  const store: Store = {
    commits: [],
    pullRequests: [],
    reviews: [],
    comments: [],
    deployments: [],
    incidents: [],
    workItems: [],
    memberships: [],
    ...partial,
  };
  const deployedAt = (deployment: Deployment) => deployment.finished_at ?? deployment.created_at;
  const teamOf = (item: WorkItem) => item.team_id ?? '';
  return {
    pullRequestTimes: (ids) =>
      Promise.resolve(
        store.pullRequests
          .filter((pr) => ids.includes(pr.id))
          .map((pr) => ({ ...pr, additions: null, deletions: null })),
      ),
    firstSuccessfulDeploymentAtOrAfter: (repositoryId, instants) => {
      const successful = store.deployments
        .filter((d) => d.repository_id === repositoryId && d.environment === 'production' && d.status === 'success')
        .map(deployedAt)
        .sort((a, b) => a - b);
      const firsts = instants.flatMap((instant) => successful.filter((time) => time >= instant).slice(0, 1));
      return Promise.resolve([...new Set(firsts)]);
    },
    deploymentTimes: (ids) =>
      Promise.resolve(
        store.deployments
          .filter((d) => ids.includes(d.id))
          .map((d) => ({ id: d.id, repository_id: d.repository_id, deployed_at: deployedAt(d) })),
      ),
    incidentTimes: (ids) =>
      Promise.resolve(
        store.incidents
          .filter((incident) => ids.includes(incident.id))
          .map((incident) => {
            const deployment = store.deployments.find((d) => d.id === incident.deployment_id);
            return {
              repository_id: incident.repository_id ?? deployment?.repository_id ?? null,
              started_at: incident.started_at,
              resolved_at: incident.resolved_at,
              deployed_at: deployment === undefined ? null : deployedAt(deployment),
            };
          }),
      ),
    workItemTimes: (ids) =>
      Promise.resolve(
        store.workItems.filter((item) => ids.includes(item.id)).map((item) => ({ ...item, team_id: teamOf(item) })),
      ),
    workScopeDaysFrom: (scopes) =>
      Promise.resolve(
        distinct(
          scopes.flatMap((scope) =>
            store.workItems
              .filter(
                (item) =>
                  item.provider === scope.provider &&
                  item.work_scope_id === scope.work_scope_id &&
                  teamOf(item) === scope.team_id,
              )
              .flatMap((item) =>
                daysFrom(Math.max(dayOf(item.first_at), scope.from_day), dayOf(item.last_at)).map((day) => ({
                  provider: scope.provider,
                  work_scope_id: scope.work_scope_id,
                  team_id: scope.team_id,
                  day,
                })),
              ),
          ),
        ),
      ),
    teamsOf: (identityIds) =>
      Promise.resolve(
        distinct(
          store.memberships
            .filter((membership) => identityIds.includes(membership.identity_id))
            .map(({ team_id, identity_id }) => ({ team_id, identity_id })),
        ),
      ),
    commitDaysOf: (identityIds) =>
      Promise.resolve(
        distinct(
          store.commits
            .filter((commit) => identityIds.includes(commit.author_identity_id))
            .map((commit) => ({ identity_id: commit.author_identity_id, day: dayOf(commit.authored_at) })),
        ),
      ),
    childDaysOf: (pullRequestIds) =>
      Promise.resolve(
        distinct([
          ...store.reviews
            .filter((review) => pullRequestIds.includes(review.pull_request_id))
            .map((review) => ({ repository_id: review.repository_id, day: dayOf(review.submitted_at) })),
          ...store.comments
            .filter((comment) => pullRequestIds.includes(comment.pull_request_id))
            .map((comment) => ({ repository_id: comment.repository_id, day: dayOf(comment.created_at) })),
        ]),
      ),
    activityDaysOf: (identityIds) => {
      const mine = (identityId: string) => identityIds.includes(identityId);
      const authoredPrs = new Set(store.pullRequests.filter((pr) => mine(pr.author_identity_id)).map((pr) => pr.id));
      const repoDay = (repository_id: string, instant: number) => ({ repository_id, day: dayOf(instant) });
      return Promise.resolve(
        distinct([
          ...store.commits
            .filter((c) => mine(c.author_identity_id))
            .map((c) => repoDay(c.repository_id, c.authored_at)),
          ...store.pullRequests
            .filter((pr) => mine(pr.author_identity_id))
            .flatMap((pr) =>
              [pr.created_at, ...(pr.merged_at === null ? [] : [pr.merged_at])].map((t) =>
                repoDay(pr.repository_id, t),
              ),
            ),
          ...store.reviews
            .filter((r) => mine(r.reviewer_identity_id) || authoredPrs.has(r.pull_request_id))
            .map((r) => repoDay(r.repository_id, r.submitted_at)),
          ...store.comments
            .filter((c) => mine(c.author_identity_id))
            .map((c) => repoDay(c.repository_id, c.created_at)),
        ]),
      );
    },
  };
}

/** A change event as the sink announces it; only what a case sets differs from an empty one. */
function changed(entity: string, fields: Partial<Omit<StoreChanged, 'entity'>> = {}): StoreChanged {
  return {
    org_id: 'default',
    store: 'postgres',
    entity,
    repository_id: '',
    day: MON,
    author_identity_ids: [],
    record_ids: [],
    through_day: null,
    open_ended: false,
    work_provider: '',
    work_scope_id: '',
    work_team_id: '',
    written_at: at(FRI),
    ...fields,
  };
}

/** The keys derived from these changes against this store, as readable ids in deriveKeys' order. */
async function keysOf(changes: StoreChanged[], store: Partial<Store> = {}): Promise<string[]> {
  return (await deriveKeys(changes, fakeLookups(store))).map(keyId);
}

const production = (id: string, repository_id: string, deployed: number, status = 'success'): Deployment => ({
  id,
  repository_id,
  environment: 'production',
  status,
  created_at: deployed - HOUR_MS,
  finished_at: deployed,
});

describe('deriveKeys', () => {
  it('a commit, PR, review or comment touches (its repository, its day)', async () => {
    const keys = await keysOf([
      changed('commit', { repository_id: 'r1', day: WED, author_identity_ids: ['alice'] }),
      changed('pull_request', { repository_id: 'r1', day: THU, record_ids: ['pr-1'] }),
      changed('review', { repository_id: 'r2', day: WED, record_ids: ['pr-2'] }),
      changed('review_comment', { repository_id: 'r1', day: FRI, record_ids: ['pr-3'] }),
    ]);
    expect(keys).toEqual([
      `default/repo/r1/${WED}`,
      `default/repo/r1/${THU}`,
      `default/repo/r1/${FRI}`,
      `default/repo/r2/${WED}`,
    ]);
  });

  it('keys carry the org of the change that touched them, and two orgs never share one', async () => {
    const keys = await keysOf([
      changed('commit', { org_id: 'acme', repository_id: 'acme/r1', day: WED }),
      changed('commit', { org_id: 'globex', repository_id: 'globex/r1', day: WED }),
      changed('commit', { repository_id: 'r1', day: WED }),
    ]);
    expect(keys).toEqual([`acme/repo/acme/r1/${WED}`, `default/repo/r1/${WED}`, `globex/repo/globex/r1/${WED}`]);
  });

  it("a commit touches each of its author's teams on its day", async () => {
    const keys = await keysOf(
      [
        changed('commit', { repository_id: 'r1', day: WED, author_identity_ids: ['alice'] }),
        changed('commit', { repository_id: 'r1', day: THU, author_identity_ids: ['bob'] }),
      ],
      {
        memberships: [
          { team_id: 'team-a', identity_id: 'alice' },
          { team_id: 'team-b', identity_id: 'alice' },
          { team_id: 'team-b', identity_id: 'bob' },
          { team_id: 'team-c', identity_id: 'carol' },
        ],
      },
    );
    expect(keys).toEqual([
      `default/repo/r1/${WED}`,
      `default/repo/r1/${THU}`,
      `default/team/team-a/${WED}`,
      `default/team/team-b/${WED}`,
      `default/team/team-b/${THU}`,
    ]);
  });

  it('a membership touches its team on every day its member committed', async () => {
    const keys = await keysOf(
      [changed('team_membership', { day: FRI, author_identity_ids: ['alice'], record_ids: ['team-a'] })],
      {
        commits: [
          { repository_id: 'r1', author_identity_id: 'alice', authored_at: at(MON, 9) },
          { repository_id: 'r2', author_identity_id: 'alice', authored_at: at(MON, 17) },
          { repository_id: 'r1', author_identity_id: 'alice', authored_at: at(WED) },
          { repository_id: 'r1', author_identity_id: 'bob', authored_at: at(TUE) },
        ],
        memberships: [{ team_id: 'team-a', identity_id: 'alice' }],
      },
    );
    expect(keys).toEqual([`default/team/team-a/${MON}`, `default/team/team-a/${WED}`]);
  });

  it('a PR touches the days of its reviews and comments, stored before it landed', async () => {
    const keys = await keysOf([changed('pull_request', { repository_id: 'r1', day: THU, record_ids: ['pr-1'] })], {
      reviews: [
        { pull_request_id: 'pr-1', repository_id: 'r1', reviewer_identity_id: 'bob', submitted_at: at(MON) },
        { pull_request_id: 'pr-1', repository_id: 'r1', reviewer_identity_id: 'carol', submitted_at: at(WED) },
        { pull_request_id: 'pr-2', repository_id: 'r1', reviewer_identity_id: 'bob', submitted_at: at(FRI) },
      ],
      comments: [{ pull_request_id: 'pr-1', repository_id: 'r1', author_identity_id: 'bob', created_at: at(TUE) }],
    });
    expect(keys).toEqual([
      `default/repo/r1/${MON}`,
      `default/repo/r1/${TUE}`,
      `default/repo/r1/${WED}`,
      `default/repo/r1/${THU}`,
    ]);
  });

  it('a PR touches the DORA day of the first successful deployment at or after the start of its day and of the next', async () => {
    const keys = await keysOf([changed('pull_request', { repository_id: 'r1', day: WED, record_ids: ['pr-1'] })], {
      deployments: [
        production('before', 'r1', at(TUE)),
        production('same-day', 'r1', at(WED, 10)), // at or after the start of Wednesday
        production('failed', 'r1', at(THU), 'failure'),
        { ...production('staging', 'r1', at(THU)), environment: 'staging' },
        production('other-repo', 'r2', at(THU)),
        production('next', 'r1', at(SAT, 9)), // at or after the start of Thursday
        production('later', 'r1', at(SUN)),
      ],
    });
    expect(keys).toEqual([`default/dora/r1/${WED}`, `default/dora/r1/${SAT}`, `default/repo/r1/${WED}`]);
  });

  it("a review or comment touches its PR's merge day, however late it came", async () => {
    const keys = await keysOf(
      [
        changed('review', { repository_id: 'r1', day: WED, record_ids: ['merged-thursday'] }),
        changed('review', { repository_id: 'r2', day: WED, record_ids: ['unmerged'] }),
        changed('review_comment', { repository_id: 'r3', day: FRI, record_ids: ['merged-monday'] }),
      ],
      {
        pullRequests: [
          {
            id: 'merged-thursday',
            repository_id: 'r1',
            author_identity_id: 'alice',
            created_at: at(MON),
            merged_at: at(THU, 11),
          },
          { id: 'unmerged', repository_id: 'r2', author_identity_id: 'alice', created_at: at(TUE), merged_at: null },
          {
            id: 'merged-monday',
            repository_id: 'r3',
            author_identity_id: 'alice',
            created_at: at(MON, 8),
            merged_at: at(MON),
          },
        ],
      },
    );
    expect(keys).toEqual([
      `default/repo/r1/${WED}`,
      `default/repo/r1/${THU}`,
      `default/repo/r2/${WED}`,
      `default/repo/r3/${MON}`,
      `default/repo/r3/${FRI}`,
    ]);
  });

  it('a deployment touches its DORA day and that of the first successful deployment after that day', async () => {
    const keys = await keysOf([changed('deployment', { repository_id: 'r1', day: WED, record_ids: ['d2'] })], {
      deployments: [
        production('d1', 'r1', at(WED, 8)),
        production('d2', 'r1', at(WED, 15), 'failure'),
        production('d-late', 'r1', at(WED, 23)), // same day: not "after that day"
        production('failed', 'r1', at(THU), 'failure'),
        { ...production('staging', 'r1', at(THU)), environment: 'staging' },
        production('other-repo', 'r2', at(THU)),
        production('d3', 'r1', at(FRI)),
        production('d4', 'r1', at(SAT)),
      ],
    });
    expect(keys).toEqual([`default/dora/r1/${WED}`, `default/dora/r1/${FRI}`]);
  });

  it("an incident touches its days, its deployment's day and the day of the deployment it named before", async () => {
    const keys = await keysOf(
      [
        // i1 now: started Wednesday, resolved Friday, caused by d-new; before: started Thursday, caused by d-old.
        changed('incident', { repository_id: 'r1', day: WED, record_ids: ['d-new', 'i1'] }),
        changed('incident', { repository_id: 'r1', day: FRI, record_ids: ['d-new', 'i1'] }),
        changed('incident', { repository_id: 'r1', day: THU, record_ids: ['d-old', 'i1'] }),
        // i2 has no repository of its own: its days are attributed through its deployment.
        changed('incident', { repository_id: '', day: WED, record_ids: ['d-x', 'i2'] }),
        // i3 has neither a repository nor a deployment.
        changed('incident', { repository_id: '', day: SAT, record_ids: ['i3'] }),
      ],
      {
        deployments: [
          production('d-old', 'r1', at(MON)),
          production('d-new', 'r1', at(TUE)),
          production('d-x', 'r2', at(MON)),
        ],
        incidents: [
          { id: 'i1', repository_id: 'r1', deployment_id: 'd-new', started_at: at(WED), resolved_at: at(FRI) },
          { id: 'i2', repository_id: null, deployment_id: 'd-x', started_at: at(WED), resolved_at: null },
          { id: 'i3', repository_id: null, deployment_id: null, started_at: at(SAT), resolved_at: null },
        ],
      },
    );
    expect(keys).toEqual([
      `default/dora/r1/${MON}`,
      `default/dora/r1/${TUE}`,
      `default/dora/r1/${WED}`,
      `default/dora/r1/${THU}`,
      `default/dora/r1/${FRI}`,
      `default/dora/r2/${MON}`,
      `default/dora/r2/${WED}`,
    ]);
  });

  it("a work item version touches every day of its span in its scope and, while unfinished, the scope's later key days", async () => {
    const scope = { work_provider: 'jira', work_scope_id: 'PROJ' };
    const keys = await keysOf(
      [
        // w1 moved from team-old (where it was unfinished) to team-new, where it is done.
        changed('work_item', { ...scope, work_team_id: 'team-new', day: TUE, through_day: THU, record_ids: ['w1'] }),
        changed('work_item', {
          ...scope,
          work_team_id: 'team-old',
          day: MON,
          through_day: WED,
          open_ended: true,
          record_ids: ['w1'],
        }),
      ],
      {
        workItems: [
          {
            id: 'w1',
            provider: 'jira',
            work_scope_id: 'PROJ',
            team_id: 'team-new',
            first_at: at(TUE),
            last_at: at(THU),
            open: false,
          },
          {
            id: 'w2',
            provider: 'jira',
            work_scope_id: 'PROJ',
            team_id: 'team-old',
            first_at: at(FRI),
            last_at: at(SAT),
            open: false,
          },
          {
            id: 'w3',
            provider: 'jira',
            work_scope_id: 'PROJ',
            team_id: 'team-old',
            first_at: at(PREV_SAT),
            last_at: at(PREV_SAT),
            open: false,
          },
          {
            id: 'w4',
            provider: 'jira',
            work_scope_id: 'OTHER',
            team_id: 'team-old',
            first_at: at(FRI),
            last_at: at(SUN),
            open: true,
          },
        ],
      },
    );
    expect(keys).toEqual([
      `default/work_items/jira/PROJ/team-new/${TUE}`,
      `default/work_items/jira/PROJ/team-new/${WED}`,
      `default/work_items/jira/PROJ/team-new/${THU}`,
      `default/work_items/jira/PROJ/team-old/${MON}`,
      `default/work_items/jira/PROJ/team-old/${TUE}`,
      `default/work_items/jira/PROJ/team-old/${WED}`,
      // w1's stored span (with its transitions) in the old version's scope too
      `default/work_items/jira/PROJ/team-old/${THU}`,
      `default/work_items/jira/PROJ/team-old/${FRI}`,
      `default/work_items/jira/PROJ/team-old/${SAT}`,
    ]);
  });

  it("a work item's stored span, its transitions' days and, while open, its scope's later key days are touched", async () => {
    const keys = await keysOf(
      [
        // A transition of w1 moved from the Saturday before to inside w1's span: its old day is left behind.
        changed('work_item_transition', { day: PREV_SAT, record_ids: ['w1'] }),
        changed('work_item_transition', { day: THU, record_ids: ['w2'] }),
        changed('work_item_transition', { day: WED, record_ids: ['not-stored'] }),
      ],
      {
        workItems: [
          {
            id: 'w1',
            provider: 'jira',
            work_scope_id: 'PROJ',
            team_id: 'team-a',
            first_at: at(MON),
            last_at: at(WED),
            open: false,
          },
          {
            id: 'w2',
            provider: 'jira',
            work_scope_id: 'PROJ',
            team_id: null,
            first_at: at(THU),
            last_at: at(THU),
            open: true,
          },
          {
            id: 'w5',
            provider: 'jira',
            work_scope_id: 'PROJ',
            team_id: null,
            first_at: at(SAT),
            last_at: at(NEXT_MON),
            open: false,
          },
          {
            id: 'w6',
            provider: 'jira',
            work_scope_id: 'PROJ',
            team_id: 'team-a',
            first_at: at(FRI),
            last_at: at(SAT),
            open: false,
          },
        ],
      },
    );
    expect(keys).toEqual([
      `default/work_items/jira/PROJ//${THU}`,
      `default/work_items/jira/PROJ//${SAT}`,
      `default/work_items/jira/PROJ//${SUN}`,
      `default/work_items/jira/PROJ//${NEXT_MON}`,
      `default/work_items/jira/PROJ/team-a/${PREV_SAT}`,
      `default/work_items/jira/PROJ/team-a/${MON}`,
      `default/work_items/jira/PROJ/team-a/${TUE}`,
      `default/work_items/jira/PROJ/team-a/${WED}`,
    ]);
    expect(await keysOf([changed('work_item_transition', { day: WED, record_ids: ['not-stored'] })])).toEqual([]);
  });

  it('an identity touches every (repository, day) it is active on', async () => {
    const keys = await keysOf([changed('identity', { day: FRI, author_identity_ids: ['alice'] })], {
      commits: [
        { repository_id: 'r1', author_identity_id: 'alice', authored_at: at(MON) },
        { repository_id: 'r1', author_identity_id: 'bob', authored_at: at(SUN) },
      ],
      pullRequests: [
        { id: 'pr-1', repository_id: 'r2', author_identity_id: 'alice', created_at: at(TUE), merged_at: at(THU) },
        { id: 'pr-2', repository_id: 'r2', author_identity_id: 'bob', created_at: at(SAT), merged_at: null },
      ],
      reviews: [
        { pull_request_id: 'pr-9', repository_id: 'r1', reviewer_identity_id: 'alice', submitted_at: at(WED) },
        { pull_request_id: 'pr-1', repository_id: 'r2', reviewer_identity_id: 'bob', submitted_at: at(FRI) },
      ],
      comments: [{ pull_request_id: 'pr-2', repository_id: 'r3', author_identity_id: 'alice', created_at: at(SAT) }],
    });
    expect(keys).toEqual([
      `default/repo/r1/${MON}`,
      `default/repo/r1/${WED}`,
      `default/repo/r2/${TUE}`,
      `default/repo/r2/${THU}`,
      `default/repo/r2/${FRI}`,
      `default/repo/r3/${SAT}`,
    ]);
  });
});
