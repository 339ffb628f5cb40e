import 'reflect-metadata';
import { processEnvironment } from '@dev-health/config';
import { ConnectorHost, RequestBudget, type SyncContext } from '@dev-health/connector';
import { GitHubClient, githubSyncJob, parseGitHubCredential } from '@dev-health/github';
import { ServiceRuntime, exitOnBootFailure } from '@dev-health/runtime';
import { readGitHubConnectorConfig } from './config';

async function main(): Promise<void> {
  const config = readGitHubConnectorConfig(processEnvironment());
  const runtime = new ServiceRuntime(config.base, config.kafka);
  const host = await ConnectorHost.create(runtime, config.sync, 'github');

  /** One client per run: the integration's token (read now, from its reference) and its own budget. */
  const clientFor = (context: SyncContext): Promise<GitHubClient> => {
    const budget = new RequestBudget({
      reserve: config.reserve,
      instruments: { metrics: runtime.metrics, provider: 'github', integration: context.integration.id },
    });
    return Promise.resolve(
      new GitHubClient({
        baseUrl: config.apiUrl,
        token: parseGitHubCredential(context.credential()),
        budget,
        logger: context.logger.child('github'),
      }),
    );
  };

  await host.serve(
    githubSyncJob({
      pageSize: config.pageSize,
      listPageSize: config.listPageSize,
      initialHistoryDays: config.initialHistoryDays,
      client: clientFor,
      metrics: runtime.metrics,
      cloneDirectory: config.cloneDirectory,
    }),
  );
}

main().catch((error: unknown) => exitOnBootFailure('connector-github', error));
