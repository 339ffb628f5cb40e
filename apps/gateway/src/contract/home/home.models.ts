import { Field, Float, InputType, Int, ObjectType } from '@nestjs/graphql';
import { TeamAttributionConfidence, TeamAttributionSource } from '../attribution/attribution.resolver';
import { DateScalar } from '../shared/filters';

@InputType({
  description:
    'The Home window: the last rangeDays days up to today (UTC, today included), or startDate..endDate; compared with the compareDays before it. Unset members: 14, 14, no explicit dates.',
})
export class HomeWindowInput {
  @Field(() => Int, { nullable: true, defaultValue: null }) rangeDays?: number | null;
  @Field(() => Int, { nullable: true, defaultValue: null }) compareDays?: number | null;
  @Field(() => DateScalar, { nullable: true, defaultValue: null }) startDate?: string | null;
  @Field(() => DateScalar, { nullable: true, defaultValue: null }) endDate?: string | null;
}

@ObjectType()
export class HomeFreshnessSource {
  @Field(() => String) provider!: string;
  @Field(() => String, {
    description:
      'ok: its last sync succeeded inside the window; degraded: the latest sync failed, or the last success is older than the window; down: never succeeded.',
  })
  status!: string;
}

@ObjectType()
export class Coverage {
  @Field(() => Float, {
    nullable: true,
    description: 'Percent of the repositories in scope with daily metrics in the window; null without repositories.',
  })
  reposCoveredPct!: number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'Percent of the pull requests merged in the window that close a work item; null when none merged.',
  })
  prsLinkedToIssuesPct!: number | null;
  @Field(() => Float, {
    nullable: true,
    description:
      'Percent of the work items created or completed in the window with at least one status transition; null when there are none.',
  })
  issuesWithCycleStatesPct!: number | null;
}

@ObjectType()
export class Freshness {
  @Field(() => String, {
    nullable: true,
    description:
      'The newest record ingested: the later of the last sync that published records and the newest record fetched.',
  })
  lastIngestedAt!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'The most recent successful sync of any connected source; null when none ever has.',
  })
  latestSuccessfulSyncAt!: string | null;
  @Field(() => [HomeFreshnessSource], { description: 'One entry per connected (enabled) provider.' })
  sources!: HomeFreshnessSource[];
  @Field(() => Coverage, { nullable: true }) coverage!: Coverage | null;
}

@ObjectType()
export class SparkPoint {
  @Field(() => String, { description: 'The UTC day, as an ISO instant at midnight.' }) ts!: string;
  @Field(() => Float) value!: number;
}

@ObjectType({ description: 'One metric in the window against the comparison window (docs/api.md lists each).' })
export class MetricDelta {
  @Field(() => String) metric!: string;
  @Field(() => String) label!: string;
  @Field(() => Float, { description: 'The window’s value; 0 when hasData is false.' }) value!: number;
  @Field(() => String) unit!: string;
  @Field(() => Float, {
    nullable: true,
    description:
      'Percent change against the comparison window; null when either window has no stored rows, or the prior value is 0 and the current is not.',
  })
  deltaPct!: number | null;
  @Field(() => Boolean, { description: 'The window holds stored rows (a stored zero counts).' }) hasData!: boolean;
  @Field(() => Boolean, { description: 'The comparison window holds stored rows.' }) hasPriorData!: boolean;
  @Field(() => [SparkPoint], { description: 'Daily values in the window (days with a measurement).' })
  spark!: SparkPoint[];
  @Field(() => String, {
    nullable: true,
    description:
      'change_failure_rate: measured | not_applicable_no_deployments; pr_rework_ratio: measured | unknown_no_review_evidence; null otherwise or without stored rows.',
  })
  rateState!: string | null;
  @Field(() => Float, {
    nullable: true,
    description:
      'pr_rework_ratio only: the share (0..1) of the window’s merged pull requests with any review; null without merged pull requests.',
  })
  rateCoverage!: number | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'Null without a repository filter; true for a repository-keyed metric, false for a team-keyed one.',
  })
  repoFilterApplied!: boolean | null;
}

