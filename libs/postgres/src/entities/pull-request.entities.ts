import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ProvenanceColumn } from './provenance-column';

@Entity({ name: 'pull_requests' })
@Index('pull_requests_repository_merged', ['repository_id', 'merged_at'])
@Index('pull_requests_repository_created', ['repository_id', 'created_at'])
// GIN ("which PRs close this work item"), created by its migration: TypeORM cannot declare a GIN index.
@Index('pull_requests_closing_work_items', { synchronize: false })
// GIN ("which PRs mention this issue key"), created by its migration.
@Index('pull_requests_work_item_keys', { synchronize: false })
export class PullRequestEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') org_id!: string;
  @Column('text') provider!: string;
  @Column('jsonb') provenance!: ProvenanceColumn;
  /** recordVersion(): the newest version wins whatever order versions arrive in. */
  @Column('bigint') record_version!: string;
  @Column('text') repository_id!: string;
  @Column('integer') number!: number;
  @Column('text') title!: string;
  @Column('text') state!: string;
  @Column('text') author_identity_id!: string;
  @Column('timestamptz') created_at!: Date;
  @Column('timestamptz', { nullable: true }) merged_at!: Date | null;
  @Column('timestamptz', { nullable: true }) closed_at!: Date | null;
  @Column('text', { nullable: true }) base_branch!: string | null;
  @Column('text', { nullable: true }) head_branch!: string | null;
  @Column('text', { nullable: true }) merge_commit_sha!: string | null;
  @Column('integer', { nullable: true }) additions!: number | null;
  @Column('integer', { nullable: true }) deletions!: number | null;
  @Column('integer', { nullable: true }) changed_files!: number | null;
  @Column('boolean') is_revert!: boolean;
  @Column('boolean', { default: false }) is_draft!: boolean;
  @Column('text', { array: true, default: () => "'{}'" }) labels!: string[];
  @Column('text', { array: true, default: () => "'{}'" }) requested_reviewer_identity_ids!: string[];
  @Column('text', { array: true, default: () => "'{}'" }) closing_work_item_ids!: string[];
  @Column('text', { array: true, default: () => "'{}'" }) work_item_keys!: string[];
  @Column('timestamptz') updated_at!: Date;
}

@Entity({ name: 'reviews' })
@Index('reviews_pull_request', ['pull_request_id'])
@Index('reviews_repository_submitted', ['repository_id', 'submitted_at'])
export class ReviewEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') org_id!: string;
  @Column('text') provider!: string;
  @Column('jsonb') provenance!: ProvenanceColumn;
  /** recordVersion(): the newest version wins whatever order versions arrive in. */
  @Column('bigint') record_version!: string;
  @Column('text') pull_request_id!: string;
  @Column('text') repository_id!: string;
  @Column('text') reviewer_identity_id!: string;
  @Column('text') state!: string;
  @Column('timestamptz') submitted_at!: Date;
}

@Entity({ name: 'review_comments' })
@Index('review_comments_pull_request', ['pull_request_id'])
@Index('review_comments_repository_created', ['repository_id', 'created_at'])
export class ReviewCommentEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') org_id!: string;
  @Column('text') provider!: string;
  @Column('jsonb') provenance!: ProvenanceColumn;
  /** recordVersion(): the newest version wins whatever order versions arrive in. */
  @Column('bigint') record_version!: string;
  @Column('text') pull_request_id!: string;
  @Column('text') repository_id!: string;
  @Column('text') author_identity_id!: string;
  @Column('timestamptz') created_at!: Date;
  @Column('text', { nullable: true }) path!: string | null;
}
