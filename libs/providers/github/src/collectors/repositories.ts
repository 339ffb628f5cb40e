import type { IntegrationScopes } from '@dev-health/control-plane';
import type { CachedResponse, SyncContext } from '@dev-health/connector';
import type { RawRecord } from '@dev-health/schemas';
import { type ConditionalResult, GitHubClient } from '../github-client';
import type { GitHubRepositoryPayload } from '../payloads';
import { rawRecord } from './repository-run';

type CacheEntry = { key: string } & CachedResponse;

/**
 * The scope's repositories, each marked changed unless its (page's) GET answered 304. The ETags come
 * back as entries for the caller to save once the run's records are acknowledged.
 */
export async function listRepositories(
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

export function repositoryRecord(
  context: SyncContext,
  repository: GitHubRepositoryPayload,
  fetchedAt: number,
): RawRecord {
  const payload = trimRepository(repository);
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

/** The fields of a REST repository the normalizer reads (the API sends about a hundred). */
export function trimRepository(repository: GitHubRepositoryPayload): GitHubRepositoryPayload {
  return {
    id: repository.id,
    node_id: repository.node_id,
    name: repository.name,
    full_name: repository.full_name,
    html_url: repository.html_url,
    default_branch: repository.default_branch,
    created_at: repository.created_at,
    pushed_at: repository.pushed_at ?? null,
  };
}