@ObjectType()
export class ReworkThemeAllocation {
  @Field(() => String, { description: 'feature_delivery | operational | maintenance | quality | risk' }) theme!: string;
  @Field(() => String) label!: string;
  @Field(() => Float, { description: 'Share (0..1) of the classified merged pull requests’ changed lines.' })
  allocation!: number;
  @Field(() => Float) allocationPct!: number;
  @Field(() => Int) prsMerged!: number;
  @Field(() => Int) churnLoc!: number;
}

@ObjectType()
export class SummarySentence {
  @Field(() => String) id!: string;
  @Field(() => String) text!: string;
  @Field(() => String) evidenceLink!: string;
}

@ObjectType()
export class HomeTile {
  @Field(() => String) title!: string;
  @Field(() => String) subtitle!: string;
  @Field(() => String) link!: string;
}

@ObjectType({ description: 'One entry of HomeResult.tiles: a list, so the order is the builder’s.' })
export class HomeTileEntry {
  @Field(() => String) key!: string;
  @Field(() => HomeTile) value!: HomeTile;
}

@ObjectType()
export class ConstraintEvidence {
  @Field(() => String) label!: string;
  @Field(() => String) link!: string;
}

@ObjectType()
export class ConstraintCard {
  @Field(() => String) title!: string;
  @Field(() => String) claim!: string;
  @Field(() => [ConstraintEvidence]) evidence!: ConstraintEvidence[];
  @Field(() => [String]) experiments!: string[];
}

@ObjectType()
export class EventItem {
  @Field(() => String) ts!: string;
  @Field(() => String, { description: 'deployment | incident' }) type!: string;
  @Field(() => String) text!: string;
  @Field(() => String) link!: string;
}

@ObjectType()
export class HealthState {
  @Field(() => String, { description: 'healthy | watch | at_risk | no_data' }) status!: string;
  @Field(() => String) headline!: string;
  @Field(() => String) summary!: string;
  @Field(() => String, { nullable: true, description: 'The newest metric computation the answer rests on.' })
  asOf!: string | null;
}

@ObjectType()
export class ScopeEntityRef {
  @Field(() => String) id!: string;
  @Field(() => String) displayName!: string;
}

@ObjectType({ description: 'Work-item attribution behind a signal.' })
export class SignalAttributionSourceCount {
  @Field(() => TeamAttributionSource) source!: TeamAttributionSource;
  @Field(() => Int) items!: number;
  @Field(() => Float, { description: 'Fraction of SignalAttribution.items in this bucket.' }) share!: number;
}

@ObjectType()
export class SignalAttributionConfidenceCount {
  @Field(() => TeamAttributionConfidence) confidence!: TeamAttributionConfidence;
  @Field(() => Int) items!: number;
  @Field(() => Float, { description: 'Fraction of SignalAttribution.items in this bucket.' }) share!: number;
}

@ObjectType({ description: 'Source and confidence distribution of the work items behind one signal.' })
export class SignalAttribution {
  @Field(() => Int) items!: number;
  @Field(() => [SignalAttributionSourceCount]) sources!: SignalAttributionSourceCount[];
  @Field(() => [SignalAttributionConfidenceCount]) confidence!: SignalAttributionConfidenceCount[];
}

