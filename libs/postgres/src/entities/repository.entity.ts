import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ProvenanceColumn } from './provenance-column';

@Entity({ name: 'repositories' })
@Index('repositories_org', ['org_id', 'full_name'])
export class RepositoryEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') org_id!: string;
  @Column('text') provider!: string;
  @Column('jsonb') provenance!: ProvenanceColumn;
  /** recordVersion(): the newest version wins whatever order versions arrive in. */
  @Column('bigint') record_version!: string;
  @Column('text') name!: string;
  @Column('text') full_name!: string;
  @Column('text', { nullable: true }) url!: string | null;
  @Column('text', { nullable: true }) default_branch!: string | null;
  @Column('timestamptz', { nullable: true }) created_at!: Date | null;
}
