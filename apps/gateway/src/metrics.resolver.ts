import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { MetricsReader, type RepoMetricsRow, type UserMetricsRow } from '@dev-health/postgres';
import { RepoDailyMetrics, RepositoryModel, UserDailyMetrics } from './metrics.models';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function assertRange(from: string, to: string): void {
  if (!ISO_DAY.test(from) || !ISO_DAY.test(to)) throw new Error('from and to must be dates as YYYY-MM-DD');
  if (from > to) throw new Error('from must not be after to');
}

function toRepoMetrics(row: RepoMetricsRow): RepoDailyMetrics {
  return {
    repositoryId: row.repository_id,
    day: row.day,
    computedAt: row.computed_at,
    commits: row.commits,
    additions: row.additions,
    deletions: row.deletions,
    filesChanged: row.files_changed,
    largeCommits: row.large_commits,
    avgCommitSize: row.avg_commit_size,
  };
}

@Resolver()
export class MetricsResolver {
  constructor(@Inject(MetricsReader) private readonly reader: MetricsReader) {}

  @Query(() => [RepositoryModel])
  async repositories(): Promise<RepositoryModel[]> {
    const rows = await this.reader.repositories();
    return rows.map((row) => ({ id: row.id, fullName: row.full_name, provider: row.provider }));
  }

  @Query(() => [RepoDailyMetrics], {
    description: 'Daily metrics of a repository, days with activity only, oldest first.',
  })
  async repoMetrics(
    @Args('repositoryId') repositoryId: string,
    @Args('from', { description: 'YYYY-MM-DD, inclusive' }) from: string,
    @Args('to', { description: 'YYYY-MM-DD, inclusive' }) to: string,
  ): Promise<RepoDailyMetrics[]> {
    assertRange(from, to);
    return (await this.reader.repoMetrics(repositoryId, from, to)).map(toRepoMetrics);
  }

  @Query(() => [UserDailyMetrics], { description: 'Daily metrics per author in a repository, optionally one author.' })
  async userMetrics(
    @Args('repositoryId') repositoryId: string,
    @Args('from') from: string,
    @Args('to') to: string,
    @Args('authorEmail', { nullable: true, type: () => String }) authorEmail?: string | null,
  ): Promise<UserDailyMetrics[]> {
    assertRange(from, to);
    const rows = await this.reader.userMetrics(repositoryId, from, to, authorEmail ?? undefined);
    return rows.map((row: UserMetricsRow) => ({
      ...toRepoMetrics(row),
      authorIdentityId: row.author_identity_id,
      authorEmail: row.author_email,
    }));
  }
}
