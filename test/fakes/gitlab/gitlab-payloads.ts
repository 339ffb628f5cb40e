import { createHash } from 'node:crypto';
import type { HistoryCommit } from '../github/git-history';
import type {
  FakeGitLabDataset,
  FakeGitLabDeployment,
  FakeGitLabEnvironment,
  FakeGitLabGroup,
  FakeGitLabIssue,
  FakeGitLabJob,
  FakeGitLabLabelEvent,
  FakeGitLabMergeRequest,
  FakeGitLabNote,
  FakeGitLabPipeline,
  FakeGitLabProject,
  FakeGitLabStateEvent,
} from './gitlab-dataset';

/**
 * GitLab's JSON for the fake's records, field for field as GitLab's REST entities expose them
 * (lib/api/entities/*.rb and the docs.gitlab.com examples): snake_case, nulls where GitLab sends null,
 * list payloads leaner than single ones where GitLab's are (an MR's changes_count, a pipeline's timings).
 */

export interface GitLabSite {
  /** http://host:port, without /api/v4. */
  base: string;
  dataset: FakeGitLabDataset;
}

type Json = Record<string, unknown>;

const TIME_STATS = { time_estimate: 0, total_time_spent: 0, human_time_estimate: null, human_total_time_spent: null };
const NO_TASKS = { count: 0, completed_count: 0 };

export function userJson(site: GitLabSite, id: number | null): Json | null {
  if (id === null) return null;
  const user = site.dataset.users.find((candidate) => candidate.id === id);
  if (!user) return null;
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    state: user.state,
    locked: user.state === 'blocked',
    avatar_url: `https://www.gravatar.com/avatar/${createHash('md5').update(user.username).digest('hex')}?s=80&d=identicon`,
    web_url: `${site.base}/${user.username}`,
  };
}

const users = (site: GitLabSite, ids: readonly number[]) => ids.map((id) => userJson(site, id)).filter(Boolean);

/** GET /user: the token's user, in GitLab's fuller user shape. */
export function currentUserJson(site: GitLabSite, id: number): Json {
  return {
    ...userJson(site, id),
    created_at: '2024-01-02T09:00:00.000Z',
    bio: '',
    location: '',
    public_email: null,
    skype: '',
    linkedin: '',
    twitter: '',
    discord: '',
    website_url: '',
    organization: '',
    job_title: '',
    pronouns: null,
    bot: false,
    work_information: null,
    local_time: null,
    last_sign_in_at: '2026-03-01T09:00:00.000Z',
    confirmed_at: '2024-01-02T09:00:00.000Z',
    last_activity_on: '2026-03-31',
    theme_id: 1,
    color_scheme_id: 1,
    projects_limit: 100000,
    current_sign_in_at: '2026-03-31T09:00:00.000Z',
    identities: [],
    can_create_group: true,
    can_create_project: true,
    two_factor_enabled: true,
    external: false,
    private_profile: false,
  };
}

function groupChain(site: GitLabSite, group: FakeGitLabGroup): FakeGitLabGroup[] {
  const parent = site.dataset.groups.find((candidate) => candidate.id === group.parentId);
  return parent ? [...groupChain(site, parent), group] : [group];
}

export function groupJson(site: GitLabSite, group: FakeGitLabGroup): Json {
  return {
    id: group.id,
    web_url: `${site.base}/groups/${group.fullPath}`,
    name: group.name,
    path: group.path,
    description: `${group.name} group`,
    visibility: 'private',
    share_with_group_lock: false,
    require_two_factor_authentication: false,
    two_factor_grace_period: 48,
    project_creation_level: 'developer',
    auto_devops_enabled: null,
    subgroup_creation_level: 'maintainer',
    emails_disabled: false,
    emails_enabled: true,
    mentions_disabled: null,
    lfs_enabled: true,
    default_branch: null,
    default_branch_protection: 2,
    avatar_url: null,
    request_access_enabled: true,
    full_name: groupChain(site, group)
      .map((link) => link.name)
      .join(' / '),
    full_path: group.fullPath,
    created_at: group.createdAt,
    parent_id: group.parentId,
    organization_id: 1,
    shared_runners_setting: 'enabled',
    ldap_cn: null,
    ldap_access: null,
    wiki_access_level: 'enabled',
    marked_for_deletion_on: null,
  };
}

