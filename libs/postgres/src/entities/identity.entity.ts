import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ProvenanceColumn } from './provenance-column';

@Entity({ name: 'identities' })
@Index('identities_org', ['org_id'])
export class IdentityEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') org_id!: string;
  @Column('text') provider!: string;
  @Column('jsonb') provenance!: ProvenanceColumn;
  /** recordVersion(): the newest version wins whatever order versions arrive in. */
  @Column('bigint') record_version!: string;
  @Column('text') display_name!: string;
  @Column('text') primary_email!: string;
  @Column('text', { array: true }) emails!: string[];
  @Column('text', { array: true }) logins!: string[];
}
