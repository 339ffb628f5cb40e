import { Column, Entity, PrimaryColumn } from 'typeorm';

/*
 * Append-only metric tables: one row per computation, primary key = metric key + computed_at; readers
 * take the latest computed_at per key. Columns mirror schemas/internal/*-metrics-daily.avsc (the schema
 * test checks the migration agrees with these classes).
 */

@Entity({ name: 'repo_metrics_daily' })
export class RepoMetricsDailyEntity {
  @PrimaryColumn('text') org_id!: string;
  @PrimaryColumn('text') repository_id!: string;
  @PrimaryColumn('date') day!: string;
  @PrimaryColumn('timestamptz') computed_at!: Date;
  @Column('integer') commits!: number;
  @Column('integer') additions!: number;
  @Column('integer') deletions!: number;
  @Column('integer') files_changed!: number;
  @Column('integer') large_commits!: number;
  @Column('double precision', { nullable: true }) avg_commit_size!: number | null;
  @Column('integer') lines_touched!: number;
  @Column('double precision', { nullable: true }) large_commit_ratio!: number | null;
  @Column('integer') prs_opened!: number;
  @Column('integer') prs_merged!: number;
  @Column('double precision', { nullable: true }) pr_cycle_time_p50_hours!: number | null;
  @Column('double precision', { nullable: true }) pr_cycle_time_p75_hours!: number | null;
  @Column('double precision', { nullable: true }) pr_cycle_time_p90_hours!: number | null;
  @Column('double precision', { nullable: true }) time_to_first_review_p50_hours!: number | null;
  @Column('double precision', { nullable: true }) time_to_first_review_p90_hours!: number | null;
  @Column('double precision', { nullable: true }) pickup_time_p50_hours!: number | null;
  @Column('double precision', { nullable: true }) pickup_time_p90_hours!: number | null;
  @Column('double precision', { nullable: true }) review_time_p50_hours!: number | null;
  @Column('double precision', { nullable: true }) review_time_p90_hours!: number | null;
  @Column('double precision', { nullable: true }) pr_size_p50!: number | null;
  @Column('double precision', { nullable: true }) pr_size_p90!: number | null;
  @Column('double precision', { nullable: true }) rework_ratio!: number | null;
  @Column('double precision', { nullable: true }) reviews_per_pr!: number | null;
  @Column('integer') negative_durations_dropped!: number;
}

@Entity({ name: 'user_metrics_daily' })
export class UserMetricsDailyEntity {
  @PrimaryColumn('text') org_id!: string;
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
  @Column('integer') lines_touched!: number;
  @Column('double precision', { nullable: true }) large_commit_ratio!: number | null;
  @Column('integer') prs_authored!: number;
  @Column('integer') prs_merged!: number;
  @Column('integer') reviews_given!: number;
  @Column('integer') reviews_received!: number;
  @Column('double precision', { nullable: true }) active_hours!: number | null;
}

@Entity({ name: 'work_item_metrics_daily' })
export class WorkItemMetricsDailyEntity {
  @PrimaryColumn('text') org_id!: string;
  @PrimaryColumn('text') provider!: string;
  @PrimaryColumn('text') work_scope_id!: string;
  @PrimaryColumn('text') team_id!: string;
  @PrimaryColumn('date') day!: string;
  @PrimaryColumn('timestamptz') computed_at!: Date;
  @Column('integer') items_created!: number;
  @Column('integer') items_started!: number;
  @Column('integer') items_completed!: number;
  @Column('integer') wip_end_of_day!: number;
  @Column('double precision', { nullable: true }) wip_age_p50_days!: number | null;
  @Column('double precision', { nullable: true }) cycle_time_p50_hours!: number | null;
  @Column('double precision', { nullable: true }) cycle_time_p90_hours!: number | null;
  @Column('double precision', { nullable: true }) lead_time_p50_hours!: number | null;
  @Column('double precision', { nullable: true }) lead_time_p90_hours!: number | null;
  @Column('double precision', { nullable: true }) bug_share!: number | null;
  @Column('integer') reopened!: number;
  @Column('integer') negative_durations_dropped!: number;
}

@Entity({ name: 'team_metrics_daily' })
export class TeamMetricsDailyEntity {
  @PrimaryColumn('text') org_id!: string;
  @PrimaryColumn('text') team_id!: string;
  @PrimaryColumn('date') day!: string;
  @PrimaryColumn('timestamptz') computed_at!: Date;
  @Column('integer') commits!: number;
  @Column('integer') after_hours_commits!: number;
  @Column('integer') weekend_commits!: number;
  @Column('double precision', { nullable: true }) after_hours_ratio!: number | null;
  @Column('double precision', { nullable: true }) weekend_ratio!: number | null;
}

@Entity({ name: 'dora_metrics_daily' })
export class DoraMetricsDailyEntity {
  @PrimaryColumn('text') org_id!: string;
  @PrimaryColumn('text') repository_id!: string;
  @PrimaryColumn('date') day!: string;
  @PrimaryColumn('timestamptz') computed_at!: Date;
  @Column('integer') deployments!: number;
  @Column('integer') successful_deployments!: number;
  @Column('integer') failed_deployments!: number;
  @Column('double precision', { nullable: true }) change_failure_rate!: number | null;
  @Column('double precision', { nullable: true }) lead_time_p50_hours!: number | null;
  @Column('double precision', { nullable: true }) lead_time_p90_hours!: number | null;
  @Column('integer') changes_deployed!: number;
  @Column('integer') incidents_resolved!: number;
  @Column('double precision', { nullable: true }) time_to_restore_p50_hours!: number | null;
  @Column('integer') incidents_open_unresolved!: number;
  @Column('integer') negative_durations_dropped!: number;
}

/**
 * One row per computation of a metric key (the metrics.updated events): a metric row counts only when
 * it belongs to the latest computation of its key, so a key's rows are replaced as a set.
 */
@Entity({ name: 'metric_computations' })
export class MetricComputationEntity {
  @PrimaryColumn('text') org_id!: string;
  @PrimaryColumn('text') kind!: string;
  @PrimaryColumn('text') scope_id!: string;
  @PrimaryColumn('text') provider!: string;
  @PrimaryColumn('text') team_id!: string;
  @PrimaryColumn('date') day!: string;
  @PrimaryColumn('timestamptz') computed_at!: Date;
  @Column('text', { array: true }) tables!: string[];
  @Column('integer') rows!: number;
}
