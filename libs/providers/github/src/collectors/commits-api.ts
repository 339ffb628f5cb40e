import type { GitFileStat } from '@dev-health/git';
import { SyncStageError } from '@dev-health/connector';
import type { RawRecord } from '@dev-health/schemas';
import type { ConditionalResult } from '../github-client';
import { GitHubClient } from '../github-client';
import { COMMIT_HISTORY_QUERY } from '../queries';
import { type RepositoryRun, rawRecord } from './repository-run';
import { UnpublishedCommits } from './unpublished-commits';
import { type HistoryCommitNode, commitPayload } from './api-commit';
import { absentBranch } from './branch-watermarks';

interface CommitHistoryPage {
  repository: {
    object: {
      history?: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: HistoryCommitNode[] };
    } | null;
  } | null;
}

/** REST `GET /repos/{o}/{r}/commits/{sha}`, the part read: its files (300 a page). */
interface RestCommit {
  files?: {
    filename: string;
    previous_filename?: string;
    additions: number;
    deletions: number;
    status: string;
    patch?: string;
  }[];
}

/**
 * Commits of `branches` through the API, for integrations that may not clone: per branch a
 * conditional GET of the branch (304 while its head is unchanged: free), then GraphQL history pages
 * of 100 from that head until `UnpublishedCommits` says every commit still to come was published.
 * The same payload and watermarks as the clone path, so an integration can switch either way.
 */
export async function collectCommitsThroughApi(
  run: RepositoryRun,
  branches: readonly string[],
  published: string[],
  target: (branch: string) => string,
): Promise<void> {
  const { context, repository, owner, name, client, settings } = run;
  // Commits this run published: a branch already inside another's history costs no walk.
  const publishedNow = new Set<string>();
  for (const branch of branches) {
    context.throwIfStopped();
    const pushedAt = repository.pushed_at ?? null;
    if (pushedAt !== null && run.watermarks.get(target(branch)) === absentBranch(pushedAt)) continue;
    const cacheKey = `branch:${repository.id}:${branch}`;
    const found: ConditionalResult<{ commit: { sha: string } }> | null = await client.getIfFound(
      `/repos/${owner}/${name}/branches/${encodeURIComponent(branch)}`,
      run.cache.get(cacheKey),
    );
    if (found === null) {
      context.logger.warn('branch not found, no commits collected', { repository: repository.full_name, branch });
      if (pushedAt !== null)
        await context.watermarks.save([{ target: target(branch), cursor: absentBranch(pushedAt) }]);
      continue;
    }
    const head = found.body.commit.sha;
    const since = run.watermarks.get(target(branch));
    const entry = GitHubClient.cacheEntry(cacheKey, found);
    if (head !== since) {
      if (!publishedNow.has(head)) {
        const started = Date.now();
        const { count, requests } = await publishUnpublished(run, branch, head, published, publishedNow);
        context.logger.info('commits collected through the API', {
          repository: repository.full_name,
          branch,
          commits: count,
          requests,
          files: settings.commitFiles,
          ms: Date.now() - started,
        });
      }
      await context.watermarks.save([{ target: target(branch), cursor: head }]);
    }
    published.push(head);
    // Only now: a crash before this re-reads the branch rather than skipping its commits.
    if (entry) await context.httpCache.save([entry]);
  }
}

async function publishUnpublished(
  run: RepositoryRun,
  branch: string,
  head: string,
  published: readonly string[],
  publishedNow: Set<string>,
): Promise<{ count: number; requests: number }> {
  const { context, repository, owner, name, client, settings } = run;
  const walk = new UnpublishedCommits(published, publishedNow);
  let after: string | null = null;
  let count = 0;
  let requests = 0;
  while (!walk.done) {
    context.throwIfStopped();
    const page: CommitHistoryPage = await client.graphql(COMMIT_HISTORY_QUERY, {
      owner,
      name,
      head,
      first: settings.pageSize,
      after,
    });
    requests++;
    const history = page.repository?.object?.history;
    if (!history) throw new SyncStageError('fetch', `commits of ${repository.full_name}: ${head} has no history`);
    const records: RawRecord[] = [];
    for (const node of history.nodes) {
      if (walk.done) break;
      const parents = node.parents.nodes.map((parent) => parent.oid);
      if (!walk.visit(node.oid, parents)) continue;
      const files = settings.commitFiles && parents.length <= 1 ? await commitFiles(run, node.oid) : null;
      if (files) requests += files.requests;
      const payload = commitPayload(repository.id, node, files?.files ?? null);
      records.push(
        rawRecord(
          context,
          repository,
          'commit',
          `${repository.id}@${node.oid}`,
          payload,
          run.fetchedAt,
          `graphql CommitHistory ${branch}`,
          head,
        ),
      );
    }
    // A page is at most 100 commits: published as it comes, so a long history never sits in memory.
    if (records.length > 0) await context.publish(records);
    count += records.length;
    if (!history.pageInfo.hasNextPage) break;
    after = history.pageInfo.endCursor;
  }
  return { count, requests };
}

/** A commit's files (REST, 300 a page): exact per-file stats at a request per commit. */
async function commitFiles(run: RepositoryRun, sha: string): Promise<{ files: GitFileStat[]; requests: number }> {
  const files: GitFileStat[] = [];
  let requests = 0;
  let url: string | null = `/repos/${run.owner}/${run.name}/commits/${sha}`;
  while (url !== null) {
    const page: ConditionalResult<RestCommit> = await run.client.get(url);
    requests++;
    for (const file of page.body.files ?? [])
      files.push({
        path: file.filename,
        ...(file.status === 'renamed' && file.previous_filename ? { previousPath: file.previous_filename } : {}),
        // GitHub gives a binary file no patch and no line counts; git's numstat says "-".
        ...(isBinary(file)
          ? { additions: null, deletions: null }
          : { additions: file.additions, deletions: file.deletions }),
      });
    url = page.next;
  }
  return { files, requests };
}

const isBinary = (file: NonNullable<RestCommit['files']>[number]): boolean =>
  file.patch === undefined && file.additions === 0 && file.deletions === 0 && file.status !== 'renamed';
