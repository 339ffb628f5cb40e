import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ProvenanceColumn } from './provenance-column';

@Entity({ name: 'pushes' })
@Index('pushes_repository_pushed', ['repository_id', 'pushed_at'])
@Index('pushes_org_event', ['org_id', 'event_id'], { unique: true })
export class PushEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') org_id!: string;
  @Column('text') provider!: string;
  @Column('jsonb') provenance!: ProvenanceColumn;
  /** recordVersion(): the newest version wins whatever order versions arrive in. */
  @Column('bigint') record_version!: string;
  @Column('text') repository_id!: string;
  @Column('text') event_id!: string;
  @Column('text') ref!: string;
  @Column('text', { nullable: true }) before_sha!: string | null;
  @Column('text') head_sha!: string;
  @Column('integer') size!: number;
  @Column('integer', { nullable: true }) distinct_size!: number | null;
  @Column('text', { array: true }) commit_shas!: string[];
  @Column('boolean') commits_complete!: boolean;
  @Column('text') actor_identity_id!: string;
  @Column('timestamptz') pushed_at!: Date;
}
