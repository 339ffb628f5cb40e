import type { ConditionalResult } from '../github-client';
import type { GitHubWorkflowJob, GitHubWorkflowRunPayload } from '../payloads';
import { CHECK_SUITE_RUNS_QUERY, WORKFLOW_RUN_JOBS_QUERY } from '../queries';
import {
  type Connection,
  IN_FLIGHT_HORIZON_MS,
  completeNestedConnections,
  isAfter,
  type RepositoryCollector,
  type RepositoryRun,
  conditionalGet,
  probe,
  rawRecord,
  readInFlightCursor,
  saveInFlightCursor,
} from './repository-run';

/** What the REST API answers for a workflow run (the fields we keep). */
type RestWorkflowRun = Omit<GitHubWorkflowRunPayload, 'repository_id' | 'jobs'> & Record<string, unknown>;

const isNumber = (value: unknown): value is number => typeof value === 'number';

/**
 * Actions workflow runs and, once a run completed, its jobs. Runs come from REST (GraphQL has no
 * workflow-run listing by repository): newest created first, a page of up to 100 per request, down
 * to the newest creation seen last time. Runs still in flight then are re-read by id, conditionally
 * (an unchanged one answers 304). A completed run's jobs cost one request per run — the costliest
 * endpoint of the sync — so they are fetched exactly once, when the run completes.
 */
export const collectWorkflowRuns: RepositoryCollector = async (run) => {
  const { owner, name, repository } = run;
  const target = `${repository.id}:workflow_runs`;
  const cursor = readInFlightCursor(run.watermarks.get(target), isNumber);
  // The list's first page is its own probe: a new run is on it, so a quiet repository costs a 304.
  const latest = await probe<{ workflow_runs: RestWorkflowRun[] }>(
    run,
    `runs-page1:${repository.id}`,
    `/repos/${owner}/${name}/actions/runs?per_page=${run.settings.listPageSize}`,
  );
  // A re-run or a status change of a known run also changes the ETag: only a newer creation is news.
  const anyNew = latest.changed && isAfter(latest.body.workflow_runs[0]?.created_at, cursor.created);
  if (!anyNew && cursor.open.length === 0) return void (await latest.remember());

  const fetched = new Map<number, RestWorkflowRun>();
  const unchanged: RestWorkflowRun[] = [];
  const entries = [];
  const discovered = anyNew ? await newRuns(run, cursor.created, latest) : [];
  // In flight: read each by id (known ones conditionally), so its ETag matches what is published.
  const inFlight = [
    ...cursor.open.filter((id) => !discovered.some((item) => item.id === id)),
    ...discovered.filter((item) => item.status !== 'completed').map((item) => item.id),
  ];
  for (const item of discovered) if (item.status === 'completed') fetched.set(item.id, item);
  for (const id of inFlight) {
    run.context.throwIfStopped();
    const { result, entry } = await conditionalGet<RestWorkflowRun>(
      run,
      `run:${repository.id}:${id}`,
      `/repos/${owner}/${name}/actions/runs/${id}`,
    );
    if (entry) entries.push(entry);
    // 304: as it was last time (still in flight): nothing to publish.
    if (result.status === 200) fetched.set(id, result.body);
    else unchanged.push(result.body);
  }
  const jobsByRun = await completedRunJobs(
    run,
    [...fetched.values()].filter((item) => item.status === 'completed'),
  );
  const records = [];
  for (const item of fetched.values()) {
    run.context.throwIfStopped();
    const jobs = item.status === 'completed' ? (jobsByRun.get(item.id) ?? (await runJobs(run, item.id))) : null;
    const payload: GitHubWorkflowRunPayload = {
      repository_id: repository.id,
      id: item.id,
      name: item.name ?? null,
      event: item.event,
      status: item.status ?? null,
      conclusion: item.conclusion ?? null,
      head_branch: item.head_branch ?? null,
      head_sha: item.head_sha,
      ...(item.run_attempt === undefined ? {} : { run_attempt: item.run_attempt }),
      created_at: item.created_at,
      updated_at: item.updated_at,
      ...(item.run_started_at === undefined ? {} : { run_started_at: item.run_started_at }),
      pull_requests: (item.pull_requests ?? []).map((pull) => ({ number: pull.number })),
      jobs,
    };
    records.push(
      rawRecord(
        run.context,
        repository,
        'workflow_run',
        `${repository.id}/actions/runs/${item.id}`,
        payload,
        run.fetchedAt,
        'GET actions/runs',
        null,
      ),
    );
  }
  if (records.length > 0) await run.context.publish(records);
  const horizon = new Date(run.fetchedAt - IN_FLIGHT_HORIZON_MS).toISOString();
  await saveInFlightCursor(run, target, {
    created: [...fetched.values()].reduce(
      (newest, item) => (item.created_at > newest ? item.created_at : newest),
      cursor.created,
    ),
    open: [...fetched.values(), ...unchanged]
      .filter((item) => item.status !== 'completed' && item.created_at > horizon)
      .map((item) => item.id),
  });
  if (entries.length > 0) await run.context.httpCache.save(entries);
  await latest.remember();
};

