import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ProvenanceColumn } from './provenance-column';

@Entity({ name: 'identities' })
export class IdentityEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') provider!: string;
  @Column('jsonb') provenance!: ProvenanceColumn;
  @Column('text') display_name!: string;
  @Column('text') primary_email!: string;
  @Column('text', { array: true }) emails!: string[];
  @Column('text', { array: true }) logins!: string[];
}
