import type {
  Deployment,
  Incident,
  PipelineJob,
  PipelineRun,
  PullRequest,
  Review,
  ReviewComment,
  WorkItem,
  WorkItemTransition,
} from '@dev-health/schemas';
import {
  FIXTURE_PROVENANCE,
  IdentityResolver,
  NormalizationError,
  createNormalize,
  rawRecordFixture,
} from '@dev-health/normalize';
import type {
  GitLabDeploymentPayload,
  GitLabIssuePayload,
  GitLabMergeRequestPayload,
  GitLabPipelinePayload,
} from '../payloads';
import { GITLAB_NORMALIZERS } from './normalize-gitlab';

const normalize = createNormalize({ gitlab: GITLAB_NORMALIZERS });
const context = { provenance: FIXTURE_PROVENANCE, identities: new IdentityResolver({}) };
const raw = (entityKind: string, payload: unknown) => rawRecordFixture('gitlab', entityKind, payload);
const user = (username: string, id = 1) => ({ id, username, name: username });
const of = <T>(outputs: { entity: string; record: unknown }[], entity: string) =>
  outputs.filter((output) => output.entity === entity).map((output) => output.record as T);

// Shaped after GitLab's documented examples (REST v4), with what the connector adds.
const mergeRequest: GitLabMergeRequestPayload = {
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
  merge_commit_sha: 'm'.repeat(40),
  author: user('bob'),
  reviewers: [user('ada', 2)],
  labels: ['backend'],
  changes_count: '7',
  notes: [
    {
      id: 1,
      body: 'requested review from @ada',
      system: true,
      type: null,
      author: user('bob'),
      created_at: '2026-03-02T10:05:00.000Z',
    },
    {
      id: 2,
      body: 'This loop is quadratic',
      system: false,
      type: 'DiffNote',
      author: user('ada', 2),
      created_at: '2026-03-02T11:00:00.000Z',
      position: { new_path: 'src/search.ts' },
    },
    {
      id: 3,
      body: 'Fixed, thanks',
      system: false,
      type: null,
      author: user('bob'),
      created_at: '2026-03-02T12:00:00.000Z',
    },
    {
      id: 4,
      body: 'approved this merge request',
      system: true,
      type: null,
      author: user('ada', 2),
      created_at: '2026-03-03T08:00:00.000Z',
    },
  ],
  approved_by: [{ user: user('ada', 2) }],
  closes_issues: [{ iid: 5, project_id: 3 }],
};

