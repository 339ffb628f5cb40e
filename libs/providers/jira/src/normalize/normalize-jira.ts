import {
  type CanonicalOutput,
  type NormalizeContext,
  type Normalizer,
  NormalizationError,
  identityRecord,
  isNullableString,
  isObject,
  isString,
  isStringArray,
  optionalString,
  parsePayload,
  requireShape,
  utcMillis,
  utcMillisOrNull,
  vocabulary,
} from '@dev-health/normalize';
import {
  type RawRecord,
  type WorkItemTransition,
  type WorkItemType,
  canonicalId,
  orgScopedId,
} from '@dev-health/schemas';
import type { JiraIssuePayload, JiraIssueRemovedPayload, JiraUser } from '../payloads';

export const PROVIDER = 'jira';

type Category = 'todo' | 'in_progress' | 'done';

/** Jira's status categories, never status names: "Done" may be called anything on a board. */
const category = vocabulary<Category>(PROVIDER, 'status category', {
  new: 'todo',
  indeterminate: 'in_progress',
  done: 'done',
});

/** Default issue type mapping (lower-cased names); an integration's `type_map` adds to it. */
export const DEFAULT_JIRA_TYPES: Record<string, WorkItemType> = {
  bug: 'bug',
  defect: 'bug',
  story: 'story',
  'user story': 'story',
  feature: 'story',
  task: 'task',
  'sub-task': 'task',
  subtask: 'task',
  epic: 'epic',
  incident: 'incident',
};
const WORK_ITEM_TYPES = new Set<string>(['story', 'bug', 'task', 'epic', 'incident']);

export const jiraWorkItemId = (org: string, site: string, issueId: string): string =>
  canonicalId(org, PROVIDER, 'work_item', site, issueId);
/** A project is a work scope, not an entity of its own: `<org>/jira:project:<site>/<project id>`. */
export const jiraProjectScope = (org: string, site: string, projectId: string): string =>
  orgScopedId(org, `${PROVIDER}:project:${site}/${projectId}`);
export const jiraTeamId = (org: string, site: string, team: string): string =>
  canonicalId(org, PROVIDER, 'team', site, team);

/** The account behind a Jira user: Cloud's accountId, Data Center's key or name. */
const accountOf = (user: JiraUser | null | undefined): string | null =>
  user?.accountId ?? user?.key ?? user?.name ?? null;
const accountKey = (account: string) => `${PROVIDER}:${account}`;

/** A user's fields are strings, or absent (a deleted user is null). */
function requireUser(raw: RawRecord, field: string, user: unknown): void {
  if (user === null || user === undefined) return;
  const text = isNullableString;
  requireShape(raw, user, { accountId: text, key: text, name: text, displayName: text, emailAddress: text }, field);
}

function people(context: NormalizeContext, users: (JiraUser | null | undefined)[]): CanonicalOutput[] {
  const seen = new Map<string, JiraUser>();
  for (const user of users) {
    const account = accountOf(user);
    if (account && user && !seen.has(account)) seen.set(account, user);
  }
  return [...seen].map(([account, user]) => ({
    entity: 'identity' as const,
    // An email Jira shows (privacy settings permitting) joins the account to the person's other identities.
    record: identityRecord(context, PROVIDER, user.emailAddress ?? accountKey(account), user.displayName ?? account),
  }));
}

const personId = (context: NormalizeContext, user: JiraUser | null | undefined): string | null => {
  const account = accountOf(user);
  if (!account) return null;
  return context.identities.resolve(user?.emailAddress ?? accountKey(account)).id;
};

/**
 * A Jira issue → work_item, and every status change of its complete changelog → work_item_transitions
 * (categories from the site's statuses; a reopen is a done → not-done transition).
 */
