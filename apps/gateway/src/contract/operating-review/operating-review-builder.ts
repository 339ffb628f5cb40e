import type { OperatingReview, OperatingReviewMetric } from './operating-review.models';
import { OperatingReviewMetricScope } from './operating-review.models';

/** One week's value of each metric (null: no data that week). */
export type WeekValues = Partial<Record<ReviewMetricKey, number | null>>;

export type ReviewMetricKey =
  | 'throughput'
  | 'cycle_time_p50_hours'
  | 'prs_merged'
  | 'deployments_count'
  | 'change_failure_rate'
  | 'time_to_restore_p50_hours'
  | 'wip'
  | 'reopened'
  | 'items_created';

interface ReviewMetricSpec {
  key: ReviewMetricKey;
  label: string;
  unit: string;
  /** Which side is better; null: neither (only "changed"). */
  better: 'higher' | 'lower' | null;
  /** Team-narrowed when a team is reviewed (work items), else the organization's (repositories, DORA). */
  teamScoped: boolean;
  action: string;
}

export const REVIEW_SECTIONS: { key: string; title: string; metrics: ReviewMetricSpec[] }[] = [
  {
    key: 'delivery',
    title: 'Delivery',
    metrics: [
      {
        key: 'throughput',
        label: 'Work items completed',
        unit: 'items',
        better: 'higher',
        teamScoped: true,
        action: 'check what blocked completion: items waiting on review, on other teams, or started in parallel',
      },
      {
        key: 'cycle_time_p50_hours',
        label: 'Cycle time p50',
        unit: 'hours',
        better: 'lower',
        teamScoped: true,
        action: 'look at the slowest items of the week: waiting time, size, and work started in parallel',
      },
      {
        key: 'prs_merged',
        label: 'Pull requests merged',
        unit: 'count',
        better: 'higher',
        teamScoped: false,
        action: 'check for pull requests waiting on review or blocked by CI',
      },
    ],
  },
  {
    key: 'stability',
    title: 'Stability',
    metrics: [
      {
        key: 'deployments_count',
        label: 'Production deployments',
        unit: 'count',
        better: 'higher',
        teamScoped: false,
        action: 'check whether releases are being batched or held',
      },
      {
        key: 'change_failure_rate',
        label: 'Change failure rate',
        unit: 'ratio',
        better: 'lower',
        teamScoped: false,
        action: 'review the failed deployments and the incidents they caused',
      },
      {
        key: 'time_to_restore_p50_hours',
        label: 'Time to restore p50',
        unit: 'hours',
        better: 'lower',
        teamScoped: false,
        action: 'review how the week’s incidents were detected and rolled back',
      },
    ],
  },
  {
    key: 'flow',
    title: 'Flow',
    metrics: [
      {
        key: 'wip',
        label: 'Work in progress at the end of the week',
        unit: 'items',
        better: 'lower',
        teamScoped: true,
        action: 'finish before starting: limit the work in progress',
      },
      {
        key: 'reopened',
        label: 'Work items reopened',
        unit: 'items',
        better: 'lower',
        teamScoped: true,
        action: 'look at why done items came back: acceptance criteria and testing',
      },
      { key: 'items_created', label: 'Work items created', unit: 'items', better: null, teamScoped: true, action: '' },
    ],
  },
];

/** A move of 10 % or more is a change worth reviewing (as Home's signals). */
export const CHANGE_THRESHOLD = 0.1;

const round = (value: number) => Math.round(value * 10_000) / 10_000;

function metricOf(
  spec: ReviewMetricSpec,
  current: number | null | undefined,
  prior: number | null | undefined,
  teamNarrowed: boolean,
): OperatingReviewMetric & { moved: boolean } {
  const hasData = current !== null && current !== undefined;
  const hasPriorData = prior !== null && prior !== undefined;
  const value = hasData ? round(current) : 0;
  const priorValue = hasPriorData ? round(prior) : 0;
  const absolute = round(value - priorValue);
  const percent = hasData && hasPriorData && priorValue !== 0 ? round((absolute / priorValue) * 100) : null;
  const moved =
    hasData && hasPriorData && (percent === null ? absolute !== 0 : Math.abs(percent) >= CHANGE_THRESHOLD * 100);
  const up = absolute > 0;
  const status = !hasData
    ? 'no_data'
    : !moved
      ? 'unchanged'
      : spec.better === null
        ? 'changed'
        : (spec.better === 'higher') === up
          ? 'improved'
          : 'worsened';
  return {
    key: spec.key,
    label: spec.label,
    value,
    unit: spec.unit,
    hasData,
    scope: spec.teamScoped && teamNarrowed ? OperatingReviewMetricScope.TEAM : OperatingReviewMetricScope.ORGANIZATION,
    rateState: spec.key === 'change_failure_rate' ? (hasData ? 'measured' : 'not_applicable_no_deployments') : null,
    delta: { value, priorValue, absolute, percent, status, hasPriorData },
    moved,
  };
}

const describe = (metric: OperatingReviewMetric) =>
  `${metric.label} ${metric.delta.absolute > 0 ? 'rose' : 'fell'}${
    metric.delta.percent === null ? '' : ` ${Math.abs(Math.round(metric.delta.percent))} %`
  } (${metric.delta.priorValue} → ${metric.value} ${metric.unit})`;

/** The review of a week against the week before, from each metric's two values. */
export function buildOperatingReview(input: {
  org: string;
  teamId: string | null;
  teamNarrowed: boolean;
  weekStart: string;
  priorWeekStart: string;
  current: WeekValues;
  prior: WeekValues;
}): OperatingReview {
  const recommendations: string[] = [];
  const sections = REVIEW_SECTIONS.map((section) => {
    const metrics = section.metrics.map((spec) =>
      metricOf(spec, input.current[spec.key], input.prior[spec.key], input.teamNarrowed),
    );
    for (const metric of metrics)
      if (metric.delta.status === 'worsened') {
        const spec = section.metrics.find((candidate) => candidate.key === metric.key);
        recommendations.push(`${describe(metric)}: ${spec?.action ?? ''}.`);
      }
    return {
      key: section.key,
      title: section.title,
      metrics: metrics.map(({ moved: _moved, ...metric }) => metric),
      changed: metrics.filter((metric) => metric.moved).map((metric) => metric.key),
      improved: metrics.filter((metric) => metric.delta.status === 'improved').map((metric) => metric.key),
      worsened: metrics.filter((metric) => metric.delta.status === 'worsened').map((metric) => metric.key),
    };
  });
  return {
    orgId: input.org,
    teamId: input.teamId,
    weekStart: input.weekStart,
    priorWeekStart: input.priorWeekStart,
    sections,
    recommendations,
    recommendationsEmptyState:
      recommendations.length === 0
        ? 'Nothing worsened by 10 % or more against the week before: no recommendation.'
        : '',
  };
}