export function projectJson(site: GitLabSite, project: FakeGitLabProject): Json {
  const group = site.dataset.groups.find((candidate) => candidate.id === project.namespaceId);
  const webUrl = `${site.base}/${project.pathWithNamespace}`;
  const host = new URL(site.base).host;
  const apiUrl = `${site.base}/api/v4/projects/${project.id}`;
  return {
    id: project.id,
    description: project.description,
    name: project.name,
    name_with_namespace: group ? `${groupJson(site, group).full_name as string} / ${project.name}` : project.name,
    path: project.path,
    path_with_namespace: project.pathWithNamespace,
    created_at: project.createdAt,
    updated_at: project.lastActivityAt,
    default_branch: project.defaultBranch,
    tag_list: [],
    topics: [],
    ssh_url_to_repo: `git@${host}:${project.pathWithNamespace}.git`,
    http_url_to_repo: `${webUrl}.git`,
    web_url: webUrl,
    readme_url: `${webUrl}/-/blob/${project.defaultBranch}/README.md`,
    avatar_url: null,
    forks_count: 0,
    star_count: 0,
    last_activity_at: project.lastActivityAt,
    namespace: group
      ? {
          id: group.id,
          name: group.name,
          path: group.path,
          kind: 'group',
          full_path: group.fullPath,
          parent_id: group.parentId,
          avatar_url: null,
          web_url: `${site.base}/groups/${group.fullPath}`,
        }
      : null,
    _links: {
      self: apiUrl,
      issues: `${apiUrl}/issues`,
      merge_requests: `${apiUrl}/merge_requests`,
      repo_branches: `${apiUrl}/repository/branches`,
      labels: `${apiUrl}/labels`,
      events: `${apiUrl}/events`,
      members: `${apiUrl}/members`,
      cluster_agents: `${apiUrl}/cluster_agents`,
    },
    empty_repo: project.plannedCommits.length === 0,
    archived: false,
    visibility: 'private',
    issues_enabled: true,
    merge_requests_enabled: true,
    jobs_enabled: true,
    wiki_enabled: true,
    open_issues_count: project.issues.filter((issue) => issue.state === 'opened').length,
    ci_config_path: null,
  };
}

function milestoneJson(site: GitLabSite, project: FakeGitLabProject, iid: number | null): Json | null {
  const milestone = project.milestones.find((candidate) => candidate.iid === iid);
  if (!milestone) return null;
  return {
    id: milestone.id,
    iid: milestone.iid,
    project_id: project.id,
    title: milestone.title,
    description: '',
    state: 'active',
    created_at: milestone.createdAt,
    updated_at: milestone.createdAt,
    due_date: milestone.dueDate,
    start_date: milestone.startDate,
    expired: milestone.dueDate < new Date(site.dataset.now).toISOString().slice(0, 10),
    web_url: `${site.base}/${project.pathWithNamespace}/-/milestones/${milestone.iid}`,
  };
}

function iterationJson(site: GitLabSite, id: number | null): Json | null {
  const iteration = site.dataset.iterations.find((candidate) => candidate.id === id);
  if (!iteration) return null;
  const today = new Date(site.dataset.now).toISOString().slice(0, 10);
  const state = iteration.dueDate < today ? 3 : iteration.startDate > today ? 1 : 2;
  return {
    id: iteration.id,
    iid: iteration.iid,
    sequence: iteration.sequence,
    group_id: 100,
    title: iteration.title,
    description: null,
    state,
    created_at: iteration.createdAt,
    updated_at: iteration.createdAt,
    start_date: iteration.startDate,
    due_date: iteration.dueDate,
    web_url: `${site.base}/groups/acme/-/iterations/${iteration.id}`,
  };
}

function detailedMergeStatus(mr: FakeGitLabMergeRequest): string {
  if (mr.state !== 'opened') return 'not_open';
  if (mr.draft) return 'draft_status';
  return mr.approvals.length > 0 ? 'mergeable' : 'not_approved';
}

