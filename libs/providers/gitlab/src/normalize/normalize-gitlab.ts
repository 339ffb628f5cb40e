import {
  type DeploymentStatus,
  type PipelineStatus,
  type PullRequestState,
  type RawRecord,
  canonicalId,
} from '@dev-health/schemas';
import { gitLogCommitOutputs } from '@dev-health/git/normalize';
import {
  type CanonicalOutput,
  type Normalizer,
  NormalizationError,
  isArray,
  isBoolean,
  isInt,
  isNullableInt,
  isNullableString,
  isNumber,
  isObject,
  isString,
  isStringArray,
  optionalString,
  parsePayload,
  requireShape,
  statusTransitions,
  utcMillis,
  utcMillisOrNull,
  vocabulary,
  workItemKeys,
} from '@dev-health/normalize';
import type {
  GitLabDeploymentPayload,
  GitLabIssuePayload,
  GitLabJob,
  GitLabLabelEvent,
  GitLabMergeRequestPayload,
  GitLabNote,
  GitLabPipelinePayload,
  GitLabProjectPayload,
  GitLabStateEvent,
} from '../payloads';
import {
  PROVIDER,
  gitlabIssueId,
  gitlabMergeRequestId,
  gitlabProjectId,
  identityOutputs,
  personId,
  usernameKey,
  usernameOf,
} from './common';

/** GitLab's documented values, each mapped; anything else is an unmapped value (the DLQ, by name). */
const mergeRequestState = vocabulary<PullRequestState>(PROVIDER, 'merge request state', {
  opened: 'open',
  locked: 'open',
  closed: 'closed',
  merged: 'merged',
});
const pipelineStatus = vocabulary<PipelineStatus>(PROVIDER, 'pipeline status', {
  created: 'queued',
  waiting_for_resource: 'queued',
  preparing: 'queued',
  pending: 'queued',
  scheduled: 'queued',
  manual: 'queued',
  running: 'running',
  success: 'success',
  failed: 'failed',
  canceled: 'canceled',
  canceling: 'canceled',
  skipped: 'skipped',
});
const deploymentStatus = vocabulary<DeploymentStatus>(PROVIDER, 'deployment status', {
  created: 'in_progress',
  blocked: 'in_progress',
  running: 'in_progress',
  success: 'success',
  failed: 'failed',
  canceled: 'canceled',
  skipped: 'canceled',
});
const FINISHED_PIPELINE = new Set(['success', 'failed', 'canceled', 'skipped']);

const normalizeProject: Normalizer = (raw, context) => {
  const project = requireShape<GitLabProjectPayload>(raw, parsePayload(raw), {
    id: isNumber,
    name: isString,
    path_with_namespace: isString,
    web_url: isString,
    default_branch: isNullableString,
    created_at: isString,
  });
  return [
    {
      entity: 'repository',
      record: {
        id: gitlabProjectId(context.org, project.id),
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        name: project.name,
        full_name: project.path_with_namespace,
        url: project.web_url,
        default_branch: project.default_branch ?? null,
        created_at: utcMillis(raw, 'created_at', project.created_at),
      },
    },
  ];
};

/** "12" or "1000+" (GitLab stops counting a diff's files at its limit): the number it states. */
function changedFiles(raw: RawRecord, value: string | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const count = Number.parseInt(value, 10);
  if (!isInt(count) || count < 0)
    throw new NormalizationError(`gitlab/merge_request ${raw.source_id}: field "changes_count" is "${value}"`);
  return count;
}

/** System notes GitLab writes for review verdicts; every other system note is not a review. */
const APPROVED = /^approved this merge request$/i;
const CHANGES_REQUESTED = /^requested changes$/i;

