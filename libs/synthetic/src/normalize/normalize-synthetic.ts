import {
  canonicalId,
  type DeploymentStatus,
  type IncidentStatus,
  orgScopedId,
  type PipelineStatus,
  type PullRequestState,
  type ReviewState,
  type WorkItemType,
} from '@dev-health/schemas';
import {
  SYNTHETIC_STATUS_CATEGORIES,
  type SyntheticCommitPayload,
  type SyntheticDeploymentPayload,
  type SyntheticIdentityPayload,
  type SyntheticIncidentPayload,
  type SyntheticPipelineRunPayload,
  type SyntheticPullRequestPayload,
  type SyntheticRepositoryPayload,
  type SyntheticReviewCommentPayload,
  type SyntheticReviewPayload,
  type SyntheticTeamMembershipPayload,
  type SyntheticTeamPayload,
  type SyntheticWorkItemPayload,
} from '../payloads';
import {
  type CanonicalOutput,
  type Normalizer,
  isArray,
  isInt,
  isNullableInt,
  isNullableNumber,
  isNullableString,
  isNumber,
  isObject,
  isString,
  isStringArray,
  parsePayload,
  parseZoned,
  requireCommitFiles,
  requireShape,
  utcMillis,
  utcMillisOrNull,
  vocabulary,
  commitOutputs,
  identityRecord,
  repositoryId,
  workItemKeys,
} from '@dev-health/normalize';

/**
 * The synthetic provider's payloads → canonical records. Written like any provider's normalizers:
 * validate the shape, convert times to UTC, resolve people through the identity table.
 */
const PROVIDER = 'synthetic';

export function syntheticTeamId(org: string, slug: string): string {
  return canonicalId(org, PROVIDER, 'team', slug);
}

export function syntheticWorkScopeId(org: string, project: string): string {
  return orgScopedId(org, `${PROVIDER}:project:${project}`);
}

// The synthetic generator writes canonical symbols already; the tables still list them, so a
// generator change that invents a value fails loudly in the DLQ instead of skewing metrics.
const pullRequestState = vocabulary<PullRequestState>(PROVIDER, 'state', {
  open: 'open',
  closed: 'closed',
  merged: 'merged',
});
const reviewState = vocabulary<ReviewState>(PROVIDER, 'state', {
  approved: 'approved',
  changes_requested: 'changes_requested',
  commented: 'commented',
  dismissed: 'dismissed',
});
const pipelineStatus = vocabulary<PipelineStatus>(PROVIDER, 'status', {
  success: 'success',
  failed: 'failed',
  canceled: 'canceled',
  running: 'running',
});
const deploymentStatus = vocabulary<DeploymentStatus>(PROVIDER, 'status', {
  success: 'success',
  failed: 'failed',
  canceled: 'canceled',
  in_progress: 'in_progress',
});
const incidentStatus = vocabulary<IncidentStatus>(PROVIDER, 'status', { open: 'open', resolved: 'resolved' });
const workItemType = vocabulary<WorkItemType>(PROVIDER, 'type', { story: 'story', bug: 'bug', task: 'task' });
const statusCategory = vocabulary(PROVIDER, 'status', SYNTHETIC_STATUS_CATEGORIES);

function loginKey(login: string): string {
  return `${PROVIDER}:${login}`;
}

const normalizeRepository: Normalizer = (raw, context) => {
  const payload = requireShape<SyntheticRepositoryPayload>(raw, parsePayload(raw), {
    full_name: isString,
    name: isString,
    url: isNullableString,
    default_branch: isNullableString,
    created_at: isString,
  });
  return [
    {
      entity: 'repository',
      record: {
        id: repositoryId(context.org, PROVIDER, payload.full_name),
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        name: payload.name,
        full_name: payload.full_name,
        url: payload.url ?? null,
        default_branch: payload.default_branch ?? null,
        created_at: utcMillis(raw, 'created_at', payload.created_at),
      },
    },
  ];
};

const normalizeIdentity: Normalizer = (raw, context) => {
  const payload = requireShape<SyntheticIdentityPayload>(raw, parsePayload(raw), {
    display_name: isString,
    primary_email: isString,
    emails: isStringArray,
    logins: isStringArray,
  });
  const record = identityRecord(context, PROVIDER, payload.primary_email, payload.display_name);
  // What the provider says about the person, merged with what the alias table knows.
  record.emails = [...new Set([...record.emails, ...payload.emails.map((email) => email.toLowerCase())])].sort();
  record.logins = [...new Set([...record.logins, ...payload.logins.map(loginKey)])].sort();
  return [{ entity: 'identity', record }];
};