export function mergeRequestJson(
  site: GitLabSite,
  project: FakeGitLabProject,
  mr: FakeGitLabMergeRequest,
  detailed: boolean,
): Json {
  const webUrl = `${site.base}/${project.pathWithNamespace}/-/merge_requests/${mr.iid}`;
  const basic: Json = {
    id: mr.id,
    iid: mr.iid,
    project_id: project.id,
    title: mr.title,
    description: mr.description,
    state: mr.state,
    created_at: mr.createdAt,
    updated_at: mr.updatedAt,
    merged_by: userJson(site, mr.mergedById),
    merge_user: userJson(site, mr.mergedById),
    merged_at: mr.mergedAt,
    closed_by: userJson(site, mr.closedById),
    closed_at: mr.closedAt,
    target_branch: mr.targetBranch,
    source_branch: mr.sourceBranch,
    user_notes_count: mr.notes.filter((note) => note.kind !== 'system').length,
    upvotes: 0,
    downvotes: 0,
    author: userJson(site, mr.authorId),
    assignees: users(site, mr.assigneeIds),
    assignee: userJson(site, mr.assigneeIds[0] ?? null),
    reviewers: users(site, mr.reviewerIds),
    source_project_id: project.id,
    target_project_id: project.id,
    labels: mr.labels,
    draft: mr.draft,
    work_in_progress: mr.draft,
    milestone: null,
    merge_when_pipeline_succeeds: false,
    merge_status: mr.state === 'opened' && !mr.draft ? 'can_be_merged' : 'unchecked',
    detailed_merge_status: detailedMergeStatus(mr),
    sha: mr.sha,
    merge_commit_sha: mr.mergeCommitSha,
    squash_commit_sha: null,
    discussion_locked: null,
    should_remove_source_branch: null,
    force_remove_source_branch: true,
    prepared_at: mr.createdAt,
    reference: `!${mr.iid}`,
    references: { short: `!${mr.iid}`, relative: `!${mr.iid}`, full: `${project.pathWithNamespace}!${mr.iid}` },
    web_url: webUrl,
    time_stats: TIME_STATS,
    squash: false,
    squash_on_merge: false,
    task_completion_status: NO_TASKS,
    has_conflicts: false,
    blocking_discussions_resolved: true,
    approvals_before_merge: null,
  };
  if (!detailed) return basic;
  const pipeline = [...project.pipelines].reverse().find((candidate) => candidate.sha === mr.sha);
  const production = project.environments.find((environment) => environment.tier === 'production');
  const firstDeploy =
    mr.mergeCommitSha === null
      ? null
      : (project.deployments.find(
          (deployment) =>
            deployment.environmentId === production?.id &&
            deployment.status === 'success' &&
            mr.mergedAt !== null &&
            deployment.createdAt > mr.mergedAt,
        )?.updatedAt ?? null);
  return {
    ...basic,
    subscribed: false,
    changes_count: mr.changesCount,
    latest_build_started_at: pipeline?.startedAt ?? null,
    latest_build_finished_at: pipeline?.finishedAt ?? null,
    first_deployed_to_production_at: firstDeploy,
    pipeline: pipeline ? pipelineJson(site, project, pipeline) : null,
    head_pipeline: pipeline ? pipelineDetailJson(site, project, pipeline) : null,
    diff_refs: { base_sha: baseSha(mr), head_sha: mr.sha, start_sha: baseSha(mr) },
    merge_error: null,
    first_contribution: false,
    user: { can_merge: false },
  };
}

const baseSha = (mr: FakeGitLabMergeRequest) => createHash('sha1').update(`base:${mr.id}`).digest('hex');

