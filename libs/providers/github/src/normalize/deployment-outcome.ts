import type { GitHubDeploymentPayload } from '../payloads';

/**
 * What a deployment's statuses say happened: the latest status that is not INACTIVE (GitHub marks a
 * previous deployment INACTIVE when a newer one to the same environment succeeds — that says nothing
 * about whether it worked), and when it reached its first terminal state. A deployment that has only
 * INACTIVE statuses was superseded before it reported an outcome. Without statuses, Deployment.state.
 * The collector and the normalizer share this, so "still in flight" means the same thing to both.
 */
export interface DeploymentOutcome {
  /** A GitHub DeploymentStatusState or DeploymentState name. */
  state: string;
  finishedAt: string | null;
  inFlight: boolean;
}

const IN_FLIGHT = new Set(['PENDING', 'QUEUED', 'IN_PROGRESS', 'WAITING', 'ACTIVE']);
const TERMINAL = new Set(['SUCCESS', 'FAILURE', 'ERROR']);

export function deploymentOutcome(deployment: Pick<GitHubDeploymentPayload, 'state' | 'statuses'>): DeploymentOutcome {
  const statuses = [...deployment.statuses.nodes].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  if (statuses.length === 0)
    return { state: deployment.state, finishedAt: null, inFlight: IN_FLIGHT.has(deployment.state) };
  const finished = statuses.find((status) => TERMINAL.has(status.state));
  const reported = statuses.filter((status) => status.state !== 'INACTIVE');
  const latest = reported.at(-1);
  if (!latest) return { state: 'INACTIVE', finishedAt: statuses[0]?.createdAt ?? null, inFlight: false };
  return {
    state: latest.state,
    finishedAt: TERMINAL.has(latest.state) ? (finished?.createdAt ?? latest.createdAt) : null,
    inFlight: !TERMINAL.has(latest.state),
  };
}
