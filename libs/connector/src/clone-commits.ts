import { type CommitPayload, PartialClone, PartialCloneError, commitPartSourceId, splitCommit } from '@dev-health/git';
import type { RawRecord } from '@dev-health/schemas';
import { SyncStageError, type SyncContext } from './sync-job';

/** Commits per publish: acknowledged batches, so a long first history never sits in memory. */
export const COMMIT_BATCH = 500;

export interface CloneCommitsRequest {
  context: SyncContext;
  /** The bare clone's directory (keyed by something immutable: the repository's id). */
  directory: string;
  /** The remote without credentials. */
  url: string;
  token: string | null;
  /** The repository as logs and errors name it. */
  label: string;
  branches: readonly string[];
  /** The watermark target of a branch: the head whose history has been published. */
  target: (branch: string) => string;
  /** Heads of every branch published before (whichever branch, wherever it went since). */
  published: string[];
  watermarks: ReadonlyMap<string, string>;
  /** The raw record of a commit (the provider's payload around it). */
  /**
   * The raw record of a commit, or of one part of a commit too large for one record (splitCommit);
   * `partId` is the sha, or the sha with the part for later parts: the record's source id.
   */
  toRecord: (commit: CommitPayload, branch: string, head: string, partId: string) => RawRecord;
  /** What a refused clone means for this provider (which token scope is missing, what else to do). */
  authHint: string;
}

/**
 * Commits of some branches, read from a bare partial clone cached per integration and repository: a
 * fetch per branch (git, not API budget), then `git log --numstat` of what no published head reaches.
 * Exact per-file stats and the author's time zone offset; an unchanged branch costs one fetch and
 * publishes nothing. After a force-push the old head still excludes what was published, so only the
 * rewritten commits go out. Every API connector (GitHub, GitLab) reads commits this way.
 */
export async function publishClonedCommits(request: CloneCommitsRequest): Promise<void> {
  const { context } = request;
  const stage = <T>(step: string, action: () => Promise<T>) => gitStage(request, step, action);
  const clone = await stage('clone', () =>
    PartialClone.open({ directory: request.directory, url: request.url, token: request.token }),
  );
  const published = [...request.published];
  for (const branch of request.branches) {
    context.throwIfStopped();
    const head = await stage(`fetch ${branch}`, () => clone.fetchBranch(branch));
    const target = request.target(branch);
    const since = request.watermarks.get(target);
    if (head === null) {
      context.logger.warn('branch not found, no commits collected', { repository: request.label, branch });
      continue;
    }
    if (head === since) continue;
    const exclude: string[] = [];
    for (const sha of new Set(published)) if (await clone.repository.commitExists(sha)) exclude.push(sha);
    if (since !== undefined && !(await clone.repository.isAncestor(since, head)))
      context.logger.info('branch was rewritten; publishing the commits its old head does not reach', {
        repository: request.label,
        branch,
      });
    const started = Date.now();
    const prefetch = await stage(`prefetch ${branch}`, () => clone.prefetchBlobs([head], exclude));
    let batch: RawRecord[] = [];
    let count = 0;
    await stage(`log ${branch}`, async () => {
      for await (const commit of clone.streamCommits([head], exclude)) {
        for (const part of splitCommit(commit))
          batch.push(request.toRecord(part, branch, head, commitPartSourceId(commit.sha, part.part)));
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
      repository: request.label,
      branch,
      commits: count,
      blobs_fetched: prefetch.missing,
      ms: Date.now() - started,
    });
  }
}

/** A git step; its failure fails the run naming the stage, the token redacted (PartialClone's errors are). */
async function gitStage<T>(request: CloneCommitsRequest, step: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error: unknown) {
    if (!(error instanceof PartialCloneError)) throw error;
    if (error.authFailed)
      throw new SyncStageError(
        'auth',
        `commits of ${request.label}: git ${step} was refused (${request.authHint}): ${error.message}`,
      );
    throw new SyncStageError('fetch', `commits of ${request.label}: git ${step}: ${error.message}`);
  }
}