const normalizeMergeRequest: Normalizer = (raw, context) => {
  const mr = requireShape<GitLabMergeRequestPayload>(raw, parsePayload(raw), {
    id: isNumber,
    iid: isInt,
    project_id: isNumber,
    title: isString,
    state: isString,
    created_at: isString,
    updated_at: isString,
    merged_at: isNullableString,
    closed_at: isNullableString,
    target_branch: isString,
    source_branch: isString,
    merge_commit_sha: isNullableString,
    squash_commit_sha: isNullableString,
    additions: isNullableInt,
    deletions: isNullableInt,
    labels: isStringArray,
    notes: isArray,
    approved_by: isArray,
    closes_issues: isArray,
  });
  const repositoryId = gitlabProjectId(context.org, mr.project_id);
  const pullRequestId = gitlabMergeRequestId(context.org, mr.project_id, mr.iid);
  const author = usernameOf(raw, 'author', mr.author);
  const reviewers = (mr.reviewers ?? []).map((reviewer, index) => usernameOf(raw, `reviewers[${index}]`, reviewer));
  const outputs: CanonicalOutput[] = [
    {
      entity: 'pull_request',
      record: {
        id: pullRequestId,
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        repository_id: repositoryId,
        number: mr.iid,
        title: mr.title,
        state: mergeRequestState(raw, mr.state),
        author_identity_id: personId(context, author),
        created_at: utcMillis(raw, 'created_at', mr.created_at),
        merged_at: utcMillisOrNull(raw, 'merged_at', mr.merged_at),
        closed_at: utcMillisOrNull(raw, 'closed_at', mr.closed_at),
        base_branch: mr.target_branch,
        head_branch: mr.source_branch,
        merge_commit_sha: mr.merge_commit_sha ?? mr.squash_commit_sha ?? null,
        // Counted by the connector from the MR's diffs (absent: an older payload, nothing known).
        additions: typeof mr.additions === 'number' ? mr.additions : 0,
        deletions: typeof mr.deletions === 'number' ? mr.deletions : 0,
        changed_files: changedFiles(raw, mr.changes_count),
        is_revert: mr.title.startsWith('Revert "'),
        is_draft: mr.draft === true,
        labels: mr.labels.map(String),
        requested_reviewer_identity_ids: reviewers.map((username) => personId(context, username)),
        closing_work_item_ids: mr.closes_issues.map((issue) =>
          gitlabIssueId(
            context.org,
            requireShape<{ project_id: number; iid: number }>(raw, issue, { project_id: isNumber, iid: isNumber })
              .project_id,
            issue.iid,
          ),
        ),
        work_item_keys: workItemKeys(mr.title, mr.source_branch),
        updated_at: utcMillis(raw, 'updated_at', mr.updated_at),
      },
    },
  ];
  const people = new Set([author, ...reviewers]);
  const reviewed = new Set<string>();
  for (const item of mr.notes) {
    const note = requireShape<GitLabNote>(raw, item, {
      id: isNumber,
      body: isString,
      system: isBoolean,
      created_at: isString,
    });
    const by = usernameOf(raw, 'notes.author', note.author);
    const review = (state: 'approved' | 'changes_requested' | 'commented') => {
      people.add(by);
      outputs.push({
        entity: 'review',
        record: {
          id: canonicalId(context.org, PROVIDER, 'review', mr.project_id, mr.iid, note.id),
          provider: PROVIDER,
          org_id: context.org,
          provenance: context.provenance,
          pull_request_id: pullRequestId,
          repository_id: repositoryId,
          reviewer_identity_id: personId(context, by),
          state,
          submitted_at: utcMillis(raw, 'notes.created_at', note.created_at),
        },
      });
    };
    if (note.system) {
      // System notes are GitLab's own bookkeeping; only review verdicts among them count.
      if (APPROVED.test(note.body.trim())) review('approved');
      else if (CHANGES_REQUESTED.test(note.body.trim())) review('changes_requested');
      continue;
    }
    if (by === author) continue;
    // A reviewer's first comment is their review; every diff comment is a review comment.
    if (!reviewed.has(by)) {
      reviewed.add(by);
      review('commented');
    }
    if (note.type === 'DiffNote') {
      people.add(by);
      outputs.push({
        entity: 'review_comment',
        record: {
          id: canonicalId(context.org, PROVIDER, 'review_comment', mr.project_id, note.id),
          provider: PROVIDER,
          org_id: context.org,
          provenance: context.provenance,
          pull_request_id: pullRequestId,
          repository_id: repositoryId,
          author_identity_id: personId(context, by),
          created_at: utcMillis(raw, 'notes.created_at', note.created_at),
          path:
            optionalString(raw, 'notes.position.new_path', note.position?.new_path) ??
            optionalString(raw, 'notes.position.old_path', note.position?.old_path),
        },
      });
    }
  }
  return [...outputs, ...identityOutputs(context, people)];
};

