import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Append-only: one row per computation; readers take the latest computed_at per key. */
@Entity({ name: 'repo_metrics_daily' })
export class RepoMetricsDailyEntity {
  @PrimaryColumn('text') repository_id!: string;
  @PrimaryColumn('date') day!: string;
  @PrimaryColumn('timestamptz') computed_at!: Date;
  @Column('integer') commits!: number;
  @Column('integer') additions!: number;
  @Column('integer') deletions!: number;
  @Column('integer') files_changed!: number;
  @Column('integer') large_commits!: number;
  @Column('double precision', { nullable: true }) avg_commit_size!: number | null;
}

@Entity({ name: 'user_metrics_daily' })
export class UserMetricsDailyEntity {
  @PrimaryColumn('text') repository_id!: string;
  @PrimaryColumn('text') author_identity_id!: string;
  @PrimaryColumn('date') day!: string;
  @PrimaryColumn('timestamptz') computed_at!: Date;
  @Column('text') author_email!: string;
  @Column('integer') commits!: number;
  @Column('integer') additions!: number;
  @Column('integer') deletions!: number;
  @Column('integer') files_changed!: number;
  @Column('integer') large_commits!: number;
  @Column('double precision', { nullable: true }) avg_commit_size!: number | null;
}
