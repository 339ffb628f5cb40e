import type { GitHubEventRecordPayload, GitHubPushPayload, GitHubUserPayload } from '../payloads';
import { canonicalId } from '@dev-health/schemas';
import {
  type Normalizer,
  NormalizationError,
  isInt,
  isNullableInt,
  isNullableString,
  isNumber,
  isObject,
  isString,
  isStringArray,
  parsePayload,
  requireShape,
  utcMillis,
  identityRecord,
} from '@dev-health/normalize';
import { PROVIDER, githubRepositoryId, loginKey, personId } from './common';

/**
 * A public event → a canonical push when it is a PushEvent (other event types stay on the raw topic,
 * re-parseable by a replay once something reads them). Keyed by the event id, so every re-run or
 * replay of the event lands on the same push; the version with the compare (a later fetch) wins.
 */
export const normalizeEvent: Normalizer = (raw, context) => {
  const { event, compare } = requireShape<GitHubEventRecordPayload>(raw, parsePayload(raw), { event: isObject });
  const checked = requireShape<GitHubEventRecordPayload['event']>(raw, event, {
    id: isString,
    type: isString,
    actor: isObject,
    repo: isObject,
    created_at: isString,
    payload: isObject,
  });
  if (checked.type !== 'PushEvent') return [];
  if (!isNumber(checked.repo.id) || !isString(checked.actor.login))
    throw new NormalizationError(`github/event ${raw.source_id}: repo.id or actor.login is missing`);
  const push = requireShape<GitHubPushPayload>(raw, checked.payload, {
    ref: isString,
    head: isString,
    before: isNullableString,
    size: isNullableInt,
    distinct_size: isNullableInt,
  });
  const listed = Array.isArray(push.commits)
    ? push.commits.map(
        (commit, index) =>
          requireShape<{ sha: string }>(raw, commit, { sha: isString }, `event.payload.commits[${index}]`).sha,
      )
    : [];
  if (compare !== null && compare !== undefined)
    requireShape(raw, compare, { total_commits: isInt, shas: isStringArray }, 'compare');
  const shas = compare ? compare.shas : listed;
  const size = compare ? compare.total_commits : (push.size ?? listed.length);
  return [
    {
      entity: 'push',
      record: {
        id: canonicalId(context.org, PROVIDER, 'push', checked.id),
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        repository_id: githubRepositoryId(context.org, checked.repo.id),
        event_id: checked.id,
        ref: push.ref,
        before_sha: push.before ?? null,
        head_sha: push.head,
        size,
        distinct_size: push.distinct_size ?? null,
        commit_shas: shas,
        // A new branch has nothing to compare with: what the event lists is all there is.
        commits_complete: compare !== null || (Array.isArray(push.commits) && shas.length >= size),
        actor_identity_id: personId(context, checked.actor.login),
        pushed_at: utcMillis(raw, 'event.created_at', checked.created_at),
      },
    },
    // The actor's identity comes from its enrichment ("user"), named: an event knows only the login.
  ];
};

/** An enriched actor → its identity, named as on GitHub. */
export const normalizeUser: Normalizer = (raw, context) => {
  const user = requireShape<GitHubUserPayload>(raw, parsePayload(raw), {
    id: isNumber,
    login: isString,
    name: isNullableString,
  });
  return [
    { entity: 'identity', record: identityRecord(context, PROVIDER, loginKey(user.login), user.name ?? user.login) },
  ];
};
