import type { GitHubDeploymentPayload } from '../payloads';
import { DEPLOYMENTS_BY_ID_QUERY, DEPLOYMENTS_QUERY } from '../queries';
import { deploymentOutcome } from '../normalize/deployment-outcome';
import {
  IN_FLIGHT_HORIZON_MS,
  isAfter,
  type RepositoryCollector,
  type RepositoryRun,
  probe,
  rawRecord,
  readInFlightCursor,
  saveInFlightCursor,
} from './repository-run';

type DeploymentNode = Omit<GitHubDeploymentPayload, 'repository_id' | 'production'>;

interface DeploymentsPage {
  repository: {
    deployments: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: DeploymentNode[] };
  } | null;
}

const BY_ID_BATCH = 100;

/** An in-flight deployment: its node id (to re-read it by GraphQL) and number (for the REST probe). */
interface OpenDeployment {
  id: string;
  databaseId: number;
  createdAt: string;
}

const isOpenDeployment = (value: unknown): value is OpenDeployment =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as OpenDeployment).id === 'string' &&
  typeof (value as OpenDeployment).databaseId === 'number' &&
  typeof (value as OpenDeployment).createdAt === 'string';

/**
 * Deployments with their statuses, from GraphQL (100 with statuses per request). New ones: a
 * one-item probe of the REST list (304: none), then pages newest created first down to the
 * watermark. Ones still in flight last time: a conditional GET of their latest status each (304:
 * no news, free), and those that moved re-read by node id, all in one request.
 */
export const collectDeployments: RepositoryCollector = async (run) => {
  const { owner, name, repository } = run;
  const target = `${repository.id}:deployments`;
  const cursor = readInFlightCursor(run.watermarks.get(target), isOpenDeployment);
  const latest = await probe<{ created_at: string }[]>(
    run,
    `deployments-latest:${repository.id}`,
    `/repos/${owner}/${name}/deployments?per_page=1`,
  );
  // The newest deployment is no newer than the watermark: nothing new, whatever else the ETag saw.
  const anyNew = latest.changed && isAfter(latest.body[0]?.created_at, cursor.created);
  if (!anyNew && cursor.open.length === 0) return void (await latest.remember());

  const fetched = new Map<string, DeploymentNode>();
  const discovered = anyNew ? await newDeployments(run, cursor.created) : [];
  for (const node of discovered) fetched.set(node.id, node);
  const moved: string[] = [];
  const stillOpen: OpenDeployment[] = [];
  const statusProbes: (() => Promise<void>)[] = [];
  for (const open of cursor.open.filter((candidate) => !fetched.has(candidate.id))) {
    run.context.throwIfStopped();
    const statuses = await probe(
      run,
      `deployment-statuses:${repository.id}:${open.databaseId}`,
      `/repos/${owner}/${name}/deployments/${open.databaseId}/statuses?per_page=1`,
    );
    if (statuses.changed) moved.push(open.id);
    else stillOpen.push(open);
    statusProbes.push(statuses.remember);
  }
  for (let start = 0; start < moved.length; start += BY_ID_BATCH) {
    run.context.throwIfStopped();
    const page = await run.client.graphql<{ nodes: (DeploymentNode | null)[] }>(DEPLOYMENTS_BY_ID_QUERY, {
      ids: moved.slice(start, start + BY_ID_BATCH),
    });
    // A deleted deployment comes back null: it simply leaves the in-flight set.
    for (const node of page.nodes) if (node?.id) fetched.set(node.id, node);
  }
  const nodes = [...fetched.values()];
  if (nodes.length > 0)
    await run.context.publish(
      nodes.map((node) => {
        const payload: GitHubDeploymentPayload = {
          ...node,
          repository_id: repository.id,
          production: run.settings.production.test(node.environment ?? ''),
        };
        return rawRecord(
          run.context,
          repository,
          'deployment',
          `${repository.id}/deployments/${node.databaseId}`,
          payload,
          run.fetchedAt,
          'graphql Deployments',
          null,
        );
      }),
    );
  const horizon = new Date(run.fetchedAt - IN_FLIGHT_HORIZON_MS).toISOString();
  await saveInFlightCursor(run, target, {
    created: nodes.reduce((newest, node) => (node.createdAt > newest ? node.createdAt : newest), cursor.created),
    open: [
      ...nodes
        .filter((node) => deploymentOutcome(node).inFlight && node.createdAt > horizon)
        .map((node) => ({ id: node.id, databaseId: node.databaseId, createdAt: node.createdAt })),
      ...stillOpen.filter((open) => open.createdAt > horizon),
    ],
  });
  // Newly seen in-flight ones get their status ETag now, so an unchanged one costs a 304 next time.
  for (const node of discovered.filter((candidate) => deploymentOutcome(candidate).inFlight))
    statusProbes.push(await primeStatusProbe(run, node));
  for (const remember of statusProbes) await remember();
  await latest.remember();
};

/**
 * Caches the latest-status ETag of a deployment just read in flight — unless a status arrived after
 * the read, when keeping the ETag would hide that status: then the next sync re-reads it.
 */
async function primeStatusProbe(run: RepositoryRun, node: DeploymentNode): Promise<() => Promise<void>> {
  const statuses = await probe<{ created_at: string }[]>(
    run,
    `deployment-statuses:${run.repository.id}:${node.databaseId}`,
    `/repos/${run.owner}/${run.name}/deployments/${node.databaseId}/statuses?per_page=1`,
  );
  const read = node.statuses.nodes.reduce((newest, status) => Math.max(newest, Date.parse(status.createdAt)), 0);
  const now = statuses.body[0] ? Date.parse(statuses.body[0].created_at) : 0;
  return now === read ? statuses.remember : () => Promise.resolve();
}

/** Deployments created after `created`, newest first, a page of 100 with their statuses per request. */
async function newDeployments(run: RepositoryRun, created: string): Promise<DeploymentNode[]> {
  const found: DeploymentNode[] = [];
  let after: string | null = null;
  for (;;) {
    run.context.throwIfStopped();
    const page: DeploymentsPage = await run.client.graphql<DeploymentsPage>(DEPLOYMENTS_QUERY, {
      owner: run.owner,
      name: run.name,
      first: run.settings.pageSize,
      after,
    });
    const connection = page.repository?.deployments;
    if (!connection) return found;
    const fresh = connection.nodes.filter((node) => node.createdAt > created);
    found.push(...fresh);
    if (fresh.length < connection.nodes.length || !connection.pageInfo.hasNextPage) return found;
    after = connection.pageInfo.endCursor;
  }
}
