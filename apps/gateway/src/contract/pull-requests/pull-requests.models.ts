import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { DateScalar } from '../shared/filters';

@ObjectType()
export class PullRequestReview {
  @Field(() => String) reviewId!: string;
  @Field(() => String, { description: "The reviewer's display name (never an e-mail address)." }) reviewer!: string;
  @Field(() => String, { description: 'approved, changes_requested, commented, dismissed' }) state!: string;
  @Field(() => GraphQLISODateTime) submittedAt!: Date;
}

@ObjectType()
export class PullRequestCommit {
  @Field(() => String) hash!: string;
  @Field(() => String, { nullable: true }) message!: string | null;
  @Field(() => String, { nullable: true }) authorName!: string | null;
  @Field(() => String, { nullable: true }) authorEmail!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) authorWhen!: Date | null;
  @Field(() => Float, { nullable: true }) confidence!: number | null;
  @Field(() => String, { nullable: true }) provenance!: string | null;
  @Field(() => String, { nullable: true }) evidence!: string | null;
}

@ObjectType()
export class PullRequestIssueLink {
  @Field(() => String) workItemId!: string;
  @Field(() => Float) confidence!: number;
  @Field(() => String) provenance!: string;
  @Field(() => String) evidence!: string;
}

@ObjectType()
export class PullRequestDetail {
  @Field(() => ID) id!: string;
  @Field(() => String) orgId!: string;
  @Field(() => ID) repoId!: string;
  @Field(() => String, { nullable: true }) repoName!: string | null;
  @Field(() => Int) number!: number;
  @Field(() => String, { nullable: true }) title!: string | null;
  @Field(() => String, { nullable: true, description: 'Not stored yet: null.' }) body!: string | null;
  @Field(() => String, { nullable: true }) state!: string | null;
  @Field(() => String, { nullable: true }) authorName!: string | null;
  @Field(() => String, { nullable: true }) authorEmail!: string | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) mergedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) closedAt!: Date | null;
  @Field(() => String, { nullable: true }) headBranch!: string | null;
  @Field(() => String, { nullable: true }) baseBranch!: string | null;
  @Field(() => Int, { nullable: true }) additions!: number | null;
  @Field(() => Int, { nullable: true }) deletions!: number | null;
  @Field(() => Int, { nullable: true }) changedFiles!: number | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) firstReviewAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) firstCommentAt!: Date | null;
  @Field(() => Int) changesRequestedCount!: number;
  @Field(() => Int) reviewsCount!: number;
  @Field(() => Int) commentsCount!: number;
  @Field(() => [PullRequestReview]) reviews!: PullRequestReview[];
  @Field(() => [PullRequestCommit]) commits!: PullRequestCommit[];
  @Field(() => [PullRequestIssueLink]) linkedIssues!: PullRequestIssueLink[];
}

@InputType()
export class ReviewEdgesInput {
  @Field(() => String) orgId!: string;
  @Field(() => DateScalar) sinceDate!: string;
  @Field(() => DateScalar) untilDate!: string;
  @Field(() => [String], { nullable: true, defaultValue: null }) repoIds?: string[] | null;
  @Field(() => [String], {
    nullable: true,
    defaultValue: null,
    description: 'Team ids: the edges between members of these teams (reviewer or author).',
  })
  teamIds?: string[] | null;
  @Field(() => Int, { defaultValue: 500 }) limit!: number;
}

@ObjectType({ description: 'Reviews by one reviewer of one author’s pull requests on one UTC day.' })
export class ReviewEdgeRow {
  @Field(() => String, { deprecationReason: 'Use reviewerName and reviewerKey.' }) reviewer!: string;
  @Field(() => String, { deprecationReason: 'Use authorName and authorKey.' }) author!: string;
  @Field(() => Int) reviewsCount!: number;
  @Field(() => DateScalar) day!: string;
  @Field(() => String, { nullable: true }) repoId!: string | null;
  @Field(() => String, { nullable: true, description: 'Never an e-mail address.' }) reviewerName!: string | null;
  @Field(() => String, { nullable: true, description: 'Never an e-mail address.' }) authorName!: string | null;
  @Field(() => String, { description: 'Opaque and stable per person in the org.' }) reviewerKey!: string;
  @Field(() => String, { description: 'Opaque and stable per person in the org.' }) authorKey!: string;
}

@ObjectType()
export class ReviewEdgesResult {
  @Field(() => [ReviewEdgeRow]) edges!: ReviewEdgeRow[];
  @Field(() => Int, { description: '(pair, day) rows the filters match, before the limit.' }) totalCount!: number;
  @Field(() => Boolean) truncated!: boolean;
}
