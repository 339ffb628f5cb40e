import type {
  FakeJiraCategoryKey,
  FakeJiraDataset,
  FakeJiraField,
  FakeJiraHistory,
  FakeJiraHistoryItem,
  FakeJiraIssue,
  FakeJiraIssueType,
  FakeJiraNamed,
  FakeJiraProject,
  FakeJiraStatus,
  FakeJiraUser,
} from './jira-dataset';

/**
 * Jira's JSON for the fake's records, as the Cloud platform REST API (v3) and Data Center (v2) send it:
 * camelCase beans with `self` links, users by accountId on Cloud and by name/key on Data Center, an issue
 * carrying only the fields asked for, and errors as an error collection. Pure functions of the data.
 */

export type JiraDeployment = 'cloud' | 'datacenter';

export interface JiraSite {
  /** http://host:port, without /rest/api/N. */
  base: string;
  deployment: JiraDeployment;
  dataset: FakeJiraDataset;
}

type Json = Record<string, unknown>;

/** The REST root: Cloud's v3, Data Center's v2. */
export const apiRoot = (site: JiraSite) => `${site.base}/rest/api/${site.deployment === 'cloud' ? 3 : 2}`;

/** Jira's error collection: {"errorMessages":[…],"errors":{…}}. */
export function errorCollection(messages: readonly string[], errors: Record<string, string> = {}): Json {
  return { errorMessages: [...messages], errors };
}

const AVATAR = 'https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/default-avatar.png';
const avatarUrls = (url: string) => ({ '48x48': url, '24x24': url, '16x16': url, '32x32': url });

export function userJson(site: JiraSite, user: FakeJiraUser | undefined | null): Json | null {
  if (!user) return null;
  const email = user.emailAddress === null ? {} : { emailAddress: user.emailAddress };
  if (site.deployment === 'datacenter')
    return {
      self: `${apiRoot(site)}/user?username=${encodeURIComponent(user.name)}`,
      name: user.name,
      key: user.key,
      ...email,
      avatarUrls: avatarUrls(`${site.base}/secure/useravatar?ownerId=${user.key}&avatarId=10122`),
      displayName: user.displayName,
      active: user.active,
      timeZone: user.timeZone,
    };
  return {
    self: `${apiRoot(site)}/user?accountId=${user.accountId}`,
    accountId: user.accountId,
    ...email,
    avatarUrls: avatarUrls(AVATAR),
    displayName: user.displayName,
    active: user.active,
    timeZone: user.timeZone,
    accountType: 'atlassian',
  };
}

export function userById(site: JiraSite, accountId: string | null): Json | null {
  if (accountId === null) return null;
  const { users, bot } = site.dataset;
  return userJson(site, accountId === bot.accountId ? bot : users.find((user) => user.accountId === accountId));
}

/** GET /myself: the credentials' user, with the settings the fake holds (email, time zone). */
export function myselfJson(site: JiraSite, user: FakeJiraUser): Json {
  return {
    ...userJson(site, user),
    locale: 'en_US',
    groups: { size: 2, items: [] },
    applicationRoles: { size: 1, items: [] },
    expand: 'groups,applicationRoles',
  };
}

export function serverInfoJson(site: JiraSite, now: number): Json {
  const cloud = site.deployment === 'cloud';
  return {
    baseUrl: site.base,
    version: cloud ? '1001.0.0-SNAPSHOT' : '9.12.15',
    versionNumbers: cloud ? [1001, 0, 0] : [9, 12, 15],
    deploymentType: cloud ? 'Cloud' : 'Server',
    buildNumber: cloud ? 100289 : 9120015,
    buildDate: '2026-10-27T00:00:00.000+0000',
    serverTime: new Date(now).toISOString().replace('Z', '+0000'),
    scmInfo: 'fake0000000000000000000000000000000000000',
    serverTitle: 'Jira',
    ...(cloud ? { serverTimeZone: 'Etc/UTC' } : {}),
  };
}

