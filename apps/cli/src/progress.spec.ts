import { formatSeconds, progressLine, type RunView } from './progress';

const run = (overrides: Partial<RunView>): RunView => ({
  id: 'r',
  integration_id: 'i',
  mode: 'incremental',
  status: 'running',
  started_at: '2026-12-01T09:00:00.000Z',
  finished_at: null,
  records: {},
  error_stage: null,
  error_message: null,
  ...overrides,
});
const AT = Date.parse('2026-12-01T09:00:10.000Z');

describe('sync progress line', () => {
  it('shows records per entity and the rate since the run started', () => {
    expect(progressLine(run({ records: { commit: 900, repository: 100 } }), AT)).toBe(
      'running   1,000 records (commit 900, repository 100), 100 rec/s',
    );
  });

  it('draws a bar and an ETA when the connector says how many records to expect', () => {
    expect(progressLine(run({ records: { commit: 500, _expected: 2_000 } }), AT)).toBe(
      'running   [#####...............] 25% 500 records (commit 500), 50 rec/s, ETA 30s',
    );
  });

  it('gives a finished run the rate over its own duration', () => {
    const finished = run({ status: 'succeeded', finished_at: '2026-12-01T09:00:02.000Z', records: { commit: 400 } });
    expect(progressLine(finished, AT + 60_000)).toBe('succeeded 400 records (commit 400), 200 rec/s');
  });

  it('says where a failed run failed', () => {
    expect(
      progressLine(run({ status: 'failed', error_stage: 'connector', error_message: 'no progress for 300 s' }), AT),
    ).toBe('failed    0 records, 0 rec/s — failed at connector: no progress for 300 s');
  });

  it('formats durations', () => {
    expect([formatSeconds(5), formatSeconds(125), formatSeconds(7_260)]).toEqual(['5s', '2m05s', '2h01m']);
  });
});
