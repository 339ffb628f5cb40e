import type { IntegrationScopes } from '@dev-health/control-plane';
import type { CachedResponse, SyncContext, SyncJob } from '@dev-health/connector';
import type { RawRecord } from '@dev-health/schemas';
import { type ConditionalResult, GitHubClient } from './github-client';
import type { GitHubPullRequestPayload, GitHubRepositoryPayload } from './payloads';
import { PULL_REQUESTS_QUERY } from './queries';

export interface GitHubSyncOptions {
  /** GraphQL page size for pull requests (GitHub allows 100). */
  pageSize: number;
  /** REST page size for repository lists. */
  listPageSize: number;
  /** The client of one run (one token, one budget). */
  client: (context: SyncContext) => Promise<GitHubClient>;
}

interface PullRequestsPage {
  repository: {
    databaseId: number;
    pullRequests: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: Omit<GitHubPullRequestPayload, 'repository_id'>[];
    };
  } | null;
}

type CacheEntry = { key: string } & CachedResponse;

/**
 * A GitHub integration's sync run (scope: owner, optional repository names): repositories, then each
 * repository's pull requests with their reviews, newest update first, down to the watermark.
 * - Repository lists and a one-item "latest updated PR" probe per repository are conditional GETs:
 *   an unchanged repository costs one 304 (free) and publishes nothing.
 * - A changed repository's PRs come from GraphQL, 100 per request with their reviews, until a page
 *   reaches PRs updated at or before the watermark.
 * - Watermarks and cached ETags of a repository are saved once its records are acknowledged.
 */
export function githubSyncJob(options: GitHubSyncOptions): SyncJob {
  return async (context) => {
    const scope = context.integration.scope as IntegrationScopes['github'];
    const client = await options.client(context);
    const cache = await context.httpCache.load();
    const watermarks = await context.watermarks.load();
    const fetchedAt = Date.now();

    const { repositories, entries: listEntries } = await listRepositories(client, scope, cache, options.listPageSize);
    const changed = repositories.filter(({ changed: isNew }) => isNew).map(({ repository }) => repository);
    if (changed.length > 0)
      await context.publish(changed.map((repository) => repositoryRecord(context, repository, fetchedAt)));

    for (const { repository } of repositories) {
      context.throwIfStopped();
      const [owner, name] = repository.full_name.split('/') as [string, string];
      const probeKey = `pulls-latest:${repository.id}`;
      const probe = await client.get<unknown[]>(
        `/repos/${owner}/${name}/pulls?state=all&sort=updated&direction=desc&per_page=1`,
        cache.get(probeKey),
      );
      if (probe.status === 304) continue;
      const target = `${repository.id}:pulls`;
      const since = watermarks.get(target) ?? '';
      let newest = since;
      let after: string | null = null;
      for (;;) {
        context.throwIfStopped();
        const page: PullRequestsPage = await client.graphql<PullRequestsPage>(PULL_REQUESTS_QUERY, {
          owner,
          name,
          first: options.pageSize,
          after,
        });
        const connection = page.repository?.pullRequests;
        if (!connection) break;
        const fresh = connection.nodes.filter((node) => node.updatedAt > since);
        if (fresh.length > 0)
          await context.publish(
            fresh.map((node) =>
              pullRequestRecord(context, repository, { ...node, repository_id: repository.id }, fetchedAt, after),
            ),
          );
        for (const node of fresh) if (node.updatedAt > newest) newest = node.updatedAt;
        // Newest first: once a page holds an older-than-watermark PR, the rest are older still.
        if (fresh.length < connection.nodes.length || !connection.pageInfo.hasNextPage) break;
        after = connection.pageInfo.endCursor;
      }
      if (newest !== '') await context.watermarks.save([{ target, cursor: newest }]);
      const probeEntry = GitHubClient.cacheEntry(probeKey, probe);
      if (probeEntry) await context.httpCache.save([probeEntry]);
    }
    await context.httpCache.save(listEntries);
  };
}

/** The scope's repositories, each marked changed unless its (page's) GET answered 304. */
async function listRepositories(
  client: GitHubClient,
  scope: IntegrationScopes['github'],
  cache: ReadonlyMap<string, CachedResponse>,
  pageSize: number,
): Promise<{ repositories: { repository: GitHubRepositoryPayload; changed: boolean }[]; entries: CacheEntry[] }> {
  const repositories: { repository: GitHubRepositoryPayload; changed: boolean }[] = [];
  const entries: CacheEntry[] = [];
  const remember = (key: string, result: ConditionalResult<unknown>) => {
    const entry = GitHubClient.cacheEntry(key, result);
    if (entry) entries.push(entry);
  };
  if (scope.repositories && scope.repositories.length > 0) {
    for (const name of scope.repositories) {
      const key = `repo:${scope.owner}/${name}`;
      const result = await client.get<GitHubRepositoryPayload>(`/repos/${scope.owner}/${name}`, cache.get(key));
      remember(key, result);
      repositories.push({ repository: result.body, changed: result.status === 200 });
    }
    return { repositories, entries };
  }
  let url: string | null = `/orgs/${scope.owner}/repos?type=all&sort=full_name&per_page=${pageSize}`;
  for (let page = 1; url !== null; page++) {
    const key = `org-repos:${scope.owner}:${page}`;
    const result: ConditionalResult<GitHubRepositoryPayload[]> = await client.get<GitHubRepositoryPayload[]>(
      url,
      cache.get(key),
    );
    remember(key, result);
    for (const repository of result.body) repositories.push({ repository, changed: result.status === 200 });
    url = result.next;
  }
  return { repositories, entries };
}

function rawRecord(
  context: SyncContext,
  repository: GitHubRepositoryPayload,
  entityKind: string,
  sourceId: string,
  payload: unknown,
  fetchedAt: number,
  request: string,
  cursor: string | null,
): RawRecord {
  return {
    org_id: context.integration.org_id,
    provider: 'github',
    entity_kind: entityKind,
    source_id: sourceId,
    scope: repository.full_name,
    fetched_at: fetchedAt,
    request,
    cursor,
    sync_mode: context.run.mode === 'backfill' ? 'backfill' : 'incremental',
    backfill_job_id: null,
    payload: JSON.stringify(payload),
  };
}

function repositoryRecord(context: SyncContext, repository: GitHubRepositoryPayload, fetchedAt: number): RawRecord {
  const payload: GitHubRepositoryPayload = {
    id: repository.id,
    node_id: repository.node_id,
    name: repository.name,
    full_name: repository.full_name,
    html_url: repository.html_url,
    default_branch: repository.default_branch,
    created_at: repository.created_at,
  };
  return rawRecord(
    context,
    repository,
    'repository',
    String(repository.id),
    payload,
    fetchedAt,
    'GET repository',
    null,
  );
}

function pullRequestRecord(
  context: SyncContext,
  repository: GitHubRepositoryPayload,
  payload: GitHubPullRequestPayload,
  fetchedAt: number,
  cursor: string | null,
): RawRecord {
  return rawRecord(
    context,
    repository,
    'pull_request',
    `${repository.id}#${payload.number}`,
    payload,
    fetchedAt,
    'graphql PullRequests',
    cursor,
  );
}
