import { createHash } from 'node:crypto';
import { Dice, seededRandom } from '../dice';

/**
 * The fake Jira's data: a deterministic site (users, statuses whose names do not tell their category,
 * issue types, system and custom fields with per-seed ids, teams, two projects with sprints, components
 * and versions, and ≥500 issues with complete changelogs) built from a seed, a shape and `now`.
 * Records are kept in the fake's own terms, every current field agreeing with the issue's history;
 * the JSON Jira serves is made from them in jira-payloads.ts.
 */

export interface FakeJiraUser {
  /** Cloud's id: 24 hex digits for accounts of that age. */
  accountId: string;
  displayName: string;
  /** null: hidden by the user's profile visibility (Cloud then leaves emailAddress out). */
  emailAddress: string | null;
  /** Data Center identifies users by name (username) and key instead of accountId. */
  name: string;
  key: string;
  /** IANA zone; its offset is the one this user's timestamps carry. */
  timeZone: string;
  active: boolean;
}

export type FakeJiraCategoryKey = 'new' | 'indeterminate' | 'done';

export interface FakeJiraStatusCategory {
  id: number;
  key: FakeJiraCategoryKey;
  colorName: string;
  name: string;
}

export interface FakeJiraStatus {
  id: string;
  name: string;
  description: string;
  category: FakeJiraCategoryKey;
}

export interface FakeJiraIssueType {
  id: string;
  name: string;
  description: string;
  subtask: boolean;
  hierarchyLevel: number;
}

export interface FakeJiraNamed {
  id: string;
  name: string;
}

export interface FakeJiraFieldSchema {
  type: string;
  items?: string;
  system?: string;
  custom?: string;
  customId?: number;
}

/** One entry of GET /field. */
export interface FakeJiraField {
  id: string;
  key: string;
  name: string;
  custom: boolean;
  orderable: boolean;
  navigable: boolean;
  searchable: boolean;
  clauseNames: string[];
  schema?: FakeJiraFieldSchema;
}

export interface FakeJiraTeam {
  id: string;
  name: string;
  title: string;
}

export interface FakeJiraSprint {
  id: number;
  name: string;
  state: 'closed' | 'active' | 'future';
  boardId: number;
  goal: string;
  /** ISO 8601 UTC, as the agile field serves them. */
  startDate: string;
  endDate: string;
  completeDate: string | null;
}

export interface FakeJiraVersion {
  id: string;
  name: string;
  released: boolean;
  releaseDate: string;
}

export interface FakeJiraProject {
  id: string;
  key: string;
  name: string;
  leadAccountId: string;
  components: FakeJiraNamed[];
  versions: FakeJiraVersion[];
  sprints: FakeJiraSprint[];
  /** The number the next issue's key gets (PAY-<n>); keys are never reused, even after a move. */
  nextNumber: number;
}

