import { buildOperatingReview } from './operating-review-builder';

const base = {
  org: 'acme',
  teamId: 'acme/jira:team:site/pay',
  teamNarrowed: true,
  weekStart: '2026-11-30',
  priorWeekStart: '2026-11-23',
};
const metric = (review: ReturnType<typeof buildOperatingReview>, key: string) =>
  review.sections.flatMap((section) => section.metrics).find((candidate) => candidate.key === key);

describe('operating review', () => {
  it('each metric against the week before: improved, worsened, unchanged, changed, no data', () => {
    const review = buildOperatingReview({
      ...base,
      current: { throughput: 12, cycle_time_p50_hours: 30, prs_merged: 20, items_created: 15, wip: 8, reopened: 1 },
      prior: { throughput: 10, cycle_time_p50_hours: 20, prs_merged: 19, items_created: 10, wip: 8, reopened: 0 },
    });
    expect(metric(review, 'throughput')?.delta).toEqual({
      value: 12,
      priorValue: 10,
      absolute: 2,
      percent: 20,
      status: 'improved',
      hasPriorData: true,
    });
    expect(metric(review, 'cycle_time_p50_hours')?.delta.status).toBe('worsened');
    // 5 %: under the 10 % threshold.
    expect(metric(review, 'prs_merged')?.delta.status).toBe('unchanged');
    // No better side.
    expect(metric(review, 'items_created')?.delta.status).toBe('changed');
    // From 0: no percent, a change by its sign.
    expect(metric(review, 'reopened')?.delta).toMatchObject({ percent: null, status: 'worsened' });
    expect(metric(review, 'deployments_count')).toMatchObject({ hasData: false, value: 0, scope: 'ORGANIZATION' });
    expect(metric(review, 'deployments_count')?.delta.status).toBe('no_data');
    expect(metric(review, 'change_failure_rate')?.rateState).toBe('not_applicable_no_deployments');
    expect(metric(review, 'throughput')?.scope).toBe('TEAM');
    const delivery = review.sections.find((section) => section.key === 'delivery');
    expect(delivery).toMatchObject({
      changed: ['throughput', 'cycle_time_p50_hours'],
      improved: ['throughput'],
      worsened: ['cycle_time_p50_hours'],
    });
    expect(review.recommendations).toEqual([
      'Cycle time p50 rose 50 % (20 → 30 hours): look at the slowest items of the week: waiting time, size, and work started in parallel.',
      'Work items reopened rose (0 → 1 items): look at why done items came back: acceptance criteria and testing.',
    ]);
    expect(review.recommendationsEmptyState).toBe('');
  });

  it('nothing worsened: no recommendation, and the empty state says why', () => {
    const review = buildOperatingReview({
      ...base,
      teamNarrowed: false,
      current: { throughput: 5 },
      prior: { throughput: 5 },
    });
    expect(review.recommendations).toEqual([]);
    expect(review.recommendationsEmptyState).toMatch(/Nothing worsened by 10 %/);
    expect(metric(review, 'throughput')?.scope).toBe('ORGANIZATION');
  });
});