const normalizeIssue: Normalizer = (raw, context) => {
  const issue = requireShape<JiraIssuePayload>(raw, parsePayload(raw), {
    id: isString,
    key: isString,
    fields: isObject,
    changelog: isObject,
    status_categories: isObject,
    sprints: isStringArray,
    type_map: isObject,
  });
  const fields = requireShape<JiraIssuePayload['fields']>(raw, issue.fields, {
    summary: isString,
    issuetype: isObject,
    status: isObject,
    project: isObject,
    created: isString,
    updated: isString,
  });
  if (!Array.isArray(issue.changelog.histories))
    throw new NormalizationError(`jira/issue ${raw.source_id}: field "changelog.histories" is missing`);
  requireShape(raw, fields.status, { name: isString }, 'fields.status');
  requireUser(raw, 'fields.assignee', fields.assignee);
  requireUser(raw, 'fields.reporter', fields.reporter);
  for (const history of issue.changelog.histories) requireUser(raw, 'changelog.histories.author', history.author);
  if (issue.team !== null && issue.team !== undefined)
    requireShape(raw, issue.team, { id: isString, name: isString }, 'team');
  const site = raw.scope;
  const itemId = jiraWorkItemId(context.org, site, issue.id);
  const categoryOf = (statusId: string | null, name: string | null): Category => {
    const key = statusId === null ? undefined : issue.status_categories[statusId];
    if (key === undefined)
      throw new NormalizationError(`jira/issue ${raw.source_id}: status "${name ?? statusId}" has no known category`);
    return category(raw, key);
  };

  const statusChanges = issue.changelog.histories
    .flatMap((history) =>
      history.items
        .filter((item) => item.field === 'status' || item.fieldId === 'status')
        .map((item) => ({
          history,
          item: requireShape<JiraIssuePayload['changelog']['histories'][number]['items'][number]>(
            raw,
            item,
            { from: isNullableString, fromString: isNullableString, to: isNullableString, toString: isNullableString },
            'changelog.histories.items',
          ),
        })),
    )
    .sort((a, b) => a.history.created.localeCompare(b.history.created) || a.history.id.localeCompare(b.history.id));
  const transitions: WorkItemTransition[] = statusChanges.map(({ history, item }) => {
    const at = utcMillis(raw, 'changelog.created', history.created);
    const to = item.toString ?? item.to ?? 'unknown';
    return {
      id: canonicalId(context.org, PROVIDER, 'work_item_transition', site, issue.id, history.id, item.to ?? to),
      provider: PROVIDER,
      org_id: context.org,
      provenance: context.provenance,
      work_item_id: itemId,
      from_status: item.fromString ?? item.from,
      to_status: to,
      from_category: item.from === null ? null : categoryOf(item.from, item.fromString),
      to_category: categoryOf(item.to, item.toString),
      transitioned_at: at,
      actor_identity_id: personId(context, history.author),
    };
  });
  const current = categoryOf(fields.status.id, fields.status.name);
  const started = transitions.find((transition) => transition.to_category === 'in_progress');
  const lastDone = [...transitions].reverse().find((transition) => transition.to_category === 'done');
  const typeName = fields.issuetype.name.toLowerCase();
  const mapped = issue.type_map[typeName] ?? DEFAULT_JIRA_TYPES[typeName] ?? 'task';
  if (!WORK_ITEM_TYPES.has(mapped))
    throw new NormalizationError(
      `jira/issue ${raw.source_id}: issue type "${fields.issuetype.name}" maps to "${mapped}"`,
    );
  const outputs: CanonicalOutput[] = [
    {
      entity: 'work_item',
      record: {
        id: itemId,
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        work_scope_id: jiraProjectScope(context.org, site, fields.project.id),
        key: issue.key,
        title: fields.summary,
        type: mapped as WorkItemType,
        status: fields.status.name,
        status_category: current,
        assignee_identity_id: personId(context, fields.assignee),
        reporter_identity_id: personId(context, fields.reporter),
        team_id: issue.team ? jiraTeamId(context.org, site, issue.team.id) : null,
        milestone: optionalString(raw, 'fields.fixVersions[0].name', fields.fixVersions?.[0]?.name),
        iteration: issue.sprints.at(-1) ?? null,
        estimate: typeof issue.story_points === 'number' ? issue.story_points : null,
        priority: optionalString(raw, 'fields.priority.name', fields.priority?.name),
        labels: (fields.labels ?? []).map(String),
        components: (fields.components ?? []).map(
          (component, index) =>
            requireShape<{ name: string }>(raw, component, { name: isString }, `fields.components[${index}]`).name,
        ),
        parent_work_item_id: fields.parent?.id ? jiraWorkItemId(context.org, site, fields.parent.id) : null,
        created_at: utcMillis(raw, 'fields.created', fields.created),
        started_at: started?.transitioned_at ?? null,
        completed_at:
          current === 'done'
            ? (lastDone?.transitioned_at ??
              utcMillisOrNull(raw, 'fields.resolutiondate', fields.resolutiondate ?? null))
            : null,
        updated_at: utcMillis(raw, 'fields.updated', fields.updated),
      },
    },
    ...transitions.map((record) => ({ entity: 'work_item_transition' as const, record })),
  ];
  if (issue.team)
    outputs.push({
      entity: 'team',
      record: {
        id: jiraTeamId(context.org, site, issue.team.id),
        org_id: context.org,
        provider: PROVIDER,
        provenance: context.provenance,
        name: issue.team.name,
        parent_team_id: null,
      },
    });
  return [
    ...outputs,
    ...people(context, [
      fields.assignee,
      fields.reporter,
      ...issue.changelog.histories.map((history) => history.author),
    ]),
  ];
};

/**
 * An issue the connector's sweep found gone: deleted (404) or moved out of the scope. Its record stays as
 * it was (its history happened); a last transition, dated when it was found gone, moves it to canceled,
 * so from then on it is in no one's WIP.
 */
const normalizeRemoval: Normalizer = (raw, context) => {
  const removal = requireShape<JiraIssueRemovedPayload>(raw, parsePayload(raw), {
    id: isString,
    reason: isString,
    detected_at: isString,
  });
  const status = removal.reason === 'deleted' ? 'Deleted' : 'Moved out of scope';
  return [
    {
      entity: 'work_item_transition',
      record: {
        id: canonicalId(context.org, PROVIDER, 'work_item_transition', raw.scope, removal.id, 'removed'),
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        work_item_id: jiraWorkItemId(context.org, raw.scope, removal.id),
        from_status: null,
        to_status: status,
        from_category: null,
        to_category: 'canceled',
        transitioned_at: utcMillis(raw, 'detected_at', removal.detected_at),
        actor_identity_id: null,
      },
    },
  ];
};

export const JIRA_NORMALIZERS: Record<string, Normalizer> = {
  issue: normalizeIssue,
  issue_removed: normalizeRemoval,
};