export function statusCategoryJson(site: JiraSite, key: FakeJiraCategoryKey): Json {
  const category = site.dataset.statusCategories.find((candidate) => candidate.key === key);
  return {
    self: `${apiRoot(site)}/statuscategory/${category?.id}`,
    id: category?.id,
    key,
    colorName: category?.colorName,
    name: category?.name,
  };
}

export function statusJson(site: JiraSite, status: FakeJiraStatus | undefined): Json | null {
  if (!status) return null;
  return {
    self: `${apiRoot(site)}/status/${status.id}`,
    description: status.description,
    iconUrl: `${site.base}/images/icons/statuses/generic.png`,
    name: status.name,
    untranslatedName: status.name,
    id: status.id,
    statusCategory: statusCategoryJson(site, status.category),
  };
}

export function issueTypeJson(site: JiraSite, type: FakeJiraIssueType | undefined): Json | null {
  if (!type) return null;
  return {
    self: `${apiRoot(site)}/issuetype/${type.id}`,
    id: type.id,
    description: type.description,
    iconUrl: `${site.base}/rest/api/2/universal_avatar/view/type/issuetype/avatar/${10300 + Number(type.id) - 10000}?size=medium`,
    name: type.name,
    untranslatedName: type.name,
    subtask: type.subtask,
    avatarId: 10300 + Number(type.id) - 10000,
    hierarchyLevel: type.hierarchyLevel,
  };
}

export function priorityJson(site: JiraSite, priority: FakeJiraNamed | undefined): Json | null {
  if (!priority) return null;
  return {
    self: `${apiRoot(site)}/priority/${priority.id}`,
    iconUrl: `${site.base}/images/icons/priorities/${priority.name.toLowerCase()}.svg`,
    name: priority.name,
    id: priority.id,
  };
}

function resolutionJson(site: JiraSite, id: string | null): Json | null {
  const resolution = site.dataset.resolutions.find((candidate) => candidate.id === id);
  if (!resolution) return null;
  return {
    self: `${apiRoot(site)}/resolution/${resolution.id}`,
    id: resolution.id,
    description:
      resolution.name === 'Done' ? 'Work has been completed on this issue.' : 'This issue won’t be actioned.',
    name: resolution.name,
  };
}

/** A project as embedded in an issue and as listed by GET /project. */
export function projectJson(site: JiraSite, project: FakeJiraProject | undefined): Json | null {
  if (!project) return null;
  return {
    self: `${apiRoot(site)}/project/${project.id}`,
    id: project.id,
    key: project.key,
    name: project.name,
    projectTypeKey: 'software',
    ...(site.deployment === 'cloud' ? { simplified: false } : {}),
    avatarUrls: avatarUrls(`${site.base}/secure/projectavatar?pid=${project.id}&avatarId=10424`),
  };
}

export function fieldJson(field: FakeJiraField): Json {
  return {
    id: field.id,
    key: field.key,
    name: field.name,
    custom: field.custom,
    orderable: field.orderable,
    navigable: field.navigable,
    searchable: field.searchable,
    clauseNames: field.clauseNames,
    ...(field.schema ? { schema: field.schema } : {}),
  };
}

/** Every field id an issue can carry, in GET /field's order. */
export const allFieldIds = (site: JiraSite) => site.dataset.fieldList.map((field) => field.id);

/**
 * The fields an issue answer carries, from Jira's `fields` parameter: ids (or keys), "*all",
 * "*navigable", "-id" to drop one; `fallback` when none are asked for (null: ids only, as /search/jql).
 */
