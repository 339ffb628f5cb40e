import { artifactsByDegree, flowByNodeType, workGraphEdges } from './work-graph-builder';

const facts = {
  workItems: [
    { id: 'jira:item:1', provider: 'jira', key: 'PAY-1', title: 'Refunds', parent_work_item_id: 'jira:item:9' },
    { id: 'jira:item:9', provider: 'jira', key: 'PAY-9', title: 'Payments epic', parent_work_item_id: null },
    { id: 'github:item:5', provider: 'github', key: 'acme/api#5', title: 'Crash', parent_work_item_id: null },
  ],
  pullRequests: [
    {
      id: 'pr:1',
      provider: 'github',
      repository_id: 'repo:1',
      number: 1,
      title: 'PAY-1: refunds',
      // Closes #5 natively, and names PAY-1 and a look-alike in its title.
      closing_work_item_ids: ['github:item:5'],
      work_item_keys: ['PAY-1', 'UTF-8'],
      merge_commit_sha: 'aaa',
    },
  ],
  commits: [
    {
      id: 'commit:a',
      provider: 'github',
      repository_id: 'repo:1',
      sha: 'aaa',
      message_subject: 'Merge',
      work_item_keys: [],
    },
    {
      id: 'commit:b',
      provider: 'github',
      repository_id: 'repo:1',
      sha: 'bbb',
      message_subject: 'PAY-1 fix',
      work_item_keys: ['PAY-1'],
    },
  ],
  deployments: [
    { id: 'deploy:1', provider: 'github', repository_id: 'repo:1', environment: 'production', commit_sha: 'aaa' },
  ],
};

describe('work graph', () => {
  it('every kind of link once, with its evidence and confidence; a look-alike key links nothing', () => {
    const edges = workGraphEdges(facts);
    const summary = edges.map(
      (edge) => `${edge.sourceId} ${edge.edgeType} ${edge.targetId} ${edge.provenance} ${edge.confidence}`,
    );
    expect(summary.sort()).toEqual([
      'commit:b REFERENCES jira:item:1 EXPLICIT_TEXT 0.8',
      'deploy:1 DEPLOYS commit:a NATIVE 1',
      'jira:item:1 CHILD_OF jira:item:9 NATIVE 1',
      'pr:1 CONTAINS commit:a NATIVE 1',
      'pr:1 FIXES github:item:5 NATIVE 1',
      'pr:1 REFERENCES jira:item:1 EXPLICIT_TEXT 0.8',
    ]);
    // A work item linked by two kinds of evidence: a PR's key and a commit's key (and its epic link).
    expect(
      edges
        .filter((edge) => edge.targetId === 'jira:item:1')
        .map((edge) => edge.evidence)
        .sort(),
    ).toEqual(['the issue key PAY-1 in its message', 'the issue key PAY-1 in its title or branch']);
    expect(new Set(edges.map((edge) => edge.edgeId)).size).toBe(edges.length);
    expect(workGraphEdges(facts)).toEqual(edges);
  });

  it('a closing reference wins over a key naming the same item', () => {
    const closingAndKey = {
      ...facts,
      pullRequests: [{ ...facts.pullRequests[0]!, closing_work_item_ids: ['jira:item:1'], work_item_keys: ['PAY-1'] }],
    };
    const toItem = workGraphEdges(closingAndKey).filter(
      (edge) => edge.sourceId === 'pr:1' && edge.targetId === 'jira:item:1',
    );
    expect(toItem.map((edge) => edge.edgeType)).toEqual(['FIXES']);
  });

  it('flow per node type and the most connected artifacts', () => {
    const edges = workGraphEdges(facts);
    expect(flowByNodeType(edges)).toEqual([
      { nodeType: 'COMMIT', inflow: 2, outflow: 1 },
      { nodeType: 'DEPLOYMENT', inflow: 0, outflow: 1 },
      { nodeType: 'ISSUE', inflow: 4, outflow: 1 },
      { nodeType: 'PR', inflow: 0, outflow: 3 },
    ]);
    expect(artifactsByDegree(edges, 2).map((node) => [node.nodeId, node.degree])).toEqual([
      ['jira:item:1', 3],
      ['pr:1', 3],
    ]);
    expect(workGraphEdges({ workItems: [], pullRequests: [], commits: [], deployments: [] })).toEqual([]);
  });
});
