import type { SyncContext } from '@dev-health/connector';
import { GitRepository } from '@dev-health/git';
import type { RawRecord } from '@dev-health/schemas';
import { blameRawRecord, commitRawRecord, repositoryFullName, repositoryRawRecord } from './to-raw-record';

export interface RepositorySyncResult {
  repository: string;
  commitsPublished: number;
  blameFilesPublished: number;
  branches: number;
}

export interface GitConnectorOptions {
  batchSize: number;
  blame: boolean;
  blameMaxFiles: number;
}

/**
 * Incremental sync of one git integration's local repositories, one sync run: per repository, publishes
 * commits not reachable from any branch's watermark, then moves that repository's watermarks. A run
 * stopped part-way (killed, cancelled) republishes only the unfinished repositories' commits next time,
 * which the pipeline absorbs (deterministic ids, idempotent sinks).
 */
export class GitConnector {
  private readonly org: string;

  constructor(
    private readonly context: SyncContext,
    private readonly options: GitConnectorOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.org = context.integration.org_id;
  }

  /** Opens every path first, so a bad path fails the run before anything is published. */
  async syncAll(paths: string[]): Promise<RepositorySyncResult[]> {
    const repositories = await Promise.all(paths.map((directory) => GitRepository.open(directory)));
    const results: RepositorySyncResult[] = [];
    for (const repository of repositories) results.push(await this.syncRepository(repository));
    return results;
  }

  async syncRepository(repository: GitRepository): Promise<RepositorySyncResult> {
    const remoteUrl = await repository.remoteUrl();
    const currentBranch = await repository.currentBranch();
    const scope = repositoryFullName(remoteUrl, repository.root);
    const branches = await repository.branches();
    // Watermarks belong to the integration: "<repository>:<branch>" → the tip published last.
    const watermarkPrefix = `${scope}:`;
    const known = new Map(
      [...(await this.context.watermarks.load())].filter(([target]) => target.startsWith(watermarkPrefix)),
    );
    const fetchedAt = this.now();

    await this.context.publish([
      repositoryRawRecord(
        this.org,
        {
          full_name: scope,
          name: scope.split('/').pop() ?? scope,
          remote_url: remoteUrl ?? null,
          default_branch: currentBranch ?? null,
          branches: Object.fromEntries(branches),
        },
        fetchedAt,
      ),
    ]);

    const include = [...branches]
      .filter(([branch, tip]) => known.get(watermarkPrefix + branch) !== tip)
      .map(([, tip]) => tip);
    const exclude: string[] = [];
    for (const position of new Set(known.values())) {
      if (await repository.commitExists(position)) exclude.push(position);
    }
    const range = `${include.join(' ')} ${exclude.map((sha) => `^${sha}`).join(' ')}`.trim();
    const request = `git log --numstat ${range}`;

    let published = 0;
    let batch: RawRecord[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await this.context.publish(batch);
      published += batch.length;
      batch = [];
      this.context.logger.debug('published commits', { repository: scope, published });
    };
    for await (const commit of repository.streamCommits(include, exclude)) {
      batch.push(commitRawRecord(this.org, scope, commit, fetchedAt, request, commit.sha));
      if (batch.length >= this.options.batchSize) await flush();
    }
    await flush();

    let blameFiles = 0;
    if (this.options.blame && branches.size > 0) {
      blameFiles = await this.publishBlame(repository, scope, branches.get(currentBranch ?? '') ?? 'HEAD', fetchedAt);
    }

    await this.context.watermarks.save(
      [...branches].map(([branch, tip]) => ({ target: watermarkPrefix + branch, cursor: tip })),
    );
    this.context.logger.info('repository synced', {
      repository: scope,
      commits: published,
      branches: branches.size,
      blameFiles,
    });
    return { repository: scope, commitsPublished: published, blameFilesPublished: blameFiles, branches: branches.size };
  }

  private async publishBlame(
    repository: GitRepository,
    scope: string,
    revision: string,
    fetchedAt: number,
  ): Promise<number> {
    const files = (await repository.listFiles(revision)).slice(0, this.options.blameMaxFiles);
    let batch: RawRecord[] = [];
    for (const file of files) {
      const ranges = await repository.blame(file, revision);
      batch.push(blameRawRecord(this.org, scope, { revision, path: file, ranges }, fetchedAt));
      if (batch.length >= 50) {
        await this.context.publish(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await this.context.publish(batch);
    return files.length;
  }
}
