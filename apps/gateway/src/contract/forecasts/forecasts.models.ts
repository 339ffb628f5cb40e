import { Field, Float, InputType, Int, ObjectType } from '@nestjs/graphql';
import { DateScalar } from '../shared/filters';

@InputType({
  description: 'What to forecast: a team and/or work scope (else the org), a target, the history to draw from.',
})
export class CapacityForecastInput {
  @Field(() => String, { nullable: true, defaultValue: null }) teamId?: string | null;
  @Field(() => String, { nullable: true, defaultValue: null }) workScopeId?: string | null;
  @Field(() => Int, { nullable: true, defaultValue: null, description: 'Items to finish; default: the open backlog.' })
  targetItems?: number | null;
  @Field(() => DateScalar, {
    nullable: true,
    defaultValue: null,
    description: 'A date to forecast the items completed by.',
  })
  targetDate?: string | null;
  @Field(() => Int, { defaultValue: 90, description: 'Days of throughput history drawn from (7–730).' })
  historyDays!: number;
  @Field(() => Int, { defaultValue: 10_000, description: 'Simulated runs (100–50,000).' })
  simulations!: number;
}

@InputType()
export class CapacityForecastFilterInput {
  @Field(() => String, { nullable: true, defaultValue: null }) teamId?: string | null;
  @Field(() => String, { nullable: true, defaultValue: null }) workScopeId?: string | null;
  @Field(() => DateScalar, { nullable: true, defaultValue: null, description: 'Forecasts computed on or after.' })
  fromDate?: string | null;
  @Field(() => DateScalar, { nullable: true, defaultValue: null, description: 'Forecasts computed on or before.' })
  toDate?: string | null;
  @Field(() => Int, { defaultValue: 10 }) limit!: number;
}

@ObjectType({ description: 'How many simulated runs ended at a value.' })
export class DistributionBucket {
  @Field(() => Int) value!: number;
  @Field(() => Int) count!: number;
  @Field(() => Float, { description: 'Share of all runs at this value or better (fewer days; more items).' })
  cumulativeShare!: number;
}

@ObjectType()
export class CompletionDistribution {
  @Field(() => Int) runs!: number;
  @Field(() => Int, { nullable: true, description: 'Runs that did not finish within the horizon.' })
  unfinishedRuns!: number | null;
  @Field(() => Int) horizonDays!: number;
  @Field(() => [DistributionBucket], { description: 'Days to finish the items.' }) days!: DistributionBucket[];
  @Field(() => [DistributionBucket], { description: 'Items completed by the target date (empty without one).' })
  items!: DistributionBucket[];
}

@ObjectType({
  description:
    'A Monte Carlo forecast over daily work-item throughput (docs/metrics.md, Forecasts), computed when asked: reproducible for the same question and data.',
})
export class CapacityForecast {
  @Field(() => String, { description: 'Derived from the question and the day: also the simulation seed.' })
  forecastId!: string;
  @Field(() => String, {
    description:
      'As of: the newest metric computation the history comes from (else the start of the day): forecasts are computed when asked, from data of that time.',
  })
  computedAt!: string;
  @Field(() => String, { nullable: true }) teamId!: string | null;
  @Field(() => String, { nullable: true }) workScopeId!: string | null;
  @Field(() => Int, { description: 'Open work items (to do or in progress).' }) backlogSize!: number;
  @Field(() => Int, { nullable: true }) targetItems!: number | null;
  @Field(() => DateScalar, { nullable: true }) targetDate!: string | null;
  @Field(() => DateScalar, { nullable: true }) p50Date!: string | null;
  @Field(() => DateScalar, { nullable: true }) p85Date!: string | null;
  @Field(() => DateScalar, { nullable: true }) p95Date!: string | null;
  @Field(() => Int, { nullable: true }) p50Days!: number | null;
  @Field(() => Int, { nullable: true }) p85Days!: number | null;
  @Field(() => Int, { nullable: true }) p95Days!: number | null;
  @Field(() => Int, { nullable: true }) p50Items!: number | null;
  @Field(() => Int, { nullable: true }) p85Items!: number | null;
  @Field(() => Int, { nullable: true }) p95Items!: number | null;
  @Field(() => Float, { description: 'Items completed per day over the history.' }) throughputMean!: number;
  @Field(() => Float) throughputStddev!: number;
  @Field(() => Int) historyDays!: number;
  @Field(() => Boolean) insufficientHistory!: boolean;
  @Field(() => Boolean) highVariance!: boolean;
  @Field(() => CompletionDistribution) completionDistribution!: CompletionDistribution;
}