const earliest = (times: string[]): string | null =>
  times.length === 0 ? null : times.reduce((a, b) => (a < b ? a : b));
const latest = (times: string[]): string | null =>
  times.length === 0 ? null : times.reduce((a, b) => (a > b ? a : b));

/** An MR pipeline's ref: refs/merge-requests/<iid>/head (or /merge, /train). */
const MERGE_REQUEST_REF = /^refs\/merge-requests\/(\d+)\//;

const normalizePipeline: Normalizer = (raw, context) => {
  const pipeline = requireShape<GitLabPipelinePayload>(raw, parsePayload(raw), {
    id: isNumber,
    project_id: isNumber,
    sha: isString,
    ref: isString,
    status: isString,
    name: isNullableString,
    created_at: isString,
    updated_at: isString,
  });
  if (pipeline.jobs !== null && !Array.isArray(pipeline.jobs))
    throw new NormalizationError(`gitlab/pipeline ${raw.source_id}: field "jobs" is not a list`);
  const repositoryId = gitlabProjectId(context.org, pipeline.project_id);
  const runId = canonicalId(context.org, PROVIDER, 'pipeline_run', pipeline.project_id, pipeline.id);
  const mergeRequest = MERGE_REQUEST_REF.exec(pipeline.ref)?.[1];
  const status = pipelineStatus(raw, pipeline.status);
  const jobTimes = (field: 'started_at' | 'finished_at') =>
    (pipeline.jobs ?? []).flatMap((job) => (typeof job?.[field] === 'string' ? [job[field]] : []));
  const outputs: CanonicalOutput[] = [
    {
      entity: 'pipeline_run',
      record: {
        id: runId,
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        repository_id: repositoryId,
        pipeline_name: pipeline.name ?? null,
        status,
        commit_sha: pipeline.sha,
        branch: mergeRequest ? null : pipeline.ref,
        pull_request_ids: mergeRequest
          ? [gitlabMergeRequestId(context.org, pipeline.project_id, Number(mergeRequest))]
          : [],
        created_at: utcMillis(raw, 'created_at', pipeline.created_at),
        // The list has no timings (only the single pipeline does): its jobs' first start and last finish.
        started_at: utcMillisOrNull(raw, 'started_at', pipeline.started_at ?? earliest(jobTimes('started_at'))),
        finished_at: FINISHED_PIPELINE.has(pipeline.status)
          ? utcMillisOrNull(
              raw,
              'finished_at',
              pipeline.finished_at ?? latest(jobTimes('finished_at')) ?? pipeline.updated_at,
            )
          : null,
        updated_at: utcMillis(raw, 'updated_at', pipeline.updated_at),
      },
    },
  ];
  for (const item of pipeline.jobs ?? []) {
    const job = requireShape<GitLabJob>(raw, item, {
      id: isNumber,
      name: isString,
      status: isString,
      started_at: isNullableString,
      finished_at: isNullableString,
    });
    outputs.push({
      entity: 'pipeline_job',
      record: {
        id: canonicalId(context.org, PROVIDER, 'pipeline_job', pipeline.project_id, job.id),
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        pipeline_run_id: runId,
        repository_id: repositoryId,
        name: job.name,
        status: pipelineStatus(raw, job.status),
        started_at: utcMillisOrNull(raw, 'jobs.started_at', job.started_at),
        finished_at: utcMillisOrNull(raw, 'jobs.finished_at', job.finished_at),
      },
    });
  }
  return outputs;
};

const normalizeDeployment: Normalizer = (raw, context) => {
  const deployment = requireShape<GitLabDeploymentPayload>(raw, parsePayload(raw), {
    id: isNumber,
    iid: isNumber,
    project_id: isNumber,
    sha: isString,
    status: isString,
    created_at: isString,
    updated_at: isString,
    environment: isObject,
    production: isBoolean,
  });
  const environment = requireShape<{ name: string }>(raw, deployment.environment, { name: isString });
  const status = deploymentStatus(raw, deployment.status);
  const deployer = usernameOf(raw, 'user', deployment.user);
  return [
    {
      entity: 'deployment',
      record: {
        // By iid, the number GitLab shows and an incident names ("deployment #2").
        id: canonicalId(context.org, PROVIDER, 'deployment', deployment.project_id, deployment.iid),
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        repository_id: gitlabProjectId(context.org, deployment.project_id),
        // DORA counts environment = 'production'; the raw name stays visible for everything else.
        environment: deployment.production ? 'production' : environment.name,
        status,
        commit_sha: deployment.sha,
        service: null,
        created_at: utcMillis(raw, 'created_at', deployment.created_at),
        finished_at:
          status === 'in_progress'
            ? null
            : utcMillis(raw, 'finished_at', deployment.finished_at ?? deployment.updated_at),
        updated_at: utcMillis(raw, 'updated_at', deployment.updated_at),
      },
    },
    ...identityOutputs(context, [deployer]),
  ];
};

