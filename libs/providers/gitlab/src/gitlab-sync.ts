import { createHash } from 'node:crypto';
import path from 'node:path';
import type { IntegrationScopes } from '@dev-health/control-plane';
import {
  type CachedResponse,
  type SyncContext,
  type SyncJob,
  SyncStageError,
  publishClonedCommits,
  runRawRecord,
} from '@dev-health/connector';
import type { RawRecord } from '@dev-health/schemas';
import { GitLabClient } from './gitlab-client';
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
} from './payloads';

export interface GitLabSyncOptions {
  /** Records per page (GitLab allows 100). */
  pageSize: number;
  /** How far back a first sync reads activity (older history: a backfill). */
  initialHistoryDays: number;
  /** The client of one run (one token, one budget). */
  client: (context: SyncContext) => Promise<GitLabClient>;
  /** Where commits' partial clones are cached (one per integration and project). */
  cloneDirectory: string;
}

export const DEFAULT_INCIDENT_LABELS: readonly string[] = ['incident'];
const PUBLISH_BATCH = 100;
const FINISHED_PIPELINE = new Set(['success', 'failed', 'canceled', 'skipped']);

/** GitLab's default issue-closing pattern, as an MR description uses it ("Closes #12", "fixes #3, #4"). */
const CLOSING =
  /\b(?:clos(?:e|es|ed|ing)|fix(?:es|ed|ing)?|resolv(?:e|es|ed|ing)|implement(?:s|ed|ing)?):? +((?:(?:issues? +)?#\d+(?:(?:, *| +and +)?))+)/gi;

/** The iids an MR description closes in its own project. Pure: no request per MR. */
export function closingIssueIids(description: string | null | undefined): number[] {
  const iids = new Set<number>();
  for (const match of (description ?? '').matchAll(CLOSING))
    for (const reference of (match[1] ?? '').matchAll(/#(\d+)/g)) iids.add(Number(reference[1]));
  return [...iids].sort((a, b) => a - b);
}

interface ProjectRun {
  context: SyncContext;
  client: GitLabClient;
  project: GitLabProjectPayload;
  cache: Map<string, CachedResponse>;
  watermarks: Map<string, string>;
  options: GitLabSyncOptions;
  settings: { production: RegExp | null; incidentLabels: string[] };
  fetchedAt: number;
  /** Activity before this instant is not read (the first sync's horizon, or a backfill window's start). */
  since: string;
  /** A backfill window's end; null: up to now. */
  until: string | null;
}

/**
 * A GitLab integration's sync run (scope: a group, recursively, or listed projects): the projects,
 * then for each project its merge requests (with notes), pipelines (with jobs once finished),
 * deployments and issues (with state and label events). Each list is read with `updated_after` from
 * its watermark, its first page conditionally (an unchanged project costs 304s and publishes nothing),
 * and its watermark and ETag are saved only once its records are acknowledged.
 */
export function gitlabSyncJob(options: GitLabSyncOptions): SyncJob {
  return async (context) => {
    const client = await options.client(context);
    try {
      await sync(context, client, options);
    } finally {
      const { limit, remaining, resetAt } = client.budget.state;
      if (remaining !== null) await context.reportRateLimit({ limit, remaining, resetAt });
      context.logger.info('GitLab requests', {
        requests: client.budget.state.requests,
        notModified: client.budget.state.notModified,
        byEndpoint: Object.fromEntries(client.requestsByEndpoint),
      });
    }
  };
}

async function sync(context: SyncContext, client: GitLabClient, options: GitLabSyncOptions): Promise<void> {
  const scope = context.integration.scope as IntegrationScopes['gitlab'];
  const cache = await context.httpCache.load();
  const watermarks = await context.watermarks.load();
  const fetchedAt = Date.now();
  const projects = await listProjects(client, scope, options.pageSize);
  const settings = {
    production: scope.production_environment ? new RegExp(scope.production_environment, 'i') : null,
    incidentLabels: (scope.incident_labels ?? DEFAULT_INCIDENT_LABELS).map((label) => label.toLowerCase()),
  };
  const window = context.run.window_start
    ? {
        since: new Date(context.run.window_start).toISOString(),
        until: new Date(context.run.window_end ?? Date.now()).toISOString(),
      }
    : null;
  const horizon = new Date(fetchedAt - options.initialHistoryDays * 86_400_000).toISOString();

  // Projects: published when their content changed since the last run (a fingerprint per project).
  const changed: RawRecord[] = [];
  const fingerprints: { target: string; cursor: string }[] = [];
  for (const project of projects) {
    const fingerprint = createHash('sha1')
      .update(JSON.stringify([project.name, project.path_with_namespace, project.default_branch, project.web_url]))
      .digest('hex');
    const target = `project:${project.id}`;
    if (watermarks.get(target) === fingerprint) continue;
    changed.push(record(context, project, 'project', String(project.id), project, fetchedAt, `projects/${project.id}`));
    fingerprints.push({ target, cursor: fingerprint });
  }
  await publish(context, changed);
  await context.watermarks.save(fingerprints);

  for (const project of projects) {
    const run: ProjectRun = {
      context,
      client,
      project,
      cache,
      watermarks,
      options,
      settings,
      fetchedAt,
      since: window?.since ?? horizon,
      until: window?.until ?? null,
    };
    for (const collect of [collectCommits, collectMergeRequests, collectPipelines, collectDeployments, collectIssues]) {
      context.throwIfStopped();
      await collect(run);
    }
  }
}

async function listProjects(
  client: GitLabClient,
  scope: IntegrationScopes['gitlab'],
  pageSize: number,
): Promise<GitLabProjectPayload[]> {
  if (scope.projects && scope.projects.length > 0) {
    const projects: GitLabProjectPayload[] = [];
    for (const path of scope.projects)
      projects.push((await client.page<GitLabProjectPayload>(`projects/${encodeURIComponent(path)}`, {})).body);
    return projects;
  }
  const path = `groups/${encodeURIComponent(scope.group)}/projects`;
  const query = {
    include_subgroups: true,
    with_shared: false,
    archived: false,
    order_by: 'id',
    sort: 'asc',
    per_page: pageSize,
  };
  // Keyset pagination: complete and stable while projects are added during the walk. An instance that
  // does not offer it for this list answers 405; offset pagination then.
  try {
    return await client.all<GitLabProjectPayload>(path, { ...query, pagination: 'keyset' });
  } catch (error: unknown) {
    if (!(error instanceof SyncStageError && / 405 /.test(error.message))) throw error;
    return client.all<GitLabProjectPayload>(path, query);
  }
}

function record(
  context: SyncContext,
  project: GitLabProjectPayload,
  entityKind: string,
  sourceId: string,
  payload: unknown,
  fetchedAt: number,
  request: string,
): RawRecord {
  return runRawRecord(context, {
    provider: 'gitlab',
    scope: project.path_with_namespace,
    entityKind,
    sourceId,
    payload,
    fetchedAt,
    request,
    cursor: null,
  });
}

async function publish(context: SyncContext, records: RawRecord[]): Promise<void> {
  for (let start = 0; start < records.length; start += PUBLISH_BATCH) {
    context.throwIfStopped();
    await context.publish(records.slice(start, start + PUBLISH_BATCH));
  }
}

/**
 * The records of one project list updated after its watermark (or in a backfill's window), oldest
 * first. The first page is conditional: a 304 means nothing changed, and nothing more is requested.
 * Records at exactly the watermark were published by the run that set it.
 */
async function updatedSince<T extends { updated_at: string }>(
  run: ProjectRun,
  kind: string,
  path: string,
  query: Record<string, string | number | boolean>,
): Promise<{ items: T[]; watermark: string | null; cacheEntry: ({ key: string } & CachedResponse) | null }> {
  const target = `${kind}:${run.project.id}`;
  const backfill = run.until !== null;
  const since = backfill ? run.since : (run.watermarks.get(target) ?? run.since);
  const fullQuery = {
    ...query,
    updated_after: since,
    ...(run.until ? { updated_before: run.until } : {}),
    order_by: 'updated_at',
    sort: 'asc',
    per_page: run.options.pageSize,
  };
  const cacheKey = `${target}:${since}`;
  let page = await run.client.page<T[]>(path, fullQuery, backfill ? undefined : run.cache.get(cacheKey));
  if (page.status === 304) return { items: [], watermark: null, cacheEntry: null };
  const first = GitLabClient.cacheEntry(page);
  const items = [...page.body];
  while (page.next) {
    page = await run.client.nextPage<T[]>(path, fullQuery, page.next);
    items.push(...page.body);
  }
  // A record without a readable updated_at is published as it is: the processor dead-letters it by name.
  const fresh = backfill
    ? items
    : items.filter((item) => typeof item.updated_at !== 'string' || item.updated_at > since);
  const newest = fresh.reduce<string | null>(
    (max, item) =>
      typeof item.updated_at === 'string' && (max === null || item.updated_at > max) ? item.updated_at : max,
    null,
  );
  return { items: fresh, watermark: newest, cacheEntry: first && !backfill ? { key: cacheKey, ...first } : null };
}

/** Saves what a collector moved, once its records are acknowledged (a backfill saves nothing). */
async function settle(
  run: ProjectRun,
  kind: string,
  result: { watermark: string | null; cacheEntry: ({ key: string } & CachedResponse) | null },
): Promise<void> {
  if (result.watermark)
    await run.context.watermarks.save([{ target: `${kind}:${run.project.id}`, cursor: result.watermark }]);
  if (result.cacheEntry && run.context.run.mode !== 'backfill') await run.context.httpCache.save([result.cacheEntry]);
}

/** The watermark of a branch: the head whose history has been published. */
const commitsTarget = (projectId: number, branch: string) => `commits:${projectId}:${branch}`;

/** The default branch's commits with per-file stats, from the project's partial clone (no API budget). */
async function collectCommits(run: ProjectRun): Promise<void> {
  const { project, context } = run;
  const branch = project.default_branch;
  if (!branch || !project.http_url_to_repo) return;
  const prefix = commitsTarget(project.id, '');
  await publishClonedCommits({
    context,
    directory: path.join(run.options.cloneDirectory, context.integration.id, `${project.id}.git`),
    url: project.http_url_to_repo,
    token: run.client.gitToken(),
    label: project.path_with_namespace,
    branches: [branch],
    target: (name) => commitsTarget(project.id, name),
    published: [...run.watermarks].filter(([target]) => target.startsWith(prefix)).map(([, sha]) => sha),
    watermarks: run.watermarks,
    toRecord: (commit, name, head, partId) =>
      runRawRecord(context, {
        provider: 'gitlab',
        scope: project.path_with_namespace,
        entityKind: 'commit',
        sourceId: `${project.id}@${partId}`,
        payload: { ...commit, project_id: project.id },
        fetchedAt: run.fetchedAt,
        request: `git log ${name}`,
        cursor: head,
      }),
    authHint: 'the token needs the read_repository scope',
  });
}

/** Lines added and removed in unified diffs (GitLab's diffs start at the first hunk: no ---/+++ headers). */
export function diffSize(diffs: readonly { diff?: string | null }[]): { additions: number; deletions: number } {
  let additions = 0;
  let deletions = 0;
  for (const { diff } of diffs)
    for (const line of (diff ?? '').split('\n')) {
      if (line.startsWith('+')) additions++;
      else if (line.startsWith('-')) deletions++;
    }
  return { additions, deletions };
}

const hasNumber = (item: object, field: string): boolean =>
  typeof (item as Record<string, unknown>)[field] === 'number';

/**
 * A record GitLab sent without the key its enrichment needs: published as it came, without the
 * further requests, so the processor dead-letters it by name and nothing is lost.
 */
function malformed(run: ProjectRun, entityKind: string, item: object, base: string): RawRecord {
  const id = (item as Record<string, unknown>).id;
  return record(
    run.context,
    run.project,
    entityKind,
    `${run.project.id}/malformed/${String(id)}`,
    item,
    run.fetchedAt,
    base,
  );
}

async function collectMergeRequests(run: ProjectRun): Promise<void> {
  const base = `projects/${run.project.id}/merge_requests`;
  const result = await updatedSince<
    Omit<GitLabMergeRequestPayload, 'notes' | 'approved_by' | 'closes_issues'> & { description?: string | null }
  >(run, 'merge_requests', base, { state: 'all', scope: 'all' });
  const records: RawRecord[] = [];
  for (const mr of result.items) {
    run.context.throwIfStopped();
    if (!hasNumber(mr, 'iid')) {
      records.push(malformed(run, 'merge_request', mr, base));
      continue;
    }
    // Notes carry the review history: comments, diff comments, and the system notes of approvals.
    const notes = await run.client.all<GitLabNote>(`${base}/${mr.iid}/notes`, {
      sort: 'asc',
      order_by: 'created_at',
      per_page: run.options.pageSize,
    });
    // The size the list leaves out: the MR's file diffs (usually one page), counted here, not published.
    const diffs = await run.client.all<{ diff?: string | null }>(`${base}/${mr.iid}/diffs`, {
      per_page: run.options.pageSize,
    });
    const size = diffSize(diffs);
    const approvals = notes.filter((note) => note.system && /^approved this merge request$/i.test(note.body.trim()));
    const payload: GitLabMergeRequestPayload & { description?: string | null } = {
      ...mr,
      changes_count: String(diffs.length),
      additions: size.additions,
      deletions: size.deletions,
      notes,
      approved_by: approvals.flatMap((note) => (note.author ? [{ user: note.author }] : [])),
      closes_issues: closingIssueIids(mr.description).map((iid) => ({ iid, project_id: mr.project_id })),
    };
    records.push(
      record(
        run.context,
        run.project,
        'merge_request',
        `${mr.project_id}!${mr.iid}`,
        payload,
        run.fetchedAt,
        `${base}/${mr.iid}`,
      ),
    );
    if (records.length >= PUBLISH_BATCH) await publish(run.context, records.splice(0));
  }
  await publish(run.context, records);
  await settle(run, 'merge_requests', result);
}

async function collectPipelines(run: ProjectRun): Promise<void> {
  const base = `projects/${run.project.id}/pipelines`;
  const result = await updatedSince<Omit<GitLabPipelinePayload, 'jobs'>>(run, 'pipelines', base, {});
  const records: RawRecord[] = [];
  for (const pipeline of result.items) {
    run.context.throwIfStopped();
    if (!hasNumber(pipeline, 'id')) {
      records.push(malformed(run, 'pipeline', pipeline, base));
      continue;
    }
    // Jobs once the pipeline finished: a running one is fetched again when it next changes.
    const jobs = FINISHED_PIPELINE.has(pipeline.status)
      ? await run.client.all<GitLabJob>(`${base}/${pipeline.id}/jobs`, {
          include_retried: false,
          per_page: run.options.pageSize,
        })
      : null;
    records.push(
      record(
        run.context,
        run.project,
        'pipeline',
        `${pipeline.project_id}/${pipeline.id}`,
        { ...pipeline, jobs },
        run.fetchedAt,
        `${base}/${pipeline.id}`,
      ),
    );
    if (records.length >= PUBLISH_BATCH) await publish(run.context, records.splice(0));
  }
  await publish(run.context, records);
  await settle(run, 'pipelines', result);
}

async function collectDeployments(run: ProjectRun): Promise<void> {
  const base = `projects/${run.project.id}/deployments`;
  const result = await updatedSince<Omit<GitLabDeploymentPayload, 'project_id' | 'production'>>(
    run,
    'deployments',
    base,
    {},
  );
  // A deployment's environment carries no tier: the project's environments do (one list, only when needed).
  const tiers = new Map<number, string | null>();
  if (result.items.length > 0 && !run.settings.production)
    for (const environment of await run.client.all<{ id: number; tier?: string | null }>(
      `projects/${run.project.id}/environments`,
      { per_page: run.options.pageSize },
    ))
      tiers.set(environment.id, environment.tier ?? null);
  const records = result.items.map((deployment) => {
    const environment = deployment.environment;
    // Production: the integration's pattern when it set one, else GitLab's environment tier.
    const production = run.settings.production
      ? run.settings.production.test(environment.name)
      : (environment.tier ?? tiers.get(environment.id)) === 'production';
    return record(
      run.context,
      run.project,
      'deployment',
      `${run.project.id}/${deployment.id}`,
      { ...deployment, project_id: run.project.id, production },
      run.fetchedAt,
      `${base}/${deployment.id}`,
    );
  });
  await publish(run.context, records);
  await settle(run, 'deployments', result);
}

async function collectIssues(run: ProjectRun): Promise<void> {
  const base = `projects/${run.project.id}/issues`;
  const result = await updatedSince<
    Omit<GitLabIssuePayload, 'project_path' | 'state_events' | 'label_events' | 'incident'>
  >(run, 'issues', base, { scope: 'all' });
  const records: RawRecord[] = [];
  for (const issue of result.items) {
    run.context.throwIfStopped();
    if (!hasNumber(issue, 'iid')) {
      records.push(malformed(run, 'issue', issue, base));
      continue;
    }
    const events = { per_page: run.options.pageSize };
    const stateEvents = await run.client.all<GitLabStateEvent>(`${base}/${issue.iid}/resource_state_events`, events);
    const labelEvents = await run.client.all<GitLabLabelEvent>(`${base}/${issue.iid}/resource_label_events`, events);
    const incident =
      issue.issue_type === 'incident' ||
      issue.labels.some((label) => run.settings.incidentLabels.includes(String(label).toLowerCase()));
    records.push(
      record(
        run.context,
        run.project,
        'issue',
        `${issue.project_id}#${issue.iid}`,
        {
          ...issue,
          project_path: run.project.path_with_namespace,
          state_events: stateEvents,
          label_events: labelEvents,
          incident,
        },
        run.fetchedAt,
        `${base}/${issue.iid}`,
      ),
    );
    if (records.length >= PUBLISH_BATCH) await publish(run.context, records.splice(0));
  }
  await publish(run.context, records);
  await settle(run, 'issues', result);
}
