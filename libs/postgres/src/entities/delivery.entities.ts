import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ProvenanceColumn } from './provenance-column';

@Entity({ name: 'pipeline_runs' })
@Index('pipeline_runs_repository_created', ['repository_id', 'created_at'])
// GIN ("which runs were for this PR"), created by its migration: TypeORM cannot declare a GIN index.
@Index('pipeline_runs_pull_requests', { synchronize: false })
export class PipelineRunEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') org_id!: string;
  @Column('text') provider!: string;
  @Column('jsonb') provenance!: ProvenanceColumn;
  /** recordVersion(): the newest version wins whatever order versions arrive in. */
  @Column('bigint') record_version!: string;
  @Column('text') repository_id!: string;
  @Column('text', { nullable: true }) pipeline_name!: string | null;
  @Column('text') status!: string;
  @Column('text', { nullable: true }) commit_sha!: string | null;
  @Column('text', { nullable: true }) branch!: string | null;
  @Column('text', { array: true, default: () => "'{}'" }) pull_request_ids!: string[];
  @Column('timestamptz') created_at!: Date;
  @Column('timestamptz', { nullable: true }) started_at!: Date | null;
  @Column('timestamptz', { nullable: true }) finished_at!: Date | null;
  @Column('timestamptz') updated_at!: Date;
}

@Entity({ name: 'pipeline_jobs' })
@Index('pipeline_jobs_run', ['pipeline_run_id'])
export class PipelineJobEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') org_id!: string;
  @Column('text') provider!: string;
  @Column('jsonb') provenance!: ProvenanceColumn;
  /** recordVersion(): the newest version wins whatever order versions arrive in. */
  @Column('bigint') record_version!: string;
  @Column('text') pipeline_run_id!: string;
  @Column('text') repository_id!: string;
  @Column('text') name!: string;
  @Column('text') status!: string;
  @Column('timestamptz', { nullable: true }) started_at!: Date | null;
  @Column('timestamptz', { nullable: true }) finished_at!: Date | null;
}

@Entity({ name: 'deployments' })
@Index('deployments_repository_created', ['repository_id', 'created_at'])
// An expression index (repository_id, coalesce(finished_at, created_at)): created by the migration only.
@Index('deployments_repository_deployed', { synchronize: false })
export class DeploymentEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') org_id!: string;
  @Column('text') provider!: string;
  @Column('jsonb') provenance!: ProvenanceColumn;
  /** recordVersion(): the newest version wins whatever order versions arrive in. */
  @Column('bigint') record_version!: string;
  @Column('text') repository_id!: string;
  @Column('text') environment!: string;
  @Column('text') status!: string;
  @Column('text', { nullable: true }) commit_sha!: string | null;
  @Column('text', { nullable: true }) service!: string | null;
  @Column('timestamptz') created_at!: Date;
  @Column('timestamptz', { nullable: true }) finished_at!: Date | null;
  @Column('timestamptz') updated_at!: Date;
}

@Entity({ name: 'incidents' })
@Index('incidents_repository_started', ['repository_id', 'started_at'])
@Index('incidents_deployment', ['deployment_id'])
export class IncidentEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') org_id!: string;
  @Column('text') provider!: string;
  @Column('jsonb') provenance!: ProvenanceColumn;
  /** recordVersion(): the newest version wins whatever order versions arrive in. */
  @Column('bigint') record_version!: string;
  @Column('text', { nullable: true }) repository_id!: string | null;
  @Column('text', { nullable: true }) service!: string | null;
  @Column('text') title!: string;
  @Column('text') severity!: string;
  @Column('text') status!: string;
  @Column('timestamptz') started_at!: Date;
  @Column('timestamptz', { nullable: true }) resolved_at!: Date | null;
  @Column('text', { nullable: true }) deployment_id!: string | null;
  @Column('timestamptz') updated_at!: Date;
}
