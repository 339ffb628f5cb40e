/**
 * Jira REST payloads as the connector publishes them: an issue as the enhanced JQL search returns it
 * (Cloud v3 / Data Center v2 shapes agree on these fields), its complete changelog, and what the
 * connector resolved per site (marked).
 */

export interface JiraUser {
  accountId?: string;
  /** Data Center: users are keyed by name/key instead of accountId. */
  name?: string;
  key?: string;
  emailAddress?: string | null;
  displayName?: string;
}

export interface JiraStatus {
  id: string;
  name: string;
  statusCategory: { key: string };
}

export interface JiraChangeItem {
  field: string;
  fieldId?: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface JiraHistory {
  id: string;
  created: string;
  author?: JiraUser | null;
  items: JiraChangeItem[];
}

export interface JiraIssuePayload {
  id: string;
  key: string;
  fields: {
    summary: string;
    issuetype: { name: string };
    status: JiraStatus;
    project: { id: string; key: string };
    assignee?: JiraUser | null;
    reporter?: JiraUser | null;
    labels?: string[];
    created: string;
    updated: string;
    resolutiondate?: string | null;
    fixVersions?: { name: string }[];
    priority?: { name: string } | null;
    components?: { name: string }[];
    /** A sub-task's parent, or (team-managed projects and since 2024 everywhere) the epic. */
    parent?: { id: string; key?: string } | null;
  };
  /** Every history of the issue (the connector pages the changelog completely). */
  changelog: { histories: JiraHistory[] };
  /** Added by the connector: status id → category key (new, indeterminate, done), from the site's statuses. */
  status_categories: Record<string, string>;
  /** Added by the connector: the story points field's value (the field is discovered by name per site). */
  story_points: number | null;
  /** Added by the connector: the sprints the issue was in, oldest first (the sprint field, discovered). */
  sprints: string[];
  /** Added by the connector: the issue's team (Atlassian team, or a mapped component or label), or null. */
  team: { id: string; name: string } | null;
  /** Added by the connector: the integration's issue type → canonical type mapping (names, lower case). */
  type_map: Record<string, string>;
}

/** Published by the connector's deletion sweep: an issue that was published before and is gone from the scope. */
export interface JiraIssueRemovedPayload {
  id: string;
  /** deleted: Jira answers 404 for it; out_of_scope: it exists, but the scope's search no longer finds it. */
  reason: 'deleted' | 'out_of_scope';
  /** When the sweep found it gone (ISO 8601): the removal is dated then, not when it happened. */
  detected_at: string;
}