describe('GitLab normalizers', () => {
  it('an MR → pull request, its approval (system note) and first comment → reviews, a diff note → review comment', () => {
    const outputs = normalize(raw('merge_request', mergeRequest), context);
    const [pr] = of<PullRequest>(outputs, 'pull_request');
    expect(pr).toMatchObject({
      id: 'acme/gitlab:pull_request:3/12',
      repository_id: 'acme/gitlab:repository:3',
      number: 12,
      state: 'merged',
      changed_files: 7,
      is_draft: true,
      base_branch: 'main',
      head_branch: 'search',
      closing_work_item_ids: ['acme/gitlab:work_item:3/5'],
      merged_at: Date.parse('2026-03-03T08:30:00Z'),
    });
    const reviews = of<Review>(outputs, 'review');
    expect(reviews.map((review) => [review.state, review.submitted_at])).toEqual([
      ['commented', Date.parse('2026-03-02T11:00:00Z')],
      ['approved', Date.parse('2026-03-03T08:00:00Z')],
    ]);
    // The author's own reply is neither a review nor a review comment; "requested review" is bookkeeping.
    const comments = of<ReviewComment>(outputs, 'review_comment');
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatchObject({ path: 'src/search.ts', pull_request_id: pr?.id });
  });

  it('counts "1000+" changes as GitLab states them, and sends an unknown MR state to the DLQ by name', () => {
    const [pr] = of<PullRequest>(
      normalize(raw('merge_request', { ...mergeRequest, changes_count: '1000+' }), context),
      'pull_request',
    );
    expect(pr?.changed_files).toBe(1000);
    expect(() => normalize(raw('merge_request', { ...mergeRequest, state: 'frozen' }), context)).toThrow(
      /unmapped merge request state "frozen"/,
    );
    expect(() => normalize(raw('merge_request', { ...mergeRequest, notes: 'none' }), context)).toThrow(
      NormalizationError,
    );
  });

  it('a pipeline of an MR → pipeline run linked to the MR, its jobs → pipeline jobs, every status mapped', () => {
    const pipeline: GitLabPipelinePayload = {
      id: 46,
      iid: 11,
      project_id: 3,
      sha: 'a'.repeat(40),
      ref: 'refs/merge-requests/12/head',
      status: 'failed',
      source: 'merge_request_event',
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
    };
    const outputs = normalize(raw('pipeline', pipeline), context);
    expect(of<PipelineRun>(outputs, 'pipeline_run')[0]).toMatchObject({
      status: 'failed',
      branch: null,
      pull_request_ids: ['acme/gitlab:pull_request:3/12'],
      finished_at: Date.parse('2026-03-02T10:19:00Z'),
    });
    expect(of<PipelineJob>(outputs, 'pipeline_job').map((job) => [job.name, job.status])).toEqual([
      ['test', 'failed'],
      ['deploy', 'skipped'],
    ]);
    // From the list (no timings of its own): its jobs' first start and last finish.
    const listed = { ...pipeline, started_at: undefined, finished_at: undefined };
    expect(of<PipelineRun>(normalize(raw('pipeline', listed), context), 'pipeline_run')[0]).toMatchObject({
      started_at: Date.parse('2026-03-02T10:11:00Z'),
      finished_at: Date.parse('2026-03-02T10:19:00Z'),
    });
    for (const status of [
      'created',
      'waiting_for_resource',
      'preparing',
      'pending',
      'running',
      'success',
      'canceled',
      'manual',
      'scheduled',
    ])
      expect(() => normalize(raw('pipeline', { ...pipeline, status, jobs: null }), context)).not.toThrow();
    expect(() => normalize(raw('pipeline', { ...pipeline, status: 'exploded', jobs: null }), context)).toThrow(
      /unmapped pipeline status "exploded"/,
    );
  });

  it('a deployment to a production-tier environment counts as production; others keep their name', () => {
    const deployment: GitLabDeploymentPayload = {
      id: 42,
      iid: 2,
      project_id: 3,
      ref: 'main',
      sha: 'b'.repeat(40),
      status: 'success',
      created_at: '2026-03-03T09:00:00.000Z',
      updated_at: '2026-03-03T09:05:00.000Z',
      finished_at: '2026-03-03T09:05:00.000Z',
      user: user('ops', 9),
      environment: { id: 9, name: 'prd-eu', tier: 'production' },
      production: true,
    };
    expect(of<Deployment>(normalize(raw('deployment', deployment), context), 'deployment')[0]).toMatchObject({
      environment: 'production',
      status: 'success',
      finished_at: Date.parse('2026-03-03T09:05:00Z'),
    });
    const staging = { ...deployment, status: 'running', production: false, environment: { id: 8, name: 'staging' } };
    expect(of<Deployment>(normalize(raw('deployment', staging), context), 'deployment')[0]).toMatchObject({
      environment: 'staging',
      status: 'in_progress',
      finished_at: null,
    });
  });

  it('an incident issue → work item with its state and label events as transitions, and an incident', () => {
    const issue: GitLabIssuePayload = {
      id: 501,
      iid: 5,
      project_id: 3,
      project_path: 'acme/platform/api',
      title: 'Checkout down',
      state: 'closed',
      issue_type: 'incident',
      labels: ['severity::2'],
      milestone: { title: '2026.3' },
      iteration: { title: 'Sprint 12' },
      weight: 3,
      author: user('ops', 9),
      assignees: [user('ada', 2)],
      created_at: '2026-03-03T10:00:00.000Z',
      updated_at: '2026-03-03T12:00:00.000Z',
      closed_at: '2026-03-03T12:00:00.000Z',
      state_events: [{ id: 1, state: 'closed', created_at: '2026-03-03T12:00:00.000Z', user: user('ada', 2) }],
      label_events: [
        {
          id: 2,
          action: 'add',
          label: { name: 'workflow::in progress' },
          created_at: '2026-03-03T10:30:00.000Z',
          user: user('ada', 2),
        },
      ],
      incident: true,
    };
    const outputs = normalize(raw('issue', issue), context);
    expect(of<WorkItem>(outputs, 'work_item')[0]).toMatchObject({
      key: 'acme/platform/api#5',
      type: 'incident',
      milestone: '2026.3',
      iteration: 'Sprint 12',
      estimate: 3,
      status_category: 'done',
      started_at: Date.parse('2026-03-03T10:30:00Z'),
      completed_at: Date.parse('2026-03-03T12:00:00Z'),
    });
    expect(
      of<WorkItemTransition>(outputs, 'work_item_transition').map((t) => [t.from_category, t.to_category]),
    ).toEqual([
      [null, 'todo'],
      ['todo', 'in_progress'],
      ['in_progress', 'done'],
    ]);
    expect(of<Incident>(outputs, 'incident')[0]).toMatchObject({
      severity: '2',
      status: 'resolved',
      started_at: Date.parse('2026-03-03T10:00:00Z'),
      resolved_at: Date.parse('2026-03-03T12:00:00Z'),
    });
    expect(() =>
      normalize(
        raw('issue', {
          ...issue,
          state_events: [{ id: 3, state: 'merged', created_at: issue.created_at, user: null }],
        }),
        context,
      ),
    ).toThrow(/unmapped issue state event "merged"/);
  });
});

describe('GitLab commits', () => {
  const commit = (email: string) => ({
    project_id: 3,
    sha: 'c'.repeat(40),
    parents: [],
    author: { name: 'Cy', email, timestamp: 1_767_225_600, timezone: '+0100' },
    committer: { name: 'Cy', email, timestamp: 1_767_225_600, timezone: '+0100' },
    subject: 'Fix search',
    files: [{ path: 'src/search.ts', additions: 3, deletions: 1 }],
  });

  it('a commit from the clone → commit of the project, its noreply author → the GitLab account', () => {
    const outputs = normalize(raw('commit', commit('3-cy@users.noreply.gitlab.example')), context);
    const [stored] = of<{ repository_id: string; author_identity_id: string }>(outputs, 'commit');
    expect(stored?.repository_id).toBe('acme/gitlab:repository:3');
    const mr = normalize(raw('merge_request', { ...mergeRequest, author: user('cy', 3) }), context);
    const [pr] = of<PullRequest>(mr, 'pull_request');
    expect(stored?.author_identity_id).toBe(pr?.author_identity_id);
    // A real address stays its own identity (the identity table can join it to the account).
    const [plain] = of<{ author_identity_id: string }>(
      normalize(raw('commit', commit('cy@acme.example')), context),
      'commit',
    );
    expect(plain?.author_identity_id).not.toBe(pr?.author_identity_id);
  });
});