export function noteJson(
  site: GitLabSite,
  project: FakeGitLabProject,
  mr: FakeGitLabMergeRequest,
  note: FakeGitLabNote,
): Json {
  const resolvable = note.kind === 'DiffNote' || note.kind === 'DiscussionNote';
  return {
    id: note.id,
    type: note.kind === 'DiffNote' || note.kind === 'DiscussionNote' ? note.kind : null,
    body: note.body,
    attachment: null,
    author: userJson(site, note.authorId),
    created_at: note.createdAt,
    updated_at: note.updatedAt,
    system: note.kind === 'system',
    noteable_id: mr.id,
    noteable_type: 'MergeRequest',
    project_id: project.id,
    ...(note.kind === 'DiffNote' && note.position
      ? {
          commit_id: mr.sha,
          position: {
            base_sha: baseSha(mr),
            start_sha: baseSha(mr),
            head_sha: mr.sha,
            old_path: note.position.path,
            new_path: note.position.path,
            position_type: 'text',
            old_line: null,
            new_line: note.position.line,
            line_range: null,
          },
        }
      : {}),
    resolvable,
    ...(resolvable
      ? {
          resolved: note.resolved ?? false,
          resolved_by: note.resolved ? userJson(site, mr.authorId) : null,
          resolved_at: note.resolved ? note.updatedAt : null,
        }
      : {}),
    confidential: false,
    internal: false,
    imported: false,
    imported_from: 'none',
    noteable_iid: mr.iid,
    commands_changes: {},
  };
}

export function approvalsJson(site: GitLabSite, project: FakeGitLabProject, mr: FakeGitLabMergeRequest): Json {
  const required = 1;
  return {
    id: mr.id,
    iid: mr.iid,
    project_id: project.id,
    title: mr.title,
    description: mr.description,
    state: mr.state,
    created_at: mr.createdAt,
    updated_at: mr.updatedAt,
    merge_status: mr.state === 'opened' && !mr.draft ? 'can_be_merged' : 'unchecked',
    approved: mr.approvals.length >= required,
    approvals_required: required,
    approvals_left: Math.max(0, required - mr.approvals.length),
    require_password_to_approve: false,
    approved_by: mr.approvals.map((approval) => ({
      user: userJson(site, approval.userId),
      approved_at: approval.approvedAt,
    })),
    suggested_approvers: [],
    approvers: [],
    approver_groups: [],
    user_has_approved: false,
    user_can_approve: false,
    approval_rules_left: [],
    has_approval_rules: false,
    merge_request_approvers_available: true,
    multiple_approval_rules_available: true,
    invalid_approvers_rules: [],
  };
}

/** git's ISO date (2026-03-02T09:15:00+05:30) as GitLab writes it (2026-03-02T09:15:00.000+05:30). */
const gitLabDate = (date: string) => date.replace(/^(.{19})(?!\.)/, '$1.000');

export function commitJson(
  site: GitLabSite,
  project: FakeGitLabProject,
  commit: HistoryCommit,
  withStats: boolean,
): Json {
  return {
    id: commit.oid,
    short_id: commit.oid.slice(0, 8),
    created_at: gitLabDate(commit.committer.date),
    parent_ids: commit.parents,
    title: commit.message.split('\n')[0] ?? '',
    message: commit.message.endsWith('\n') ? commit.message : `${commit.message}\n`,
    author_name: commit.author.name,
    author_email: commit.author.email,
    authored_date: gitLabDate(commit.author.date),
    committer_name: commit.committer.name,
    committer_email: commit.committer.email,
    committed_date: gitLabDate(commit.committer.date),
    trailers: {},
    extended_trailers: {},
    web_url: `${site.base}/${project.pathWithNamespace}/-/commit/${commit.oid}`,
    ...(withStats
      ? {
          stats: {
            additions: commit.additions,
            deletions: commit.deletions,
            total: commit.additions + commit.deletions,
          },
        }
      : {}),
  };
}

/** The commit a pipeline ran on, when only its sha is known (pipelines of MR heads have no git history here). */
function pipelineCommitJson(site: GitLabSite, project: FakeGitLabProject, pipeline: FakeGitLabPipeline): Json {
  const author = site.dataset.users.find((user) => user.id === pipeline.userId);
  return {
    id: pipeline.sha,
    short_id: pipeline.sha.slice(0, 8),
    created_at: pipeline.createdAt,
    parent_ids: [],
    title: `Pipeline ${pipeline.iid} commit`,
    message: `Pipeline ${pipeline.iid} commit\n`,
    author_name: author?.name ?? 'Unknown',
    author_email: author?.email ?? 'unknown@acme.example',
    authored_date: pipeline.createdAt,
    committer_name: author?.name ?? 'Unknown',
    committer_email: author?.email ?? 'unknown@acme.example',
    committed_date: pipeline.createdAt,
    trailers: {},
    extended_trailers: {},
    web_url: `${site.base}/${project.pathWithNamespace}/-/commit/${pipeline.sha}`,
  };
}

