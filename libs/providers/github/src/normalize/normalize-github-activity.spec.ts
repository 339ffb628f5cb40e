import type {
  GitHubDeploymentPayload,
  GitHubIssuePayload,
  GitHubProjectItemStatusPayload,
  GitHubReviewCommentPayload,
  GitHubWorkflowRunPayload,
} from '../payloads';
import type {
  Deployment,
  Incident,
  PipelineJob,
  PipelineRun,
  ReviewComment,
  WorkItem,
  WorkItemTransition,
} from '@dev-health/schemas';
import { IdentityResolver, NormalizationError, createNormalize, rawRecordFixture } from '@dev-health/normalize';
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
const context = { provenance, identities: new IdentityResolver({ 'ada@acme.example': ['github:ada'] }) };

const raw = (entityKind: string, payload: unknown) => rawRecordFixture('github', entityKind, payload);

const records = <T>(entityKind: string, payload: unknown, entity: string): T[] =>
  normalize(raw(entityKind, payload), context)
    .filter((output) => output.entity === entity)
    .map((output) => output.record as T);

describe('GitHub deployments', () => {
  const deployment: GitHubDeploymentPayload = {
    repository_id: 4242,
    production: true,
    id: 'DE_1',
    databaseId: 77,
    environment: 'prod-eu',
    state: 'INACTIVE',
    task: 'deploy',
    commitOid: 'a'.repeat(40),
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
  };

  it('takes the latest status that is not INACTIVE (a newer deployment superseding it is not a failure)', () => {
    const [record] = records<Deployment>('deployment', deployment, 'deployment');
    expect(record).toMatchObject({
      id: 'acme/github:deployment:4242/77',
      repository_id: 'acme/github:repository:4242',
      environment: 'production',
      status: 'success',
      commit_sha: 'a'.repeat(40),
      created_at: Date.UTC(2026, 2, 2, 10),
      finished_at: Date.UTC(2026, 2, 2, 10, 6),
      // A status newer than Deployment.updatedAt still moves the version forward.
      updated_at: Date.UTC(2026, 2, 4, 9),
    });
  });

  it('maps failures, in-flight and superseded deployments, and keeps a non-production environment name', () => {
    const status = (nodes: { state: string; createdAt: string }[], extra: Partial<GitHubDeploymentPayload> = {}) =>
      records<Deployment>('deployment', { ...deployment, ...extra, statuses: { nodes } }, 'deployment')[0];
    expect(status([{ state: 'ERROR', createdAt: '2026-03-02T10:03:00Z' }])).toMatchObject({
      status: 'failed',
      finished_at: Date.UTC(2026, 2, 2, 10, 3),
    });
    expect(status([{ state: 'FAILURE', createdAt: '2026-03-02T10:03:00Z' }])?.status).toBe('failed');
    expect(status([{ state: 'QUEUED', createdAt: '2026-03-02T10:01:00Z' }])).toMatchObject({
      status: 'in_progress',
      finished_at: null,
    });
    expect(status([{ state: 'INACTIVE', createdAt: '2026-03-02T10:01:00Z' }])?.status).toBe('canceled');
    expect(status([], { state: 'ACTIVE' })?.status).toBe('in_progress');
    expect(status([], { production: false, environment: 'staging' })?.environment).toBe('staging');
  });

  it('sends an unmapped state or a payload without the production flag to the dead-letter topic', () => {
    expect(() =>
      normalize(
        raw('deployment', {
          ...deployment,
          statuses: { nodes: [{ state: 'EXPLODED', createdAt: deployment.createdAt }] },
        }),
        context,
      ),
    ).toThrow(new NormalizationError('github/deployment x: unmapped deployment state "EXPLODED"'));
    const { production: _production, ...withoutFlag } = deployment;
    expect(() => normalize(raw('deployment', withoutFlag), context)).toThrow(/"production"/);
  });
});

