import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/*
 * The control plane: who the tenants are, what each syncs, what ran and where incremental syncs got to.
 * Written by the admin API (organizations, integrations, sync runs requested) and by connectors (run
 * progress and outcome, watermarks); read by the scheduler, the API and the CLI.
 */

@Entity({ name: 'organizations' })
export class OrganizationEntity {
  /** The org_id of every record of the org. */
  @PrimaryColumn('text') slug!: string;
  @Column('text') name!: string;
  @Column('text') tier!: string;
  @Column('timestamptz') created_at!: Date;
  @Column('timestamptz') updated_at!: Date;
}

@Entity({ name: 'integrations' })
@Index('integrations_org_name', ['org_id', 'name'], { unique: true })
export class IntegrationEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') org_id!: string;
  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', referencedColumnName: 'slug', foreignKeyConstraintName: 'integrations_org_fk' })
  organization?: OrganizationEntity;
  @Column('text') provider!: string;
  @Column('text') name!: string;
  @Column('jsonb') scope!: object;
  @Column('integer', { nullable: true }) schedule_interval_seconds!: number | null;
  @Column('boolean') enabled!: boolean;
  /** env:NAME or file:/path: where the connector reads the credential. Never the credential. */
  @Column('text', { nullable: true }) credential_ref!: string | null;
  @Column('timestamptz') created_at!: Date;
  @Column('timestamptz') updated_at!: Date;
}

@Entity({ name: 'sync_runs' })
@Index('sync_runs_org_requested', ['org_id', 'requested_at'])
@Index('sync_runs_integration_requested', ['integration_id', 'requested_at'])
@Index('sync_runs_queued', ['requested_at'], { where: `"status" = 'queued'` })
// At most one queued or running sync per integration: a second request finds the first.
@Index('sync_runs_one_active', ['integration_id'], { unique: true, where: `"status" IN ('queued', 'running')` })
export class SyncRunEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid') integration_id!: string;
  @ManyToOne(() => IntegrationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'integration_id', foreignKeyConstraintName: 'sync_runs_integration_fk' })
  integration?: IntegrationEntity;
  @Column('text') org_id!: string;
  @Column('text') mode!: string;
  @Column('text') status!: string;
  @Column('timestamptz', { nullable: true }) window_start!: Date | null;
  @Column('timestamptz', { nullable: true }) window_end!: Date | null;
  @Column('timestamptz') requested_at!: Date;
  @Column('timestamptz', { nullable: true }) started_at!: Date | null;
  @Column('timestamptz', { nullable: true }) finished_at!: Date | null;
  @Column('timestamptz', { nullable: true }) heartbeat_at!: Date | null;
  @Column('timestamptz', { nullable: true }) dispatched_at!: Date | null;
  @Column('jsonb') records!: Record<string, number>;
  @Column('text', { nullable: true }) error_stage!: string | null;
  @Column('text', { nullable: true }) error_message!: string | null;
}

/** The one place incremental positions live: per integration and target (a repository's branch, a project). */
@Entity({ name: 'sync_watermarks' })
export class SyncWatermarkEntity {
  @PrimaryColumn('uuid') integration_id!: string;
  @ManyToOne(() => IntegrationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'integration_id', foreignKeyConstraintName: 'sync_watermarks_integration_fk' })
  integration?: IntegrationEntity;
  @PrimaryColumn('text') target!: string;
  @Column('text') cursor!: string;
  @Column('timestamptz') updated_at!: Date;
}

/** Admin API keys: only a hash of each secret (see generateApiKey). orgs null: every org. */
@Entity({ name: 'http_cache' })
export class HttpCacheEntity {
  @PrimaryColumn('uuid') integration_id!: string;
  @ManyToOne(() => IntegrationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'integration_id', foreignKeyConstraintName: 'http_cache_integration_fk' })
  integration?: IntegrationEntity;
  @PrimaryColumn('text') key!: string;
  @Column('text') etag!: string;
  @Column('jsonb') body!: object;
  @Column('timestamptz') updated_at!: Date;
}

/** The provider rate-limit window each integration's last run saw (integration health). */
@Entity({ name: 'integration_rate_limits' })
export class IntegrationRateLimitEntity {
  @PrimaryColumn('uuid') integration_id!: string;
  @ManyToOne(() => IntegrationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'integration_id', foreignKeyConstraintName: 'integration_rate_limits_integration_fk' })
  integration?: IntegrationEntity;
  @Column('integer', { nullable: true }) limit!: number | null;
  @Column('integer', { nullable: true }) remaining!: number | null;
  @Column('timestamptz', { nullable: true }) reset_at!: Date | null;
  @Column('timestamptz') observed_at!: Date;
}

@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  @Column('text') secret_hash!: string;
  @Column('text') role!: string;
  @Column('text', { array: true, nullable: true }) orgs!: string[] | null;
  @Column('timestamptz') created_at!: Date;
  @Column('timestamptz', { nullable: true }) last_used_at!: Date | null;
  @Column('timestamptz', { nullable: true }) revoked_at!: Date | null;
}

export const CONTROL_PLANE_ENTITIES = [
  OrganizationEntity,
  IntegrationEntity,
  SyncRunEntity,
  SyncWatermarkEntity,
  HttpCacheEntity,
  IntegrationRateLimitEntity,
  ApiKeyEntity,
];
