import 'reflect-metadata';
import { processEnvironment } from '@dev-health/config';
import { ConnectorHost, type SyncJob } from '@dev-health/connector';
import type { IntegrationScopes } from '@dev-health/control-plane';
import { ServiceRuntime, exitOnBootFailure } from '@dev-health/runtime';
import { readGitConnectorConfig } from './config';
import { GitConnector, type GitConnectorOptions, type RepositorySyncResult } from './git-connector';

/** A git integration's sync run: every repository path of its scope. */
function gitSyncJob(options: GitConnectorOptions, onResults?: (results: RepositorySyncResult[]) => void): SyncJob {
  return async (context) => {
    const scope = context.integration.scope as IntegrationScopes['git'];
    const results = await new GitConnector(context, options).syncAll(scope.paths);
    onResults?.(results);
  };
}

async function main(): Promise<void> {
  const config = readGitConnectorConfig(processEnvironment());
  const runtime = new ServiceRuntime(config.base, config.kafka);
  const host = await ConnectorHost.create(runtime, config.sync, 'git');

  if (config.repositories.length === 0) {
    await host.serve(gitSyncJob(config));
    return;
  }
  // One run of the env-configured integration, then exit: its outcome is the exit code.
  let synced: RepositorySyncResult[] = [];
  try {
    const started = Date.now();
    const { run, end } = await host.runOnce(
      { org_id: config.org, provider: 'git', name: config.integrationName, scope: { paths: config.repositories } },
      gitSyncJob(config, (results) => (synced = results)),
    );
    runtime.logger.info('sync finished', {
      run: run.id,
      status: end,
      records: run.records,
      seconds: (Date.now() - started) / 1000,
    });
    process.stdout.write(`${JSON.stringify({ run: run.id, status: run.status, synced })}\n`);
    if (end !== 'succeeded') {
      process.stderr.write(`connector-git: sync run ${run.id} ${run.status}: ${run.error_message ?? ''}\n`);
      process.exitCode = 1;
    }
  } finally {
    await host.close();
  }
}

main().catch((error: unknown) => exitOnBootFailure('connector-git', error));
