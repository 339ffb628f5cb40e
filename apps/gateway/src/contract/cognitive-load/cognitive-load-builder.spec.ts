import { cognitiveLoadSignals } from './cognitive-load-builder';

const dev = (day: string, author: string, repository: string, commits: number, reviewsGiven = 0, prsAuthored = 0) => ({
  day,
  author,
  repository,
  commits,
  reviewsGiven,
  prsAuthored,
});

describe('cognitive load', () => {
  it('per active developer: reviews given, repositories touched, PRs opened; commit timing shares', () => {
    const signals = cognitiveLoadSignals(
      [
        dev('2026-03-02', 'ada', 'api', 3, 2, 1),
        dev('2026-03-02', 'ada', 'web', 1, 0, 0),
        dev('2026-03-02', 'bob', 'api', 0, 2, 0),
        // Inactive that day: not counted among the active developers.
        dev('2026-03-02', 'cy', 'api', 0, 0, 0),
      ],
      [
        { day: '2026-03-02', commits: 4, afterHours: 1, weekend: 0 },
        { day: '2026-03-03', commits: 0, afterHours: 0, weekend: 0 },
      ],
    );
    expect(signals).toEqual([
      {
        day: '2026-03-02',
        // 4 reviews, 3 (developer, repository) pairs, 1 PR over 2 active developers.
        prInterruptionLoad: 2,
        contextSpreadCount: 1.5,
        reviewRequestLoad: 0.5,
        afterHoursCommitRatio: 0.25,
        weekendCommitRatio: 0,
      },
      // No commit: the ratios are unknown (null), not 0.
      {
        day: '2026-03-03',
        prInterruptionLoad: 0,
        contextSpreadCount: 0,
        reviewRequestLoad: 0,
        afterHoursCommitRatio: null,
        weekendCommitRatio: null,
      },
    ]);
    expect(cognitiveLoadSignals([], [])).toEqual([]);
  });
});