describe('GitHub workflow runs', () => {
  const run: GitHubWorkflowRunPayload = {
    repository_id: 4242,
    id: 9001,
    name: 'CI',
    event: 'push',
    status: 'completed',
    conclusion: 'timed_out',
    head_branch: 'main',
    head_sha: 'b'.repeat(40),
    created_at: '2026-03-02T10:00:00Z',
    updated_at: '2026-03-02T10:20:00Z',
    run_started_at: '2026-03-02T10:00:30Z',
    pull_requests: [],
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
  };

  it('turns a completed run into a pipeline run with its jobs, timed out counting as failed', () => {
    const [pipeline] = records<PipelineRun>('workflow_run', run, 'pipeline_run');
    expect(pipeline).toMatchObject({
      id: 'acme/github:pipeline_run:4242/9001',
      status: 'failed',
      pipeline_name: 'CI',
      branch: 'main',
      started_at: Date.UTC(2026, 2, 2, 10, 0, 30),
      finished_at: Date.UTC(2026, 2, 2, 10, 20),
    });
    const jobs = records<PipelineJob>('workflow_run', run, 'pipeline_job');
    expect(jobs.map((job) => [job.name, job.status, job.pipeline_run_id])).toEqual([
      ['build', 'success', pipeline?.id],
      ['e2e', 'canceled', pipeline?.id],
    ]);
  });

  it('links the run to the pull requests it ran for, by the PRs’ canonical ids', () => {
    const forPulls = { ...run, pull_requests: [{ number: 12 }, { number: 7 }, { number: 12 }] };
    expect(records<PipelineRun>('workflow_run', forPulls, 'pipeline_run')[0]?.pull_request_ids).toEqual([
      'acme/github:pull_request:4242/12',
      'acme/github:pull_request:4242/7',
    ]);
    expect(records<PipelineRun>('workflow_run', run, 'pipeline_run')[0]?.pull_request_ids).toEqual([]);
    expect(() => records('workflow_run', { ...run, pull_requests: [{ id: 3 }] }, 'pipeline_run')).toThrow(
      /"pull_requests"/,
    );
  });

  it('maps pending statuses and sends an unknown conclusion to the dead-letter topic', () => {
    const pending = { ...run, status: 'in_progress', conclusion: null, jobs: null };
    expect(records<PipelineRun>('workflow_run', pending, 'pipeline_run')[0]).toMatchObject({
      status: 'running',
      finished_at: null,
    });
    expect(records<PipelineRun>('workflow_run', { ...pending, status: 'waiting' }, 'pipeline_run')[0]?.status).toBe(
      'queued',
    );
    expect(() => normalize(raw('workflow_run', { ...run, conclusion: 'exploded' }), context)).toThrow(
      'unmapped workflow conclusion "exploded"',
    );
  });
});

