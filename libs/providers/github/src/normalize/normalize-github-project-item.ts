import type { GitHubProjectItemStatusPayload } from '../payloads';
import { canonicalId } from '@dev-health/schemas';
import {
  type Normalizer,
  isNullableString,
  isNumber,
  isString,
  parsePayload,
  requireShape,
  utcMillis,
} from '@dev-health/normalize';
import { PROVIDER } from './common';
import { statusCategory } from './normalize-github-issue';

/**
 * A status change of an issue on a Projects (v2) board → a work_item_transition of the issue's work
 * item. Its id is the project, the time and the new status: seen twice (a re-run, a replay), it is one
 * row. Who moved it is not in what GitHub serves of a project: no actor.
 */
export const normalizeProjectItemStatus: Normalizer = (raw, context) => {
  const change = requireShape<GitHubProjectItemStatusPayload>(raw, parsePayload(raw), {
    project_number: isNumber,
    item_id: isNumber,
    repository_id: isNumber,
    issue_number: isNumber,
    from_status: isNullableString,
    to_status: isString,
    changed_at: isString,
  });
  const at = utcMillis(raw, 'changed_at', change.changed_at);
  return [
    {
      entity: 'work_item_transition',
      record: {
        id: canonicalId(
          context.org,
          PROVIDER,
          'work_item_transition',
          change.repository_id,
          change.issue_number,
          'project',
          change.project_number,
          at,
          change.to_status,
        ),
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        work_item_id: canonicalId(context.org, PROVIDER, 'work_item', change.repository_id, change.issue_number),
        from_status: change.from_status,
        to_status: change.to_status,
        from_category: change.from_status === null ? null : statusCategory(change.from_status),
        to_category: statusCategory(change.to_status),
        transitioned_at: at,
        actor_identity_id: null,
      },
    },
  ];
};
