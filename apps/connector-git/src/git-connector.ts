import type { Watermark, RawPublisher, WatermarkStore } from '@dev-health/connector';
import { GitRepository } from '@dev-health/git';
import type { Logger } from '@dev-health/observability';
import { orgScopedId, type RawRecord } from '@dev-health/schemas';
import { blameRawRecord, commitRawRecord, repositoryFullName, repositoryRawRecord } from './to-raw-record';

export interface RepositorySyncResult {
  repository: string;
  commitsPublished: number;
  blameFilesPublished: number;
  branches: number;
}

export interface GitConnectorOptions {
  /** The org whose records these are. */
  org: string;
  batchSize: number;
  blame: boolean;
  blameMaxFiles: number;
}

/**
 * Incremental sync of local repositories: publishes commits not reachable from any branch's
 * watermark, then moves the watermarks. A crash before the last step republishes some commits
 * next time, which the pipeline absorbs (deterministic ids, idempotent sinks).
 */
export class GitConnector {
  constructor(
    private readonly publisher: RawPublisher,
    private readonly watermarks: WatermarkStore,
    private readonly options: GitConnectorOptions,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

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
    const watermarkPrefix = orgScopedId(this.options.org, `git:${scope}:`);
    const known = await this.watermarks.load(watermarkPrefix);
    const fetchedAt = this.now();

    await this.publisher.publish([
      repositoryRawRecord(
        this.options.org,
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
      .filter(([branch, tip]) => known.get(watermarkPrefix + branch)?.position !== tip)
      .map(([, tip]) => tip);
    const exclude: string[] = [];
    for (const watermark of known.values()) {
      if (await repository.commitExists(watermark.position)) exclude.push(watermark.position);
    }
    const range = `${include.join(' ')} ${exclude.map((sha) => `^${sha}`).join(' ')}`.trim();
    const request = `git log --numstat ${range}`;

    let published = 0;
    let batch: RawRecord[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await this.publisher.publish(batch);
      published += batch.length;
      batch = [];
      this.logger.info('published commits', { repository: scope, published });
    };
    for await (const commit of repository.streamCommits(include, exclude)) {
      batch.push(commitRawRecord(this.options.org, scope, commit, fetchedAt, request, commit.sha));
      if (batch.length >= this.options.batchSize) await flush();
    }
    await flush();

    let blameFiles = 0;
    if (this.options.blame && branches.size > 0) {
      blameFiles = await this.publishBlame(repository, scope, branches.get(currentBranch ?? '') ?? 'HEAD', fetchedAt);
    }

    const moved: Watermark[] = [...branches].map(([branch, tip]) => ({
      key: watermarkPrefix + branch,
      position: tip,
      updatedAt: new Date(fetchedAt).toISOString(),
    }));
    await this.watermarks.save(moved);
    this.logger.info('repository synced', {
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
      batch.push(blameRawRecord(this.options.org, scope, { revision, path: file, ranges }, fetchedAt));
      if (batch.length >= 50) {
        await this.publisher.publish(batch);
        batch = [];
      }
    }
    await this.publisher.publish(batch);
    return files.length;
  }
}
