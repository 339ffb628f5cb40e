import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ProvenanceColumn } from './provenance-column';

@Entity({ name: 'commits' })
@Index('commits_repository_day', ['repository_id', 'authored_at'])
@Index('commits_author_authored', ['author_identity_id', 'authored_at'])
// GIN ("which commits mention this issue key"), created by its migration: TypeORM cannot declare a GIN index.
@Index('commits_work_item_keys', { synchronize: false })
export class CommitEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') org_id!: string;
  @Column('text') provider!: string;
  @Column('jsonb') provenance!: ProvenanceColumn;
  /** recordVersion(): the newest version wins whatever order versions arrive in. */
  @Column('bigint') record_version!: string;
  @Column('text') repository_id!: string;
  @Column('text') sha!: string;
  @Column('text', { array: true }) parent_shas!: string[];
  @Column('text') author_identity_id!: string;
  @Column('text') author_name!: string;
  @Column('text') author_email!: string;
  @Column('timestamptz') authored_at!: Date;
  @Column('integer') author_utc_offset_minutes!: number;
  @Column('text') committer_identity_id!: string;
  @Column('text') committer_email!: string;
  @Column('timestamptz') committed_at!: Date;
  @Column('integer') committer_utc_offset_minutes!: number;
  @Column('text') message_subject!: string;
  @Column('text', { array: true, default: () => "'{}'" }) work_item_keys!: string[];
  @Column('integer') files_changed!: number;
  @Column('integer') additions!: number;
  @Column('integer') deletions!: number;
  @Column('boolean') is_merge!: boolean;
  @Column('text') size_bucket!: string;
}