const normalizeTeam: Normalizer = (raw, context) => {
  const payload = requireShape<SyntheticTeamPayload>(raw, parsePayload(raw), {
    slug: isString,
    name: isString,
    parent_slug: isNullableString,
  });
  return [
    {
      entity: 'team',
      record: {
        id: syntheticTeamId(context.org, payload.slug),
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        name: payload.name,
        parent_team_id: payload.parent_slug ? syntheticTeamId(context.org, payload.parent_slug) : null,
      },
    },
  ];
};

const normalizeTeamMembership: Normalizer = (raw, context) => {
  const payload = requireShape<SyntheticTeamMembershipPayload>(raw, parsePayload(raw), {
    team_slug: isString,
    member_email: isString,
    role: isNullableString,
    since: isNullableString,
  });
  const member = context.identities.resolve(payload.member_email);
  return [
    {
      entity: 'team_membership',
      record: {
        id: canonicalId(context.org, PROVIDER, 'team_membership', payload.team_slug, member.id),
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        team_id: syntheticTeamId(context.org, payload.team_slug),
        identity_id: member.id,
        role: payload.role ?? null,
        since: utcMillisOrNull(raw, 'since', payload.since),
      },
    },
  ];
};

const normalizeCommit: Normalizer = (raw, context) => {
  const payload = requireShape<SyntheticCommitPayload>(raw, parsePayload(raw), {
    sha: isString,
    parents: isStringArray,
    author: isObject,
    committer: isObject,
    subject: isString,
    files: isArray,
  });
  const signature = (field: 'author' | 'committer') => {
    const value = requireShape<SyntheticCommitPayload['author']>(raw, payload[field], {
      name: isString,
      email: isString,
      date: isString,
    });
    return { name: value.name, email: value.email, ...parseZoned(raw, `${field}.date`, value.date) };
  };
  return commitOutputs(
    PROVIDER,
    raw.scope,
    {
      sha: payload.sha,
      parents: payload.parents,
      author: signature('author'),
      committer: signature('committer'),
      subject: payload.subject,
      files: requireCommitFiles(raw, payload.files),
    },
    context,
  );
};

function pullRequestId(org: string, scope: string, number: number): string {
  return canonicalId(org, PROVIDER, 'pull_request', scope, number);
}

const normalizePullRequest: Normalizer = (raw, context) => {
  const payload = requireShape<SyntheticPullRequestPayload>(raw, parsePayload(raw), {
    number: isInt,
    title: isString,
    state: isString,
    author_login: isString,
    created_at: isString,
    updated_at: isString,
    merged_at: isNullableString,
    closed_at: isNullableString,
    base_branch: isNullableString,
    head_branch: isNullableString,
    merge_commit_sha: isNullableString,
    additions: isNullableInt,
    deletions: isNullableInt,
    changed_files: isNullableInt,
  });
  return [
    {
      entity: 'pull_request',
      record: {
        id: pullRequestId(context.org, raw.scope, payload.number),
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        repository_id: repositoryId(context.org, PROVIDER, raw.scope),
        number: payload.number,
        title: payload.title,
        state: pullRequestState(raw, payload.state),
        author_identity_id: context.identities.resolve(loginKey(payload.author_login)).id,
        created_at: utcMillis(raw, 'created_at', payload.created_at),
        merged_at: utcMillisOrNull(raw, 'merged_at', payload.merged_at),
        closed_at: utcMillisOrNull(raw, 'closed_at', payload.closed_at),
        base_branch: payload.base_branch ?? null,
        head_branch: payload.head_branch ?? null,
        merge_commit_sha: payload.merge_commit_sha ?? null,
        additions: payload.additions ?? null,
        deletions: payload.deletions ?? null,
        changed_files: payload.changed_files ?? null,
        is_revert: (payload.reverts_number ?? null) !== null || payload.title.startsWith('Revert "'),
        is_draft: false,
        labels: [],
        requested_reviewer_identity_ids: [],
        closing_work_item_ids: [],
        work_item_keys: workItemKeys(payload.title, payload.head_branch),
        updated_at: utcMillis(raw, 'updated_at', payload.updated_at),
      },
    },
  ];
};

