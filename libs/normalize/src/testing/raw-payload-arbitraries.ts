// Test support, imported by path (not from the package index): realistic raw payloads of every provider
// and entity kind the processor normalizes, and fast-check arbitraries that randomize or break them.
import fc from 'fast-check';
import type { RawRecord } from '@dev-health/schemas';
import { rawRecordFixture } from '../raw-record-fixture';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonPath = readonly (string | number)[];

/** How an identifier is drawn: a 32-bit positive integer, a git sha, a numeric string, or a name. */
export type IdentifierKind = 'int' | 'sha' | 'digits' | 'name';

/** One valid payload of a provider's entity kind, as its connector publishes it. */
export interface RawPayloadSample {
  provider: string;
  entityKind: string;
  scope: string;
  payload: JsonValue;
  /** Fields that identify the record: randomized by validRawRecord, so generated records are distinct. */
  identifiers: readonly { path: JsonPath; kind: IdentifierKind }[];
}

const sha = (character: string) => character.repeat(40);

/** Shapes taken from the normalizer specs (and, for synthetic, from the generator's own output). */
export const RAW_PAYLOAD_SAMPLES: readonly RawPayloadSample[] = [
  {
    provider: 'git',
    entityKind: 'repository',
    scope: 'acme-inc/api',
    payload: {
      full_name: 'acme-inc/api',
      name: 'api',
      remote_url: 'https://git.acme.example/acme-inc/api.git',
      default_branch: 'main',
      branches: { main: sha('a') },
    },
    identifiers: [{ path: ['full_name'], kind: 'name' }],
  },
  {
    provider: 'git',
    entityKind: 'commit',
    scope: 'org/repo',
    payload: {
      sha: sha('a'),
      parents: [sha('b')],
      author: { name: 'Ada', email: 'Ada@Home.Example', timestamp: 1_700_000_000, timezone: '+0530' },
      committer: { name: 'Bob', email: 'bob@example.com', timestamp: 1_700_000_600, timezone: '-0800' },
      subject: 'PAY-12 Add feature',
      files: [
        { path: 'src/a.ts', additions: 40, deletions: 11 },
        { path: 'src/b.ts', previousPath: 'src/old-b.ts', additions: 2, deletions: 2 },
        { path: 'logo.png', additions: null, deletions: null },
      ],
    },
    identifiers: [
      { path: ['sha'], kind: 'sha' },
      { path: ['parents', 0], kind: 'sha' },
    ],
  },
  {
    provider: 'git',
    entityKind: 'blame',
    scope: 'acme-inc/api',
    payload: {
      revision: sha('a'),
      path: 'src/search.ts',
      ranges: [
        {
          commitSha: sha('c'),
          authorEmail: 'ada@acme.example',
          authorName: 'Ada',
          authorTime: 1_700_000_000,
          lineStart: 1,
          lineCount: 12,
        },
        {
          commitSha: sha('d'),
          authorEmail: 'bob@acme.example',
          authorName: 'Bob',
          authorTime: 1_700_100_000,
          lineStart: 13,
          lineCount: 4,
        },
      ],
    },
    identifiers: [
      { path: ['revision'], kind: 'sha' },
      { path: ['ranges', 0, 'commitSha'], kind: 'sha' },
    ],
  },
  {
    provider: 'github',
    entityKind: 'commit',
    scope: 'acme-inc/api',
    payload: {
      repository_id: 4242,
      sha: sha('a'),
      parents: [sha('b')],
      author: {
        name: 'Ada',
        email: '583231+Ada@users.noreply.github.com',
        timestamp: 1_772_423_100,
        timezone: '+0530',
      },
      committer: { name: 'Bob', email: 'bob@acme.example', timestamp: 1_772_430_000, timezone: '-0700' },
      subject: 'Add search',
      files: [
        { path: 'src/search.ts', additions: 40, deletions: 2 },
        { path: 'logo.png', additions: null, deletions: null },
      ],
      totals: { additions: 42, deletions: 2, files_changed: 2 },
    },
    identifiers: [
      { path: ['repository_id'], kind: 'int' },
      { path: ['sha'], kind: 'sha' },
    ],
  },
  {
    provider: 'github',
    entityKind: 'repository',
    scope: 'acme-inc/api',
    payload: {
      id: 4242,
      node_id: 'R_1',
      name: 'api',
      full_name: 'acme-inc/api',
      html_url: 'https://github.com/acme-inc/api',
      default_branch: 'main',
      created_at: '2025-01-01T00:00:00Z',
    },
    identifiers: [{ path: ['id'], kind: 'int' }],
  },
  {
    provider: 'github',
    entityKind: 'pull_request',
    scope: 'acme-inc/api',
    payload: {
      repository_id: 4242,
      number: 7,
      title: 'Add search',
      state: 'MERGED',
      createdAt: '2026-03-02T10:00:00Z',
      updatedAt: '2026-03-03T09:00:00Z',
      mergedAt: '2026-03-03T08:30:00Z',
      closedAt: '2026-03-03T08:30:00Z',
      additions: 120,
      deletions: 4,
      changedFiles: 3,
      baseRefName: 'main',
      headRefName: 'search',
      mergeCommit: { oid: sha('m') },
      author: { login: 'bob' },
      labels: { nodes: [{ name: 'enhancement' }] },
      reviewRequests: {
        nodes: [{ requestedReviewer: { __typename: 'User', login: 'ada' } }, { requestedReviewer: null }],
      },
      closingIssuesReferences: { nodes: [{ number: 12, repository: { databaseId: 4242 } }] },
      reviews: {
        nodes: [
          { databaseId: 1, state: 'APPROVED', submittedAt: '2026-03-03T08:00:00Z', author: { login: 'ada' } },
          { databaseId: 2, state: 'PENDING', submittedAt: null, author: { login: 'cy' } },
        ],
      },
    },
    identifiers: [
      { path: ['repository_id'], kind: 'int' },
      { path: ['number'], kind: 'int' },
    ],
  },
  {
    provider: 'github',
    entityKind: 'review_comment',
    scope: 'acme-inc/api',
    payload: {
      repository_id: 4242,
      pull_number: 7,
      id: 31,
      pull_request_review_id: 1,
      path: 'src/search.ts',
      created_at: '2026-03-03T07:59:00+01:00',
      updated_at: '2026-03-03T08:00:00Z',
      user: { login: 'ada' },
    },
    identifiers: [
      { path: ['repository_id'], kind: 'int' },
      { path: ['id'], kind: 'int' },
    ],
  },
  {
    provider: 'github',
    entityKind: 'deployment',
    scope: 'acme-inc/api',
    payload: {
      repository_id: 4242,
      production: true,
      id: 'DE_1',
      databaseId: 77,
      environment: 'prod-eu',
      state: 'INACTIVE',
      task: 'deploy',
      commitOid: sha('a'),
      createdAt: '2026-03-02T10:00:00Z',
      updatedAt: '2026-03-02T10:00:05Z',
      creator: { login: 'ada' },
      statuses: {
        nodes: [
          { state: 'INACTIVE', createdAt: '2026-03-04T09:00:00Z' },
          { state: 'IN_PROGRESS', createdAt: '2026-03-02T10:01:00Z' },
          { state: 'SUCCESS', createdAt: '2026-03-02T10:06:00Z' },
        ],
      },
    },
    identifiers: [
      { path: ['repository_id'], kind: 'int' },
      { path: ['databaseId'], kind: 'int' },
    ],
  },
  {
    provider: 'github',
    entityKind: 'workflow_run',
    scope: 'acme-inc/api',
    payload: {
      repository_id: 4242,
      id: 9001,
      name: 'CI',
      event: 'push',
      status: 'completed',
      conclusion: 'timed_out',
      head_branch: 'main',
      head_sha: sha('b'),
      created_at: '2026-03-02T10:00:00Z',
      updated_at: '2026-03-02T10:20:00Z',
      run_started_at: '2026-03-02T10:00:30Z',
      pull_requests: [{ number: 12 }],
      jobs: [
        {
          id: 1,
          name: 'build',
          status: 'completed',
          conclusion: 'success',
          started_at: '2026-03-02T10:01:00Z',
          completed_at: '2026-03-02T10:05:00Z',
        },
        { id: 2, name: 'e2e', status: 'completed', conclusion: 'cancelled', started_at: null, completed_at: null },
      ],
    },
    identifiers: [
      { path: ['repository_id'], kind: 'int' },
      { path: ['id'], kind: 'int' },
    ],
  },
  {
    provider: 'github',
    entityKind: 'issue',
    scope: 'acme-inc/api',
    payload: {
      repository_id: 4242,
      repository_full_name: 'acme-inc/api',
      incident: true,
      databaseId: 555,
      number: 12,
      title: 'Search is slow',
      body: 'Since https://github.com/acme-inc/api/deployments/77 went out',
      state: 'CLOSED',
      stateReason: 'COMPLETED',
      createdAt: '2026-03-02T09:00:00Z',
      updatedAt: '2026-03-06T12:00:00Z',
      closedAt: '2026-03-06T12:00:00Z',
      author: { login: 'cy' },
      labels: { nodes: [{ name: 'bug' }, { name: 'sev-1' }, { name: 'status: in review' }] },
      assignees: { nodes: [{ login: 'ada' }] },
      timelineItems: {
        nodes: [
          { __typename: 'AssignedEvent', createdAt: '2026-03-03T10:00:00Z', actor: { login: 'cy' } },
          {
            __typename: 'LabeledEvent',
            createdAt: '2026-03-04T10:00:00Z',
            actor: { login: 'ada' },
            label: { name: 'status: in review' },
          },
          {
            __typename: 'ClosedEvent',
            createdAt: '2026-03-05T10:00:00Z',
            actor: { login: 'ada' },
            stateReason: 'COMPLETED',
          },
          { __typename: 'ReopenedEvent', createdAt: '2026-03-05T15:00:00Z', actor: { login: 'cy' } },
          {
            __typename: 'UnlabeledEvent',
            createdAt: '2026-03-05T16:00:00Z',
            actor: { login: 'ada' },
            label: { name: 'status: in review' },
          },
          { __typename: 'UnassignedEvent', createdAt: '2026-03-05T17:00:00Z', actor: null },
          {
            __typename: 'ClosedEvent',
            createdAt: '2026-03-06T12:00:00Z',
            actor: { login: 'ada' },
            stateReason: 'COMPLETED',
          },
        ],
      },
    },
    identifiers: [
      { path: ['repository_id'], kind: 'int' },
      { path: ['number'], kind: 'int' },
    ],
  },
  {
    provider: 'github',
    entityKind: 'project_item_status',
    scope: 'acme-inc/api',
    payload: {
      project_number: 3,
      item_id: 501,
      repository_id: 4242,
      issue_number: 17,
      from_status: 'Todo',
      to_status: 'In Review',
      changed_at: '2026-03-05T09:30:00Z',
    },
    identifiers: [
      { path: ['repository_id'], kind: 'int' },
      { path: ['issue_number'], kind: 'int' },
    ],
  },
  {
    provider: 'github',
    entityKind: 'event',
    scope: 'acme-inc/api',
    payload: {
      event: {
        id: '40000000001',
        type: 'PushEvent',
        actor: { id: 7, login: 'ada' },
        repo: { id: 4242, name: 'acme-inc/api' },
        created_at: '2026-11-30T10:00:00Z',
        payload: {
          push_id: 1,
          ref: 'refs/heads/main',
          head: sha('b'),
          before: sha('a'),
          size: 2,
          distinct_size: 2,
          commits: [{ sha: sha('c') }, { sha: sha('b') }],
        },
      },
      compare: { total_commits: 2, shas: [sha('c'), sha('b')] },
    },
    identifiers: [
      { path: ['event', 'id'], kind: 'digits' },
      { path: ['event', 'repo', 'id'], kind: 'int' },
    ],
  },
  {
    provider: 'github',
    entityKind: 'user',
    scope: 'acme-inc/api',
    payload: { id: 7, login: 'ada', name: 'Ada Lovelace', type: 'User' },
    identifiers: [
      { path: ['id'], kind: 'int' },
      { path: ['login'], kind: 'name' },
    ],
  },
  {
    provider: 'gitlab',
    entityKind: 'commit',
    scope: 'acme/platform/api',
    payload: {
      project_id: 3,
      sha: sha('c'),
      parents: [],
      author: { name: 'Cy', email: '3-cy@users.noreply.gitlab.example', timestamp: 1_767_225_600, timezone: '+0100' },
      committer: { name: 'Cy', email: 'cy@acme.example', timestamp: 1_767_225_600, timezone: '+0100' },
      subject: 'Fix search',
      files: [{ path: 'src/search.ts', additions: 3, deletions: 1 }],
    },
    identifiers: [
      { path: ['project_id'], kind: 'int' },
      { path: ['sha'], kind: 'sha' },
    ],
  },
  {
    provider: 'gitlab',
    entityKind: 'project',
    scope: 'acme/platform/api',
    payload: {
      id: 3,
      name: 'api',
      path_with_namespace: 'acme/platform/api',
      web_url: 'https://gitlab.example/acme/platform/api',
      default_branch: 'main',
      created_at: '2025-01-01T00:00:00.000Z',
    },
    identifiers: [{ path: ['id'], kind: 'int' }],
  },
  {
    provider: 'gitlab',
    entityKind: 'merge_request',
    scope: 'acme/platform/api',
    payload: {
      id: 84,
      iid: 12,
      project_id: 3,
      title: 'Add search endpoint',
      state: 'merged',
      draft: true,
      created_at: '2026-03-02T10:00:00.000Z',
      updated_at: '2026-03-03T09:00:00.000Z',
      merged_at: '2026-03-03T08:30:00.000Z',
      closed_at: null,
      target_branch: 'main',
      source_branch: 'search',
      merge_commit_sha: sha('m'),
      squash_commit_sha: null,
      author: { id: 1, username: 'bob', name: 'bob' },
      reviewers: [{ id: 2, username: 'ada', name: 'ada' }],
      labels: ['backend'],
      changes_count: '7',
      additions: 30,
      deletions: 4,
      notes: [
        {
          id: 2,
          body: 'This loop is quadratic',
          system: false,
          type: 'DiffNote',
          author: { id: 2, username: 'ada', name: 'ada' },
          created_at: '2026-03-02T11:00:00.000Z',
          position: { new_path: 'src/search.ts' },
        },
        {
          id: 4,
          body: 'approved this merge request',
          system: true,
          type: null,
          author: { id: 2, username: 'ada', name: 'ada' },
          created_at: '2026-03-03T08:00:00.000Z',
        },
      ],
      approved_by: [{ user: { id: 2, username: 'ada', name: 'ada' } }],
      closes_issues: [{ iid: 5, project_id: 3 }],
    },
    identifiers: [
      { path: ['project_id'], kind: 'int' },
      { path: ['iid'], kind: 'int' },
    ],
  },
  {
    provider: 'gitlab',
    entityKind: 'pipeline',
    scope: 'acme/platform/api',
    payload: {
      id: 46,
      iid: 11,
      project_id: 3,
      sha: sha('a'),
      ref: 'refs/merge-requests/12/head',
      status: 'failed',
      source: 'merge_request_event',
      name: 'Merge request pipeline',
      created_at: '2026-03-02T10:10:00.000Z',
      updated_at: '2026-03-02T10:20:00.000Z',
      started_at: '2026-03-02T10:11:00.000Z',
      finished_at: '2026-03-02T10:19:00.000Z',
      jobs: [
        {
          id: 7,
          name: 'test',
          stage: 'test',
          status: 'failed',
          started_at: '2026-03-02T10:11:00.000Z',
          finished_at: '2026-03-02T10:19:00.000Z',
        },
        { id: 8, name: 'deploy', stage: 'deploy', status: 'skipped', started_at: null, finished_at: null },
      ],
    },
    identifiers: [
      { path: ['project_id'], kind: 'int' },
      { path: ['id'], kind: 'int' },
    ],
  },
  {
    provider: 'gitlab',
    entityKind: 'deployment',
    scope: 'acme/platform/api',
    payload: {
      id: 42,
      iid: 2,
      project_id: 3,
      ref: 'main',
      sha: sha('b'),
      status: 'success',
      created_at: '2026-03-03T09:00:00.000Z',
      updated_at: '2026-03-03T09:05:00.000Z',
      finished_at: '2026-03-03T09:05:00.000Z',
      user: { id: 9, username: 'ops', name: 'ops' },
      environment: { id: 9, name: 'prd-eu', tier: 'production' },
      production: true,
    },
    identifiers: [
      { path: ['project_id'], kind: 'int' },
      { path: ['iid'], kind: 'int' },
    ],
  },
  {
    provider: 'gitlab',
    entityKind: 'issue',
    scope: 'acme/platform/api',
    payload: {
      id: 501,
      iid: 5,
      project_id: 3,
      project_path: 'acme/platform/api',
      title: 'Checkout down',
      description: 'Started after deployment #2',
      state: 'closed',
      issue_type: 'incident',
      labels: ['severity::2', 'bug'],
      milestone: { title: '2026.3' },
      iteration: { title: 'Sprint 12' },
      weight: 3,
      author: { id: 9, username: 'ops', name: 'ops' },
      assignees: [{ id: 2, username: 'ada', name: 'ada' }],
      created_at: '2026-03-03T10:00:00.000Z',
      updated_at: '2026-03-03T12:00:00.000Z',
      closed_at: '2026-03-03T12:00:00.000Z',
      state_events: [
        {
          id: 1,
          state: 'closed',
          created_at: '2026-03-03T12:00:00.000Z',
          user: { id: 2, username: 'ada', name: 'ada' },
        },
      ],
      label_events: [
        {
          id: 2,
          action: 'add',
          label: { name: 'workflow::in progress' },
          created_at: '2026-03-03T10:30:00.000Z',
          user: { id: 2, username: 'ada', name: 'ada' },
        },
      ],
      incident: true,
    },
    identifiers: [
      { path: ['project_id'], kind: 'int' },
      { path: ['iid'], kind: 'int' },
    ],
  },
  {
    provider: 'jira',
    entityKind: 'issue',
    scope: 'acme.atlassian.net',
    payload: {
      id: '10042',
      key: 'PAY-42',
      fields: {
        summary: 'Refunds time out',
        issuetype: { name: 'Bug' },
        status: { id: '10001', name: 'Shipped', statusCategory: { key: 'done' } },
        project: { id: '10000', key: 'PAY' },
        assignee: { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Ada', emailAddress: null },
        reporter: { accountId: '5b10a2844c20165700ede21g', displayName: 'Bob', emailAddress: 'bob@acme.example' },
        labels: ['payments'],
        created: '2026-03-02T09:00:00.000+0100',
        updated: '2026-03-06T10:00:00.000+0100',
        resolutiondate: '2026-03-06T10:00:00.000+0100',
        fixVersions: [{ name: '2026.3' }],
        priority: { name: 'High' },
        components: [{ name: 'refunds' }],
        parent: { id: '10007', key: 'PAY-7' },
      },
      changelog: {
        histories: [
          {
            id: '102',
            created: '2026-03-04T09:00:00.000+0100',
            author: { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Ada', emailAddress: null },
            items: [
              {
                field: 'status',
                fieldId: 'status',
                from: '3',
                fromString: 'In Progress',
                to: '10001',
                toString: 'Shipped',
              },
            ],
          },
          {
            id: '101',
            created: '2026-03-03T09:00:00.000+0100',
            author: { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Ada', emailAddress: null },
            items: [
              { field: 'status', fieldId: 'status', from: '1', fromString: 'To Do', to: '3', toString: 'In Progress' },
            ],
          },
          {
            id: '103',
            created: '2026-03-04T12:00:00.000+0100',
            author: { accountId: '5b10a2844c20165700ede21g', displayName: 'Bob', emailAddress: 'bob@acme.example' },
            items: [{ field: 'labels', from: null, fromString: '', to: null, toString: 'payments' }],
          },
        ],
      },
      status_categories: { '1': 'new', '3': 'indeterminate', '10001': 'done' },
      story_points: 5,
      sprints: ['PAY Sprint 11', 'PAY Sprint 12'],
      team: { id: 'payments', name: 'Payments' },
      type_map: { spike: 'story' },
    },
    identifiers: [
      { path: ['id'], kind: 'digits' },
      { path: ['key'], kind: 'name' },
    ],
  },
  {
    provider: 'jira',
    entityKind: 'issue_removed',
    scope: 'acme.atlassian.net',
    payload: { id: '10042', reason: 'deleted', detected_at: '2026-03-09T12:00:00.000Z' },
    identifiers: [{ path: ['id'], kind: 'digits' }],
  },
  {
    provider: 'synthetic',
    entityKind: 'repository',
    scope: 'acme/platform-api',
    payload: {
      full_name: 'acme/platform-api',
      name: 'platform-api',
      url: 'https://code.acme.example/acme/platform-api',
      default_branch: 'main',
      created_at: '2025-10-07T00:00:00.000+00:00',
    },
    identifiers: [{ path: ['full_name'], kind: 'name' }],
  },
  {
    provider: 'synthetic',
    entityKind: 'identity',
    scope: 'acme',
    payload: {
      display_name: 'Jean Stroustrup',
      primary_email: 'jean.stroustrup@acme.example',
      emails: ['jean.stroustrup@acme.example', 'jean@home.example'],
      logins: ['jean-stroustrup'],
    },
    identifiers: [{ path: ['primary_email'], kind: 'name' }],
  },
  {
    provider: 'synthetic',
    entityKind: 'team',
    scope: 'acme',
    payload: { slug: 'payments', name: 'Payments', parent_slug: 'platform' },
    identifiers: [{ path: ['slug'], kind: 'name' }],
  },
  {
    provider: 'synthetic',
    entityKind: 'team_membership',
    scope: 'acme',
    payload: {
      team_slug: 'platform',
      member_email: 'jean.stroustrup@acme.example',
      role: 'lead',
      since: '2025-10-07T00:00:00.000+00:00',
    },
    identifiers: [
      { path: ['team_slug'], kind: 'name' },
      { path: ['member_email'], kind: 'name' },
    ],
  },
  {
    provider: 'synthetic',
    entityKind: 'commit',
    scope: 'acme/payments-api',
    payload: {
      sha: 'cf1b06c6ed35fe82c7fb83dd34349ece0741152d',
      parents: ['aa7a17da00e400cedb3f62c168c947b524f5ea85'],
      author: { name: 'Donald Perlman', email: 'donald@home.example', date: '2026-01-05T11:09:33.000-05:00' },
      committer: { name: 'Ada', email: 'ada@acme.example', date: '2026-01-05T17:10:00.000+01:00' },
      subject: 'Remove migration (PAY-3)',
      files: [
        { path: 'src/jobs/jobs-0.ts', additions: 5, deletions: 2 },
        { path: 'assets/logo.png', additions: null, deletions: null },
      ],
    },
    identifiers: [
      { path: ['sha'], kind: 'sha' },
      { path: ['parents', 0], kind: 'sha' },
    ],
  },
  {
    provider: 'synthetic',
    entityKind: 'pull_request',
    scope: 'acme/payments-web',
    payload: {
      number: 7,
      title: 'Revert "Add cache"',
      state: 'merged',
      author_login: 'barbara-allen',
      created_at: '2026-01-05T23:30:00.000-08:00',
      updated_at: '2026-01-06T10:00:00.000-08:00',
      merged_at: '2026-01-06T10:00:00.000-08:00',
      closed_at: '2026-01-06T10:00:00.000-08:00',
      base_branch: 'main',
      head_branch: 'barbara-allen/7',
      merge_commit_sha: sha('e'),
      additions: 164,
      deletions: 59,
      changed_files: 6,
      reverts_number: null,
    },
    identifiers: [{ path: ['number'], kind: 'int' }],
  },
  {
    provider: 'synthetic',
    entityKind: 'review',
    scope: 'acme/payments-web',
    payload: {
      id: 10,
      pull_number: 1,
      reviewer_login: 'anita-perlman',
      state: 'changes_requested',
      submitted_at: '2026-01-06T01:24:24.000+01:00',
    },
    identifiers: [
      { path: ['id'], kind: 'int' },
      { path: ['pull_number'], kind: 'int' },
    ],
  },
  {
    provider: 'synthetic',
    entityKind: 'review_comment',
    scope: 'acme/payments-api',
    payload: {
      id: 400,
      pull_number: 4,
      author_login: 'sophie-lovelace',
      created_at: '2026-01-06T00:09:16.000+09:00',
      path: 'src/ui/index.ts',
    },
    identifiers: [
      { path: ['id'], kind: 'int' },
      { path: ['pull_number'], kind: 'int' },
    ],
  },
  {
    provider: 'synthetic',
    entityKind: 'pipeline_run',
    scope: 'acme/payments-web',
    payload: {
      id: 7_666_011_930,
      name: 'ci',
      status: 'success',
      head_sha: 'aecf75e0fe4317f1e7d17a8b414dacbdd68f1f05',
      branch: 'barbara-allen/1',
      created_at: '2026-01-05T18:25:20.000+00:00',
      started_at: '2026-01-05T18:26:05.000+00:00',
      finished_at: '2026-01-05T18:43:02.000+00:00',
      updated_at: '2026-01-05T18:43:02.000+00:00',
      jobs: [
        {
          name: 'build',
          status: 'success',
          started_at: '2026-01-05T18:26:05.000+00:00',
          finished_at: '2026-01-05T18:26:39.000+00:00',
        },
        {
          name: 'test',
          status: 'success',
          started_at: '2026-01-05T18:26:39.000+00:00',
          finished_at: '2026-01-05T18:35:46.000+00:00',
        },
      ],
    },
    identifiers: [{ path: ['id'], kind: 'int' }],
  },
  {
    provider: 'synthetic',
    entityKind: 'deployment',
    scope: 'acme/platform-api',
    payload: {
      id: 1_417_134_741,
      environment: 'production',
      status: 'success',
      sha: '7b23c6639398abd3eeff80cdb714dab73b53e354',
      service: 'platform-api',
      created_at: '2026-01-05T10:26:09.000+00:00',
      finished_at: '2026-01-05T10:31:09.000+00:00',
      updated_at: '2026-01-05T10:31:09.000+00:00',
    },
    identifiers: [{ path: ['id'], kind: 'int' }],
  },
  {
    provider: 'synthetic',
    entityKind: 'incident',
    scope: 'acme/platform-api',
    payload: {
      id: 'INC-378392',
      service: 'platform-api',
      title: 'platform-api: elevated errors',
      severity: 'sev2',
      status: 'resolved',
      started_at: '2026-01-05T14:50:45.000+00:00',
      resolved_at: '2026-01-05T17:55:02.000+00:00',
      deployment_id: 1_417_134_741,
      updated_at: '2026-01-05T17:55:02.000+00:00',
    },
    identifiers: [{ path: ['id'], kind: 'name' }],
  },
  {
    provider: 'synthetic',
    entityKind: 'work_item',
    scope: 'PLAT0',
    payload: {
      key: 'PLAT0-1',
      project: 'PLAT0',
      title: 'Speed up timeouts',
      type: 'task',
      status: 'Done',
      assignee_login: 'yukihiro-matsumoto',
      reporter_login: 'dennis-wilson',
      team_slug: 'platform',
      created_at: '2026-01-05T19:00:28.000+01:00',
      updated_at: '2026-01-09T20:29:08.000+01:00',
      transitions: [
        { from_status: null, to_status: 'Backlog', at: '2026-01-05T19:00:28.000+01:00', actor_login: 'dennis-wilson' },
        {
          from_status: 'Backlog',
          to_status: 'In Progress',
          at: '2026-01-08T20:00:16.000-08:00',
          actor_login: 'yukihiro-matsumoto',
        },
        {
          from_status: 'In Progress',
          to_status: 'Done',
          at: '2026-01-09T11:29:08.000-08:00',
          actor_login: 'yukihiro-matsumoto',
        },
      ],
    },
    identifiers: [{ path: ['key'], kind: 'name' }],
  },
];

export interface RawPayloadArbitraryOptions {
  /**
   * Longest string a "huge string" mutation writes, in UTF-16 code units. Small by default so specs stay
   * fast; 1_048_576 for the real thing (a 1 MB field).
   */
  hugeStringMaxLength?: number;
  /** The samples to draw from (default: every provider and kind). */
  samples?: readonly RawPayloadSample[];
  /** Orgs the generated raw records belong to (slugs). */
  orgs?: readonly string[];
}

export const DEFAULT_HUGE_STRING_MAX_LENGTH = 4096;
const DEFAULT_ORGS = ['acme', 'default', 'fuzz-org'] as const;

/** A mutation of one field of a payload; the path is picked when it is applied (see pickPath). */
export type FieldMutation =
  | { kind: 'delete' }
  | { kind: 'wrong-type'; replacements: readonly JsonValue[] }
  | { kind: 'huge-string'; prefix: string; filler: string; length: number }
  | { kind: 'nul-string'; value: string }
  | { kind: 'invalid-date'; value: JsonValue }
  | { kind: 'extreme-number'; value: number };

/** A payload that is not the object its normalizer reads. */
export type PayloadMutation = { kind: 'not-json'; text: string } | { kind: 'replace-payload'; payload: JsonValue };

const INVALID_DATES: readonly JsonValue[] = ['2026-13-45T99:99:99Z', '', 'not a date', 1e20, -1];
// NaN and Infinity are not JSON; these are the extremes JSON can carry (-0 reads back as 0).
const EXTREME_NUMBERS: readonly number[] = [1e308, -1e308, -0, 2 ** 53 + 1, 2 ** 31, -(2 ** 31) - 1, -1, 0.5];
const NUL_STRINGS: readonly string[] = ['\u0000', 'a\u0000b', '\uD800', 'x\uDFFFy', '\u0000\uD83D', 'PAY-1\u0000'];
// Prefixes and fillers chosen against the normalizers' regular expressions (backtracking on long runs).
const HUGE_PREFIXES: readonly string[] = [
  '',
  'deployment',
  'status:',
  'sev',
  'refs/merge-requests/',
  '2026-01-01T00:00:00',
  '1',
];
const HUGE_FILLERS: readonly string[] = ['a', ' ', '0', '9', '-', 'A-1 ', '\t', '/', '\u0000'];

/** A long string: the prefix, then the filler repeated, `length` code units in all (or the prefix alone). */
export function hugeString(prefix: string, filler: string, length: number): string {
  return (prefix + filler.repeat(Math.ceil(length / filler.length))).slice(0, Math.max(length, prefix.length));
}

/**
 * Long strings a regular expression of the normalizers could backtrack on (a keyword, then a long run
 * of what may follow it), for a sweep of every field rather than a random pick.
 */
export const ADVERSARIAL_STRING_PATTERNS: readonly { prefix: string; filler: string }[] = [
  { prefix: '', filler: 'a' },
  { prefix: 'deployment', filler: ' ' },
  { prefix: 'status:', filler: ' ' },
  { prefix: 'sev', filler: '-' },
  { prefix: '', filler: 'A-1 ' },
  { prefix: 'refs/merge-requests/', filler: '1' },
  { prefix: '2026-01-01T00:00:00', filler: '0' },
  { prefix: '1', filler: '-' },
  { prefix: '', filler: '9' },
];

const typeOf = (value: JsonValue | undefined): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

/** Every path into the payload (objects' keys, arrays' indices), the root excluded. */
export function jsonPaths(value: JsonValue, prefix: JsonPath = []): JsonPath[] {
  if (Array.isArray(value))
    return value.flatMap((item, index) => [[...prefix, index], ...jsonPaths(item, [...prefix, index])]);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...jsonPaths(item, [...prefix, key])]);
  return [];
}

function getAt(value: JsonValue, path: JsonPath): JsonValue | undefined {
  let current: JsonValue | undefined = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = Array.isArray(current) ? current[Number(key)] : current[String(key)];
  }
  return current;
}

