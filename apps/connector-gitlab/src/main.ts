import 'reflect-metadata';
import { processEnvironment } from '@dev-health/config';
import { ConnectorHost, RequestBudget, SyncStageError, type SyncContext } from '@dev-health/connector';
import { GITLAB_RATE_LIMIT_HEADERS, GitLabClient, gitlabSyncJob } from '@dev-health/gitlab';
import { ServiceRuntime, exitOnBootFailure } from '@dev-health/runtime';
import { readGitLabConnectorConfig } from './config';

async function main(): Promise<void> {
  const config = readGitLabConnectorConfig(processEnvironment());
  const runtime = new ServiceRuntime(config.base, config.kafka);
  const host = await ConnectorHost.create(runtime, config.sync, 'gitlab');

  /** One client per run: the integration's token (read now, from its reference) and its own budget. */
  const clientFor = (context: SyncContext): Promise<GitLabClient> => {
    const token = context.credential();
    if (!token) throw new SyncStageError('auth', 'a GitLab integration needs an access token (credential_ref)');
    const budget = new RequestBudget({
      reserve: config.reserve,
      headerNames: GITLAB_RATE_LIMIT_HEADERS,
      instruments: { metrics: runtime.metrics, provider: 'gitlab', integration: context.integration.id },
    });
    return Promise.resolve(
      new GitLabClient({ baseUrl: config.baseUrl, token, budget, logger: context.logger.child('gitlab') }),
    );
  };

  await host.serve(
    gitlabSyncJob({
      pageSize: config.pageSize,
      initialHistoryDays: config.initialHistoryDays,
      client: clientFor,
      cloneDirectory: config.cloneDirectory,
    }),
  );
}

main().catch((error: unknown) => exitOnBootFailure('connector-gitlab', error));
