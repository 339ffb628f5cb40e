/**
 * The Jira connector against the fake Jira Cloud (test/fakes/jira), default settings: a full sync of 2
 * projects with every issue's whole changelog, an unchanged re-sync, and the same full sync on a site
 * without the bulk changelog endpoint (each issue's changelog paged). Reports requests (all, per 100
 * issues, by endpoint), sync time and the connector's peak RSS. Services: admin, connector-jira,
 * processor, sink-postgres.
 * Run: npm run bench -- jira [issues per project]
 */
import { AdminApi, createTestDatabase, issueApiKey, listeningUrl, stackEndpoints } from '@dev-health/testing';
import { FakeJira } from '../test/fakes/jira/fake-jira';
import { fakeJiraDataset } from '../test/fakes/jira/jira-dataset';
import { Fleet, pipelineEnvironment, runMain, writeResult } from './harness';

interface JiraSyncMeasure {
  seconds: number;
  requests: number;
  requestsPer100Issues: number;
  byEndpoint: Record<string, number>;
}

export interface JiraBenchResult {
  issues: number;
  histories: number;
  /** Issues with more than 100 histories (a truncated changelog would lose them). */
  longChangelogs: number;
  fullSync: JiraSyncMeasure;
  unchangedResync: { seconds: number; requests: number; published: number };
  /** A site without /changelog/bulkfetch: each issue's changelog, 100 histories a page. */
  fullSyncPerIssueChangelogs: JiraSyncMeasure;
  connectorPeakRssMb: number;
}

export async function measureJira(issuesPerProject = 500): Promise<JiraBenchResult> {
  const dataset = () => fakeJiraDataset(21, { issuesPerProject: [issuesPerProject, issuesPerProject], heavyIssues: 5 });
  const bulk = new FakeJira(dataset());
  const perIssue = new FakeJira(dataset());
  perIssue.bulkChangelogAvailable = false;
  // The bench measures cost, not the fake's throttle.
  bulk.rateLimit = perIssue.rateLimit = 1_000_000;
  const urls = [await bulk.start(), await perIssue.start()];
  const endpoints = stackEndpoints();
  const database = await createTestDatabase(endpoints.databaseUri, 'bench_jira');
  const env = { ...pipelineEnvironment('bench_jira', database.uri).env, ADMIN_TICK_SECONDS: '1' };
  const fleet = new Fleet(env);
  try {
    const api = new AdminApi(await listeningUrl(fleet.start('admin')), await issueApiKey(env, { name: 'bench' }));
    await fleet
      .start('connector-jira', {
        JIRA_CREDENTIAL: `${bulk.email}:${bulk.apiToken}`,
        JIRA_INITIAL_HISTORY_DAYS: '120',
      })
      .waitForLog(/connector consuming commands/);
    await fleet.startConsuming(['processor', 'sink-postgres']);
    await api.ok('POST', '/orgs', { slug: 'bench', name: 'Bench', tier: 'enterprise' });
    const integrations = await Promise.all(
      urls.map((site, index) =>
        api.ok('POST', '/orgs/bench/integrations', {
          provider: 'jira',
          name: `jira-${index}`,
          scope: { site, projects: ['PAY', 'OPS'] },
          credential_ref: 'env:JIRA_CREDENTIAL',
        }),
      ),
    );
    const issues = bulk.dataset.issues.length;
    const per100 = (requests: number) => Math.round((requests / issues) * 1000) / 10;
    const syncOnce = async (fake: FakeJira, integration: Record<string, unknown>) => {
      const from = fake.requests.length;
      const started = performance.now();
      const run = await api.waitForEnd(
        'bench',
        (await api.requestSync('bench', String(integration.id))).run.id,
        600_000,
      );
      if (run.status !== 'succeeded') throw new Error(`sync ${run.status}: ${run.error_message ?? ''}`);
      const requests = fake.requests.slice(from);
      const byEndpoint: Record<string, number> = {};
      for (const request of requests) byEndpoint[request.endpoint] = (byEndpoint[request.endpoint] ?? 0) + 1;
      return {
        seconds: Math.round(((performance.now() - started) / 1000) * 10) / 10,
        requests: requests.length,
        requestsPer100Issues: per100(requests.length),
        byEndpoint: Object.fromEntries(Object.entries(byEndpoint).sort((a, b) => b[1] - a[1])),
        published: Object.values(run.records).reduce((sum, n) => sum + n, 0),
      };
    };
    const [bulkIntegration, perIssueIntegration] = integrations as [Record<string, unknown>, Record<string, unknown>];
    const { published: _published, ...full } = await syncOnce(bulk, bulkIntegration);
    const again = await syncOnce(bulk, bulkIntegration);
    const { published: _unused, ...fallback } = await syncOnce(perIssue, perIssueIntegration);
    const result: JiraBenchResult = {
      issues,
      histories: bulk.dataset.issues.reduce((sum, issue) => sum + issue.histories.length, 0),
      longChangelogs: bulk.dataset.issues.filter((issue) => issue.histories.length > 100).length,
      fullSync: full,
      unchangedResync: { seconds: again.seconds, requests: again.requests, published: again.published },
      fullSyncPerIssueChangelogs: fallback,
      connectorPeakRssMb: Math.round(fleet.peaks.get('connector-jira') ?? 0),
    };
    writeResult('jira', result);
    return result;
  } finally {
    await fleet.stop();
    await bulk.stop();
    await perIssue.stop();
    await database.drop();
  }
}

if (require.main === module)
  runMain(async () => process.stdout.write(`${JSON.stringify(await measureJira(Number(process.argv[2] ?? 500)))}\n`));