const normalizeReview: Normalizer = (raw, context) => {
  const payload = requireShape<SyntheticReviewPayload>(raw, parsePayload(raw), {
    id: isNumber,
    pull_number: isNumber,
    reviewer_login: isString,
    state: isString,
    submitted_at: isString,
  });
  return [
    {
      entity: 'review',
      record: {
        id: canonicalId(context.org, PROVIDER, 'review', raw.scope, payload.pull_number, payload.id),
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        pull_request_id: pullRequestId(context.org, raw.scope, payload.pull_number),
        repository_id: repositoryId(context.org, PROVIDER, raw.scope),
        reviewer_identity_id: context.identities.resolve(loginKey(payload.reviewer_login)).id,
        state: reviewState(raw, payload.state),
        submitted_at: utcMillis(raw, 'submitted_at', payload.submitted_at),
      },
    },
  ];
};

const normalizeReviewComment: Normalizer = (raw, context) => {
  const payload = requireShape<SyntheticReviewCommentPayload>(raw, parsePayload(raw), {
    id: isNumber,
    pull_number: isNumber,
    author_login: isString,
    created_at: isString,
    path: isNullableString,
  });
  return [
    {
      entity: 'review_comment',
      record: {
        id: canonicalId(context.org, PROVIDER, 'review_comment', raw.scope, payload.pull_number, payload.id),
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        pull_request_id: pullRequestId(context.org, raw.scope, payload.pull_number),
        repository_id: repositoryId(context.org, PROVIDER, raw.scope),
        author_identity_id: context.identities.resolve(loginKey(payload.author_login)).id,
        created_at: utcMillis(raw, 'created_at', payload.created_at),
        path: payload.path ?? null,
      },
    },
  ];
};

const normalizePipelineRun: Normalizer = (raw, context) => {
  const payload = requireShape<SyntheticPipelineRunPayload>(raw, parsePayload(raw), {
    id: isNumber,
    name: isString,
    status: isString,
    head_sha: isNullableString,
    branch: isNullableString,
    created_at: isString,
    started_at: isNullableString,
    finished_at: isNullableString,
    updated_at: isString,
    jobs: isArray,
  });
  const runId = canonicalId(context.org, PROVIDER, 'pipeline_run', raw.scope, payload.id);
  const repository = repositoryId(context.org, PROVIDER, raw.scope);
  const outputs: CanonicalOutput[] = [
    {
      entity: 'pipeline_run',
      record: {
        id: runId,
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        repository_id: repository,
        pipeline_name: payload.name,
        status: pipelineStatus(raw, payload.status),
        commit_sha: payload.head_sha ?? null,
        pull_request_ids: [],
        branch: payload.branch ?? null,
        created_at: utcMillis(raw, 'created_at', payload.created_at),
        started_at: utcMillisOrNull(raw, 'started_at', payload.started_at),
        finished_at: utcMillisOrNull(raw, 'finished_at', payload.finished_at),
        updated_at: utcMillis(raw, 'updated_at', payload.updated_at),
      },
    },
  ];
  for (const job of payload.jobs) {
    const checked = requireShape<SyntheticPipelineRunPayload['jobs'][number]>(raw, job, {
      name: isString,
      status: isString,
      started_at: isNullableString,
      finished_at: isNullableString,
    });
    outputs.push({
      entity: 'pipeline_job',
      record: {
        id: canonicalId(context.org, PROVIDER, 'pipeline_job', raw.scope, payload.id, checked.name),
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        pipeline_run_id: runId,
        repository_id: repository,
        name: checked.name,
        status: pipelineStatus(raw, checked.status),
        started_at: utcMillisOrNull(raw, 'jobs.started_at', checked.started_at),
        finished_at: utcMillisOrNull(raw, 'jobs.finished_at', checked.finished_at),
      },
    });
  }
  return outputs;
};

function deploymentId(org: string, scope: string, id: number): string {
  return canonicalId(org, PROVIDER, 'deployment', scope, id);
}

const normalizeDeployment: Normalizer = (raw, context) => {
  const payload = requireShape<SyntheticDeploymentPayload>(raw, parsePayload(raw), {
    id: isNumber,
    environment: isString,
    status: isString,
    sha: isNullableString,
    service: isNullableString,
    created_at: isString,
    finished_at: isNullableString,
    updated_at: isString,
  });
  return [
    {
      entity: 'deployment',
      record: {
        id: deploymentId(context.org, raw.scope, payload.id),
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        repository_id: repositoryId(context.org, PROVIDER, raw.scope),
        environment: payload.environment,
        status: deploymentStatus(raw, payload.status),
        commit_sha: payload.sha ?? null,
        service: payload.service ?? null,
        created_at: utcMillis(raw, 'created_at', payload.created_at),
        finished_at: utcMillisOrNull(raw, 'finished_at', payload.finished_at),
        updated_at: utcMillis(raw, 'updated_at', payload.updated_at),
      },
    },
  ];
};

