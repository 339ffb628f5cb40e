import path from 'node:path';
import { publishClonedCommits } from '@dev-health/connector';
import type { GitHubCommitPayload } from '../payloads';
import { type RepositoryCollector, type RepositoryRun, rawRecord } from './repository-run';
import { collectCommitsThroughApi } from './commits-api';
import { commitsTarget, isAbsentBranch } from './branch-watermarks';

/**
 * Commits of the scope's branches (default: the repository's default branch), from a partial clone
 * (publishClonedCommits), or through the API where cloning is not allowed.
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
  await publishClonedCommits({
    context,
    directory: path.join(run.settings.cloneDirectory, context.integration.id, `${repository.id}.git`),
    url: `${repository.html_url.replace(/\/$/, '')}.git`,
    // The PAT, or a GitHub App installation's current token.
    token: await run.client.gitToken(),
    label: repository.full_name,
    branches,
    target: (branch) => commitsTarget(repository.id, branch),
    published,
    watermarks: run.watermarks,
    toRecord: (commit, branch, head, partId) => {
      const payload: GitHubCommitPayload = { ...commit, repository_id: repository.id };
      return rawRecord(
        context,
        repository,
        'commit',
        `${repository.id}@${partId}`,
        payload,
        run.fetchedAt,
        `git log ${branch}`,
        head,
      );
    },
    authHint:
      'the token needs read access to the repository\'s contents; where cloning is not allowed, set scope.commits_from to "api"',
  });
}
