import type { ObjectLiteral } from 'typeorm';
import type { CanonicalEntityName, MetricEntityName } from '@dev-health/schemas';
import { BlameLineEntity } from './blame-line.entity';
import { CommitFileChangeEntity } from './commit-file-change.entity';
import { CommitEntity } from './commit.entity';
import { CONTROL_PLANE_ENTITIES } from './control-plane.entities';
import { IdentityEntity } from './identity.entity';
import {
  DoraMetricsDailyEntity,
  MetricComputationEntity,
  RepoMetricsDailyEntity,
  TeamMetricsDailyEntity,
  UserMetricsDailyEntity,
  WorkItemMetricsDailyEntity,
} from './metrics.entity';
import { PushEntity } from './push.entity';
import { RepositoryEntity } from './repository.entity';
import { DeploymentEntity, IncidentEntity, PipelineJobEntity, PipelineRunEntity } from './delivery.entities';
import { PullRequestEntity, ReviewCommentEntity, ReviewEntity } from './pull-request.entities';
import { TeamEntity, TeamMembershipEntity } from './team.entities';
import { WorkItemEntity, WorkItemTransitionEntity } from './work-item.entities';

/** Canonical entities that have a Postgres table, and the TypeORM entity for each. */
export const TABLES = {
  repository: RepositoryEntity,
  commit: CommitEntity,
  commit_file_change: CommitFileChangeEntity,
  blame_line: BlameLineEntity,
  identity: IdentityEntity,
  pull_request: PullRequestEntity,
  review: ReviewEntity,
  review_comment: ReviewCommentEntity,
  pipeline_run: PipelineRunEntity,
  pipeline_job: PipelineJobEntity,
  deployment: DeploymentEntity,
  incident: IncidentEntity,
  work_item: WorkItemEntity,
  work_item_transition: WorkItemTransitionEntity,
  team: TeamEntity,
  team_membership: TeamMembershipEntity,
  push: PushEntity,
} as const satisfies Record<CanonicalEntityName, new () => ObjectLiteral>;

/** Append-only metric tables, one TypeORM entity each. */
export const METRIC_TABLES = {
  repo_metrics_daily: RepoMetricsDailyEntity,
  user_metrics_daily: UserMetricsDailyEntity,
  work_item_metrics_daily: WorkItemMetricsDailyEntity,
  team_metrics_daily: TeamMetricsDailyEntity,
  dora_metrics_daily: DoraMetricsDailyEntity,
} as const satisfies Record<MetricEntityName, new () => ObjectLiteral>;

/** Every TypeORM entity, for the data source: the two maps above are the only lists. */
export const ENTITIES = [
  ...Object.values(TABLES),
  ...Object.values(METRIC_TABLES),
  MetricComputationEntity,
  ...CONTROL_PLANE_ENTITIES,
];
export { MetricComputationEntity };
