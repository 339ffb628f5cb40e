import { tmpdir } from 'node:os';
import path from 'node:path';
import { GITHUB_COLLECTIONS, type GitHubCollection, type IntegrationScopes } from '@dev-health/control-plane';
import type { SyncContext, SyncJob } from '@dev-health/connector';
import type { GitHubClient } from './github-client';
import { listRepositories, repositoryRecord } from './collectors/repositories';
import { collectPullRequests } from './collectors/pull-requests';
import { collectCommits } from './collectors/commits';
import type { GitHubSyncSettings, RepositoryCollector, RepositoryRun } from './collectors/repository-run';

export interface GitHubSyncOptions {
  /** GraphQL page size (GitHub allows 100). */
  pageSize: number;
  /** REST page size for lists. */
  listPageSize: number;
  /** The client of one run (one token, one budget). */
  client: (context: SyncContext) => Promise<GitHubClient>;
  /** Where commits' partial clones are cached (default: a folder under the OS temp directory). */
  cloneDirectory?: string;
  /** Collectors by kind; a kind without one is not collected (tests pass a subset). */
  collectors?: Partial<Record<GitHubCollection, RepositoryCollector>>;
}

export const DEFAULT_PRODUCTION_ENVIRONMENT = '^(prod|production)$';
export const DEFAULT_INCIDENT_LABELS: readonly string[] = ['incident'];

const DEFAULT_COLLECTORS: Partial<Record<GitHubCollection, RepositoryCollector>> = {
  commits: collectCommits,
  pull_requests: collectPullRequests,
};

/**
 * A GitHub integration's sync run (scope: owner, optional repository names, what to collect):
 * repositories, then for each repository each collector in turn. Every collector starts with a
 * conditional probe, so an unchanged repository costs 304s (free) and publishes nothing, and saves
 * its watermarks and ETags only once its records are acknowledged.
 */
export function githubSyncJob(options: GitHubSyncOptions): SyncJob {
  const collectors = options.collectors ?? DEFAULT_COLLECTORS;
  return async (context) => {
    const scope = context.integration.scope as IntegrationScopes['github'];
    const settings = syncSettings(scope, options);
    const kinds = (scope.collect ?? GITHUB_COLLECTIONS).filter((kind) => collectors[kind] !== undefined);
    const client = await options.client(context);
    const cache = await context.httpCache.load();
    const watermarks = await context.watermarks.load();
    const fetchedAt = Date.now();

    const { repositories, entries: listEntries } = await listRepositories(client, scope, cache, options.listPageSize);
    const changed = repositories.filter(({ changed: isNew }) => isNew).map(({ repository }) => repository);
    if (changed.length > 0)
      await context.publish(changed.map((repository) => repositoryRecord(context, repository, fetchedAt)));

    for (const { repository } of repositories) {
      const [owner, name] = repository.full_name.split('/') as [string, string];
      const run: RepositoryRun = { context, client, repository, owner, name, cache, watermarks, settings, fetchedAt };
      for (const kind of kinds) {
        context.throwIfStopped();
        await collectors[kind]?.(run);
      }
    }
    await context.httpCache.save(listEntries);
  };
}

function syncSettings(scope: IntegrationScopes['github'], options: GitHubSyncOptions): GitHubSyncSettings {
  return {
    // Anchored by the author of the pattern; case-insensitive because "Production" and "production" are one place.
    production: new RegExp(scope.production_environment ?? DEFAULT_PRODUCTION_ENVIRONMENT, 'i'),
    incidentLabels: (scope.incident_labels ?? DEFAULT_INCIDENT_LABELS).map((label) => label.toLowerCase()),
    branches: scope.branches ?? null,
    pageSize: options.pageSize,
    listPageSize: options.listPageSize,
    cloneDirectory: options.cloneDirectory ?? path.join(tmpdir(), 'dev-health-github-clones'),
  };
}