/**
 * Runs created after `created`, newest first, following Link pages. Without a watermark the first
 * sync reaches back `initialHistoryDays` only: older history is a backfill's job, and each completed
 * run costs a jobs request.
 */
async function newRuns(
  run: RepositoryRun,
  created: string,
  firstPage: { body: { workflow_runs: RestWorkflowRun[] }; next: string | null },
): Promise<RestWorkflowRun[]> {
  const floor =
    created !== '' ? created : new Date(run.fetchedAt - run.settings.initialHistoryDays * 86_400_000).toISOString();
  const found: RestWorkflowRun[] = [];
  let page = firstPage;
  for (;;) {
    const runs = page.body.workflow_runs;
    const fresh = runs.filter((item) => item.created_at > floor);
    found.push(...fresh);
    if (fresh.length < runs.length || page.next === null) break;
    run.context.throwIfStopped();
    page = await run.client.get<{ workflow_runs: RestWorkflowRun[] }>(page.next);
  }
  return found;
}

interface CheckRunNode {
  databaseId: number;
  name: string;
  status: string;
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
}

interface WorkflowRunJobsPage {
  nodes: ({ databaseId?: number; checkSuite?: { id: string; checkRuns: Connection<CheckRunNode> } } | null)[];
}

/** Runs whose jobs share a request: 50 × up to 100 check runs, well under GitHub's node limit. */
const RUNS_PER_JOBS_REQUEST = 50;

/**
 * The jobs of completed runs, 50 runs a GraphQL request, by each run's check suite (a check run per
 * job, the latest attempt's; GitHub's values upper-cased, as REST spells them lower-cased). A run
 * GraphQL does not know (no node id, or none answered) is absent: its jobs come from REST.
 */
async function completedRunJobs(
  run: RepositoryRun,
  completed: readonly RestWorkflowRun[],
): Promise<Map<number, GitHubWorkflowJob[]>> {
  const jobs = new Map<number, GitHubWorkflowJob[]>();
  const withNodeIds = completed.filter((item) => typeof item.node_id === 'string');
  for (let start = 0; start < withNodeIds.length; start += RUNS_PER_JOBS_REQUEST) {
    run.context.throwIfStopped();
    const batch = withNodeIds.slice(start, start + RUNS_PER_JOBS_REQUEST);
    const page = await run.client.graphql<WorkflowRunJobsPage>(WORKFLOW_RUN_JOBS_QUERY, {
      ids: batch.map((item) => item.node_id),
      after: null,
    });
    const answered = page.nodes.flatMap((node) =>
      typeof node?.databaseId === 'number' && node.checkSuite
        ? [{ runId: node.databaseId, suite: node.checkSuite }]
        : [],
    );
    await completeNestedConnections(
      run,
      CHECK_SUITE_RUNS_QUERY,
      answered.map(({ suite }) => suite),
      (suite) => suite.checkRuns,
      (data) => (data as { node: { checkRuns?: Connection<CheckRunNode> } | null }).node?.checkRuns,
    );
    for (const { runId, suite } of answered)
      jobs.set(
        runId,
        suite.checkRuns.nodes.map((check) => ({
          id: check.databaseId,
          name: check.name,
          status: check.status.toLowerCase(),
          conclusion: check.conclusion?.toLowerCase() ?? null,
          started_at: check.startedAt,
          completed_at: check.completedAt,
        })),
      );
  }
  return jobs;
}

/** A completed run's jobs (latest attempt), trimmed, from REST: one request per 100 jobs. */
async function runJobs(run: RepositoryRun, runId: number): Promise<GitHubWorkflowJob[]> {
  const jobs: GitHubWorkflowJob[] = [];
  let url: string | null = `/repos/${run.owner}/${run.name}/actions/runs/${runId}/jobs?per_page=100`;
  while (url !== null) {
    const page: ConditionalResult<{ jobs: GitHubWorkflowJob[] }> = await run.client.get(url);
    for (const job of page.body.jobs)
      jobs.push({
        id: job.id,
        name: job.name,
        status: job.status,
        conclusion: job.conclusion ?? null,
        started_at: job.started_at ?? null,
        completed_at: job.completed_at ?? null,
      });
    url = page.next;
  }
  return jobs;
}
