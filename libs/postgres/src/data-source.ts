import { DataSource } from 'typeorm';
import { BlameLineEntity } from './entities/blame-line.entity';
import { CommitFileChangeEntity } from './entities/commit-file-change.entity';
import { CommitEntity } from './entities/commit.entity';
import { IdentityEntity } from './entities/identity.entity';
import {
  DoraMetricsDailyEntity,
  RepoMetricsDailyEntity,
  TeamMetricsDailyEntity,
  UserMetricsDailyEntity,
  WorkItemMetricsDailyEntity,
} from './entities/metrics.entity';
import { RepositoryEntity } from './entities/repository.entity';
import { DeploymentEntity, IncidentEntity, PipelineJobEntity, PipelineRunEntity } from './entities/delivery.entities';
import { PullRequestEntity, ReviewCommentEntity, ReviewEntity } from './entities/pull-request.entities';
import { TeamEntity, TeamMembershipEntity } from './entities/team.entities';
import { WorkItemEntity, WorkItemTransitionEntity } from './entities/work-item.entities';
import { ActivityEntities1763900000000 } from './migrations/1763900000000-activity-entities';
import { GitEntitiesAndMetrics1763800000000 } from './migrations/1763800000000-git-entities-and-metrics';
import { MetricTables1764000000000 } from './migrations/1764000000000-metric-tables';

export const ENTITIES = [
  RepositoryEntity,
  CommitEntity,
  CommitFileChangeEntity,
  BlameLineEntity,
  IdentityEntity,
  PullRequestEntity,
  ReviewEntity,
  ReviewCommentEntity,
  PipelineRunEntity,
  PipelineJobEntity,
  DeploymentEntity,
  IncidentEntity,
  WorkItemEntity,
  WorkItemTransitionEntity,
  TeamEntity,
  TeamMembershipEntity,
  RepoMetricsDailyEntity,
  UserMetricsDailyEntity,
  WorkItemMetricsDailyEntity,
  TeamMetricsDailyEntity,
  DoraMetricsDailyEntity,
];
export const MIGRATIONS = [
  GitEntitiesAndMetrics1763800000000,
  ActivityEntities1763900000000,
  MetricTables1764000000000,
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
    extra: { max: 8, connectionTimeoutMillis: 5_000 },
  });
}
