import { createHash } from 'node:crypto';

export type NodeType = 'ISSUE' | 'PR' | 'COMMIT' | 'DEPLOYMENT';
export type EdgeType = 'FIXES' | 'REFERENCES' | 'CONTAINS' | 'DEPLOYS' | 'CHILD_OF';
export type Provenance = 'NATIVE' | 'EXPLICIT_TEXT' | 'HEURISTIC';

export interface WorkGraphEdge {
  edgeId: string;
  sourceType: NodeType;
  sourceId: string;
  sourceDisplayName: string | null;
  targetType: NodeType;
  targetId: string;
  targetDisplayName: string | null;
  edgeType: EdgeType;
  provenance: Provenance;
  confidence: number;
  evidence: string;
  repoId: string | null;
  provider: string | null;
}

/** What the edges are derived from, as read from the stores. */
export interface WorkGraphFacts {
  pullRequests: {
    id: string;
    provider: string;
    repository_id: string;
    number: number;
    title: string;
    closing_work_item_ids: string[];
    work_item_keys: string[];
    merge_commit_sha: string | null;
  }[];
  commits: {
    id: string;
    provider: string;
    repository_id: string;
    sha: string;
    message_subject: string;
    work_item_keys: string[];
  }[];
  workItems: { id: string; provider: string; key: string; title: string; parent_work_item_id: string | null }[];
  deployments: {
    id: string;
    provider: string;
    repository_id: string;
    environment: string;
    commit_sha: string | null;
  }[];
}

/** A commit as the graph names it: its short sha and subject. */
const commitName = (commit: { sha: string; message_subject: string }) =>
  `${commit.sha.slice(0, 12)} ${commit.message_subject}`;

const edgeId = (...parts: string[]) => createHash('sha1').update(parts.join('\u0000')).digest('hex').slice(0, 20);

/**
 * The work graph's edges, each with its evidence and how much it is trusted:
 * - PR FIXES issue — the provider's closing reference (NATIVE, 1);
 * - PR / commit REFERENCES issue — an issue key in its title, branch or message that names a work item of
 *   the org (EXPLICIT_TEXT, 0.8); a PR that also closes the issue keeps only the closing edge;
 * - PR CONTAINS commit — its merge commit (NATIVE, 1);
 * - deployment DEPLOYS commit — the deployed sha (NATIVE, 1);
 * - issue CHILD_OF issue — its parent or epic (NATIVE, 1).
 * An issue linked by two kinds of evidence (a closing reference from one PR, a key in a commit) has both edges.
 */
