import { DataSource } from 'typeorm';
import { ENTITIES } from './entities/tables';
import { ActivityEntities1763900000000 } from './migrations/1763900000000-activity-entities';
import { GitEntitiesAndMetrics1763800000000 } from './migrations/1763800000000-git-entities-and-metrics';
import { MetricTables1764000000000 } from './migrations/1764000000000-metric-tables';
import { RecordVersionsAndComputations1764100000000 } from './migrations/1764100000000-record-versions-and-computations';
import { Tenancy1764200000000 } from './migrations/1764200000000-tenancy';
import { ControlPlane1764300000000 } from './migrations/1764300000000-control-plane';
import { SyncDispatch1764400000000 } from './migrations/1764400000000-sync-dispatch';
import { HttpCache1764500000000 } from './migrations/1764500000000-http-cache';
import { PullRequestLinks1764600000000 } from './migrations/1764600000000-pull-request-links';
import { Pushes1764700000000 } from './migrations/1764700000000-pushes';
import { IntegrationRateLimits1764800000000 } from './migrations/1764800000000-integration-rate-limits';
import { PipelineRunPullRequests1764900000000 } from './migrations/1764900000000-pipeline-run-pull-requests';
import { BackfillJobs1765000000000 } from './migrations/1765000000000-backfill-jobs';
import { DeadLetterRedrives1765100000000 } from './migrations/1765100000000-dead-letter-redrives';
import { ReplayJobs1765200000000 } from './migrations/1765200000000-replay-jobs';
import { WorkItemPlanning1765300000000 } from './migrations/1765300000000-work-item-planning';
import { PullRequestDrafts1765400000000 } from './migrations/1765400000000-pull-request-drafts';
import { WorkItemLinks1765500000000 } from './migrations/1765500000000-work-item-links';
import { FileRenames1765600000000 } from './migrations/1765600000000-file-renames';

export { ENTITIES };

export const MIGRATIONS = [
  GitEntitiesAndMetrics1763800000000,
  ActivityEntities1763900000000,
  MetricTables1764000000000,
  RecordVersionsAndComputations1764100000000,
  Tenancy1764200000000,
  ControlPlane1764300000000,
  SyncDispatch1764400000000,
  HttpCache1764500000000,
  PullRequestLinks1764600000000,
  Pushes1764700000000,
  IntegrationRateLimits1764800000000,
  PipelineRunPullRequests1764900000000,
  BackfillJobs1765000000000,
  DeadLetterRedrives1765100000000,
  ReplayJobs1765200000000,
  WorkItemPlanning1765300000000,
  PullRequestDrafts1765400000000,
  WorkItemLinks1765500000000,
  FileRenames1765600000000,
];

/** Schema changes only through migrations: synchronize is off everywhere. */
export function createDataSource(databaseUri: string, applicationName: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url: databaseUri,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'all',
    synchronize: false,
    logging: false,
    applicationName,
    // Nothing waits forever: a connection in 5 s, a statement in 5 min (server-side, then the client gives
    // up 10 s later), an idle transaction in 10 min; TCP keepalive notices a peer that vanished.
    extra: {
      max: 8,
      connectionTimeoutMillis: 5_000,
      statement_timeout: 300_000,
      query_timeout: 310_000,
      idle_in_transaction_session_timeout: 600_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    },
  });
}
