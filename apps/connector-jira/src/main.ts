import 'reflect-metadata';
import type { IntegrationScopes } from '@dev-health/control-plane';
import { processEnvironment } from '@dev-health/config';
import { ConnectorHost, RequestBudget, SyncStageError, type SyncContext } from '@dev-health/connector';
import {
  JIRA_RATE_LIMIT_HEADERS,
  JiraClient,
  type JiraDeployment,
  jiraSyncJob,
  parseJiraCredential,
} from '@dev-health/jira';
import { ServiceRuntime, exitOnBootFailure } from '@dev-health/runtime';
import { readJiraConnectorConfig } from './config';

async function main(): Promise<void> {
  const config = readJiraConnectorConfig(processEnvironment());
  const runtime = new ServiceRuntime(config.base, config.kafka);
  const host = await ConnectorHost.create(runtime, config.sync, 'jira');

  /** One client per run: the integration's site and credential (read now, from its reference), its own budget. */
  const clientFor = async (context: SyncContext): Promise<JiraClient> => {
    const secret = context.credential();
    if (!secret)
      throw new SyncStageError(
        'auth',
        'a Jira integration needs a credential (credential_ref): email:api-token or a token',
      );
    const scope = context.integration.scope as IntegrationScopes['jira'];
    const options = {
      site: scope.site,
      auth: parseJiraCredential(secret),
      budget: new RequestBudget({
        reserve: config.reserve,
        headerNames: JIRA_RATE_LIMIT_HEADERS,
        instruments: { metrics: runtime.metrics, provider: 'jira', integration: context.integration.id },
      }),
      logger: context.logger.child('jira'),
      concurrency: config.concurrency,
      changelogPageSize: config.changelogPageSize,
      signal: context.signal,
    };
    const deployment: JiraDeployment = scope.deployment ?? (await JiraClient.detectDeployment(options));
    return new JiraClient({ ...options, deployment });
  };

  await host.serve(
    jiraSyncJob({
      initialHistoryDays: config.initialHistoryDays,
      overlapMinutes: config.overlapMinutes,
      deletionSweepHours: config.deletionSweepHours,
      client: clientFor,
    }),
  );
}

main().catch((error: unknown) => exitOnBootFailure('connector-jira', error));