export function workGraphEdges(facts: WorkGraphFacts): WorkGraphEdge[] {
  const items = new Map(facts.workItems.map((item) => [item.id, item]));
  const byKey = new Map<string, (typeof facts.workItems)[number][]>();
  for (const item of facts.workItems) byKey.set(item.key, [...(byKey.get(item.key) ?? []), item]);
  const commitsBySha = new Map<string, (typeof facts.commits)[number][]>();
  for (const commit of facts.commits) commitsBySha.set(commit.sha, [...(commitsBySha.get(commit.sha) ?? []), commit]);
  const issueName = (id: string) => {
    const item = items.get(id);
    return item ? `${item.key} ${item.title}` : null;
  };
  const edges: WorkGraphEdge[] = [];
  const add = (edge: Omit<WorkGraphEdge, 'edgeId'>) =>
    edges.push({
      edgeId: edgeId(edge.sourceType, edge.sourceId, edge.edgeType, edge.targetType, edge.targetId),
      ...edge,
    });
  for (const pull of facts.pullRequests) {
    const prName = `#${pull.number} ${pull.title}`;
    const closing = new Set(pull.closing_work_item_ids);
    for (const issue of closing)
      add({
        sourceType: 'PR',
        sourceId: pull.id,
        sourceDisplayName: prName,
        targetType: 'ISSUE',
        targetId: issue,
        targetDisplayName: issueName(issue),
        edgeType: 'FIXES',
        provenance: 'NATIVE',
        confidence: 1,
        evidence: 'the provider’s closing reference',
        repoId: pull.repository_id,
        provider: pull.provider,
      });
    for (const key of pull.work_item_keys)
      for (const item of byKey.get(key) ?? [])
        if (!closing.has(item.id))
          add({
            sourceType: 'PR',
            sourceId: pull.id,
            sourceDisplayName: prName,
            targetType: 'ISSUE',
            targetId: item.id,
            targetDisplayName: issueName(item.id),
            edgeType: 'REFERENCES',
            provenance: 'EXPLICIT_TEXT',
            confidence: 0.8,
            evidence: `the issue key ${key} in its title or branch`,
            repoId: pull.repository_id,
            provider: pull.provider,
          });
    for (const commit of pull.merge_commit_sha ? (commitsBySha.get(pull.merge_commit_sha) ?? []) : [])
      if (commit.repository_id === pull.repository_id)
        add({
          sourceType: 'PR',
          sourceId: pull.id,
          sourceDisplayName: prName,
          targetType: 'COMMIT',
          targetId: commit.id,
          targetDisplayName: commitName(commit),
          edgeType: 'CONTAINS',
          provenance: 'NATIVE',
          confidence: 1,
          evidence: 'its merge commit sha',
          repoId: pull.repository_id,
          provider: pull.provider,
        });
  }
  for (const commit of facts.commits)
    for (const key of commit.work_item_keys)
      for (const item of byKey.get(key) ?? [])
        add({
          sourceType: 'COMMIT',
          sourceId: commit.id,
          sourceDisplayName: commitName(commit),
          targetType: 'ISSUE',
          targetId: item.id,
          targetDisplayName: issueName(item.id),
          edgeType: 'REFERENCES',
          provenance: 'EXPLICIT_TEXT',
          confidence: 0.8,
          evidence: `the issue key ${key} in its message`,
          repoId: commit.repository_id,
          provider: commit.provider,
        });
  for (const deployment of facts.deployments)
    for (const commit of deployment.commit_sha ? (commitsBySha.get(deployment.commit_sha) ?? []) : [])
      if (commit.repository_id === deployment.repository_id)
        add({
          sourceType: 'DEPLOYMENT',
          sourceId: deployment.id,
          sourceDisplayName: `${deployment.environment} ${deployment.commit_sha?.slice(0, 12) ?? ''}`,
          targetType: 'COMMIT',
          targetId: commit.id,
          targetDisplayName: commitName(commit),
          edgeType: 'DEPLOYS',
          provenance: 'NATIVE',
          confidence: 1,
          evidence: 'the deployed commit sha',
          repoId: deployment.repository_id,
          provider: deployment.provider,
        });
  for (const item of facts.workItems)
    if (item.parent_work_item_id)
      add({
        sourceType: 'ISSUE',
        sourceId: item.id,
        sourceDisplayName: issueName(item.id),
        targetType: 'ISSUE',
        targetId: item.parent_work_item_id,
        targetDisplayName: issueName(item.parent_work_item_id),
        edgeType: 'CHILD_OF',
        provenance: 'NATIVE',
        confidence: 1,
        evidence: 'its parent (epic or parent issue) in the provider',
        repoId: null,
        provider: item.provider,
      });
  // Code-unit order: the same from any store, and without the locale's cost on an org's thousands of edges.
  return edges.sort((a, b) => (a.edgeId < b.edgeId ? -1 : a.edgeId > b.edgeId ? 1 : 0));
}

/** Edges in and out per node type. */
export function flowByNodeType(
  edges: readonly WorkGraphEdge[],
): { nodeType: NodeType; inflow: number; outflow: number }[] {
  const rows = new Map<NodeType, { nodeType: NodeType; inflow: number; outflow: number }>();
  const row = (nodeType: NodeType) => {
    const existing = rows.get(nodeType) ?? { nodeType, inflow: 0, outflow: 0 };
    rows.set(nodeType, existing);
    return existing;
  };
  for (const edge of edges) {
    row(edge.sourceType).outflow++;
    row(edge.targetType).inflow++;
  }
  return [...rows.values()].sort((a, b) => a.nodeType.localeCompare(b.nodeType));
}

/** Nodes by the number of edges touching them, most connected first. */
export function artifactsByDegree(
  edges: readonly WorkGraphEdge[],
  limit: number,
): { nodeType: NodeType; nodeId: string; displayName: string | null; degree: number; evidence: string | null }[] {
  const nodes = new Map<
    string,
    { nodeType: NodeType; nodeId: string; displayName: string | null; degree: number; evidence: string | null }
  >();
  const touch = (nodeType: NodeType, nodeId: string, displayName: string | null, evidence: string) => {
    const node = nodes.get(`${nodeType}:${nodeId}`) ?? { nodeType, nodeId, displayName, degree: 0, evidence };
    node.degree++;
    nodes.set(`${nodeType}:${nodeId}`, node);
  };
  for (const edge of edges) {
    touch(edge.sourceType, edge.sourceId, edge.sourceDisplayName, edge.evidence);
    touch(edge.targetType, edge.targetId, edge.targetDisplayName, edge.evidence);
  }
  return [...nodes.values()]
    .sort((a, b) => b.degree - a.degree || a.nodeType.localeCompare(b.nodeType) || a.nodeId.localeCompare(b.nodeId))
    .slice(0, limit);
}