export function selectFields(
  site: JiraSite,
  requested: readonly string[],
  fallback: '*all' | '*navigable' | null,
): Set<string> | null {
  const wanted = requested.map((name) => name.trim()).filter((name) => name !== '');
  if (wanted.length === 0 && fallback === null) return null;
  const all = allFieldIds(site);
  const chosen = new Set<string>();
  for (const name of wanted.length === 0 && fallback ? [fallback] : wanted) {
    if (name === '*all') all.forEach((id) => chosen.add(id));
    else if (name === '*navigable')
      site.dataset.fieldList.filter((field) => field.navigable).forEach((field) => chosen.add(field.id));
    else if (!name.startsWith('-')) {
      const field = site.dataset.fieldList.find(
        (candidate) => candidate.id === name || candidate.key.toLowerCase() === name.toLowerCase(),
      );
      if (field) chosen.add(field.id);
    }
  }
  for (const name of wanted) if (name.startsWith('-')) chosen.delete(name.slice(1));
  return chosen;
}

function userItemValue(site: JiraSite, accountId: string | null): string | null {
  if (accountId === null || site.deployment === 'cloud') return accountId;
  // Data Center's changelog names users by key.
  return site.dataset.users.find((user) => user.accountId === accountId)?.key ?? accountId;
}

function itemJson(site: JiraSite, item: FakeJiraHistoryItem): Json {
  const user = item.fieldId === 'assignee' || item.fieldId === 'reporter';
  return {
    field: item.field,
    fieldtype: item.fieldtype,
    fieldId: item.fieldId,
    from: user ? userItemValue(site, item.from) : item.from,
    fromString: item.fromString,
    to: user ? userItemValue(site, item.to) : item.to,
    toString: item.toString,
  };
}

export function historyJson(site: JiraSite, history: FakeJiraHistory): Json {
  return {
    id: history.id,
    author: userById(site, history.authorId),
    created: history.created,
    items: history.items.map((item) => itemJson(site, item)),
  };
}

function parentJson(site: JiraSite, parent: FakeJiraIssue | undefined): Json | null {
  if (!parent) return null;
  const { statuses, priorities, issueTypes } = site.dataset;
  return {
    id: parent.id,
    key: parent.key,
    self: `${apiRoot(site)}/issue/${parent.id}`,
    fields: {
      summary: parent.summary,
      status: statusJson(
        site,
        statuses.find((status) => status.id === parent.statusId),
      ),
      priority: priorityJson(
        site,
        priorities.find((priority) => priority.id === parent.priorityId),
      ),
      issuetype: issueTypeJson(
        site,
        issueTypes.find((type) => type.id === parent.issueTypeId),
      ),
    },
  };
}

/** One field's value as Jira serves it (null when unset). */
function fieldValue(site: JiraSite, issue: FakeJiraIssue, fieldId: string): unknown {
  const { dataset } = site;
  const project = dataset.projects.find((candidate) => candidate.id === issue.projectId);
  const ids = dataset.fields;
  switch (fieldId) {
    case 'summary':
      return issue.summary;
    case 'status':
      return statusJson(
        site,
        dataset.statuses.find((status) => status.id === issue.statusId),
      );
    case 'issuetype':
      return issueTypeJson(
        site,
        dataset.issueTypes.find((type) => type.id === issue.issueTypeId),
      );
    case 'project':
      return projectJson(site, project);
    case 'assignee':
      return userById(site, issue.assigneeId);
    case 'reporter':
      return userById(site, issue.reporterId);
    case 'priority':
      return priorityJson(
        site,
        dataset.priorities.find((priority) => priority.id === issue.priorityId),
      );
    case 'labels':
      return [...issue.labels];
    case 'components':
      return issue.componentIds.flatMap((id) => {
        const component = project?.components.find((candidate) => candidate.id === id);
        return component ? [{ self: `${apiRoot(site)}/component/${id}`, id, name: component.name }] : [];
      });
    case 'fixVersions':
      return issue.fixVersionIds.flatMap((id) => {
        const version = project?.versions.find((candidate) => candidate.id === id);
        return version
          ? [
              {
                self: `${apiRoot(site)}/version/${id}`,
                id,
                description: '',
                name: version.name,
                archived: false,
                released: version.released,
                releaseDate: version.releaseDate,
              },
            ]
          : [];
      });
    case 'parent':
      return parentJson(
        site,
        dataset.issues.find((candidate) => candidate.id === issue.parentId),
      );
    case 'resolution':
      return resolutionJson(site, issue.resolutionId);
    case 'created':
      return issue.created;
    case 'updated':
      return issue.updated;
    case 'resolutiondate':
      return issue.resolutiondate;
    case ids.storyPointsField:
      return issue.storyPoints;
    case ids.sprintField: {
      const sprints = issue.sprintIds.flatMap((id) => project?.sprints.filter((sprint) => sprint.id === id) ?? []);
      return sprints.length === 0
        ? null
        : sprints.map((sprint) => ({
            id: sprint.id,
            name: sprint.name,
            state: sprint.state,
            boardId: sprint.boardId,
            goal: sprint.goal,
            startDate: sprint.startDate,
            endDate: sprint.endDate,
            ...(sprint.completeDate ? { completeDate: sprint.completeDate } : {}),
          }));
    }
    case ids.teamField: {
      const team = dataset.teams.find((candidate) => candidate.id === issue.teamId);
      return team
        ? {
            id: team.id,
            name: team.name,
            avatarUrl: '',
            isVisible: true,
            isVerified: false,
            title: team.title,
            isShared: true,
          }
        : null;
    }
    case ids.teamTextField:
      return issue.teamText;
    case ids.rankField:
      return issue.rank;
    case ids.startDateField:
      return issue.startDate;
    default:
      return null;
  }
}