export function pipelineJson(site: GitLabSite, project: FakeGitLabProject, pipeline: FakeGitLabPipeline): Json {
  return {
    id: pipeline.id,
    iid: pipeline.iid,
    project_id: project.id,
    sha: pipeline.sha,
    ref: pipeline.ref,
    status: pipeline.status,
    source: pipeline.source,
    created_at: pipeline.createdAt,
    updated_at: pipeline.updatedAt,
    web_url: `${site.base}/${project.pathWithNamespace}/-/pipelines/${pipeline.id}`,
    name: null,
  };
}

const STATUS_TEXT: Record<string, string> = {
  waiting_for_resource: 'Waiting',
  success: 'Passed',
  failed: 'Failed',
  canceled: 'Canceled',
};

/** GET /projects/:id/pipelines/:pipeline_id: the list's fields and the timings the list leaves out. */
export function pipelineDetailJson(site: GitLabSite, project: FakeGitLabProject, pipeline: FakeGitLabPipeline): Json {
  const text = STATUS_TEXT[pipeline.status] ?? pipeline.status.charAt(0).toUpperCase() + pipeline.status.slice(1);
  return {
    ...pipelineJson(site, project, pipeline),
    before_sha: '0000000000000000000000000000000000000000',
    tag: false,
    yaml_errors: null,
    user: userJson(site, pipeline.userId),
    started_at: pipeline.startedAt,
    finished_at: pipeline.finishedAt,
    committed_at: null,
    duration: pipeline.duration,
    queued_duration: pipeline.queuedDuration,
    coverage: null,
    detailed_status: {
      icon: `status_${pipeline.status}`,
      text,
      label: pipeline.status.replace(/_/g, ' '),
      group: pipeline.status,
      tooltip: pipeline.status.replace(/_/g, ' '),
      has_details: true,
      details_path: `/${project.pathWithNamespace}/-/pipelines/${pipeline.id}`,
      illustration: null,
      favicon: `/assets/ci_favicons/favicon_status_${pipeline.status}.png`,
    },
    archived: false,
  };
}

export function jobJson(
  site: GitLabSite,
  project: FakeGitLabProject,
  pipeline: FakeGitLabPipeline,
  job: FakeGitLabJob,
): Json {
  return {
    id: job.id,
    status: job.status,
    stage: job.stage,
    name: job.name,
    ref: pipeline.ref,
    tag: false,
    coverage: null,
    allow_failure: job.allowFailure,
    created_at: job.createdAt,
    started_at: job.startedAt,
    finished_at: job.finishedAt,
    erased_at: null,
    duration: job.duration,
    queued_duration: job.queuedDuration,
    user: { ...userJson(site, job.userId), created_at: '2024-01-02T09:00:00.000Z', bio: '', bot: false },
    commit: pipelineCommitJson(site, project, pipeline),
    pipeline: pipelineJson(site, project, pipeline),
    ...(job.status === 'failed' ? { failure_reason: job.failureReason ?? 'unknown_failure' } : {}),
    web_url: `${site.base}/${project.pathWithNamespace}/-/jobs/${job.id}`,
    project: { ci_job_token_scope_enabled: false },
    artifacts: [],
    runner: null,
    artifacts_expire_at: null,
    archived: false,
    tag_list: [],
  };
}

export function environmentJson(environment: FakeGitLabEnvironment): Json {
  return {
    id: environment.id,
    name: environment.name,
    slug: environment.slug,
    description: null,
    external_url: environment.externalUrl,
    state: environment.state,
    tier: environment.tier,
    created_at: environment.createdAt,
    updated_at: environment.updatedAt,
    enable_advanced_logs_querying: false,
    logs_api_path: null,
    auto_stop_at: null,
    auto_stop_setting: 'always',
    kubernetes_namespace: null,
    flux_resource_path: null,
  };
}