@ObjectType()
export class CapacityForecastEdge {
  @Field(() => CapacityForecast) node!: CapacityForecast;
  @Field(() => String) cursor!: string;
}

@ObjectType()
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType()
export class CapacityForecastConnection {
  @Field(() => [CapacityForecastEdge]) edges!: CapacityForecastEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}

@InputType({ description: 'A weekly-throughput forecast of a backlog: a team and/or work scope (else the org).' })
export class ThroughputForecastInput {
  @Field(() => String, { nullable: true, defaultValue: null }) teamId?: string | null;
  @Field(() => String, { nullable: true, defaultValue: null }) workScopeId?: string | null;
  @Field(() => Int, { nullable: true, defaultValue: null, description: 'Items to finish; default: the open backlog.' })
  backlogSize?: number | null;
  @Field(() => Int, { defaultValue: 12, description: 'Weeks of throughput history drawn from (2–104).' })
  historyWeeks!: number;
}

@ObjectType({ description: 'Mean weekly throughput over the last weeks of the history.' })
export class ThroughputRollingWindow {
  @Field(() => Int) windowWeeks!: number;
  @Field(() => Float) meanWeeklyThroughput!: number;
  @Field(() => Int, { description: 'Weeks of history in the window.' }) sampleCount!: number;
  @Field(() => Boolean, { description: 'The history is shorter than the window.' }) insufficientHistory!: boolean;
}

@ObjectType({ description: 'A condition that would make the forecast optimistic: its value against its threshold.' })
export class ThroughputRiskOverlay {
  @Field(() => String) kind!: string;
  @Field(() => Float, { description: 'value ÷ (2 × threshold), at most 1.' }) score!: number;
  @Field(() => String) label!: string;
  @Field(() => Float) value!: number;
  @Field(() => Float) threshold!: number;
  @Field(() => Boolean, { description: 'The value is above its threshold.' }) active!: boolean;
}

@ObjectType({ description: 'How long the work in progress has been in progress.' })
export class StaleWip {
  @Field(() => Float, { nullable: true }) p50AgeHours!: number | null;
  @Field(() => Float, { nullable: true }) p90AgeHours!: number | null;
}

@ObjectType({ description: 'How much of the open backlog carries an estimate (story points, weight).' })
export class EstimateCoverage {
  @Field(() => Float, { nullable: true }) ratio!: number | null;
  @Field(() => Int) estimatedCount!: number;
  @Field(() => Int) unestimatedCount!: number;
  @Field(() => Int) backlogSize!: number;
}

@ObjectType({
  description:
    'A Monte Carlo forecast over weekly work-item throughput (docs/metrics.md, Forecasts), with the risks that would make it optimistic.',
})
export class ThroughputForecast {
  @Field(() => String) forecastId!: string;
  @Field(() => String) computedAt!: string;
  @Field(() => String, { nullable: true }) teamId!: string | null;
  @Field(() => String, { nullable: true }) workScopeId!: string | null;
  @Field(() => Int) backlogSize!: number;
  @Field(() => Int) historyWeeks!: number;
  @Field(() => Int, { nullable: true }) p50Weeks!: number | null;
  @Field(() => Int, { nullable: true }) p75Weeks!: number | null;
  @Field(() => Int, { nullable: true }) p90Weeks!: number | null;
  @Field(() => [ThroughputRollingWindow]) rollingWindows!: ThroughputRollingWindow[];
  @Field(() => ThroughputRiskOverlay, { description: 'The active risk with the highest score (else the highest).' })
  primaryRisk!: ThroughputRiskOverlay;
  @Field(() => ThroughputRiskOverlay) wipCongestion!: ThroughputRiskOverlay;
  @Field(() => ThroughputRiskOverlay) reviewBottleneck!: ThroughputRiskOverlay;
  @Field(() => ThroughputRiskOverlay) incidentLoad!: ThroughputRiskOverlay;
  @Field(() => StaleWip) staleWip!: StaleWip;
  @Field(() => EstimateCoverage) estimateCoverage!: EstimateCoverage;
  @Field(() => Boolean) insufficientHistory!: boolean;
}
