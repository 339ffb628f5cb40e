import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ProvenanceColumn } from './provenance-column';

@Entity({ name: 'commit_file_changes' })
@Index('commit_file_changes_commit', ['commit_id'])
export class CommitFileChangeEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') org_id!: string;
  @Column('text') provider!: string;
  @Column('jsonb') provenance!: ProvenanceColumn;
  /** recordVersion(): the newest version wins whatever order versions arrive in. */
  @Column('bigint') record_version!: string;
  @Column('text') commit_id!: string;
  @Column('text') repository_id!: string;
  @Column('text') path!: string;
  @Column('text', { nullable: true }) previous_path!: string | null;
  @Column('integer') additions!: number;
  @Column('integer') deletions!: number;
  @Column('boolean') is_binary!: boolean;
  @Column('timestamptz') committed_at!: Date;
}
