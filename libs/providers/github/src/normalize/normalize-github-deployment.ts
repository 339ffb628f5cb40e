import type { GitHubDeploymentPayload } from '../payloads';
import { type DeploymentStatus } from '@dev-health/schemas';
import {
  type Normalizer,
  NormalizationError,
  isNullableString,
  isNumber,
  isObject,
  isString,
  parsePayload,
  requireShape,
  utcMillis,
  utcMillisOrNull,
  vocabulary,
} from '@dev-health/normalize';
import { PROVIDER, githubDeploymentId, githubRepositoryId, identityOutputs, loginOf } from './common';
import { deploymentOutcome } from './deployment-outcome';

/** Every DeploymentStatusState and DeploymentState GitHub documents; anything else goes to the DLQ. */
const deploymentStatus = vocabulary<DeploymentStatus>(PROVIDER, 'deployment state', {
  SUCCESS: 'success',
  ACTIVE: 'in_progress',
  FAILURE: 'failed',
  ERROR: 'failed',
  PENDING: 'in_progress',
  QUEUED: 'in_progress',
  IN_PROGRESS: 'in_progress',
  WAITING: 'in_progress',
  INACTIVE: 'canceled',
  ABANDONED: 'canceled',
  DESTROYED: 'canceled',
});

/** A deployment: its outcome from its statuses; "production" when the integration's pattern matched. */
export const normalizeDeployment: Normalizer = (raw, context) => {
  const payload = requireShape<GitHubDeploymentPayload>(raw, parsePayload(raw), {
    repository_id: isNumber,
    databaseId: isNumber,
    environment: isNullableString,
    state: isString,
    commitOid: isString,
    createdAt: isString,
    updatedAt: isString,
    statuses: isObject,
  });
  if (typeof payload.production !== 'boolean')
    throw new NormalizationError(`github/deployment ${raw.source_id}: field "production" is missing or not a boolean`);
  if (!Array.isArray(payload.statuses.nodes))
    throw new NormalizationError(`github/deployment ${raw.source_id}: field "statuses.nodes" is missing`);
  const outcome = deploymentOutcome(payload);
  const creator = loginOf(raw, 'creator', payload.creator);
  return [
    {
      entity: 'deployment',
      record: {
        id: githubDeploymentId(context.org, payload.repository_id, payload.databaseId),
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        repository_id: githubRepositoryId(context.org, payload.repository_id),
        // DORA counts environment = 'production'; the raw name stays visible for everything else.
        environment: payload.production ? 'production' : (payload.environment ?? 'unknown'),
        status: deploymentStatus(raw, outcome.state),
        commit_sha: payload.commitOid,
        service: null,
        created_at: utcMillis(raw, 'createdAt', payload.createdAt),
        finished_at: utcMillisOrNull(raw, 'statuses.createdAt', outcome.finishedAt),
        // A new status need not touch Deployment.updatedAt; the version must still move forward.
        updated_at: Math.max(
          utcMillis(raw, 'updatedAt', payload.updatedAt),
          ...payload.statuses.nodes.map((status) => utcMillis(raw, 'statuses.createdAt', status.createdAt)),
        ),
      },
    },
    ...identityOutputs(context, [creator]),
  ];
};
