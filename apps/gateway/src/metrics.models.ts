import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A repository known to the platform.' })
export class RepositoryModel {
  @Field(() => ID) id!: string;
  @Field() fullName!: string;
  @Field() provider!: string;
}

@ObjectType({ description: 'Daily commit rollup of one repository (latest computation).' })
export class RepoDailyMetrics {
  @Field() repositoryId!: string;
  @Field({ description: 'UTC day, YYYY-MM-DD' }) day!: string;
  @Field(() => GraphQLISODateTime) computedAt!: Date;
  @Field(() => Int) commits!: number;
  @Field(() => Int) additions!: number;
  @Field(() => Int) deletions!: number;
  @Field(() => Int) filesChanged!: number;
  @Field(() => Int) largeCommits!: number;
  @Field(() => Float, { nullable: true, description: 'Lines added+deleted per commit; null without commits' })
  avgCommitSize!: number | null;
}

@ObjectType({ description: 'Daily commit rollup of one author in one repository (latest computation).' })
export class UserDailyMetrics extends RepoDailyMetrics {
  @Field() authorIdentityId!: string;
  @Field() authorEmail!: string;
}