/** A copy of `value` with the node at `path` replaced by `replacement` (or removed, when undefined). */
function setAt(value: JsonValue, path: JsonPath, replacement: JsonValue | undefined): JsonValue {
  const [key, ...rest] = path;
  if (key === undefined) return replacement ?? null;
  if (Array.isArray(value)) {
    const index = Number(key);
    const copy = [...value];
    if (rest.length > 0) copy[index] = setAt(copy[index] ?? null, rest, replacement);
    else if (replacement === undefined) copy.splice(index, 1);
    else copy[index] = replacement;
    return copy;
  }
  if (value !== null && typeof value === 'object') {
    const copy = { ...value };
    const name = String(key);
    if (rest.length > 0) copy[name] = setAt(copy[name] ?? null, rest, replacement);
    else if (replacement === undefined) delete copy[name];
    else copy[name] = replacement;
    return copy;
  }
  return value;
}

/** What a mutation writes at a node that holds `current` (undefined: remove the node). */
function replacementFor(mutation: FieldMutation, current: JsonValue | undefined): JsonValue | undefined {
  switch (mutation.kind) {
    case 'delete':
      return undefined;
    case 'wrong-type':
      return mutation.replacements.find((candidate) => typeOf(candidate) !== typeOf(current)) ?? null;
    case 'huge-string':
      return hugeString(mutation.prefix, mutation.filler, mutation.length);
    case 'nul-string':
    case 'invalid-date':
    case 'extreme-number':
      return mutation.value;
  }
}

