import type { SyncContext } from '@dev-health/connector';
import { type AuthoredWindow, GitRepository } from '@dev-health/git';
import type { RawRecord } from '@dev-health/schemas';
import { blameRawRecord, commitRawRecords, repositoryFullName, repositoryRawRecord } from './to-raw-record';

export interface RepositorySyncResult {
  repository: string;
  commitsPublished: number;
  blameFilesPublished: number;
  branches: number;
}

interface RepositoryPlan {
  repository: GitRepository;
  remoteUrl: string | undefined;
  currentBranch: string | undefined;
  scope: string;
  branches: Map<string, string>;
  watermarkPrefix: string;
  include: string[];
  exclude: string[];
  /** A backfill's window: commits authored in it, whatever the watermarks say. */
  authored: AuthoredWindow | null;
  commits: number;
  blameRevision: string;
  blameFiles: string[];
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
  private readonly backfill: AuthoredWindow | null;

  constructor(
    private readonly context: SyncContext,
    private readonly options: GitConnectorOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.org = context.integration.org_id;
    const { mode, window_start: start, window_end: end } = context.run;
    this.backfill =
      mode === 'backfill' && start && end
        ? { startMs: new Date(start).getTime(), endMs: new Date(end).getTime() }
        : null;
  }

  /**
   * Opens and plans every path first, so a bad path fails the run before anything is published and the
   * run can announce how many records it will publish (the CLI's bar and ETA).
   */
  async syncAll(paths: string[]): Promise<RepositorySyncResult[]> {
    const repositories = await Promise.all(paths.map((directory) => GitRepository.open(directory)));
    const watermarks = await this.context.watermarks.load();
    const plans: RepositoryPlan[] = [];
    for (const repository of repositories) plans.push(await this.plan(repository, watermarks));
    this.context.expect(plans.reduce((sum, plan) => sum + 1 + plan.commits + plan.blameFiles.length, 0));
    const results: RepositorySyncResult[] = [];
    for (const plan of plans) results.push(await this.syncRepository(plan));
    return results;
  }

  /** What a repository's sync will publish: commits of its branches not reachable from a watermark. */
  private async plan(repository: GitRepository, watermarks: ReadonlyMap<string, string>): Promise<RepositoryPlan> {
    const remoteUrl = await repository.remoteUrl();
    const currentBranch = await repository.currentBranch();
    const scope = repositoryFullName(remoteUrl, repository.root);
    const branches = await repository.branches();
    // Watermarks belong to the integration: "<repository>:<branch>" → the tip published last.
    const watermarkPrefix = `${scope}:`;
    const known = new Map([...watermarks].filter(([target]) => target.startsWith(watermarkPrefix)));
    // A backfill reads every branch in its window and ignores the watermarks (it never moves them either).
    const include = this.backfill
      ? [...new Set(branches.values())]
      : [...branches].filter(([branch, tip]) => known.get(watermarkPrefix + branch) !== tip).map(([, tip]) => tip);
    const exclude: string[] = [];
    if (!this.backfill)
      for (const position of new Set(known.values())) {
        if (await repository.commitExists(position)) exclude.push(position);
      }
    const blameRevision = branches.get(currentBranch ?? '') ?? 'HEAD';
    // Blame is of the current tip, not of a window of history: a backfill has none.
    const blameFiles =
      this.options.blame && !this.backfill && branches.size > 0
        ? (await repository.listFiles(blameRevision)).slice(0, this.options.blameMaxFiles)
        : [];
    return {
      repository,
      remoteUrl,
      currentBranch,
      scope,
      branches,
      watermarkPrefix,
      include,
      exclude,
      authored: this.backfill,
      commits: await repository.countCommits(include, exclude, this.backfill),
      blameRevision,
      blameFiles,
    };
  }

  private async syncRepository(plan: RepositoryPlan): Promise<RepositorySyncResult> {
    const { repository, remoteUrl, currentBranch, scope, branches, watermarkPrefix, include, exclude } = plan;
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

    const range = `${include.join(' ')} ${exclude.map((sha) => `^${sha}`).join(' ')}`.trim();
    const request = `git log --numstat ${range}`;

    let published = 0;
    let batch: RawRecord[] = [];
    let commitsInBatch = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await this.context.publish(batch);
      published += commitsInBatch;
      batch = [];
      commitsInBatch = 0;
      this.context.logger.debug('published commits', { repository: scope, published });
    };
    for await (const commit of repository.streamCommits(include, exclude, plan.authored)) {
      batch.push(...commitRawRecords(this.org, scope, commit, fetchedAt, request, commit.sha));
      commitsInBatch++;
      if (batch.length >= this.options.batchSize) await flush();
    }
    await flush();

    const blameFiles = await this.publishBlame(repository, scope, plan.blameRevision, plan.blameFiles, fetchedAt);

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
    files: readonly string[],
    fetchedAt: number,
  ): Promise<number> {
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
