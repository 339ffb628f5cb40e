import { tmpdir } from 'node:os';
import path from 'node:path';
import { GITHUB_COLLECTIONS, type GitHubCollection, type IntegrationScopes } from '@dev-health/control-plane';
import type { SyncContext, SyncJob } from '@dev-health/connector';
import type { PipelineMetrics } from '@dev-health/observability';
import type { GitHubClient } from './github-client';
import type { GitHubRepositoryPayload } from './payloads';
import { PUBLIC_EVENTS_DEFAULTS, syncPublicEvents } from './public-events';
import { listRepositories, repositoryRecord } from './collectors/repositories';
import {
  PULL_REQUEST_BATCH,
  collectPullRequests,
  collectReviewComments,
  prefetchPullRequestHeads,
} from './collectors/pull-requests';
import { collectDeployments } from './collectors/deployments';
import { collectWorkflowRuns } from './collectors/workflow-runs';
import { collectIssues } from './collectors/issues';
import { collectCommits } from './collectors/commits';
import { collectProjectStatuses } from './collectors/project-statuses';
import type { GitHubSyncSettings, RepositoryCollector, RepositoryRun } from './collectors/repository-run';

export interface GitHubSyncOptions {
  /** GraphQL page size (GitHub allows 100). */
  pageSize: number;
  /** REST page size for lists. */
  listPageSize: number;
  /** How far back a first sync reads workflow runs (older history: a backfill). */
  initialHistoryDays: number;
  /** The client of one run (one token, one budget). */
  client: (context: SyncContext) => Promise<GitHubClient>;
  /** Where the enrichment backlog of public-events integrations shows (dho_enrichment_pending). */
  metrics?: PipelineMetrics;
  /** Where commits' partial clones are cached (default: a folder under the OS temp directory). */
  cloneDirectory?: string;
}

export const DEFAULT_PRODUCTION_ENVIRONMENT = '^(prod|production)$';
export const DEFAULT_INCIDENT_LABELS: readonly string[] = ['incident'];
export const DEFAULT_PROJECT_STATUS_FIELD = 'Status';

const COLLECTORS: Record<GitHubCollection, RepositoryCollector> = {
  commits: collectCommits,
  pull_requests: async (run) => {
    await collectPullRequests(run);
    await collectReviewComments(run);
  },
  deployments: collectDeployments,
  workflow_runs: collectWorkflowRuns,
  issues: collectIssues,
};

/**
 * A GitHub integration's sync run (scope: owner, optional repository names, what to collect):
 * repositories, then for each repository each collector in turn. Every collector starts with a
 * conditional probe, so an unchanged repository costs 304s (free) and publishes nothing, and saves
 * its watermarks and ETags only once its records are acknowledged.
 */
export function githubSyncJob(options: GitHubSyncOptions): SyncJob {
  return async (context) => {
    const client = await options.client(context);
    try {
      await sync(context, client, options);
    } finally {
      // Succeeded or not, health shows the window the run left (a storm's exhaustion included).
      const { limit, remaining, resetAt } = client.budget.state;
      if (remaining !== null) await context.reportRateLimit({ limit, remaining, resetAt });
    }
  };
}

async function sync(context: SyncContext, client: GitHubClient, options: GitHubSyncOptions): Promise<void> {
  const scope = context.integration.scope as IntegrationScopes['github'];
  if (scope.mode === 'public_events') {
    const { published, pending } = await syncPublicEvents(context, client, {
      ...PUBLIC_EVENTS_DEFAULTS,
      now: Date.now,
    });
    options.metrics?.enrichmentPending.set({ provider: 'github', integration: context.integration.id }, pending);
    context.logger.info('public events polled', { published, enrichmentPending: pending });
    return;
  }
  const settings = syncSettings(scope, options);
  const kinds = scope.collect ?? GITHUB_COLLECTIONS;
  const cache = await context.httpCache.load();
  const watermarks = await context.watermarks.load();
  const fetchedAt = Date.now();

  const { repositories, entries: listEntries } = await listRepositories(client, scope, cache, options.listPageSize);
  const changed = repositories.filter(({ changed: isNew }) => isNew).map(({ repository }) => repository);
  if (changed.length > 0)
    await context.publish(changed.map((repository) => repositoryRecord(context, repository, fetchedAt)));

  const runOf = (repository: GitHubRepositoryPayload): RepositoryRun => {
    const [owner, name] = repository.full_name.split('/') as [string, string];
    return { context, client, repository, owner, name, cache, watermarks, settings, fetchedAt };
  };
  // Repositories in groups: their pull requests' first pages share a request, and only a group's pages wait in memory.
  for (let start = 0; start < repositories.length; start += PULL_REQUEST_BATCH) {
    const group = repositories.slice(start, start + PULL_REQUEST_BATCH).map(({ repository }) => runOf(repository));
    const heads = kinds.includes('pull_requests') ? await prefetchPullRequestHeads(group) : undefined;
    for (const run of group) {
      const withHeads = heads ? { ...run, pullRequestHeads: heads } : run;
      for (const kind of kinds) {
        context.throwIfStopped();
        await COLLECTORS[kind](withHeads);
      }
    }
  }
  if (scope.projects && scope.projects.length > 0)
    await collectProjectStatuses(context, client, {
      owner: scope.owner,
      projects: scope.projects,
      statusField: scope.project_status_field ?? DEFAULT_PROJECT_STATUS_FIELD,
      repositories: repositories.map(({ repository }) => repository),
      cache,
      watermarks,
      pageSize: options.listPageSize,
      fetchedAt,
    });
  await context.httpCache.save(listEntries);
}

function syncSettings(scope: IntegrationScopes['github'], options: GitHubSyncOptions): GitHubSyncSettings {
  return {
    // Anchored by the author of the pattern; case-insensitive because "Production" and "production" are one place.
    production: new RegExp(scope.production_environment ?? DEFAULT_PRODUCTION_ENVIRONMENT, 'i'),
    incidentLabels: (scope.incident_labels ?? DEFAULT_INCIDENT_LABELS).map((label) => label.toLowerCase()),
    branches: scope.branches ?? null,
    commitsFrom: scope.commits_from ?? 'clone',
    commitFiles: scope.commit_files ?? false,
    pageSize: options.pageSize,
    initialHistoryDays: options.initialHistoryDays,
    listPageSize: options.listPageSize,
    cloneDirectory: options.cloneDirectory ?? path.join(tmpdir(), 'dev-health-github-clones'),
  };
}