/** The payload with each mutation applied in turn, each at the path its selector picks among the current ones. */
export function applyMutations(
  payload: JsonValue,
  mutations: readonly { selector: number; mutation: FieldMutation }[],
): { payload: JsonValue; applied: string[] } {
  let current = payload;
  const applied: string[] = [];
  for (const { selector, mutation } of mutations) {
    const paths = jsonPaths(current);
    const path = paths[selector % Math.max(paths.length, 1)];
    if (path === undefined) continue;
    current = setAt(current, path, replacementFor(mutation, getAt(current, path)));
    applied.push(`${mutation.kind} at ${path.join('.')}`);
  }
  return { payload: current, applied };
}

const identifier = (kind: IdentifierKind): fc.Arbitrary<JsonValue> => {
  switch (kind) {
    case 'int':
      return fc.integer({ min: 1, max: 2 ** 31 - 1 });
    case 'sha':
      return fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 40, maxLength: 40 });
    case 'digits':
      return fc.integer({ min: 1, max: 2 ** 53 - 1 }).map(String);
    case 'name':
      // Not fc.stringMatching: it costs milliseconds a value.
      return fc
        .tuple(fc.constantFrom('ada', 'bob', 'platform', 'api', 'pay'), fc.integer({ min: 0, max: 2 ** 31 - 1 }))
        .map(([name, suffix]) => `${name}-${suffix.toString(36)}`);
  }
};

