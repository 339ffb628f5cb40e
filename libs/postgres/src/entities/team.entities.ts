import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ProvenanceColumn } from './provenance-column';

@Entity({ name: 'teams' })
@Index('teams_org', ['org_id'])
export class TeamEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') org_id!: string;
  @Column('text') provider!: string;
  @Column('jsonb') provenance!: ProvenanceColumn;
  /** recordVersion(): the newest version wins whatever order versions arrive in. */
  @Column('bigint') record_version!: string;
  @Column('text') name!: string;
  @Column('text', { nullable: true }) parent_team_id!: string | null;
}

@Entity({ name: 'team_memberships' })
@Index('team_memberships_identity', ['identity_id'])
@Index('team_memberships_team', ['team_id'])
export class TeamMembershipEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') org_id!: string;
  @Column('text') provider!: string;
  @Column('jsonb') provenance!: ProvenanceColumn;
  /** recordVersion(): the newest version wins whatever order versions arrive in. */
  @Column('bigint') record_version!: string;
  @Column('text') team_id!: string;
  @Column('text') identity_id!: string;
  @Column('text', { nullable: true }) role!: string | null;
  @Column('timestamptz', { nullable: true }) since!: Date | null;
}
