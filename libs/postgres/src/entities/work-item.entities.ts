import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ProvenanceColumn } from './provenance-column';

@Entity({ name: 'work_items' })
@Index('work_items_org', ['org_id', 'work_scope_id'])
@Index('work_items_scope', ['work_scope_id'])
@Index('work_items_key', ['org_id', 'key'])
export class WorkItemEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') org_id!: string;
  @Column('text') provider!: string;
  @Column('jsonb') provenance!: ProvenanceColumn;
  /** recordVersion(): the newest version wins whatever order versions arrive in. */
  @Column('bigint') record_version!: string;
  @Column('text') work_scope_id!: string;
  @Column('text') key!: string;
  @Column('text') title!: string;
  @Column('text') type!: string;
  @Column('text') status!: string;
  @Column('text') status_category!: string;
  @Column('text', { nullable: true }) assignee_identity_id!: string | null;
  @Column('text', { nullable: true }) reporter_identity_id!: string | null;
  @Column('text', { nullable: true }) team_id!: string | null;
  @Column('text', { nullable: true }) milestone!: string | null;
  @Column('text', { nullable: true }) iteration!: string | null;
  @Column('double precision', { nullable: true }) estimate!: number | null;
  @Column('text', { nullable: true }) priority!: string | null;
  @Column('text', { array: true, default: () => "'{}'" }) labels!: string[];
  @Column('text', { array: true, default: () => "'{}'" }) components!: string[];
  @Column('text', { nullable: true }) parent_work_item_id!: string | null;
  @Column('timestamptz') created_at!: Date;
  @Column('timestamptz', { nullable: true }) started_at!: Date | null;
  @Column('timestamptz', { nullable: true }) completed_at!: Date | null;
  @Column('timestamptz') updated_at!: Date;
}

@Entity({ name: 'work_item_transitions' })
@Index('work_item_transitions_item', ['work_item_id'])
export class WorkItemTransitionEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') org_id!: string;
  @Column('text') provider!: string;
  @Column('jsonb') provenance!: ProvenanceColumn;
  /** recordVersion(): the newest version wins whatever order versions arrive in. */
  @Column('bigint') record_version!: string;
  @Column('text') work_item_id!: string;
  @Column('text', { nullable: true }) from_status!: string | null;
  @Column('text') to_status!: string;
  @Column('text', { nullable: true }) from_category!: string | null;
  @Column('text') to_category!: string;
  @Column('timestamptz') transitioned_at!: Date;
  @Column('text', { nullable: true }) actor_identity_id!: string | null;
}
