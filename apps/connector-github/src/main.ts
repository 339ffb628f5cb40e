import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { processEnvironment } from '@dev-health/config';
import { ConnectorHost, RequestBudget, type SyncContext, SyncStageError } from '@dev-health/connector';
import { isCredentialRef, parseCredentialRef, resolveCredential } from '@dev-health/control-plane';
import { GitHubClient, githubSyncJob } from '@dev-health/github';
import { registerSecret } from '@dev-health/observability';
import { ServiceRuntime, exitOnBootFailure } from '@dev-health/runtime';
import { readGitHubConnectorConfig } from './config';

async function main(): Promise<void> {
  const config = readGitHubConnectorConfig(processEnvironment());
  const runtime = new ServiceRuntime(config.base, config.kafka);
  const host = await ConnectorHost.create(runtime, config.sync, 'github');

  /** One client per run: the integration's token (read now, from its reference) and its budget. */
  const clientFor = (context: SyncContext): Promise<GitHubClient> => {
    let token: string | null = null;
    const reference = context.integration.credential_ref;
    if (reference !== null) {
      const parsed = parseCredentialRef(reference);
      if (!isCredentialRef(parsed)) throw new SyncStageError('auth', `credential_ref: ${parsed.message}`);
      try {
        token = resolveCredential(parsed, processEnvironment(), (path) => readFileSync(path, 'utf8'));
      } catch (error: unknown) {
        throw new SyncStageError('auth', error instanceof Error ? error.message : String(error));
      }
      registerSecret(token);
    }
    const labels = { provider: 'github', integration: context.integration.id };
    let notModified = 0;
    let sent = 0;
    const budget = new RequestBudget({
      reserve: config.reserve,
      onChange: (state) => {
        if (state.remaining !== null) runtime.metrics.providerRateLimitRemaining.set(labels, state.remaining);
        if (state.requests > sent)
          runtime.metrics.providerRequests.inc({ provider: 'github', outcome: 'sent' }, state.requests - sent);
        if (state.notModified > notModified)
          runtime.metrics.providerRequests.inc(
            { provider: 'github', outcome: 'not_modified' },
            state.notModified - notModified,
          );
        sent = state.requests;
        notModified = state.notModified;
      },
    });
    return Promise.resolve(
      new GitHubClient({ baseUrl: config.apiUrl, token, budget, logger: context.logger.child('github') }),
    );
  };

  await host.serve(githubSyncJob({ pageSize: config.pageSize, listPageSize: config.listPageSize, client: clientFor }));
}

main().catch((error: unknown) => exitOnBootFailure('connector-github', error));