export interface IssueJsonOptions {
  /** Embed `changelog` with at most this many histories (oldest first); null: no changelog. */
  changelogLimit?: number | null;
}

/**
 * An issue as search and GET /issue send it. `fields` null: the bare id, as /search/jql answers when no
 * fields are asked for. A field without a value is present as null; `parent` is left out when there is none.
 */
export function issueJson(
  site: JiraSite,
  issue: FakeJiraIssue,
  fields: ReadonlySet<string> | null,
  options: IssueJsonOptions = {},
): Json {
  if (fields === null && options.changelogLimit == null) return { id: issue.id };
  const values: Json = {};
  for (const id of fields ?? []) {
    const value = fieldValue(site, issue, id);
    if (id === 'parent' && value === null) continue;
    values[id] = value;
  }
  const body: Json = {
    expand:
      site.deployment === 'cloud'
        ? 'operations,versionedRepresentations,editmeta,changelog,renderedFields'
        : 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: issue.id,
    self: `${apiRoot(site)}/issue/${issue.id}`,
    key: issue.key,
    fields: values,
  };
  if (options.changelogLimit != null) {
    const histories = issue.histories.slice(0, options.changelogLimit);
    body.changelog = {
      startAt: 0,
      maxResults: histories.length,
      total: issue.histories.length,
      histories: histories.map((history) => historyJson(site, history)),
    };
  }
  return body;
}

/** GET /issue/{id}/changelog: a PageBean of histories, oldest first. */
export function changelogPageJson(
  site: JiraSite,
  issue: FakeJiraIssue,
  startAt: number,
  maxResults: number,
  self: string,
): Json {
  const values = issue.histories.slice(startAt, startAt + maxResults);
  const isLast = startAt + maxResults >= issue.histories.length;
  const next = new URL(self);
  next.searchParams.set('startAt', String(startAt + maxResults));
  next.searchParams.set('maxResults', String(maxResults));
  return {
    self,
    ...(isLast ? {} : { nextPage: next.toString() }),
    maxResults,
    startAt,
    total: issue.histories.length,
    isLast,
    values: values.map((history) => historyJson(site, history)),
  };
}

/** POST /changelog/bulkfetch's page. */
export function bulkChangelogJson(
  site: JiraSite,
  entries: readonly { issueId: string; histories: readonly FakeJiraHistory[] }[],
  nextPageToken: string | null,
): Json {
  return {
    issueChangeLogs: entries.map((entry) => ({
      issueId: entry.issueId,
      changeHistories: entry.histories.map((history) => historyJson(site, history)),
    })),
    ...(nextPageToken === null ? {} : { nextPageToken }),
  };
}