@ObjectType({ description: 'A metric that worsened by 10% or more against the comparison window.' })
export class HomeSignal {
  @Field(() => String) id!: string;
  @Field(() => String) title!: string;
  @Field(() => String) metric!: string;
  @Field(() => String) currentValue!: string;
  @Field(() => String, { nullable: true }) priorValue!: string | null;
  @Field(() => String, { nullable: true }) delta!: string | null;
  @Field(() => String, { description: 'up | down' }) direction!: string;
  @Field(() => String, { description: 'high (≥ 50%) | medium (≥ 25%) | low' }) severity!: string;
  @Field(() => String, { description: 'high (≥ 30 samples) | medium (≥ 10) | low' }) confidence!: string;
  @Field(() => String) affectedScope!: string;
  @Field(() => Int, { description: 'Samples in the window: merged PRs, deployments, incidents or work items.' })
  evidenceCount!: number;
  @Field(() => String) whyItMatters!: string;
  @Field(() => String, { description: 'The builder’s fixed recommendation for this metric.' })
  recommendedAction!: string;
  @Field(() => String, { nullable: true, description: 'metric table and window: table:start..end' })
  evidenceRef!: string | null;
  @Field(() => String, { description: 'delivery | flow | quality | stability | work' }) category!: string;
  @Field(() => ScopeEntityRef, { nullable: true, description: 'The repository when exactly one is in scope.' })
  scopeEntity!: ScopeEntityRef | null;
  @Field(() => Float, { nullable: true, description: 'The metric’s rateCoverage, when it has one.' })
  coverage!: number | null;
  @Field(() => Boolean, { nullable: true }) repoFilterApplied!: boolean | null;
  @Field(() => SignalAttribution, {
    nullable: true,
    description: 'Work-item metrics: the primary attribution of the window’s completed items; null otherwise.',
  })
  attribution!: SignalAttribution | null;
}

@ObjectType()
export class HomeLimitingFactor {
  @Field(() => String) claim!: string;
  @Field(() => String) whyItMatters!: string;
  @Field(() => String) recommendedAction!: string;
  @Field(() => String) confidence!: string;
  @Field(() => String, { nullable: true }) evidenceRef!: string | null;
}

@ObjectType()
export class HomeDataConfidence {
  @Field(() => String, { description: 'high | medium | low' }) level!: string;
  @Field(() => Float, { nullable: true, description: 'Percent of the tracked record kinds the org has.' })
  coveragePct!: number | null;
  @Field(() => [String], { description: 'Providers of enabled integrations.' }) connectedSources!: string[];
  @Field(() => [String], {
    description: 'Record kinds with nothing stored: pull_requests, work_items, deployments, incidents.',
  })
  missingSources!: string[];
  @Field(() => [String]) caveats!: string[];
}

@ObjectType({ description: 'Coverage and metric ingestion of the repositories this request selects.' })
export class HomeScopeDataConfidence {
  @Field(() => String) level!: string;
  @Field(() => Float, { nullable: true, description: 'reposCoveredPct of the selected repositories.' })
  coveragePct!: number | null;
  @Field(() => String, { nullable: true, description: 'The newest in-window repository metric computation.' })
  lastIngestedAt!: string | null;
  @Field(() => [String]) caveats!: string[];
}

@ObjectType()
export class HomeResult {
  @Field(() => Freshness) freshness!: Freshness;
  @Field(() => [MetricDelta]) deltas!: MetricDelta[];
  @Field(() => [ReworkThemeAllocation]) reworkThemeAllocation!: ReworkThemeAllocation[];
  @Field(() => [SummarySentence]) summary!: SummarySentence[];
  @Field(() => [HomeTileEntry]) tiles!: HomeTileEntry[];
  @Field(() => ConstraintCard, { nullable: true, description: 'Null when the window has no data.' })
  constraint!: ConstraintCard | null;
  @Field(() => [EventItem]) events!: EventItem[];
  @Field(() => HealthState) healthState!: HealthState;
  @Field(() => [HomeSignal]) signals!: HomeSignal[];
  @Field(() => HomeLimitingFactor) limitingFactor!: HomeLimitingFactor;
  @Field(() => HomeDataConfidence) dataConfidence!: HomeDataConfidence;
  @Field(() => HomeScopeDataConfidence) scopeDataConfidence!: HomeScopeDataConfidence;
}