const normalizeIncident: Normalizer = (raw, context) => {
  const payload = requireShape<SyntheticIncidentPayload>(raw, parsePayload(raw), {
    id: isString,
    service: isNullableString,
    title: isString,
    severity: isString,
    status: isString,
    started_at: isString,
    resolved_at: isNullableString,
    deployment_id: isNullableNumber,
    updated_at: isString,
  });
  return [
    {
      entity: 'incident',
      record: {
        id: canonicalId(context.org, PROVIDER, 'incident', payload.id),
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        repository_id: repositoryId(context.org, PROVIDER, raw.scope),
        service: payload.service ?? null,
        title: payload.title,
        severity: payload.severity,
        status: incidentStatus(raw, payload.status),
        started_at: utcMillis(raw, 'started_at', payload.started_at),
        resolved_at: utcMillisOrNull(raw, 'resolved_at', payload.resolved_at),
        deployment_id:
          payload.deployment_id === null || payload.deployment_id === undefined
            ? null
            : deploymentId(context.org, raw.scope, payload.deployment_id),
        updated_at: utcMillis(raw, 'updated_at', payload.updated_at),
      },
    },
  ];
};

const normalizeWorkItem: Normalizer = (raw, context) => {
  const payload = requireShape<SyntheticWorkItemPayload>(raw, parsePayload(raw), {
    key: isString,
    project: isString,
    title: isString,
    type: isString,
    status: isString,
    assignee_login: isNullableString,
    reporter_login: isString,
    team_slug: isNullableString,
    created_at: isString,
    updated_at: isString,
    transitions: isArray,
  });
  const itemId = canonicalId(context.org, PROVIDER, 'work_item', payload.key);
  const person = (login: string | null | undefined) =>
    login === null || login === undefined ? null : context.identities.resolve(loginKey(login)).id;
  const transitions = payload.transitions.map((transition, index) => {
    const checked = requireShape<SyntheticWorkItemPayload['transitions'][number]>(raw, transition, {
      from_status: isNullableString,
      to_status: isString,
      at: isString,
      actor_login: isNullableString,
    });
    return {
      id: canonicalId(context.org, PROVIDER, 'work_item_transition', payload.key, index),
      provider: PROVIDER,
      org_id: context.org,
      provenance: context.provenance,
      work_item_id: itemId,
      from_status: checked.from_status ?? null,
      to_status: checked.to_status,
      from_category: checked.from_status ? statusCategory(raw, checked.from_status) : null,
      to_category: statusCategory(raw, checked.to_status),
      transitioned_at: utcMillis(raw, `transitions[${index}].at`, checked.at),
      actor_identity_id: person(checked.actor_login),
    };
  });
  const category = statusCategory(raw, payload.status);
  // Started: first move into work. Completed: the last move to done, if it is still done (a reopen clears it).
  const started = transitions.find((transition) => transition.to_category === 'in_progress');
  const lastDone = [...transitions].reverse().find((transition) => transition.to_category === 'done');
  return [
    {
      entity: 'work_item',
      record: {
        id: itemId,
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        work_scope_id: syntheticWorkScopeId(context.org, payload.project),
        key: payload.key,
        title: payload.title,
        type: workItemType(raw, payload.type),
        status: payload.status,
        status_category: category,
        assignee_identity_id: person(payload.assignee_login),
        reporter_identity_id: person(payload.reporter_login),
        team_id: payload.team_slug ? syntheticTeamId(context.org, payload.team_slug) : null,
        milestone: null,
        iteration: null,
        estimate: null,
        priority: null,
        labels: [],
        components: [],
        parent_work_item_id: null,
        created_at: utcMillis(raw, 'created_at', payload.created_at),
        started_at: started?.transitioned_at ?? null,
        completed_at: category === 'done' ? (lastDone?.transitioned_at ?? null) : null,
        updated_at: utcMillis(raw, 'updated_at', payload.updated_at),
      },
    },
    ...transitions.map((record) => ({ entity: 'work_item_transition' as const, record })),
  ];
};

export const SYNTHETIC_NORMALIZERS: Record<string, Normalizer> = {
  repository: normalizeRepository,
  identity: normalizeIdentity,
  team: normalizeTeam,
  team_membership: normalizeTeamMembership,
  commit: normalizeCommit,
  pull_request: normalizePullRequest,
  review: normalizeReview,
  review_comment: normalizeReviewComment,
  pipeline_run: normalizePipelineRun,
  deployment: normalizeDeployment,
  incident: normalizeIncident,
  work_item: normalizeWorkItem,
};
