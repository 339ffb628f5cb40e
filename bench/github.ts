/**
 * The GitHub connector against the fake GitHub (test/fakes/github), default page sizes: a full sync of
 * an org, then an unchanged re-sync. Reports requests (all, per 100 PRs, by endpoint), sync time and
 * the connector's peak RSS. Services: admin, connector-github, processor, sink-postgres.
 * Run: npm run bench -- github [repositories] [pullRequestsPerRepository]
 */
import {
  AdminApi,
  createTestDatabase,
  issueApiKey,
  listeningUrl,
  queryRows,
  stackEndpoints,
  waitFor,
} from '@dev-health/testing';
import { fakeOrganization } from '../test/fakes/github/fake-github';
import { Fleet, pipelineEnvironment, runMain, writeResult } from './harness';

export interface GitHubBenchResult {
  repositories: number;
  pullRequests: number;
  reviews: number;
  fullSync: {
    seconds: number;
    requests: number;
    requestsPer100PullRequests: number;
    /** Only what pull requests with reviews and review comments cost (their probe, pages and comments). */
    pullRequestRequestsPer100PullRequests: number;
    byEndpoint: Record<string, number>;
  };
  unchangedResync: { seconds: number; countedRequests: number; notModified: number };
  connectorPeakRssMb: number;
}

/** A request's endpoint: GraphQL by operation, REST by route (owner, repository and ids as placeholders). */
const endpointOf = (request: { method: string; path: string; operation?: string }) =>
  request.path === '/graphql'
    ? `POST /graphql ${request.operation ?? ''}`.trim()
    : `${request.method} ${request.path
        .replace(/\?.*$/, '')
        .replace(/^\/repos\/[^/]+\/[^/]+/, '/repos/{owner}/{repo}')
        .replace(/^\/orgs\/[^/]+/, '/orgs/{org}')
        .replace(/\/\d+(?=\/|$)/g, '/{id}')}`;

export async function measureGitHub(repositories = 5, pullRequestsPerRepository = 60): Promise<GitHubBenchResult> {
  const fake = fakeOrganization('acme-inc', repositories, pullRequestsPerRepository);
  const apiUrl = await fake.start();
  const endpoints = stackEndpoints();
  const database = await createTestDatabase(endpoints.databaseUri, 'bench_github');
  const env = { ...pipelineEnvironment('bench_github', database.uri).env, ADMIN_TICK_SECONDS: '1' };
  const fleet = new Fleet(env);
  try {
    const token = await issueApiKey(env, { name: 'bench' });
    const api = new AdminApi(await listeningUrl(fleet.start('admin')), token);
    await fleet
      .start('connector-github', { GITHUB_API_URL: apiUrl, GITHUB_TOKEN: fake.token ?? '' })
      .waitForLog(/connector consuming commands/);
    await fleet.startConsuming(['processor', 'sink-postgres']);
    const call = (method: string, path: string, body?: unknown) => api.ok(method, path, body);
    await call('POST', '/orgs', { slug: 'bench', name: 'Bench' });
    const integration = await call('POST', '/orgs/bench/integrations', {
      provider: 'github',
      name: 'github',
      scope: { owner: 'acme-inc' },
      credential_ref: 'env:GITHUB_TOKEN',
    });
    const sync = async () => {
      const started = Date.now();
      const { run } = (await call('POST', `/orgs/bench/integrations/${String(integration.id)}/syncs`, {})) as {
        run: { id: string };
      };
      await waitFor(
        async () => {
          const state = await call('GET', `/orgs/bench/syncs/${run.id}`);
          if (state.status === 'failed') throw new Error(`sync failed: ${String(state.error_message)}`);
          return state.status === 'succeeded';
        },
        { description: 'the sync to succeed', timeoutMs: 3_600_000, intervalMs: 100 },
      );
      return (Date.now() - started) / 1000;
    };
    const fullSeconds = await sync();
    const full = fake.counted();
    const byEndpoint: Record<string, number> = {};
    for (const request of full) byEndpoint[endpointOf(request)] = (byEndpoint[endpointOf(request)] ?? 0) + 1;
    const from = fake.requests.length;
    const resyncSeconds = await sync();
    const pullRequests = repositories * pullRequestsPerRepository;
    const reviews = await waitFor(
      async () => {
        const [row] = await queryRows<{ prs: string; reviews: string }>(
          database.uri,
          `SELECT (SELECT count(*) FROM pull_requests) AS prs, (SELECT count(*) FROM reviews) AS reviews`,
        );
        return Number(row?.prs) === pullRequests && Number(row?.reviews);
      },
      { description: 'every PR in Postgres', timeoutMs: 600_000, intervalMs: 500 },
    );
    const result: GitHubBenchResult = {
      repositories,
      pullRequests,
      reviews,
      fullSync: {
        seconds: +fullSeconds.toFixed(2),
        requests: full.length,
        requestsPer100PullRequests: +((full.length / pullRequests) * 100).toFixed(2),
        pullRequestRequestsPer100PullRequests: +(
          (full.filter(
            (request) => request.operation?.startsWith('PullRequest') === true || request.path.includes('/pulls'),
          ).length /
            pullRequests) *
          100
        ).toFixed(2),
        byEndpoint,
      },
      unchangedResync: {
        seconds: +resyncSeconds.toFixed(2),
        countedRequests: fake.counted(from).length,
        notModified: fake.requests.slice(from).filter((request) => request.status === 304).length,
      },
      connectorPeakRssMb: 0,
    };
    await fleet.stop();
    result.connectorPeakRssMb = fleet.peaks.get('connector-github') ?? 0;
    writeResult('github', result);
    return result;
  } finally {
    await fleet.stop();
    await fake.stop();
    await database.drop();
  }
}

if (require.main === module)
  runMain(async () =>
    process.stdout.write(
      `${JSON.stringify(await measureGitHub(Number(process.argv[2] ?? 5), Number(process.argv[3] ?? 60)))}\n`,
    ),
  );