/** A deployment an incident's description names: `deployment #42`, `deployment 42` or a `/deployments/42` URL. */
function referencedDeployment(description: string): number | null {
  const match = /\bdeployments?\s+#?(\d+)\b/i.exec(description) ?? /\/deployments\/(\d+)\b/.exec(description);
  return match ? Number(match[1]) : null;
}

type Status = { status: string; category: 'todo' | 'in_progress' | 'done' };
const stateEvent = vocabulary<'opened' | 'closed' | 'reopened'>(PROVIDER, 'issue state event', {
  opened: 'opened',
  closed: 'closed',
  reopened: 'reopened',
});
/** A label that says work started (scoped workflow labels, or the usual names). */
const IN_PROGRESS_LABEL = /^(workflow::)?(in[ _-]?progress|doing)$/i;

/**
 * An issue → work_item; its state events (opened/closed/reopened) and in-progress label events →
 * work_item_transitions, replayed in time order; an incident also → incident.
 */
const normalizeIssue: Normalizer = (raw, context) => {
  const issue = requireShape<GitLabIssuePayload>(raw, parsePayload(raw), {
    id: isNumber,
    iid: isNumber,
    project_id: isNumber,
    project_path: isString,
    title: isString,
    state: isString,
    labels: isStringArray,
    created_at: isString,
    updated_at: isString,
    closed_at: isNullableString,
    state_events: isArray,
    label_events: isArray,
    incident: isBoolean,
  });
  if (issue.state !== 'opened' && issue.state !== 'closed')
    throw new NormalizationError(`gitlab/issue ${raw.source_id}: unmapped state "${issue.state}"`);
  const events: { at: string; actor: string | null; to: Status }[] = [];
  for (const item of issue.state_events) {
    const event = requireShape<GitLabStateEvent>(raw, item, { state: isString, created_at: isString });
    const state = stateEvent(raw, event.state);
    // "opened" is the creation, already the first change.
    if (state === 'opened') continue;
    const to: Status =
      state === 'closed' ? { status: 'closed', category: 'done' } : { status: 'reopened', category: 'todo' };
    events.push({
      at: event.created_at,
      actor: event.user ? usernameOf(raw, 'state_events.user', event.user) : null,
      to,
    });
  }
  for (const item of issue.label_events) {
    const event = requireShape<GitLabLabelEvent>(raw, item, { action: isString, created_at: isString });
    if (event.action === 'add' && IN_PROGRESS_LABEL.test(event.label?.name ?? ''))
      events.push({
        at: event.created_at,
        actor: event.user ? usernameOf(raw, 'label_events.user', event.user) : null,
        to: { status: 'in_progress', category: 'in_progress' },
      });
  }
  events.sort((a, b) => a.at.localeCompare(b.at));
  const author = usernameOf(raw, 'author', issue.author);
  const changes = [
    { at: issue.created_at, actor: author, to: { status: 'open', category: 'todo' } as Status },
    ...events,
  ];
  const itemId = gitlabIssueId(context.org, issue.project_id, issue.iid);
  const transitions = statusTransitions(
    context,
    PROVIDER,
    itemId,
    [issue.project_id, issue.iid],
    changes.map((change) => ({
      at: utcMillis(raw, 'events.created_at', change.at),
      actorId: change.actor === null ? null : personId(context, change.actor),
      to: change.to,
    })),
  );
  // The issue's own state is authoritative over the replayed events.
  const closed = issue.state === 'closed';
  const started = transitions.find((transition) => transition.to_category === 'in_progress');
  const lastDone = [...transitions].reverse().find((transition) => transition.to_category === 'done');
  const closedAt = utcMillisOrNull(raw, 'closed_at', issue.closed_at);
  const replayed = changes.at(-1)?.to;
  const status: Status = closed
    ? { status: 'closed', category: 'done' }
    : replayed && replayed.category !== 'done'
      ? replayed
      : { status: 'open', category: 'todo' };
  const labels = issue.labels.map(String);
  const assignee = issue.assignees?.[0];
  const outputs: CanonicalOutput[] = [
    {
      entity: 'work_item',
      record: {
        id: itemId,
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        work_scope_id: gitlabProjectId(context.org, issue.project_id),
        key: `${issue.project_path}#${issue.iid}`,
        title: issue.title,
        type: issue.incident
          ? 'incident'
          : labels.some((label) => /^(type::)?bug$/i.test(label))
            ? 'bug'
            : labels.some((label) => /^(type::)?(feature|story)$/i.test(label))
              ? 'story'
              : 'task',
        status: status.status,
        status_category: status.category,
        assignee_identity_id: assignee ? personId(context, usernameOf(raw, 'assignees[0]', assignee)) : null,
        reporter_identity_id: personId(context, author),
        team_id: null,
        milestone: optionalString(raw, 'milestone.title', issue.milestone?.title),
        iteration: optionalString(raw, 'iteration.title', issue.iteration?.title),
        estimate: typeof issue.weight === 'number' ? issue.weight : null,
        priority: null,
        labels,
        components: [],
        parent_work_item_id: null,
        created_at: utcMillis(raw, 'created_at', issue.created_at),
        started_at: started?.transitioned_at ?? null,
        completed_at: status.category === 'done' ? (lastDone?.transitioned_at ?? closedAt) : null,
        updated_at: utcMillis(raw, 'updated_at', issue.updated_at),
      },
    },
    ...transitions.map((record) => ({ entity: 'work_item_transition' as const, record })),
  ];
  if (issue.incident)
    outputs.push({
      entity: 'incident',
      record: {
        id: canonicalId(context.org, PROVIDER, 'incident', issue.project_id, issue.iid),
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        repository_id: gitlabProjectId(context.org, issue.project_id),
        service: null,
        title: issue.title,
        severity: labels.find((label) => /^severity::/i.test(label))?.split('::')[1] ?? 'unknown',
        status: closed ? 'resolved' : 'open',
        started_at: utcMillis(raw, 'created_at', issue.created_at),
        resolved_at: closed ? closedAt : null,
        // The project's deployment its description names (ids are the instance's; the project scopes ours).
        deployment_id: ((id) =>
          id === null ? null : canonicalId(context.org, PROVIDER, 'deployment', issue.project_id, id))(
          referencedDeployment(issue.description ?? ''),
        ),
        updated_at: utcMillis(raw, 'updated_at', issue.updated_at),
      },
    });
  const people = [
    author,
    ...(issue.assignees ?? []).map((assignee, index) => usernameOf(raw, `assignees[${index}]`, assignee)),
    ...changes.flatMap((change) => change.actor ?? []),
  ];
  return [...outputs, ...identityOutputs(context, people)];
};

/** GitLab's private commit email, `<user id>-<username>@users.noreply.<host>`: the account behind it. */
export function noreplyAccount(email: string): string | null {
  const username = /^\d+-([^@]+)@users\.noreply\./i.exec(email)?.[1];
  return username ? usernameKey(username) : null;
}

/** A commit read from the project's partial clone (git log) with its project id: the git normalizer's rules. */
const normalizeCommit: Normalizer = (raw, context) => {
  const { project_id: projectId } = requireShape<{ project_id: number }>(raw, parsePayload(raw), {
    project_id: isNumber,
  });
  // Keyed by the project's immutable id, as its repository record is: renames keep the history.
  const project = { id: gitlabProjectId(context.org, projectId), key: projectId };
  return gitLogCommitOutputs(raw, context, PROVIDER, project, noreplyAccount);
};

export const GITLAB_NORMALIZERS: Record<string, Normalizer> = {
  commit: normalizeCommit,
  project: normalizeProject,
  merge_request: normalizeMergeRequest,
  pipeline: normalizePipeline,
  deployment: normalizeDeployment,
  issue: normalizeIssue,
};