export function deploymentJson(
  site: GitLabSite,
  project: FakeGitLabProject,
  deployment: FakeGitLabDeployment,
): Json | null {
  const environment = project.environments.find((candidate) => candidate.id === deployment.environmentId);
  const pipeline = project.pipelines.find((candidate) => candidate.id === deployment.pipelineId);
  const job = pipeline?.jobs.find((candidate) => candidate.id === deployment.jobId);
  if (!environment || !pipeline || !job) return null;
  return {
    id: deployment.id,
    iid: deployment.iid,
    ref: deployment.ref,
    sha: deployment.sha,
    created_at: deployment.createdAt,
    updated_at: deployment.updatedAt,
    user: userJson(site, deployment.userId),
    environment: {
      id: environment.id,
      name: environment.name,
      slug: environment.slug,
      external_url: environment.externalUrl,
      created_at: environment.createdAt,
      updated_at: environment.updatedAt,
    },
    deployable: jobJson(site, project, pipeline, job),
    status: deployment.status,
  };
}

export function issueJson(site: GitLabSite, project: FakeGitLabProject, issue: FakeGitLabIssue): Json {
  const webUrl = `${site.base}/${project.pathWithNamespace}/-/issues/${issue.iid}`;
  const apiUrl = `${site.base}/api/v4/projects/${project.id}`;
  return {
    id: issue.id,
    iid: issue.iid,
    project_id: project.id,
    title: issue.title,
    description: issue.description,
    state: issue.state,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    closed_by: userJson(site, issue.closedById),
    labels: issue.labels,
    milestone: milestoneJson(site, project, issue.milestoneIid),
    assignees: users(site, issue.assigneeIds),
    author: userJson(site, issue.authorId),
    type: issue.issueType.toUpperCase(),
    assignee: userJson(site, issue.assigneeIds[0] ?? null),
    user_notes_count: issue.userNotesCount,
    merge_requests_count: project.mergeRequests.filter((mr) => mr.closesIssues.includes(issue.iid)).length,
    upvotes: 0,
    downvotes: 0,
    due_date: null,
    confidential: false,
    discussion_locked: null,
    issue_type: issue.issueType,
    web_url: webUrl,
    time_stats: TIME_STATS,
    task_completion_status: NO_TASKS,
    weight: issue.weight,
    blocking_issues_count: 0,
    has_tasks: false,
    _links: {
      self: `${apiUrl}/issues/${issue.iid}`,
      notes: `${apiUrl}/issues/${issue.iid}/notes`,
      award_emoji: `${apiUrl}/issues/${issue.iid}/award_emoji`,
      project: apiUrl,
      closed_as_duplicate_of: null,
    },
    references: {
      short: `#${issue.iid}`,
      relative: `#${issue.iid}`,
      full: `${project.pathWithNamespace}#${issue.iid}`,
    },
    // GitLab exposes severity on incidents only.
    ...(issue.issueType === 'incident' ? { severity: issue.severity ?? 'UNKNOWN' } : {}),
    moved_to_id: null,
    imported: false,
    imported_from: 'none',
    service_desk_reply_to: null,
    iteration: iterationJson(site, issue.iterationId),
    epic_iid: null,
    epic: null,
    health_status: null,
  };
}

export function stateEventJson(site: GitLabSite, issue: FakeGitLabIssue, event: FakeGitLabStateEvent): Json {
  return {
    id: event.id,
    user: userJson(site, event.userId),
    created_at: event.createdAt,
    resource_type: 'Issue',
    resource_id: issue.id,
    state: event.state,
  };
}

const LABEL_COLORS = ['#d9534f', '#428bca', '#5cb85c', '#f0ad4e', '#8e44ad', '#34495e'];

export function labelEventJson(site: GitLabSite, issue: FakeGitLabIssue, event: FakeGitLabLabelEvent): Json {
  const labelId = createHash('sha1').update(event.label).digest().readUInt16BE(0);
  return {
    id: event.id,
    user: userJson(site, event.userId),
    created_at: event.createdAt,
    resource_type: 'Issue',
    resource_id: issue.id,
    label: {
      id: labelId,
      name: event.label,
      color: LABEL_COLORS[labelId % LABEL_COLORS.length] ?? '#428bca',
      description: null,
    },
    action: event.action,
  };
}
