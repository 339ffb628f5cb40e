import { flowMatrix, switchPairs } from './flow-matrix';

const step = (sequence: string, node: string, at: number) => ({ sequence, node, at, id: `${sequence}-${at}` });

describe('switchPairs', () => {
  it('counts each sequence’s consecutive steps, in time order, staying as a self-link (golden)', () => {
    const pairs = switchPairs([
      step('ann/d1', 'web', 3),
      step('ann/d1', 'api', 1),
      step('ann/d1', 'api', 2),
      step('ann/d1', 'api', 4),
      // Another day is another sequence: no switch from ann's last repo of d1.
      step('ann/d2', 'web', 5),
      step('bob/d1', 'web', 1),
      step('bob/d1', 'api', 2),
    ]);
    expect(pairs.sort((a, b) => a.source.localeCompare(b.source) || a.target.localeCompare(b.target))).toEqual([
      { source: 'api', target: 'api', value: 1 },
      { source: 'api', target: 'web', value: 1 },
      { source: 'web', target: 'api', value: 2 },
    ]);
  });

  it('has no pairs without two steps in a sequence', () => {
    expect(switchPairs([])).toEqual([]);
    expect(switchPairs([step('a', 'x', 1), step('b', 'y', 2)])).toEqual([]);
  });
});

describe('flowMatrix', () => {
  const pairs = [
    { source: 'a', target: 'b', value: 3 },
    { source: 'b', target: 'a', value: 1 },
    { source: 'a', target: 'b', value: 2 },
    { source: 'c', target: 'c', value: 4 },
    { source: 'a', target: 'd', value: 1 },
    { source: 'x', target: 'y', value: 0 },
  ];

  it('sums pairs; a node’s value is the flow touching it, a self-link once (golden)', () => {
    expect(flowMatrix(pairs, { maxNodes: 10, maxEdges: 10 })).toEqual({
      nodes: [
        { key: 'a', value: 7 },
        { key: 'b', value: 6 },
        { key: 'c', value: 4 },
        { key: 'd', value: 1 },
      ],
      edges: [
        { source: 'a', target: 'b', value: 5 },
        { source: 'c', target: 'c', value: 4 },
        { source: 'a', target: 'd', value: 1 },
        { source: 'b', target: 'a', value: 1 },
      ],
    });
  });

  it('keeps the largest nodes, then the largest edges between them', () => {
    expect(flowMatrix(pairs, { maxNodes: 2, maxEdges: 1 })).toEqual({
      nodes: [
        { key: 'a', value: 7 },
        { key: 'b', value: 6 },
      ],
      edges: [{ source: 'a', target: 'b', value: 5 }],
    });
    expect(flowMatrix([], { maxNodes: 5, maxEdges: 5 })).toEqual({ nodes: [], edges: [] });
  });
});