const orgOf = (options: RawPayloadArbitraryOptions) => fc.constantFrom(...(options.orgs ?? DEFAULT_ORGS));
const sampleOf = (options: RawPayloadArbitraryOptions) => {
  const samples = options.samples ?? RAW_PAYLOAD_SAMPLES;
  if (samples.length === 0) throw new Error('no raw payload samples to draw from');
  return fc.constantFrom(...samples);
};

/** Counterexamples print as provider/kind and what was done to the payload, not as a 1 MB string. */
function described(raw: RawRecord, description: string): RawRecord {
  Object.defineProperty(raw, fc.toStringMethod, {
    value: () => `${raw.provider}/${raw.entity_kind} [${description}] ${truncate(raw.payload, 400)}`,
    enumerable: false,
  });
  return raw;
}

const truncate = (text: string, length: number) =>
  text.length <= length ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, length))}… (${text.length} chars)`;

/** A sample of every (or the chosen) provider/kind with its identifiers randomized: a valid, distinct raw record. */
export function validRawRecord(options: RawPayloadArbitraryOptions = {}): fc.Arbitrary<RawRecord> {
  return sampleOf(options).chain((sample) =>
    fc
      .record({
        org: orgOf(options),
        sourceId: fc.integer({ min: 0, max: 2 ** 48 }),
        values: fc.tuple(...sample.identifiers.map(({ kind }) => identifier(kind))),
      })
      .map(({ org, sourceId, values }) => {
        const payload = sample.identifiers.reduce<JsonValue>(
          (current, { path }, index) => setAt(current, path, values[index] ?? null),
          sample.payload,
        );
        return described(
          rawRecordFixture(sample.provider, sample.entityKind, payload, {
            org_id: org,
            scope: sample.scope,
            source_id: `fuzz-${sourceId.toString(36)}`,
          }),
          'valid',
        );
      }),
  );
}

const wrongTypeValues: fc.Arbitrary<JsonValue[]> = fc.shuffledSubarray<JsonValue>(
  [0, 42, -1, 'x', '', '42', true, false, null, [], [1, 'a'], [null], {}, { a: 1 }, { nodes: null }],
  { minLength: 15, maxLength: 15 },
);

function fieldMutation(hugeStringMaxLength: number): fc.Arbitrary<FieldMutation> {
  return fc.oneof(
    fc.constant<FieldMutation>({ kind: 'delete' }),
    wrongTypeValues.map<FieldMutation>((replacements) => ({ kind: 'wrong-type', replacements })),
    fc
      .record({
        prefix: fc.constantFrom(...HUGE_PREFIXES),
        filler: fc.constantFrom(...HUGE_FILLERS),
        // Often the longest: that is where slowness shows.
        length: fc.oneof(fc.constant(hugeStringMaxLength), fc.integer({ min: 1, max: hugeStringMaxLength })),
      })
      .map<FieldMutation>((huge) => ({ kind: 'huge-string', ...huge })),
    fc.constantFrom(...NUL_STRINGS).map<FieldMutation>((value) => ({ kind: 'nul-string', value })),
    fc.constantFrom(...INVALID_DATES).map<FieldMutation>((value) => ({ kind: 'invalid-date', value })),
    fc.constantFrom(...EXTREME_NUMBERS).map<FieldMutation>((value) => ({ kind: 'extreme-number', value })),
  );
}

const payloadMutation: fc.Arbitrary<PayloadMutation> = fc.oneof(
  fc
    .constantFrom('not json', '{"truncated": ', '', '{\u0000}', "{'single': 'quotes'}")
    .map<PayloadMutation>((text) => ({ kind: 'not-json', text })),
  fc
    .constantFrom<JsonValue>([], null, {}, 'a string', 42, true)
    .map<PayloadMutation>((payload) => ({ kind: 'replace-payload', payload })),
);

/**
 * A sample with 1–4 random mutations at random paths (delete, wrong type, huge string, NULs and lone
 * surrogates, invalid dates, extreme numbers), or a payload that is not the object it should be at all
 * (not JSON, a JSON array, {}, null).
 */
export function mutatedRawRecord(options: RawPayloadArbitraryOptions = {}): fc.Arbitrary<RawRecord> {
  const hugeStringMaxLength = options.hugeStringMaxLength ?? DEFAULT_HUGE_STRING_MAX_LENGTH;
  const mutations = fc.array(
    fc.record({ selector: fc.nat({ max: 10_000 }), mutation: fieldMutation(hugeStringMaxLength) }),
    { minLength: 1, maxLength: 4 },
  );
  return fc
    .tuple(
      validRawRecord(options),
      fc.oneof({ weight: 9, arbitrary: mutations }, { weight: 1, arbitrary: payloadMutation }),
    )
    .map(([valid, mutation]) => {
      if (!Array.isArray(mutation)) {
        if (mutation.kind === 'not-json') return described({ ...valid, payload: mutation.text }, 'payload not JSON');
        // A JSON array of the sample is "a JSON array" too, and closer to what a confused connector sends.
        const payload = Array.isArray(mutation.payload) ? [JSON.parse(valid.payload) as JsonValue] : mutation.payload;
        return described({ ...valid, payload: JSON.stringify(payload) }, `payload replaced by ${typeOf(payload)}`);
      }
      const { payload, applied } = applyMutations(JSON.parse(valid.payload) as JsonValue, mutation);
      return described({ ...valid, payload: JSON.stringify(payload) }, applied.join('; '));
    });
}

/**
 * `count` raw records, the same for the same seed: valid and mutated alternately, cycling through every
 * provider/kind, so any count ≥ 2 × the number of kinds covers each kind both ways.
 */
export function fuzzCases(count: number, seed: number, options: RawPayloadArbitraryOptions = {}): RawRecord[] {
  const samples = options.samples ?? RAW_PAYLOAD_SAMPLES;
  return Array.from({ length: count }, (_, index) => {
    const sample = samples[Math.floor(index / 2) % samples.length];
    const chosen = { ...options, samples: sample ? [sample] : samples };
    const arbitrary = index % 2 === 0 ? validRawRecord(chosen) : mutatedRawRecord(chosen);
    const [record] = fc.sample(arbitrary, { seed: seed + index, numRuns: 1 });
    if (!record) throw new Error('fast-check generated no record');
    return record;
  });
}
