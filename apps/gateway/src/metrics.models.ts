import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';

/*
 * GraphQL views of the metric tables: the same columns in camelCase (definitions: docs/metrics.md).
 * Every list holds the latest computation per key, days with data only.
 */

const nullableFloat = (description?: string) => Field(() => Float, { nullable: true, description });

@ObjectType({ description: 'A repository known to the platform.' })
export class RepositoryModel {
  @Field(() => ID) id!: string;
  @Field() fullName!: string;
  @Field() provider!: string;
}

@ObjectType({ isAbstract: true })
abstract class DailyRow {
  @Field({ description: 'UTC day, YYYY-MM-DD' }) day!: string;
  @Field(() => GraphQLISODateTime) computedAt!: Date;
}

@ObjectType({ isAbstract: true })
abstract class CommitColumns extends DailyRow {
  @Field() repositoryId!: string;
  @Field(() => Int) commits!: number;
  @Field(() => Int) additions!: number;
  @Field(() => Int) deletions!: number;
  @Field(() => Int, { description: 'additions + deletions' }) linesTouched!: number;
  @Field(() => Int) filesChanged!: number;
  @Field(() => Int) largeCommits!: number;
  @nullableFloat('large commits ÷ commits; null without commits') largeCommitRatio!: number | null;
  @nullableFloat('Lines added+deleted per commit; null without commits') avgCommitSize!: number | null;
}

@ObjectType({ description: 'Daily rollup of one repository: commits and review flow of the PRs merged that day.' })
export class RepoDailyMetrics extends CommitColumns {
  @Field(() => Int) prsOpened!: number;
  @Field(() => Int) prsMerged!: number;
  @nullableFloat() prCycleTimeP50Hours!: number | null;
  @nullableFloat() prCycleTimeP75Hours!: number | null;
  @nullableFloat() prCycleTimeP90Hours!: number | null;
  @nullableFloat() timeToFirstReviewP50Hours!: number | null;
  @nullableFloat() timeToFirstReviewP90Hours!: number | null;
  @nullableFloat() pickupTimeP50Hours!: number | null;
  @nullableFloat() pickupTimeP90Hours!: number | null;
  @nullableFloat() reviewTimeP50Hours!: number | null;
  @nullableFloat() reviewTimeP90Hours!: number | null;
  @nullableFloat('lines') prSizeP50!: number | null;
  @nullableFloat('lines') prSizeP90!: number | null;
  @nullableFloat() reworkRatio!: number | null;
  @nullableFloat() reviewsPerPr!: number | null;
  @Field(() => Int) negativeDurationsDropped!: number;
}

@ObjectType({ description: 'Daily rollup of one identity in one repository.' })
export class UserDailyMetrics extends CommitColumns {
  @Field() authorIdentityId!: string;
  @Field() authorEmail!: string;
  @Field(() => Int) prsAuthored!: number;
  @Field(() => Int) prsMerged!: number;
  @Field(() => Int) reviewsGiven!: number;
  @Field(() => Int) reviewsReceived!: number;
  @nullableFloat('first to last activity that day') activeHours!: number | null;
}

@ObjectType({ description: "Daily working time of a team, judged in each author's own clock." })
export class TeamDailyMetrics extends DailyRow {
  @Field() teamId!: string;
  @Field(() => Int) commits!: number;
  @Field(() => Int) afterHoursCommits!: number;
  @Field(() => Int) weekendCommits!: number;
  @nullableFloat() afterHoursRatio!: number | null;
  @nullableFloat() weekendRatio!: number | null;
}

@ObjectType({ description: 'Daily work-item flow of a work scope and team.' })
export class WorkItemDailyMetrics extends DailyRow {
  @Field() provider!: string;
  @Field() workScopeId!: string;
  @Field({ description: "'' for items without a team" }) teamId!: string;
  @Field(() => Int) itemsCreated!: number;
  @Field(() => Int) itemsStarted!: number;
  @Field(() => Int, { description: 'throughput' }) itemsCompleted!: number;
  @Field(() => Int) wipEndOfDay!: number;
  @nullableFloat() wipAgeP50Days!: number | null;
  @nullableFloat() cycleTimeP50Hours!: number | null;
  @nullableFloat() cycleTimeP90Hours!: number | null;
  @nullableFloat() leadTimeP50Hours!: number | null;
  @nullableFloat() leadTimeP90Hours!: number | null;
  @nullableFloat() bugShare!: number | null;
  @Field(() => Int) reopened!: number;
  @Field(() => Int) negativeDurationsDropped!: number;
}

@ObjectType({ description: 'Daily DORA figures of a repository.' })
export class DoraDailyMetrics extends DailyRow {
  @Field() repositoryId!: string;
  @Field(() => Int) deployments!: number;
  @Field(() => Int, { description: 'deployment frequency' }) successfulDeployments!: number;
  @Field(() => Int) failedDeployments!: number;
  @nullableFloat() changeFailureRate!: number | null;
  @nullableFloat() leadTimeP50Hours!: number | null;
  @nullableFloat() leadTimeP90Hours!: number | null;
  @Field(() => Int) changesDeployed!: number;
  @Field(() => Int) incidentsResolved!: number;
  @nullableFloat() timeToRestoreP50Hours!: number | null;
  @Field(() => Int) incidentsOpenUnresolved!: number;
  @Field(() => Int) negativeDurationsDropped!: number;
}

@ObjectType({ description: '2023 State of DevOps performance band of each DORA metric; null without data.' })
export class DoraBandsModel {
  @Field(() => String, { nullable: true }) deploymentFrequency!: string | null;
  @Field(() => String, { nullable: true }) leadTime!: string | null;
  @Field(() => String, { nullable: true }) changeFailureRate!: string | null;
  @Field(() => String, { nullable: true }) timeToRestore!: string | null;
}

@ObjectType({ description: 'DORA over a window of days, computed from the records of the whole window.' })
export class DoraSummary {
  @Field() repositoryId!: string;
  @Field() from!: string;
  @Field() to!: string;
  @Field(() => Int) days!: number;
  @Field(() => Int) deployments!: number;
  @Field(() => Int) successfulDeployments!: number;
  @Field(() => Float, { description: 'successful deployments per day' }) deploymentsPerDay!: number;
  @nullableFloat() changeFailureRate!: number | null;
  @nullableFloat() leadTimeP50Hours!: number | null;
  @nullableFloat() timeToRestoreP50Hours!: number | null;
  @Field(() => DoraBandsModel) bands!: DoraBandsModel;
}

@ObjectType({ description: 'Canonical records one metric key was computed from.' })
export class LineageEntryModel {
  @Field({ description: 'canonical table' }) table!: string;
  @Field({ description: 'what the records were used for' }) role!: string;
  @Field(() => Int) count!: number;
  @Field(() => [String]) ids!: string[];
}
