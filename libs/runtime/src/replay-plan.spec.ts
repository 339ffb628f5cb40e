import { planReplay, replayProgress, replayStartOf, withinPlan } from './replay-plan';

const partitions = [
  { topic: 't', partition: 0, low: '0', high: '100' },
  { topic: 't', partition: 1, low: '40', high: '50' },
  { topic: 'u', partition: 0, low: '0', high: '0' },
];

describe('replay plans', () => {
  it('replays everything still stored when asked for the earliest records', () => {
    expect(planReplay({ partitions, start: { kind: 'earliest' } })).toEqual([
      { topic: 't', partition: 0, start: 0, end: 100, position: 0 },
      { topic: 't', partition: 1, start: 40, end: 50, position: 40 },
      { topic: 'u', partition: 0, start: 0, end: 0, position: 0 },
    ]);
  });

  it('starts at the first record at or after a time and stops before `to`, never past the end captured now', () => {
    const plan = planReplay({
      partitions,
      start: { kind: 'time', at: 1 },
      startByTime: new Map([
        ['t/0', '60'],
        ['t/1', '10'],
      ]),
      endByTime: new Map([
        ['t/0', '80'],
        ['t/1', '999'],
      ]),
    });
    expect(plan).toEqual([
      { topic: 't', partition: 0, start: 60, end: 80, position: 60 },
      // Below the partition's low offset nothing is stored any more: it starts at 40.
      { topic: 't', partition: 1, start: 40, end: 50, position: 40 },
      // No offset for the time: nothing to replay there.
      { topic: 'u', partition: 0, start: 0, end: 0, position: 0 },
    ]);
  });

  it('replays only the partitions given explicit offsets', () => {
    const start = replayStartOf({ from_time: null, from_offsets: [{ topic: 't', partition: 1, offset: 45 }] });
    expect(planReplay({ partitions, start })).toEqual([
      { topic: 't', partition: 0, start: 100, end: 100, position: 100 },
      { topic: 't', partition: 1, start: 45, end: 50, position: 45 },
      { topic: 'u', partition: 0, start: 0, end: 0, position: 0 },
    ]);
    expect(replayStartOf({ from_time: 5, from_offsets: [] })).toEqual({ kind: 'time', at: 5 });
    expect(replayStartOf({ from_time: null, from_offsets: [] })).toEqual({ kind: 'earliest' });
  });

  it('measures progress from committed offsets, done once every partition reached its end', () => {
    const plan = planReplay({ partitions, start: { kind: 'earliest' } });
    const halfway = replayProgress(plan, new Map([['t/0', '50']]));
    expect(halfway).toMatchObject({ done: 50, total: 110, percent: 45.4, finished: false });
    expect(halfway.partitions[1]).toMatchObject({ position: 40 });
    // A batch read past the end (records that arrived later) still means done, and counts only to the end.
    const finished = replayProgress(
      plan,
      new Map([
        ['t/0', '130'],
        ['t/1', '50'],
        ['u/0', '-1'],
      ]),
    );
    expect(finished).toMatchObject({ done: 110, total: 110, percent: 100, finished: true });
  });

  it('hands the stage only the records before each partition’s end', () => {
    const plan = [{ topic: 't', partition: 0, start: 0, end: 3, position: 0 }];
    const records = ['1', '2', '3', '4'].map((offset) => ({ topic: 't', partition: 0, offset }));
    expect(withinPlan(records, plan).map((record) => record.offset)).toEqual(['1', '2']);
    expect(withinPlan([{ topic: 'other', partition: 0, offset: '0' }], plan)).toEqual([]);
  });
});
