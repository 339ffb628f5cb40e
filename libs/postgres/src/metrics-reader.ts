import type { DataSource } from 'typeorm';

export interface RepoMetricsRow {
  repository_id: string;
  day: string;
  computed_at: Date;
  commits: number;
  additions: number;
  deletions: number;
  files_changed: number;
  large_commits: number;
  avg_commit_size: number | null;
}

export interface UserMetricsRow extends RepoMetricsRow {
  author_identity_id: string;
  author_email: string;
}

export interface RepositoryRow {
  id: string;
  full_name: string;
  provider: string;
}

/** Reads metrics for the API: the latest computation per key (append-only tables). */
export class MetricsReader {
  constructor(private readonly dataSource: DataSource) {}

  repositories(): Promise<RepositoryRow[]> {
    return this.dataSource.query<RepositoryRow[]>(
      `SELECT id, full_name, provider FROM repositories ORDER BY full_name`,
    );
  }

  repoMetrics(repositoryId: string, from: string, to: string): Promise<RepoMetricsRow[]> {
    return this.dataSource.query<RepoMetricsRow[]>(
      `SELECT DISTINCT ON (day) repository_id, to_char(day, 'YYYY-MM-DD') AS day, computed_at, commits, additions, deletions,
              files_changed, large_commits, avg_commit_size
       FROM repo_metrics_daily WHERE repository_id = $1 AND day BETWEEN $2::date AND $3::date
       ORDER BY day, computed_at DESC`,
      [repositoryId, from, to],
    );
  }

  userMetrics(repositoryId: string, from: string, to: string, authorEmail?: string): Promise<UserMetricsRow[]> {
    return this.dataSource.query<UserMetricsRow[]>(
      `SELECT DISTINCT ON (day, author_identity_id) repository_id, author_identity_id, author_email,
              to_char(day, 'YYYY-MM-DD') AS day, computed_at, commits, additions, deletions, files_changed, large_commits, avg_commit_size
       FROM user_metrics_daily WHERE repository_id = $1 AND day BETWEEN $2::date AND $3::date AND ($4::text IS NULL OR author_email = lower($4))
       ORDER BY day, author_identity_id, computed_at DESC`,
      [repositoryId, from, to, authorEmail ?? null],
    );
  }
}
