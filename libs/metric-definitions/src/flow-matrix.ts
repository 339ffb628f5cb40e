/**
 * The flow matrix (docs/metrics.md, "Flow matrix"): directed counts between values of one dimension.
 * - Switches: an actor's consecutive steps in a sequence (a developer's commits of a day across
 *   repositories, their completed work items across types) count source → target; staying counts as
 *   a self-link.
 * - Exchanges: work handed from one value to another (a team's pull requests reviewed by a team).
 */
export interface FlowStep {
  /** The sequence the step belongs to (a developer and day; a developer). */
  sequence: string;
  node: string;
  at: number;
  /** Breaks ties of `at` so the order is the same from any store. */
  id: string;
}

export interface FlowPair {
  source: string;
  target: string;
  value: number;
}

/** Consecutive steps of each sequence, counted per (from, to). */
export function switchPairs(steps: readonly FlowStep[]): FlowPair[] {
  const sequences = new Map<string, FlowStep[]>();
  for (const step of steps) sequences.set(step.sequence, [...(sequences.get(step.sequence) ?? []), step]);
  const counts = new Map<string, FlowPair>();
  for (const sequence of sequences.values()) {
    // Ties by id in code-unit order (not the locale's), as any store would sort them byte-wise.
    sequence.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (let index = 1; index < sequence.length; index++) {
      const source = sequence[index - 1]?.node ?? '';
      const target = sequence[index]?.node ?? '';
      const key = `${source}\u0000${target}`;
      const pair = counts.get(key) ?? { source, target, value: 0 };
      pair.value++;
      counts.set(key, pair);
    }
  }
  return [...counts.values()];
}

export interface FlowMatrix {
  nodes: { key: string; value: number }[];
  edges: FlowPair[];
}

/**
 * Pairs summed into a matrix: a node's value is the flow touching it (out + in, a self-link once);
 * the `maxNodes` largest nodes are kept, then the `maxEdges` largest edges between them.
 */
export function flowMatrix(pairs: readonly FlowPair[], limits: { maxNodes: number; maxEdges: number }): FlowMatrix {
  const edges = new Map<string, FlowPair>();
  for (const pair of pairs) {
    if (pair.value <= 0) continue;
    const key = `${pair.source}\u0000${pair.target}`;
    const edge = edges.get(key) ?? { source: pair.source, target: pair.target, value: 0 };
    edge.value += pair.value;
    edges.set(key, edge);
  }
  const touching = new Map<string, number>();
  for (const edge of edges.values()) {
    touching.set(edge.source, (touching.get(edge.source) ?? 0) + edge.value);
    if (edge.target !== edge.source) touching.set(edge.target, (touching.get(edge.target) ?? 0) + edge.value);
  }
  const nodes = [...touching]
    .map(([key, value]) => ({ key, value }))
    .sort((a, b) => b.value - a.value || a.key.localeCompare(b.key))
    .slice(0, Math.max(0, limits.maxNodes));
  const kept = new Set(nodes.map((node) => node.key));
  return {
    nodes,
    edges: [...edges.values()]
      .filter((edge) => kept.has(edge.source) && kept.has(edge.target))
      .sort((a, b) => b.value - a.value || a.source.localeCompare(b.source) || a.target.localeCompare(b.target))
      .slice(0, Math.max(0, limits.maxEdges)),
  };
}
