import type { GitHubWorkflowJob, GitHubWorkflowRunPayload } from '../payloads';
import { type PipelineStatus, type RawRecord, canonicalId } from '@dev-health/schemas';
import {
  type CanonicalOutput,
  type Normalizer,
  NormalizationError,
  isNullableString,
  isNumber,
  isObject,
  isString,
  parsePayload,
  requireShape,
  utcMillis,
  utcMillisOrNull,
  vocabulary,
} from '@dev-health/normalize';
import { PROVIDER, githubPullRequestId, githubRepositoryId } from './common';

/** Actions `status` while not completed (GitHub's documented values). */
const pendingStatus = vocabulary<PipelineStatus>(PROVIDER, 'workflow status', {
  requested: 'queued',
  queued: 'queued',
  waiting: 'queued',
  pending: 'queued',
  in_progress: 'running',
});
/** Actions `conclusion` of a completed run or job. */
const conclusion = vocabulary<PipelineStatus>(PROVIDER, 'workflow conclusion', {
  success: 'success',
  failure: 'failed',
  timed_out: 'failed',
  startup_failure: 'failed',
  cancelled: 'canceled',
  stale: 'canceled',
  skipped: 'skipped',
  neutral: 'skipped',
  action_required: 'skipped',
});

function pipelineStatus(raw: RawRecord, status: string | null, outcome: string | null): PipelineStatus {
  if (status !== 'completed') return pendingStatus(raw, status ?? 'queued');
  if (outcome === null)
    throw new NormalizationError(`github/${raw.entity_kind} ${raw.source_id}: completed without a conclusion`);
  return conclusion(raw, outcome);
}

/** The PRs a run was for: GitHub lists those whose head is the run's branch and sha (fork PRs: none). */
function pullRequestIds(raw: RawRecord, run: GitHubWorkflowRunPayload, org: string): string[] {
  const pulls: unknown = run.pull_requests ?? [];
  const isPull = (pull: unknown): pull is { number: number } =>
    isObject(pull) && isNumber((pull as { number?: unknown }).number);
  if (!Array.isArray(pulls) || !pulls.every(isPull))
    throw new NormalizationError(`github/workflow_run ${raw.source_id}: field "pull_requests" is not a list of PRs`);
  return [...new Set(pulls.map((pull) => githubPullRequestId(org, run.repository_id, pull.number)))];
}

/** An Actions workflow run → pipeline_run, and its jobs (fetched once it completed) → pipeline_job. */
export const normalizeWorkflowRun: Normalizer = (raw, context) => {
  const run = requireShape<GitHubWorkflowRunPayload>(raw, parsePayload(raw), {
    repository_id: isNumber,
    id: isNumber,
    name: isNullableString,
    status: isNullableString,
    conclusion: isNullableString,
    head_branch: isNullableString,
    head_sha: isString,
    created_at: isString,
    updated_at: isString,
    run_started_at: isNullableString,
  });
  const repositoryId = githubRepositoryId(context.org, run.repository_id);
  const runId = canonicalId(context.org, PROVIDER, 'pipeline_run', run.repository_id, run.id);
  const status = pipelineStatus(raw, run.status, run.conclusion);
  const outputs: CanonicalOutput[] = [
    {
      entity: 'pipeline_run',
      record: {
        id: runId,
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        repository_id: repositoryId,
        pipeline_name: run.name ?? null,
        status,
        commit_sha: run.head_sha,
        branch: run.head_branch ?? null,
        pull_request_ids: pullRequestIds(raw, run, context.org),
        created_at: utcMillis(raw, 'created_at', run.created_at),
        started_at: utcMillisOrNull(raw, 'run_started_at', run.run_started_at ?? null),
        // GitHub has no finished_at: a completed run's last update is when it finished.
        finished_at: run.status === 'completed' ? utcMillis(raw, 'updated_at', run.updated_at) : null,
        updated_at: utcMillis(raw, 'updated_at', run.updated_at),
      },
    },
  ];
  if (run.jobs !== null && run.jobs !== undefined && !Array.isArray(run.jobs))
    throw new NormalizationError(`github/workflow_run ${raw.source_id}: field "jobs" is not a list`);
  for (const item of run.jobs ?? []) {
    const job = requireShape<GitHubWorkflowJob>(raw, item, {
      id: isNumber,
      name: isString,
      status: isString,
      conclusion: isNullableString,
      started_at: isNullableString,
      completed_at: isNullableString,
    });
    outputs.push({
      entity: 'pipeline_job',
      record: {
        id: canonicalId(context.org, PROVIDER, 'pipeline_job', run.repository_id, job.id),
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        pipeline_run_id: runId,
        repository_id: repositoryId,
        name: job.name,
        status: pipelineStatus(raw, job.status, job.conclusion ?? null),
        started_at: utcMillisOrNull(raw, 'jobs.started_at', job.started_at),
        finished_at: utcMillisOrNull(raw, 'jobs.completed_at', job.completed_at),
      },
    });
  }
  return outputs;
};
