import path from 'node:path';
import { SyncStageError } from '@dev-health/connector';
import { PartialClone, PartialCloneError } from '@dev-health/git';
import type { RawRecord } from '@dev-health/schemas';
import type { GitHubCommitPayload } from '../payloads';
import { type RepositoryCollector, type RepositoryRun, rawRecord } from './repository-run';
import { collectCommitsThroughApi } from './commits-api';
import { commitsTarget, isAbsentBranch } from './branch-watermarks';

/** Commits per publish: acknowledged batches, so a long first history never sits in memory. */
export const COMMIT_BATCH = 500;

/**
 * Commits of the scope's branches (default: the repository's default branch), read from a bare
 * partial clone cached per integration and repository id: a fetch per branch (git, not API budget),
 * then `git log --numstat` of what no published head reaches. Exact per-file stats and the author's
 * time zone offset; an unchanged branch costs one fetch and publishes nothing. After a force-push the
 * old head still excludes what was published, so only the rewritten commits go out.
 */
export const collectCommits: RepositoryCollector = async (run) => {
  const { repository } = run;
  const branches = run.settings.branches ?? (repository.default_branch ? [repository.default_branch] : []);
  if (branches.length === 0) return;
  const prefix = commitsTarget(repository.id, '');
  // Every commit a saved head reaches was published with it, whichever branch it was and wherever it went since.
  const published = [...run.watermarks]
    .filter(([target, cursor]) => target.startsWith(prefix) && !isAbsentBranch(cursor))
    .map(([, sha]) => sha);
  if (run.settings.commitsFrom === 'api')
    return collectCommitsThroughApi(run, branches, published, (branch) => commitsTarget(repository.id, branch));
  await collectCommitsFromClone(run, branches, published);
};

async function collectCommitsFromClone(run: RepositoryRun, branches: readonly string[], published: string[]) {
  const { repository, context } = run;
  // The PAT, or a GitHub App installation's current token.
  const token = await run.client.gitToken();
  const clone = await gitStage(run, 'clone', () =>
    PartialClone.open({
      directory: path.join(run.settings.cloneDirectory, context.integration.id, `${repository.id}.git`),
      url: `${repository.html_url.replace(/\/$/, '')}.git`,
      token,
    }),
  );
  for (const branch of branches) {
    context.throwIfStopped();
    const head = await gitStage(run, `fetch ${branch}`, () => clone.fetchBranch(branch));
    const target = commitsTarget(repository.id, branch);
    const since = run.watermarks.get(target);
    if (head === null) {
      context.logger.warn('branch not found, no commits collected', { repository: repository.full_name, branch });
      continue;
    }
    if (head === since) continue;
    const exclude: string[] = [];
    for (const sha of new Set(published)) if (await clone.repository.commitExists(sha)) exclude.push(sha);
    if (since !== undefined && !(await clone.repository.isAncestor(since, head)))
      context.logger.info('branch was rewritten; publishing the commits its old head does not reach', {
        repository: repository.full_name,
        branch,
      });
    const started = Date.now();
    const prefetch = await gitStage(run, `prefetch ${branch}`, () => clone.prefetchBlobs([head], exclude));
    let batch: RawRecord[] = [];
    let count = 0;
    await gitStage(run, `log ${branch}`, async () => {
      for await (const commit of clone.streamCommits([head], exclude)) {
        const payload: GitHubCommitPayload = { ...commit, repository_id: repository.id };
        batch.push(
          rawRecord(
            context,
            repository,
            'commit',
            `${repository.id}@${commit.sha}`,
            payload,
            run.fetchedAt,
            `git log ${branch}`,
            head,
          ),
        );
        count++;
        if (batch.length >= COMMIT_BATCH) {
          await context.publish(batch);
          batch = [];
          context.throwIfStopped();
        }
      }
    });
    if (batch.length > 0) await context.publish(batch);
    await context.watermarks.save([{ target, cursor: head }]);
    published.push(head);
    context.logger.info('commits collected', {
      repository: repository.full_name,
      branch,
      commits: count,
      blobs_fetched: prefetch.missing,
      ms: Date.now() - started,
    });
  }
}

/** A git step of the collector; its failure fails the run naming the stage, the token redacted. */
async function gitStage<T>(run: RepositoryRun, step: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error: unknown) {
    if (!(error instanceof PartialCloneError)) throw error;
    if (error.authFailed)
      throw new SyncStageError(
        'auth',
        `commits of ${run.repository.full_name}: git ${step} was refused (the token needs read access to the ` +
          `repository's contents; where cloning is not allowed, set scope.commits_from to "api"): ${error.message}`,
      );
    throw new SyncStageError('fetch', `commits of ${run.repository.full_name}: git ${step}: ${error.message}`);
  }
}
