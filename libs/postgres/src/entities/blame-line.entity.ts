import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ProvenanceColumn } from './provenance-column';

@Entity({ name: 'blame_lines' })
@Index('blame_lines_file', ['repository_id', 'path'])
export class BlameLineEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') org_id!: string;
  @Column('text') provider!: string;
  @Column('jsonb') provenance!: ProvenanceColumn;
  /** recordVersion(): the newest version wins whatever order versions arrive in. */
  @Column('bigint') record_version!: string;
  @Column('text') repository_id!: string;
  @Column('text') revision!: string;
  @Column('text') path!: string;
  @Column('integer') line_start!: number;
  @Column('integer') line_count!: number;
  @Column('text') commit_sha!: string;
  @Column('text') author_identity_id!: string;
  @Column('timestamptz') authored_at!: Date;
}