describe('GitHub issues', () => {
  const at = (day: number, hour: number) =>
    `2026-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;
  const issue: GitHubIssuePayload = {
    repository_id: 4242,
    repository_full_name: 'acme-inc/api',
    incident: false,
    databaseId: 555,
    number: 12,
    title: 'Search is slow',
    body: '',
    state: 'CLOSED',
    stateReason: 'COMPLETED',
    createdAt: at(2, 9),
    updatedAt: at(6, 12),
    closedAt: at(6, 12),
    author: { login: 'cy' },
    labels: { nodes: [{ name: 'bug' }, { name: 'status: in review' }] },
    assignees: { nodes: [{ login: 'ada' }] },
    timelineItems: {
      nodes: [
        { __typename: 'AssignedEvent', createdAt: at(3, 10), actor: { login: 'cy' } },
        { __typename: 'LabeledEvent', createdAt: at(3, 11), actor: { login: 'cy' }, label: { name: 'bug' } },
        {
          __typename: 'LabeledEvent',
          createdAt: at(4, 10),
          actor: { login: 'ada' },
          label: { name: 'status: in review' },
        },
        { __typename: 'ClosedEvent', createdAt: at(5, 10), actor: { login: 'ada' }, stateReason: 'COMPLETED' },
        { __typename: 'ReopenedEvent', createdAt: at(5, 15), actor: { login: 'cy' } },
        { __typename: 'ClosedEvent', createdAt: at(6, 12), actor: { login: 'ada' }, stateReason: 'COMPLETED' },
      ],
    },
  };

  it('replays the timeline into transitions: opened, assigned, a workflow label, closed, reopened, closed', () => {
    const transitions = records<WorkItemTransition>('issue', issue, 'work_item_transition');
    expect(
      transitions.map((t) => [t.from_status, t.to_status, t.to_category, new Date(t.transitioned_at).toISOString()]),
    ).toEqual([
      [null, 'open', 'todo', '2026-03-02T09:00:00.000Z'],
      ['open', 'assigned', 'in_progress', '2026-03-03T10:00:00.000Z'],
      ['assigned', 'in review', 'in_progress', '2026-03-04T10:00:00.000Z'],
      ['in review', 'closed', 'done', '2026-03-05T10:00:00.000Z'],
      ['closed', 'in review', 'in_progress', '2026-03-05T15:00:00.000Z'],
      ['in review', 'closed', 'done', '2026-03-06T12:00:00.000Z'],
    ]);
    expect(new Set(transitions.map((t) => t.id)).size).toBe(transitions.length);
    const [item] = records<WorkItem>('issue', issue, 'work_item');
    expect(item).toMatchObject({
      id: 'acme/github:work_item:4242/12',
      work_scope_id: 'acme/github:repository:4242',
      key: 'acme-inc/api#12',
      type: 'bug',
      status: 'closed',
      status_category: 'done',
      assignee_identity_id: 'acme/identity:ada@acme.example',
      started_at: Date.UTC(2026, 2, 3, 10),
      // The last completion counts: the first close was undone by the reopen.
      completed_at: Date.UTC(2026, 2, 6, 12),
    });
    expect(records('issue', issue, 'incident')).toEqual([]);
  });

  it('closes as not planned into canceled, and trusts the issue state over a truncated timeline', () => {
    const notPlanned = {
      ...issue,
      stateReason: 'NOT_PLANNED',
      timelineItems: {
        nodes: [{ __typename: 'ClosedEvent', createdAt: at(3, 9), actor: null, stateReason: 'NOT_PLANNED' }],
      },
    };
    expect(records<WorkItem>('issue', notPlanned, 'work_item')[0]).toMatchObject({
      status: 'not planned',
      status_category: 'canceled',
      completed_at: null,
    });
    const truncated = { ...issue, timelineItems: { nodes: [] } };
    expect(records<WorkItem>('issue', truncated, 'work_item')[0]).toMatchObject({
      status: 'closed',
      status_category: 'done',
    });
  });

  it('makes an incident-labelled issue an incident with its severity and the deployment it names', () => {
    const incident = {
      ...issue,
      incident: true,
      labels: { nodes: [{ name: 'Incident' }, { name: 'sev-1' }] },
      body: 'Checkout failing since https://github.com/acme-inc/api/deployments/77 went out',
    };
    const [record] = records<Incident>('issue', incident, 'incident');
    expect(record).toMatchObject({
      id: 'acme/github:incident:4242/12',
      severity: 'sev1',
      status: 'resolved',
      started_at: Date.UTC(2026, 2, 2, 9),
      resolved_at: Date.UTC(2026, 2, 6, 12),
      deployment_id: 'acme/github:deployment:4242/77',
    });
    expect(records<WorkItem>('issue', incident, 'work_item')[0]?.type).toBe('incident');
    const open = { ...incident, state: 'OPEN', closedAt: null, body: 'no link', timelineItems: { nodes: [] } };
    expect(records<Incident>('issue', open, 'incident')[0]).toMatchObject({
      status: 'open',
      resolved_at: null,
      deployment_id: null,
    });
  });

  it('sends an unknown state reason or timeline item to the dead-letter topic', () => {
    const reason = {
      ...issue,
      timelineItems: { nodes: [{ __typename: 'ClosedEvent', createdAt: at(3, 9), actor: null, stateReason: 'SPAM' }] },
    };
    expect(() => normalize(raw('issue', reason), context)).toThrow('unmapped state reason "SPAM"');
    const item = {
      ...issue,
      timelineItems: { nodes: [{ __typename: 'PinnedEvent', createdAt: at(3, 9), actor: null }] },
    };
    expect(() => normalize(raw('issue', item), context)).toThrow('unmapped timeline item "PinnedEvent"');
  });
});

describe('GitHub review comments', () => {
  const comment: GitHubReviewCommentPayload = {
    repository_id: 4242,
    pull_number: 7,
    id: 31,
    pull_request_review_id: 1,
    path: 'src/search.ts',
    created_at: '2026-03-03T07:59:00+01:00',
    updated_at: '2026-03-03T08:00:00Z',
    user: { login: 'ada' },
  };

  it('puts a comment on its PR, by the repository id and PR number, in UTC', () => {
    expect(records<ReviewComment>('review_comment', comment, 'review_comment')[0]).toMatchObject({
      id: 'acme/github:review_comment:4242/31',
      pull_request_id: 'acme/github:pull_request:4242/7',
      repository_id: 'acme/github:repository:4242',
      author_identity_id: 'acme/identity:ada@acme.example',
      created_at: Date.UTC(2026, 2, 3, 6, 59),
      path: 'src/search.ts',
    });
    expect(() => normalize(raw('review_comment', { ...comment, pull_number: '7' }), context)).toThrow(/"pull_number"/);
  });
});

describe('GitHub Projects (v2) status changes', () => {
  const change: GitHubProjectItemStatusPayload = {
    project_number: 3,
    item_id: 501,
    repository_id: 4242,
    issue_number: 17,
    from_status: 'Todo',
    to_status: 'In Review',
    changed_at: '2026-03-05T09:30:00Z',
  };

  it('becomes a transition of the issue’s work item, categories from the status names', () => {
    const [transition] = records<WorkItemTransition>('project_item_status', change, 'work_item_transition');
    expect(transition).toMatchObject({
      work_item_id: 'acme/github:work_item:4242/17',
      from_status: 'Todo',
      to_status: 'In Review',
      from_category: 'todo',
      to_category: 'in_progress',
      transitioned_at: Date.UTC(2026, 2, 5, 9, 30),
      actor_identity_id: null,
    });
    // First seen: from nothing. The id does not depend on what it came from: a re-run is one row.
    const [first] = records<WorkItemTransition>(
      'project_item_status',
      { ...change, from_status: null },
      'work_item_transition',
    );
    expect(first).toMatchObject({ from_status: null, from_category: null, to_category: 'in_progress' });
    expect(first?.id).toBe(transition?.id);
    const done = records<WorkItemTransition>(
      'project_item_status',
      { ...change, to_status: 'Done' },
      'work_item_transition',
    );
    expect(done[0]?.to_category).toBe('done');
    expect(done[0]?.id).not.toBe(transition?.id);
  });

  it('sends a change without a status to the dead-letter topic', () => {
    expect(() => records('project_item_status', { ...change, to_status: null }, 'work_item_transition')).toThrow(
      NormalizationError,
    );
  });
});
