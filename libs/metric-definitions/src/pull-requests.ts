import { durationsHours, percentile, ratio, round4 } from './stats';

export interface ReviewFacts {
  /** For lineage; facts built in tests may leave it out. */
  id?: string;
  reviewer_identity_id: string;
  state: string;
  submitted_at: number;
}

export interface PullRequestFacts {
  id: string;
  author_identity_id: string;
  created_at: number;
  merged_at: number | null;
  additions: number | null;
  deletions: number | null;
  reviews: ReviewFacts[];
  comments: { id?: string; author_identity_id: string; created_at: number }[];
}

export interface PullRequestDay {
  prs_opened: number;
  prs_merged: number;
  pr_cycle_time_p50_hours: number | null;
  pr_cycle_time_p75_hours: number | null;
  pr_cycle_time_p90_hours: number | null;
  time_to_first_review_p50_hours: number | null;
  time_to_first_review_p90_hours: number | null;
  pickup_time_p50_hours: number | null;
  pickup_time_p90_hours: number | null;
  review_time_p50_hours: number | null;
  review_time_p90_hours: number | null;
  pr_size_p50: number | null;
  pr_size_p90: number | null;
  rework_ratio: number | null;
  reviews_per_pr: number | null;
  negative_durations_dropped: number;
}

/** The first review by someone other than the author (self-reviews do not pick a PR up). */
export function firstReviewAt(pr: PullRequestFacts): number | null {
  const times = pr.reviews
    .filter((review) => review.reviewer_identity_id !== pr.author_identity_id)
    .map((review) => review.submitted_at);
  return times.length === 0 ? null : Math.min(...times);
}

/** The first review or review comment by someone other than the author. */
export function pickupAt(pr: PullRequestFacts): number | null {
  const times = [
    ...pr.reviews
      .filter((review) => review.reviewer_identity_id !== pr.author_identity_id)
      .map((review) => review.submitted_at),
    ...pr.comments
      .filter((comment) => comment.author_identity_id !== pr.author_identity_id)
      .map((comment) => comment.created_at),
  ];
  return times.length === 0 ? null : Math.min(...times);
}

/**
 * Review flow of one repository on one UTC day. Opened counts PRs created that day; everything else is
 * about the PRs merged that day (a PR's numbers land on its merge day, so a late review moves that day).
 */
export function pullRequestDay(
  opened: readonly PullRequestFacts[],
  merged: readonly PullRequestFacts[],
): PullRequestDay {
  const mergedOnly = merged.filter((pr): pr is PullRequestFacts & { merged_at: number } => pr.merged_at !== null);
  const cycle = durationsHours(mergedOnly.map((pr) => [pr.created_at, pr.merged_at] as const));
  const firstReviews = mergedOnly.flatMap((pr) => {
    const at = firstReviewAt(pr);
    return at === null ? [] : [[pr.created_at, at] as const];
  });
  const toFirstReview = durationsHours(firstReviews);
  const pickup = durationsHours(
    mergedOnly.flatMap((pr) => {
      const at = pickupAt(pr);
      return at === null ? [] : [[pr.created_at, at] as const];
    }),
  );
  const review = durationsHours(
    mergedOnly.flatMap((pr) => {
      const at = firstReviewAt(pr);
      return at === null ? [] : [[at, pr.merged_at] as const];
    }),
  );
  const sizes = mergedOnly.flatMap((pr) =>
    pr.additions === null || pr.deletions === null ? [] : [pr.additions + pr.deletions],
  );
  const reworked = mergedOnly.filter((pr) => pr.reviews.some((entry) => entry.state === 'changes_requested')).length;
  const reviews = mergedOnly.reduce((sum, pr) => sum + pr.reviews.length, 0);
  const p = (values: number[], q: number) => round4(percentile(values, q));
  return {
    prs_opened: opened.length,
    prs_merged: mergedOnly.length,
    pr_cycle_time_p50_hours: p(cycle.hours, 0.5),
    pr_cycle_time_p75_hours: p(cycle.hours, 0.75),
    pr_cycle_time_p90_hours: p(cycle.hours, 0.9),
    time_to_first_review_p50_hours: p(toFirstReview.hours, 0.5),
    time_to_first_review_p90_hours: p(toFirstReview.hours, 0.9),
    pickup_time_p50_hours: p(pickup.hours, 0.5),
    pickup_time_p90_hours: p(pickup.hours, 0.9),
    review_time_p50_hours: p(review.hours, 0.5),
    review_time_p90_hours: p(review.hours, 0.9),
    pr_size_p50: p(sizes, 0.5),
    pr_size_p90: p(sizes, 0.9),
    rework_ratio: round4(ratio(reworked, mergedOnly.length)),
    reviews_per_pr: round4(ratio(reviews, mergedOnly.length)),
    negative_durations_dropped: cycle.dropped + toFirstReview.dropped + pickup.dropped + review.dropped,
  };
}