export interface FakeJiraHistoryItem {
  field: string;
  fieldtype: 'jira' | 'custom';
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface FakeJiraHistory {
  /** Numeric string, unique site-wide, increasing with time. */
  id: string;
  authorId: string;
  /** Jira's format, e.g. 2026-11-02T10:15:30.123+0100, in the author's offset. */
  created: string;
  items: FakeJiraHistoryItem[];
}

export interface FakeJiraIssue {
  /** Numeric string, unique site-wide, increasing with creation time. */
  id: string;
  key: string;
  /** Keys the issue had before moves: GET /issue/{oldKey} and `key = OLD-1` still find it. */
  previousKeys: string[];
  projectId: string;
  summary: string;
  issueTypeId: string;
  statusId: string;
  priorityId: string;
  resolutionId: string | null;
  assigneeId: string | null;
  reporterId: string;
  labels: string[];
  componentIds: string[];
  fixVersionIds: string[];
  /** The epic of a child, the issue of a sub-task. */
  parentId: string | null;
  created: string;
  updated: string;
  /** Set iff the current status is in the done category: when it last entered it. */
  resolutiondate: string | null;
  storyPoints: number | null;
  sprintIds: number[];
  teamId: string | null;
  /** The unrelated text field that is also named "Team". */
  teamText: string | null;
  rank: string;
  startDate: string | null;
  /** Oldest first. */
  histories: FakeJiraHistory[];
}

/** Ids of the custom fields, which differ per seed: a connector has to discover them by name and schema. */
export interface FakeJiraFieldIds {
  storyPointsField: string;
  /** "Story Points", or "Story point estimate" for even seeds. */
  storyPointsName: string;
  sprintField: string;
  teamField: string;
  /** A plain text field named "Team" too. */
  teamTextField: string;
  rankField: string;
  startDateField: string;
}

export interface FakeJiraDataset {
  seed: number;
  /** Epoch ms every generated timestamp lies before. */
  now: number;
  users: FakeJiraUser[];
  /** Whose credentials the fake accepts (GET /myself); authors nothing. */
  bot: FakeJiraUser;
  statusCategories: FakeJiraStatusCategory[];
  statuses: FakeJiraStatus[];
  issueTypes: FakeJiraIssueType[];
  priorities: FakeJiraNamed[];
  resolutions: FakeJiraNamed[];
  fields: FakeJiraFieldIds;
  /** GET /field's answer. */
  fieldList: FakeJiraField[];
  teams: FakeJiraTeam[];
  projects: FakeJiraProject[];
  /** Every live issue of the site, by id. */
  issues: FakeJiraIssue[];
  /** Next ids for records added later (mutations). */
  nextIds: { issue: number; history: number };
}

export interface FakeJiraShape {
  projectKeys: string[];
  projectNames: string[];
  issuesPerProject: number[];
  /** Issues are created over this many days before `now`. */
  days: number;
  /** Issues of the first project with 130–250 histories. */
  heavyIssues: number;
}

export const DEFAULT_JIRA_SHAPE: FakeJiraShape = {
  projectKeys: ['PAY', 'OPS'],
  projectNames: ['Payments', 'Operations'],
  issuesPerProject: [300, 240],
  days: 60,
  heavyIssues: 3,
};

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

// Statuses: the names lie about the categories on purpose (Done-ish QA is in progress, Shipped is done).
export const STATUS = {
  backlog: '10000',
  ready: '10001',
  inProgress: '3',
  inReview: '10002',
  doneishQa: '10003',
  shipped: '10004',
  wontDo: '10005',
  done: '10006',
} as const;

export const ISSUE_TYPE = {
  story: '10001',
  bug: '10002',
  task: '10003',
  epic: '10000',
  subtask: '10004',
  spike: '10005',
} as const;

const RESOLUTION = { done: '10000', wontDo: '10001' } as const;

// ---- time: Jira's timestamp format, in a user's zone ----------------------------------------------

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** Minutes `timeZone` is ahead of UTC at `ms` (Intl knows the zone's rules, DST included). */
export function zoneOffsetMinutes(timeZone: string, ms: number): number {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    zoneFormats.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(ms)) parts[part.type] = Number(part.value);
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return Math.round((wall - Math.floor(ms / 1_000) * 1_000) / MINUTE);
}

/** The instant a wall-clock time in `timeZone` denotes (as Jira reads JQL dates in the user's zone). */
export function zonedTimeToUtc(
  timeZone: string,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const first = wall - zoneOffsetMinutes(timeZone, wall) * MINUTE;
  // A second pass settles instants near a DST change.
  return wall - zoneOffsetMinutes(timeZone, first) * MINUTE;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** Jira's format: 2026-11-02T10:15:30.123+0100, in `timeZone`'s offset at that instant. */
export function formatJiraDate(ms: number, timeZone: string): string {
  const offset = zoneOffsetMinutes(timeZone, ms);
  const local = new Date(ms + offset * MINUTE).toISOString().slice(0, 23);
  const size = Math.abs(offset);
  return `${local}${offset < 0 ? '-' : '+'}${pad(Math.floor(size / 60))}${pad(size % 60)}`;
}

/** Epoch ms of a Jira timestamp (NaN if it is not one). */
export function parseJiraDate(text: string): number {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (!match) return Number.NaN;
  return Date.parse(`${match[1]}${match[2]}${match[3]}:${match[4]}`);
}

// ---- ground-truth helpers for tests ---------------------------------------------------------------

export function statusCategoryOf(dataset: FakeJiraDataset, statusId: string | null): FakeJiraCategoryKey | null {
  return dataset.statuses.find((status) => status.id === statusId)?.category ?? null;
}

export function findJiraIssue(dataset: FakeJiraDataset, idOrKey: string): FakeJiraIssue | undefined {
  const wanted = idOrKey.toUpperCase();
  return (
    dataset.issues.find((issue) => issue.id === idOrKey || issue.key === wanted) ??
    dataset.issues.find((issue) => issue.previousKeys.includes(wanted))
  );
}

/** The status items of an issue's history, oldest first. */
export function statusChanges(issue: FakeJiraIssue): FakeJiraHistoryItem[] {
  return issue.histories.flatMap((history) => history.items.filter((item) => item.fieldId === 'status'));
}

/** Reopened: at least one transition out of the done category. */
export function wasReopened(dataset: FakeJiraDataset, issue: FakeJiraIssue): boolean {
  return statusChanges(issue).some(
    (item) => statusCategoryOf(dataset, item.from) === 'done' && statusCategoryOf(dataset, item.to) !== 'done',
  );
}

/** Moves between two teams (not a team set on an issue that had none), by the team field's id. */
export function teamMoves(dataset: FakeJiraDataset, issue: FakeJiraIssue): FakeJiraHistoryItem[] {
  return issue.histories.flatMap((history) =>
    history.items.filter(
      (item) =>
        item.fieldId === dataset.fields.teamField && item.from !== null && item.to !== null && item.from !== item.to,
    ),
  );
}

// ---- generation -----------------------------------------------------------------------------------

const hex = (text: string) => createHash('sha1').update(text).digest('hex');
const uuid = (text: string) => {
  const h = hex(text);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const PEOPLE: readonly [string, string][] = [
  ['ada', 'Ada Lovelace'],
  ['bob', 'Bob Kahn'],
  ['chioma', 'Chioma Okafor'],
  ['dmitri', 'Dmitri Volkov'],
  ['elena', 'Elena García'],
  ['farah', 'Farah Haddad'],
  ['gustavo', 'Gustavo Lima'],
  ['hiro', 'Hiro Tanaka'],
  ['ines', 'Inês Duarte'],
  ['jamal', 'Jamal Wright'],
  ['kavya', 'Kavya Rao'],
  ['lars', 'Lars Nilsson'],
];
// Zones without DST, so each user's offset is one of +0000, +0100, -0500, +0530 all year.
const ZONES = ['Atlantic/Reykjavik', 'Africa/Lagos', 'America/Bogota', 'Asia/Kolkata'];
const LABELS = ['backend', 'frontend', 'customer', 'tech-debt', 'security', 'incident-follow-up', 'flaky'];
const VERBS = ['Add', 'Fix', 'Refactor', 'Investigate', 'Document', 'Remove', 'Speed up'];
const OBJECTS = [
  'refund flow',
  'ledger export',
  'card tokenisation',
  'alert routing',
  'deploy pipeline',
  'rate limiter',
  'invoice PDF',
  'on-call rota',
  'webhook retries',
  'audit log',
];
const TEXT_TEAMS = ['payments-legacy', 'core', 'sre', 'mobile-guild'];

const STATUSES: FakeJiraStatus[] = [
  { id: STATUS.backlog, name: 'Backlog', description: 'Not planned yet.', category: 'new' },
  { id: STATUS.ready, name: 'Ready', description: 'Refined and ready to start.', category: 'new' },
  { id: STATUS.inProgress, name: 'In Progress', description: 'Being worked on.', category: 'indeterminate' },
  { id: STATUS.inReview, name: 'In Review', description: 'Waiting for code review.', category: 'indeterminate' },
  {
    id: STATUS.doneishQa,
    name: 'Done-ish QA',
    description: 'Looks done; QA still testing.',
    category: 'indeterminate',
  },
  { id: STATUS.shipped, name: 'Shipped', description: 'Released to customers.', category: 'done' },
  { id: STATUS.wontDo, name: "Won't Do", description: 'Closed without doing it.', category: 'done' },
  { id: STATUS.done, name: 'Done', description: 'Finished.', category: 'done' },
];

const CATEGORIES: FakeJiraStatusCategory[] = [
  { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  { id: 3, key: 'done', colorName: 'green', name: 'Done' },
];

const ISSUE_TYPES: FakeJiraIssueType[] = [
  { id: ISSUE_TYPE.epic, name: 'Epic', description: 'A large body of work.', subtask: false, hierarchyLevel: 1 },
  { id: ISSUE_TYPE.story, name: 'Story', description: 'A user-facing change.', subtask: false, hierarchyLevel: 0 },
  { id: ISSUE_TYPE.bug, name: 'Bug', description: 'A problem to fix.', subtask: false, hierarchyLevel: 0 },
  { id: ISSUE_TYPE.task, name: 'Task', description: 'A piece of work.', subtask: false, hierarchyLevel: 0 },
  { id: ISSUE_TYPE.subtask, name: 'Sub-task', description: 'Part of a task.', subtask: true, hierarchyLevel: -1 },
  { id: ISSUE_TYPE.spike, name: 'Spike', description: 'Time-boxed research.', subtask: false, hierarchyLevel: 0 },
];

const PRIORITIES: FakeJiraNamed[] = [
  { id: '1', name: 'Highest' },
  { id: '2', name: 'High' },
  { id: '3', name: 'Medium' },
  { id: '4', name: 'Low' },
  { id: '5', name: 'Lowest' },
];

const RESOLUTIONS: FakeJiraNamed[] = [
  { id: RESOLUTION.done, name: 'Done' },
  { id: RESOLUTION.wontDo, name: "Won't Do" },
];

function systemField(id: string, name: string, schema: FakeJiraFieldSchema | undefined): FakeJiraField {
  return {
    id,
    key: id,
    name,
    custom: false,
    orderable: !['created', 'updated', 'resolutiondate', 'status'].includes(id),
    navigable: true,
    searchable: true,
    clauseNames:
      id === 'issuetype' ? ['issuetype', 'type'] : id === 'resolutiondate' ? ['resolutiondate', 'resolved'] : [id],
    ...(schema ? { schema } : {}),
  };
}

function customField(id: string, name: string, schema: Omit<FakeJiraFieldSchema, 'customId'>): FakeJiraField {
  const customId = Number(id.slice('customfield_'.length));
  return {
    id,
    key: id,
    name,
    custom: true,
    orderable: true,
    navigable: true,
    searchable: true,
    clauseNames: [`cf[${customId}]`, name],
    schema: { ...schema, customId },
  };
}

function buildFields(ids: FakeJiraFieldIds): FakeJiraField[] {
  return [
    systemField('summary', 'Summary', { type: 'string', system: 'summary' }),
    systemField('status', 'Status', { type: 'status', system: 'status' }),
    systemField('issuetype', 'Issue Type', { type: 'issuetype', system: 'issuetype' }),
    systemField('project', 'Project', { type: 'project', system: 'project' }),
    systemField('assignee', 'Assignee', { type: 'user', system: 'assignee' }),
    systemField('reporter', 'Reporter', { type: 'user', system: 'reporter' }),
    systemField('priority', 'Priority', { type: 'priority', system: 'priority' }),
    systemField('labels', 'Labels', { type: 'array', items: 'string', system: 'labels' }),
    systemField('components', 'Components', { type: 'array', items: 'component', system: 'components' }),
    systemField('fixVersions', 'Fix versions', { type: 'array', items: 'version', system: 'fixVersions' }),
    systemField('parent', 'Parent', undefined),
    systemField('resolution', 'Resolution', { type: 'resolution', system: 'resolution' }),
    systemField('created', 'Created', { type: 'datetime', system: 'created' }),
    systemField('updated', 'Updated', { type: 'datetime', system: 'updated' }),
    systemField('resolutiondate', 'Resolved', { type: 'datetime', system: 'resolutiondate' }),
    // The text "Team" comes before the real one: taking the first field named Team is the wrong choice.
    customField(ids.teamTextField, 'Team', {
      type: 'string',
      custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textfield',
    }),
    customField(ids.rankField, 'Rank', { type: 'any', custom: 'com.pyxis.greenhopper.jira:gh-lexo-rank' }),
    customField(ids.storyPointsField, ids.storyPointsName, {
      type: 'number',
      custom: 'com.atlassian.jira.plugin.system.customfieldtypes:float',
    }),
    customField(ids.sprintField, 'Sprint', {
      type: 'array',
      items: 'json',
      custom: 'com.pyxis.greenhopper.jira:gh-sprint',
    }),
    customField(ids.startDateField, 'Start date', {
      type: 'date',
      custom: 'com.atlassian.jira.plugin.system.customfieldtypes:datepicker',
    }),
    customField(ids.teamField, 'Team', {
      type: 'team',
      custom: 'com.atlassian.jira.plugin.system.customfieldtypes:atlassian-team',
    }),
  ];
}

function buildSprints(projectIndex: number, key: string, start: number, now: number): FakeJiraSprint[] {
  const count = Math.ceil((now - start) / (14 * DAY)) + 1;
  return Array.from({ length: count }, (_, index) => {
    const from = start + index * 14 * DAY;
    const to = from + 14 * DAY;
    const state = to <= now ? 'closed' : from <= now ? 'active' : 'future';
    return {
      id: projectIndex * 20 + index + 1,
      name: `${key} Sprint ${index + 1}`,
      state,
      boardId: projectIndex + 1,
      goal: index % 2 === 0 ? `Sprint goal ${index + 1}` : '',
      startDate: new Date(from).toISOString(),
      endDate: new Date(to).toISOString(),
      completeDate: state === 'closed' ? new Date(to + HOUR).toISOString() : null,
    };
  });
}

type Scenario = 'heavy' | 'reopened' | 'direct' | 'untouched' | 'flow';

interface LifeState {
  statusId: string;
  resolutionId: string | null;
  teamId: string | null;
  teamText: string | null;
  assigneeId: string | null;
  labels: string[];
  priorityId: string;
  storyPoints: number | null;
  sprintIds: number[];
}

interface PlannedHistory {
  authorId: string;
  items: FakeJiraHistoryItem[];
  at: number;
  /** The history enters the done category (the resolution date's candidate). */
  resolves: boolean;
}

interface Draft {
  issue: FakeJiraIssue;
  createdAt: number;
  parent: Draft | null;
  planned: PlannedHistory[];
}

interface Site {
  dice: Dice;
  users: FakeJiraUser[];
  active: FakeJiraUser[];
  teams: FakeJiraTeam[];
  fields: FakeJiraFieldIds;
}

const categoryOf = (id: string) => STATUSES.find((status) => status.id === id)?.category ?? 'new';
const userName = (users: readonly FakeJiraUser[], accountId: string | null) =>
  accountId === null ? null : (users.find((user) => user.accountId === accountId)?.displayName ?? null);

/** Builds an issue's changelog step by step, keeping the current fields in step with it. */
class Life {
  readonly planned: PlannedHistory[] = [];
  constructor(
    private readonly site: Site,
    readonly state: LifeState,
    private readonly sprints: readonly FakeJiraSprint[],
  ) {}

  private by(): string {
    const { dice, active } = this.site;
    return this.state.assigneeId !== null && dice.chance(0.7) ? this.state.assigneeId : dice.pick(active).accountId;
  }

  /** A workflow transition; entering or leaving the done category sets or clears the resolution, as Jira does. */
  move(to: string, author = this.by()): void {
    if (this.state.statusId === to) return;
    const items: FakeJiraHistoryItem[] = [];
    if (this.state.assigneeId === null && categoryOf(to) === 'indeterminate' && this.site.dice.chance(0.6)) {
      items.push(this.assigneeItem(author));
      this.state.assigneeId = author;
    }
    const change = transitionItems(STATUSES, RESOLUTIONS, this.state.statusId, to, this.state.resolutionId);
    items.push(...change.items);
    this.state.statusId = to;
    this.state.resolutionId = change.resolutionId;
    this.planned.push({ authorId: author, items, at: 0, resolves: change.resolves });
  }

  moveAll(path: readonly string[]): void {
    for (const to of path) this.move(to);
  }

  teamTo(teamId: string | null): void {
    const { fields, teams } = this.site;
    const name = (id: string | null) => teams.find((team) => team.id === id)?.name ?? null;
    this.push([
      {
        field: 'Team',
        fieldtype: 'custom',
        fieldId: fields.teamField,
        from: this.state.teamId,
        fromString: name(this.state.teamId),
        to: teamId,
        toString: name(teamId),
      },
    ]);
    this.state.teamId = teamId;
  }

  /** A move to another team than the current one. */
  otherTeam(): void {
    const others = this.site.teams.filter((team) => team.id !== this.state.teamId);
    this.teamTo(this.site.dice.pick(others).id);
  }

  /** A change that is not a transition: the history a metric must look past. */
  noise(): void {
    const { dice, active, fields } = this.site;
    const roll = dice.next();
    const state = this.state;
    if (roll < 0.25) {
      const to = dice.pick(active.filter((user) => user.accountId !== state.assigneeId)).accountId;
      this.push([this.assigneeItem(to)]);
      state.assigneeId = to;
    } else if (roll < 0.45) {
      const unused = LABELS.filter((candidate) => !state.labels.includes(candidate));
      if (unused.length === 0) return this.noiseLabelRemoval();
      const label = dice.pick(unused);
      const before = state.labels.join(' ');
      state.labels = [...state.labels, label].sort();
      this.push([plainItem('labels', 'labels', before || null, state.labels.join(' '))]);
    } else if (roll < 0.6) {
      const to = dice.pick(PRIORITIES.filter((priority) => priority.id !== state.priorityId));
      const from = PRIORITIES.find((priority) => priority.id === state.priorityId);
      this.push([
        {
          field: 'priority',
          fieldtype: 'jira',
          fieldId: 'priority',
          from: state.priorityId,
          fromString: from?.name ?? null,
          to: to.id,
          toString: to.name,
        },
      ]);
      state.priorityId = to.id;
    } else if (roll < 0.78) {
      const to = dice.pick([1, 2, 3, 5, 8, 13].filter((points) => points !== state.storyPoints));
      this.push([
        {
          field: fields.storyPointsName,
          fieldtype: 'custom',
          fieldId: fields.storyPointsField,
          from: null,
          fromString: state.storyPoints === null ? null : String(state.storyPoints),
          to: null,
          toString: String(to),
        },
      ]);
      state.storyPoints = to;
    } else if (roll < 0.93) {
      // Carried over into the next sprint: Jira lists every sprint the issue has been in.
      const last = state.sprintIds.at(-1);
      const next = this.sprints.find((sprint) => last === undefined || sprint.id > last);
      if (!next) return this.noiseLabelRemoval();
      const names = (ids: readonly number[]) =>
        ids.map((id) => this.sprints.find((sprint) => sprint.id === id)?.name ?? String(id)).join(', ');
      const before = [...state.sprintIds];
      state.sprintIds = [...state.sprintIds, next.id];
      this.push([
        {
          field: 'Sprint',
          fieldtype: 'custom',
          fieldId: fields.sprintField,
          from: before.length === 0 ? '' : before.join(', '),
          fromString: before.length === 0 ? '' : names(before),
          to: state.sprintIds.join(', '),
          toString: names(state.sprintIds),
        },
      ]);
    } else {
      this.noiseLabelRemoval();
    }
  }

  /** The other field named "Team" (free text): same field name, another fieldId. */
  textTeam(): void {
    const to = this.site.dice.pick(TEXT_TEAMS.filter((team) => team !== this.state.teamText));
    this.push([
      {
        field: 'Team',
        fieldtype: 'custom',
        fieldId: this.site.fields.teamTextField,
        from: null,
        fromString: this.state.teamText,
        to: null,
        toString: to,
      },
    ]);
    this.state.teamText = to;
  }

  private noiseLabelRemoval(): void {
    const state = this.state;
    if (state.labels.length === 0) return this.noise();
    const before = state.labels.join(' ');
    state.labels = state.labels.slice(1);
    this.push([plainItem('labels', 'labels', before, state.labels.join(' ') || null)]);
  }

  private assigneeItem(to: string | null): FakeJiraHistoryItem {
    return {
      field: 'assignee',
      fieldtype: 'jira',
      fieldId: 'assignee',
      from: this.state.assigneeId,
      fromString: userName(this.site.users, this.state.assigneeId),
      to,
      toString: userName(this.site.users, to),
    };
  }

  private push(items: FakeJiraHistoryItem[]): void {
    this.planned.push({ authorId: this.by(), items, at: 0, resolves: false });
  }
}

/**
 * The items of a transition from `from` to `to`: the status, and the resolution Jira sets on entering the
 * done category (Won't Do for "Won't Do", else Done) and clears on leaving it. `resolves`: it entered.
 */
export function transitionItems(
  statuses: readonly FakeJiraStatus[],
  resolutions: readonly FakeJiraNamed[],
  from: string,
  to: string,
  resolutionId: string | null,
): { items: FakeJiraHistoryItem[]; resolutionId: string | null; resolves: boolean } {
  const status = (id: string) => statuses.find((candidate) => candidate.id === id);
  const resolutionName = (id: string | null) => resolutions.find((candidate) => candidate.id === id)?.name ?? null;
  const resolutionItem = (before: string | null, after: string | null): FakeJiraHistoryItem => ({
    field: 'resolution',
    fieldtype: 'jira',
    fieldId: 'resolution',
    from: before,
    fromString: resolutionName(before),
    to: after,
    toString: resolutionName(after),
  });
  const items: FakeJiraHistoryItem[] = [
    {
      field: 'status',
      fieldtype: 'jira',
      fieldId: 'status',
      from,
      fromString: status(from)?.name ?? null,
      to,
      toString: status(to)?.name ?? null,
    },
  ];
  const wasDone = status(from)?.category === 'done';
  const isDone = status(to)?.category === 'done';
  const resolution = status(to)?.name === "Won't Do" ? RESOLUTION.wontDo : RESOLUTION.done;
  if (!wasDone && isDone) items.push(resolutionItem(null, resolution));
  if (wasDone && !isDone) items.push(resolutionItem(resolutionId, null));
  if (wasDone && isDone && resolutionId !== resolution) items.push(resolutionItem(resolutionId, resolution));
  return { items, resolutionId: isDone ? resolution : null, resolves: !wasDone && isDone };
}

function plainItem(field: string, fieldId: string, fromString: string | null, toString: string | null) {
  return { field, fieldtype: 'jira' as const, fieldId, from: null, fromString, to: null, toString };
}

/** The status path of a scenario, from Backlog. */
function livePath(life: Life, dice: Dice, scenario: Scenario, n: number): void {
  const { inProgress: P, inReview: V, doneishQa: Q, shipped: S, done: D, wontDo: W, ready: R } = STATUS;
  const start = () => {
    if (dice.chance(0.6)) life.move(R);
    life.move(P);
  };
  switch (scenario) {
    case 'untouched':
      if (n % 20 === 10) life.move(R);
      return;
    case 'direct':
      life.move(n % 39 === 2 ? W : D);
      return;
    case 'reopened': {
      start();
      life.moveAll(dice.chance(0.7) ? [V, Q] : [V]);
      life.move(dice.chance(0.5) ? S : D);
      const reopens = dice.chance(0.2) ? 2 : 1;
      for (let time = 0; time < reopens; time++) {
        life.move(dice.pick([P, P, P, R, STATUS.backlog]));
        const end = dice.next();
        if (time + 1 < reopens || end < 0.5) {
          if (life.state.statusId !== P) life.move(P);
          life.moveAll([V, D]);
        } else if (end < 0.75 && life.state.statusId === P) life.move(V);
      }
      return;
    }
    case 'heavy': {
      const target = dice.int(130, 250);
      start();
      const next: Record<string, readonly string[]> = {
        [P]: [V, V, Q],
        [V]: [P, Q, Q],
        [Q]: [P, V, D, S],
        [D]: [P, P, R],
        [S]: [P, Q],
        [R]: [P],
      };
      while (life.planned.length < target) {
        if (dice.chance(0.55)) life.move(dice.pick(next[life.state.statusId] ?? [P]));
        else if (dice.chance(0.1)) life.otherTeam();
        else life.noise();
      }
      return;
    }
    case 'flow': {
      // Forced endings make sure names that lie (Done-ish QA, Shipped) are current somewhere.
      const end = n % 17 === 6 ? Q : n % 19 === 7 ? S : dice.pick([P, P, V, V, Q, Q, S, S, S, D, D, D, D, D, D, W, W]);
      if (end === W && dice.chance(0.5)) {
        life.move(W);
        return;
      }
      start();
      if (end === P) return;
      life.move(V);
      // QA sends some back: a bounce inside "in progress" that is not a reopen.
      if (dice.chance(0.25)) life.moveAll([P, V]);
      if (end === V) return;
      if (end !== W && (end === Q || dice.chance(0.6))) {
        life.move(Q);
        if (dice.chance(0.15)) life.moveAll([P, V, Q]);
      }
      if (end !== Q) life.move(end);
      return;
    }
  }
}

/** Spreads an issue's histories over (created, end]: strictly increasing, with millisecond noise. */
function schedule(dice: Dice, planned: PlannedHistory[], created: number, end: number): void {
  const gaps = planned.map(() => 0.2 + dice.next());
  const total = gaps.reduce((sum, gap) => sum + gap, 0) + 0.5;
  let sum = 0;
  let last = created;
  planned.forEach((history, index) => {
    sum += gaps[index] ?? 1;
    const at = Math.max(last + 1_000 + dice.int(0, 999), Math.round(created + ((end - created) * sum) / total));
    history.at = at;
    last = at;
  });
}

/**
 * A deterministic Jira site: the same seed, shape and `now` give the same dataset. By construction, for
 * the default shape: ≥40 issues reopened (n ≡ 3 mod 8), ≥25 moved between teams (n ≡ 5 mod 11), 3 issues
 * of the first project with 130–250 histories, untouched backlog (n ≡ 0 mod 10), Done straight from
 * Backlog (n ≡ 2 mod 13), epics (n ≡ 1 mod 15) with children, sub-tasks (n ≡ 0 mod 7).
 */
export function fakeJiraDataset(
  seed = 1,
  shape: Partial<FakeJiraShape> = {},
  now: number = Date.now(),
): FakeJiraDataset {
  const full: FakeJiraShape = { ...DEFAULT_JIRA_SHAPE, ...shape };
  const dice = new Dice(seededRandom(seed));
  const start = now - full.days * DAY;

  const users: FakeJiraUser[] = PEOPLE.map(([name, displayName], index) => ({
    accountId: hex(`jira-user:${name}`).slice(0, 24),
    displayName,
    emailAddress: index % 3 === 2 ? null : `${name}@acme.example`,
    name,
    key: `JIRAUSER${10100 + index}`,
    timeZone: ZONES[index % ZONES.length] ?? 'Etc/UTC',
    // Lars left: his account is deactivated, his old work stays.
    active: name !== 'lars',
  }));
  const active = users.filter((user) => user.active);
  const bot: FakeJiraUser = {
    accountId: hex('jira-user:metrics-bot').slice(0, 24),
    displayName: 'Metrics Bot',
    emailAddress: 'bot@example.com',
    name: 'metrics-bot',
    key: 'JIRAUSER10099',
    timeZone: 'Europe/Berlin',
    active: true,
  };

  // Custom field ids come from a per-seed shuffle, so no connector can hard-code them.
  const pool = dice.some(
    Array.from({ length: 90 }, (_, index) => `customfield_${10010 + index}`),
    6,
  );
  const fields: FakeJiraFieldIds = {
    storyPointsField: pool[0] ?? 'customfield_10016',
    storyPointsName: seed % 2 === 0 ? 'Story point estimate' : 'Story Points',
    sprintField: pool[1] ?? 'customfield_10020',
    teamField: pool[2] ?? 'customfield_10001',
    teamTextField: pool[3] ?? 'customfield_10050',
    rankField: pool[4] ?? 'customfield_10019',
    startDateField: pool[5] ?? 'customfield_10015',
  };
  const teams: FakeJiraTeam[] = ['Payments', 'Platform', 'Mobile'].map((name) => ({
    id: uuid(`jira-team:${seed}:${name}`),
    name,
    title: name,
  }));
  const site: Site = { dice, users, active, teams, fields };

  const projects: FakeJiraProject[] = [];
  const drafts: Draft[] = [];
  full.projectKeys.forEach((key, p) => {
    const projectId = String(10000 + p);
    const components = ['API', 'Web', 'Data'].map((name, index) => ({
      id: String(10100 + p * 10 + index),
      name: `${key === 'OPS' ? 'Ops ' : ''}${name}`,
    }));
    const versions = ['1.0', '1.1', '2.0'].map((name, index) => ({
      id: String(10200 + p * 10 + index),
      name,
      released: index < 2,
      releaseDate: new Date(start + (index + 1) * 20 * DAY).toISOString().slice(0, 10),
    }));
    // Sprints start at 09:00 UTC on a day boundary, as a team's cadence would.
    const sprints = buildSprints(p, key, Math.floor(start / DAY) * DAY + 9 * HOUR, now);
    const count = full.issuesPerProject[p] ?? 0;
    const heavy = new Set(Array.from({ length: p === 0 ? full.heavyIssues : 0 }, (_, index) => 4 + 5 * index));
    const own: Draft[] = [];
    const spacing = ((full.days - 1) * DAY) / Math.max(1, count);
    for (let n = 1; n <= count; n++) {
      const createdAt = start + (n - 1) * spacing + Math.floor(dice.next() * spacing * 0.8);
      const scenario: Scenario = heavy.has(n)
        ? 'heavy'
        : n % 8 === 3
          ? 'reopened'
          : n % 13 === 2
            ? 'direct'
            : n % 10 === 0
              ? 'untouched'
              : 'flow';
      const standard = own.filter(
        (draft) => draft.issue.issueTypeId !== ISSUE_TYPE.epic && draft.issue.issueTypeId !== ISSUE_TYPE.subtask,
      );
      const epics = own.filter((draft) => draft.issue.issueTypeId === ISSUE_TYPE.epic);
      let issueTypeId: string;
      let parent: Draft | null = null;
      if (scenario === 'heavy') issueTypeId = n % 2 === 0 ? ISSUE_TYPE.story : ISSUE_TYPE.bug;
      else if (n % 15 === 1) issueTypeId = ISSUE_TYPE.epic;
      else if (n % 7 === 0 && standard.length > 0) {
        issueTypeId = ISSUE_TYPE.subtask;
        parent = dice.pick(standard);
      } else {
        issueTypeId = dice.pick([
          ISSUE_TYPE.story,
          ISSUE_TYPE.story,
          ISSUE_TYPE.story,
          ISSUE_TYPE.bug,
          ISSUE_TYPE.bug,
          ISSUE_TYPE.task,
          ISSUE_TYPE.task,
          ISSUE_TYPE.spike,
        ]);
        if (epics.length > 0 && dice.chance(0.45)) parent = dice.pick(epics);
      }
      const reporter = dice.pick(users.slice(0, -1).concat(n % 29 === 0 ? users.slice(-1) : []));
      const movesTeam = n % 11 === 5;
      const state: LifeState = {
        statusId: STATUS.backlog,
        resolutionId: null,
        teamId: movesTeam || dice.chance(0.8) ? dice.pick(teams).id : null,
        teamText: dice.chance(0.3) ? dice.pick(TEXT_TEAMS) : null,
        assigneeId: scenario === 'untouched' || dice.chance(0.3) ? null : dice.pick(active).accountId,
        labels: dice.some(LABELS, dice.int(0, 2)).sort(),
        priorityId: dice.pick(['2', '3', '3', '3', '4']),
        storyPoints: issueTypeId === ISSUE_TYPE.epic || dice.chance(0.25) ? null : dice.pick([1, 2, 3, 5, 8]),
        sprintIds: [],
      };
      const first = sprints.find((sprint) => Date.parse(sprint.endDate) > createdAt);
      if (first && issueTypeId !== ISSUE_TYPE.epic && scenario !== 'untouched' && dice.chance(0.7))
        state.sprintIds = [first.id];
      const life = new Life(site, state, sprints);
      if (scenario !== 'heavy') {
        const before = dice.int(0, 2);
        for (let k = 0; k < before; k++) life.noise();
      }
      if (movesTeam) {
        life.otherTeam();
        if (dice.chance(0.3)) life.otherTeam();
      } else if (state.teamId === null && dice.chance(0.2)) life.teamTo(dice.pick(teams).id);
      if (n % 23 === 0) life.textTeam();
      livePath(life, dice, scenario, n);
      if (scenario !== 'heavy') {
        const after = dice.int(0, 2);
        for (let k = 0; k < after; k++) life.noise();
      }
      // Reopened issues also move teams now and then, after the reopen: order matters to a metric.
      if (scenario === 'reopened' && dice.chance(0.2)) life.otherTeam();

      const latest = now - 10 * MINUTE;
      const span = scenario === 'heavy' ? latest - createdAt : Math.min(latest - createdAt, dice.int(2, 30) * DAY);
      schedule(dice, life.planned, createdAt, createdAt + Math.max(span, life.planned.length * 2 * MINUTE));
      const number = n;
      own.push({
        createdAt,
        parent,
        planned: life.planned,
        issue: {
          id: '',
          key: `${key}-${number}`,
          previousKeys: [],
          projectId,
          summary: `${dice.pick(VERBS)} ${dice.pick(OBJECTS)} (${key}-${number})`,
          issueTypeId,
          statusId: state.statusId,
          priorityId: state.priorityId,
          resolutionId: state.resolutionId,
          assigneeId: state.assigneeId,
          reporterId: reporter.accountId,
          labels: state.labels,
          componentIds: dice.chance(0.6) ? [dice.pick(components).id] : [],
          fixVersionIds: categoryOf(state.statusId) === 'done' && dice.chance(0.6) ? [dice.pick(versions).id] : [],
          parentId: null,
          created: formatJiraDate(createdAt, reporter.timeZone),
          updated: '',
          resolutiondate: null,
          storyPoints: state.storyPoints,
          sprintIds: state.sprintIds,
          teamId: state.teamId,
          teamText: state.teamText,
          rank: `0|i${(p * 10_000 + n).toString(36).padStart(5, '0')}:`,
          startDate: dice.chance(0.3) ? new Date(createdAt + DAY).toISOString().slice(0, 10) : null,
          histories: [],
        },
      });
    }
    drafts.push(...own);
    projects.push({
      id: projectId,
      key,
      name: full.projectNames[p] ?? key,
      leadAccountId: users[p % users.length]?.accountId ?? '',
      components,
      versions,
      sprints,
      nextNumber: count + 1,
    });
  });

  // Ids follow creation time across projects, as Jira's do; so do history ids.
  const timeZoneOf = (accountId: string) => users.find((user) => user.accountId === accountId)?.timeZone ?? 'Etc/UTC';
  const byCreation = [...drafts].sort((a, b) => a.createdAt - b.createdAt);
  let nextIssueId = 10001;
  for (const draft of byCreation) draft.issue.id = String(nextIssueId++);
  const allHistories = drafts
    .flatMap((draft) => draft.planned.map((planned) => ({ draft, planned })))
    .sort((a, b) => a.planned.at - b.planned.at);
  let nextHistoryId = 100001;
  for (const { draft, planned } of allHistories)
    draft.issue.histories.push({
      id: String(nextHistoryId++),
      authorId: planned.authorId,
      created: formatJiraDate(planned.at, timeZoneOf(planned.authorId)),
      items: planned.items,
    });
  for (const draft of drafts) {
    const issue = draft.issue;
    issue.parentId = draft.parent?.issue.id ?? null;
    const last = draft.planned.at(-1);
    issue.updated = last
      ? formatJiraDate(last.at, timeZoneOf(last.authorId))
      : formatJiraDate(draft.createdAt, timeZoneOf(issue.reporterId));
    const resolved = [...draft.planned].reverse().find((planned) => planned.resolves);
    if (categoryOf(issue.statusId) === 'done' && resolved)
      issue.resolutiondate = formatJiraDate(resolved.at, timeZoneOf(resolved.authorId));
  }

  return {
    seed,
    now,
    users,
    bot,
    statusCategories: CATEGORIES.map((category) => ({ ...category })),
    statuses: STATUSES.map((status) => ({ ...status })),
    issueTypes: ISSUE_TYPES.map((type) => ({ ...type })),
    priorities: PRIORITIES.map((priority) => ({ ...priority })),
    resolutions: RESOLUTIONS.map((resolution) => ({ ...resolution })),
    fields,
    fieldList: buildFields(fields),
    teams,
    projects,
    issues: byCreation.map((draft) => draft.issue),
    nextIds: { issue: nextIssueId, history: nextHistoryId },
  };
}
