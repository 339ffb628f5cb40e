import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { IntegrationScopes } from '@dev-health/control-plane';
import { type SyncContext, type SyncJob, SyncStageError, runRawRecord } from '@dev-health/connector';
import type { RawRecord } from '@dev-health/schemas';
import { type JiraClient, type JiraFieldDetails, JiraResponseError, type JiraSearchIssue } from './jira-client';
import type { JiraHistory, JiraIssuePayload, JiraIssueRemovedPayload } from './payloads';

export interface JiraSyncOptions {
  /** How far back a first sync reads issues by their last update (older ones: a backfill). */
  initialHistoryDays: number;
  /** Minutes re-read before the watermark: Jira's search index trails its writes. */
  overlapMinutes: number;
  /**
   * Hours between sweeps for deleted issues (Jira's search does not return them, and nothing says they
   * went): the scope's ids are listed and compared with those published before.
   */
  deletionSweepHours: number;
  /** The client of one run (one credential, one budget). */
  client: (context: SyncContext) => Promise<JiraClient>;
}

type JiraScope = IntegrationScopes['jira'];

/** The system fields a work item is built from; the discovered custom fields are added per site. */
const SYSTEM_FIELDS = [
  'summary',
  'issuetype',
  'status',
  'project',
  'assignee',
  'reporter',
  'priority',
  'labels',
  'components',
  'fixVersions',
  'parent',
  'created',
  'updated',
  'resolutiondate',
];
/** Story points are a number field with one of these names (company- and team-managed projects differ). */
const STORY_POINT_NAMES = ['story points', 'story point estimate'];
const SPRINT_TYPE = 'com.pyxis.greenhopper.jira:gh-sprint';
const TEAM_TYPES = [
  'com.atlassian.jira.plugin.system.customfieldtypes:atlassian-team',
  'com.atlassian.teams:rm-teams-custom-field-team',
];

/** What a site's fields and statuses resolve to, once per run. */
export interface SiteSettings {
  /** Story points field ids, in preference order (an issue takes the first that has a value). */
  storyPoints: string[];
  sprint: string | null;
  /** Where teams come from: a field's id, the components or the labels (mapped). */
  team: { from: 'field'; field: string } | { from: 'components' | 'labels'; map: Record<string, string> | null } | null;
  categories: Map<string, string>;
  typeMap: Record<string, string>;
}

const lower = (text: string) => text.trim().toLowerCase();

/**
 * Finds the integration's custom fields by name and type, never by id (ids differ per site):
 * story points (or the field the scope names), the sprint field, and the team field (Atlassian's team
 * type preferred over any other field called "Team").
 */
export function discoverFields(scope: JiraScope, fields: JiraFieldDetails[]): Omit<SiteSettings, 'categories'> {
  const byNameOrId = (wanted: string) =>
    fields.filter((field) => field.id === wanted || lower(field.name) === lower(wanted));
  const storyPoints = scope.story_points_field
    ? byNameOrId(scope.story_points_field)
    : STORY_POINT_NAMES.flatMap((name) => byNameOrId(name).filter((field) => field.schema?.type === 'number'));
  if (scope.story_points_field && storyPoints.length === 0)
    throw new SyncStageError('discover', `no field named "${scope.story_points_field}" (scope.story_points_field)`);
  const sprint =
    fields.find((field) => field.schema?.custom === SPRINT_TYPE) ??
    fields.find((field) => lower(field.name) === 'sprint');
  const teams = scope.teams ?? { from: 'field' as const };
  let team: SiteSettings['team'] = null;
  if (teams.from === 'field') {
    const named = teams.field ? byNameOrId(teams.field) : fields;
    const found =
      named.find((field) => TEAM_TYPES.includes(field.schema?.custom ?? '')) ?? (teams.field ? named[0] : undefined);
    if (teams.field && !found)
      throw new SyncStageError('discover', `no field named "${teams.field}" (scope.teams.field)`);
    team = found ? { from: 'field', field: found.id } : null;
  } else team = { from: teams.from, map: teams.map ?? null };
  return {
    storyPoints: storyPoints.map((field) => field.id),
    sprint: sprint?.id ?? null,
    team,
    typeMap: Object.fromEntries(Object.entries(scope.issue_types ?? {}).map(([name, type]) => [lower(name), type])),
  };
}

/** The team an issue belongs to now, from the integration's team source. */
export function teamOf(settings: SiteSettings, fields: Record<string, unknown>): JiraIssuePayload['team'] {
  const source = settings.team;
  if (!source) return null;
  if (source.from === 'field') {
    const value = fields[source.field];
    if (typeof value === 'string' && value !== '') return { id: value, name: value };
    if (typeof value === 'number') return { id: String(value), name: String(value) };
    if (value && typeof value === 'object') {
      const team = value as { id?: unknown; name?: unknown; title?: unknown; value?: unknown };
      const name = [team.name, team.title, team.value].find((candidate) => typeof candidate === 'string');
      const id = typeof team.id === 'string' || typeof team.id === 'number' ? String(team.id) : name;
      if (typeof id === 'string') return { id, name: typeof name === 'string' ? name : id };
    }
    return null;
  }
  const values =
    source.from === 'components'
      ? ((fields.components as { name?: string }[] | undefined) ?? []).map((component) => component.name ?? '')
      : ((fields.labels as string[] | undefined) ?? []);
  for (const value of values) {
    // Mapped: only values the map names are teams; unmapped components are teams by their own name.
    const name = source.map ? source.map[value] : source.from === 'components' ? value : undefined;
    if (name) return { id: `name:${name}`, name };
  }
  return null;
}

const numberOf = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/** Sprint names, oldest first (the field holds objects on Cloud, "…[name=Sprint 4,…]" strings on old servers). */
function sprintNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const sprints = value.flatMap((sprint: unknown) => {
    if (sprint && typeof sprint === 'object') {
      const { name, startDate, id } = sprint as { name?: unknown; startDate?: unknown; id?: unknown };
      const order = typeof startDate === 'string' ? startDate : '';
      return typeof name === 'string' ? [{ name, order, id: Number(id ?? 0) }] : [];
    }
    const name = typeof sprint === 'string' ? /name=([^,\]]+)/.exec(sprint)?.[1] : undefined;
    return name ? [{ name, order: '', id: 0 }] : [];
  });
  return sprints.sort((a, b) => a.order.localeCompare(b.order) || a.id - b.id).map((sprint) => sprint.name);
}

/** Jira writes offsets without a colon (+0100): made ISO before parsing. */
export const jiraMillis = (text: unknown): number | null => {
  if (typeof text !== 'string') return null;
  const ms = Date.parse(text.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isFinite(ms) ? ms : null;
};

/** An instant as JQL reads it: minutes, in the time zone of the credential's user. */
export function jqlInstant(ms: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(ms))
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

const quote = (value: string) => `"${value.replace(/(["\\])/g, '\\$1')}"`;

/** The integration's issues: its projects and/or its JQL filter. */
export function scopeJql(scope: JiraScope): string {
  const clauses: string[] = [];
  if (scope.projects && scope.projects.length > 0) clauses.push(`project in (${scope.projects.map(quote).join(', ')})`);
  if (scope.jql) clauses.push(`(${scope.jql})`);
  return clauses.join(' AND ');
}

/** The incremental cursor: the newest update published, and the issues (id → update) at most `overlap` older. */
interface Cursor {
  at: number;
  seen: Record<string, number>;
}

/** A site's key in canonical ids: its host (an OAuth 2.0 gateway URL: the cloud id). */
export function siteKey(site: string): string {
  const url = new URL(site);
  const gateway = /^\/ex\/jira\/([^/]+)/.exec(url.pathname)?.[1];
  return url.host === 'api.atlassian.com' && gateway ? gateway : url.host;
}

/**
 * A Jira integration's sync run: discovers the site's fields and statuses, then searches the scope's
 * issues updated since the watermark (less an overlap: the search index trails writes; issues already
 * published at the same update are skipped), oldest update first, 100 a page. Each page's issues get
 * their complete changelogs — Cloud: the bulk changelog endpoint (per issue where a site lacks it),
 * Data Center: the expanded changelog, the issue itself when the search cut it — and are published;
 * the watermark moves once they are acknowledged.
 */
export function jiraSyncJob(options: JiraSyncOptions): SyncJob {
  return async (context) => {
    const client = await options.client(context);
    try {
      await sync(context, client, options);
    } finally {
      const { limit, remaining, resetAt } = client.budget.state;
      if (remaining !== null) await context.reportRateLimit({ limit, remaining, resetAt });
      context.logger.info('Jira requests', {
        requests: client.budget.state.requests,
        byEndpoint: Object.fromEntries(client.requestsByEndpoint),
      });
    }
  };
}

async function sync(context: SyncContext, client: JiraClient, options: JiraSyncOptions): Promise<void> {
  const scope = context.integration.scope as JiraScope;
  const myself = await client.myself();
  const timeZone = myself.timeZone ?? 'UTC';
  const [fields, statuses] = await Promise.all([client.fields(), client.statuses()]);
  const settings: SiteSettings = {
    ...discoverFields(scope, fields),
    categories: new Map(statuses.map((status) => [status.id, status.statusCategory?.key ?? 'undefined'])),
  };
  context.logger.info('Jira site discovered', {
    deployment: client.deployment,
    timeZone,
    storyPoints: settings.storyPoints,
    sprint: settings.sprint,
    team: settings.team,
    statuses: settings.categories.size,
  });

  const base = scopeJql(scope);
  const target = `issues:${createHash('sha1').update(base).digest('hex').slice(0, 12)}`;
  const watermarks = await context.watermarks.load();
  const saved = watermarks.get(target);
  const cursor: Cursor = saved ? (JSON.parse(saved) as Cursor) : { at: 0, seen: {} };
  const overlap = options.overlapMinutes * 60_000;
  const fetchedAt = Date.now();
  const backfill = context.run.window_start !== null;
  let window: string;
  if (backfill) {
    const start = new Date(context.run.window_start ?? 0).getTime();
    const end = new Date(context.run.window_end ?? fetchedAt).getTime();
    window = `updated >= "${jqlInstant(start, timeZone)}" AND updated < "${jqlInstant(end, timeZone)}"`;
  } else {
    const since = saved ? cursor.at - overlap : fetchedAt - options.initialHistoryDays * 86_400_000;
    window = `updated >= "${jqlInstant(since, timeZone)}"`;
  }
  const jql = `${base ? `${base} AND ` : ''}${window} ORDER BY updated ASC, key ASC`;
  const requested = [...SYSTEM_FIELDS, ...settings.storyPoints, ...(settings.sprint ? [settings.sprint] : [])];
  if (settings.team?.from === 'field') requested.push(settings.team.field);

  const changelogs = new ChangelogReader(client);
  const seenIds = new Set<string>();
  let next: string | null = null;
  let pages = 0;
  do {
    context.throwIfStopped();
    let page;
    try {
      page = await client.search(jql, [...new Set(requested)], next);
    } catch (error: unknown) {
      if (error instanceof JiraResponseError && error.status === 400)
        throw new SyncStageError('search', `the scope's JQL was refused: ${error.detail} (JQL: ${jql})`);
      throw error;
    }
    pages++;
    next = page.next;
    for (const issue of page.issues) if (typeof issue.id === 'string') seenIds.add(issue.id);
    // Already published at this very update (the overlap re-reads them): nothing to send.
    const fresh = backfill
      ? page.issues
      : page.issues.filter((issue) => {
          const updated = jiraMillis(issue.fields?.updated);
          return updated === null || cursor.seen[issue.id] !== updated;
        });
    const histories = await changelogs.read(fresh);
    const records = fresh.map((issue) =>
      rawIssue(context, client, settings, issue, histories.get(issue.id) ?? [], fetchedAt),
    );
    if (records.length > 0) await context.publish(records);
    if (!backfill) {
      for (const issue of page.issues) {
        const updated = jiraMillis(issue.fields?.updated);
        if (updated === null) continue;
        cursor.at = Math.max(cursor.at, updated);
        cursor.seen[issue.id] = updated;
      }
      for (const [id, updated] of Object.entries(cursor.seen))
        if (updated < cursor.at - overlap) delete cursor.seen[id];
      if (page.issues.length > 0) await context.watermarks.save([{ target, cursor: JSON.stringify(cursor) }]);
    }
  } while (next);
  context.logger.info('Jira issues searched', { pages, changelogMode: changelogs.mode });
  if (!backfill) await sweepDeleted(context, client, options, base, target, seenIds, fetchedAt);
}

/** The ids published for a scope, and when they were last swept, stored compactly (sorted, delta-coded, deflated). */
interface KnownIssues {
  sweptAt: number;
  ids: string[];
}

export function encodeKnown(known: KnownIssues): string {
  const numbers = known.ids.map(Number).sort((a, b) => a - b);
  const deltas = numbers.map((id, index) => id - (index === 0 ? 0 : (numbers[index - 1] as number)));
  const packed = deflateRawSync(Buffer.from(deltas.join(','))).toString('base64');
  return JSON.stringify({ swept_at: known.sweptAt, ids: packed });
}

export function decodeKnown(cursor: string | undefined): KnownIssues {
  if (!cursor) return { sweptAt: 0, ids: [] };
  const stored = JSON.parse(cursor) as { swept_at: number; ids: string };
  const text = inflateRawSync(Buffer.from(stored.ids, 'base64')).toString();
  let id = 0;
  const ids = text === '' ? [] : text.split(',').map((delta) => String((id += Number(delta))));
  return { sweptAt: stored.swept_at, ids };
}

/**
 * Deleted issues: Jira's search leaves them out and reports nothing. Every `deletionSweepHours` the
 * scope's ids are listed (ids only: cheap pages) and compared with every id published before; each one
 * missing is asked for by id — 404: deleted; found: moved out of the scope (another project, or the JQL
 * no longer matches it). Either way a removal is published, and the work item ends canceled from then on.
 */
async function sweepDeleted(
  context: SyncContext,
  client: JiraClient,
  options: JiraSyncOptions,
  base: string,
  target: string,
  seenThisRun: Set<string>,
  fetchedAt: number,
): Promise<void> {
  const knownTarget = `known:${target}`;
  const known = decodeKnown((await context.watermarks.load()).get(knownTarget));
  const ids = new Set([...known.ids, ...seenThisRun]);
  const due = fetchedAt - known.sweptAt >= options.deletionSweepHours * 3_600_000;
  if (!due || known.ids.length === 0) {
    if (ids.size !== known.ids.length)
      await context.watermarks.save([
        { target: knownTarget, cursor: encodeKnown({ sweptAt: known.sweptAt || fetchedAt, ids: [...ids] }) },
      ]);
    return;
  }
  const present = new Set<string>();
  let next: string | null = null;
  do {
    context.throwIfStopped();
    const page = await client.search(`${base} ORDER BY key ASC`, ['updated'], next, { changelog: false });
    for (const issue of page.issues) present.add(issue.id);
    next = page.next;
  } while (next);
  const missing = [...ids].filter((id) => !present.has(id));
  const removals: RawRecord[] = [];
  await pool(missing, client.concurrency, async (id) => {
    const reason = (await client.exists(id)) ? 'out_of_scope' : 'deleted';
    removals.push(
      runRawRecord(context, {
        provider: 'jira',
        scope: siteKey(client.site),
        entityKind: 'issue_removed',
        sourceId: `${id}/removed`,
        payload: { id, reason, detected_at: new Date(fetchedAt).toISOString() } satisfies JiraIssueRemovedPayload,
        fetchedAt,
        request: `GET issue ${id}`,
        cursor: null,
      }),
    );
  });
  if (removals.length > 0) await context.publish(removals);
  context.logger.info('Jira deletion sweep', { listed: present.size, known: ids.size, removed: removals.length });
  await context.watermarks.save([
    { target: knownTarget, cursor: encodeKnown({ sweptAt: fetchedAt, ids: [...present] }) },
  ]);
}

function rawIssue(
  context: SyncContext,
  client: JiraClient,
  settings: SiteSettings,
  issue: JiraSearchIssue,
  histories: JiraHistory[],
  fetchedAt: number,
): RawRecord {
  const fields = issue.fields ?? {};
  const status = fields.status as { id?: string } | undefined;
  // The categories of the statuses this issue ever had: what the normalizer needs, not the whole site's.
  const statusIds = new Set<string>(status?.id ? [status.id] : []);
  for (const history of histories)
    for (const item of history.items ?? [])
      if (item.field === 'status' || item.fieldId === 'status')
        for (const id of [item.from, item.to]) if (id) statusIds.add(id);
  const statusCategories = Object.fromEntries(
    [...statusIds].flatMap((id) => {
      const category = settings.categories.get(id);
      return category ? [[id, category]] : [];
    }),
  );
  const storyPoints = settings.storyPoints.map((id) => numberOf(fields[id])).find((value) => value !== null) ?? null;
  const payload: Omit<JiraIssuePayload, 'fields'> & { fields: Record<string, unknown> } = {
    id: issue.id,
    key: issue.key,
    fields,
    changelog: { histories },
    status_categories: statusCategories,
    story_points: storyPoints,
    sprints: settings.sprint ? sprintNames(fields[settings.sprint]) : [],
    team: teamOf(settings, fields),
    type_map: settings.typeMap,
  };
  return runRawRecord(context, {
    provider: 'jira',
    scope: siteKey(client.site),
    entityKind: 'issue',
    sourceId: issue.id,
    payload,
    fetchedAt,
    request: client.deployment === 'cloud' ? 'POST /rest/api/3/search/jql' : 'POST /rest/api/2/search',
    cursor: typeof fields.updated === 'string' ? fields.updated : null,
  });
}

/**
 * Complete changelogs for a page of issues. Cloud: the bulk endpoint, paged until done (an issue's
 * histories may span pages); a site without it (404) switches the run to each issue's own paged
 * changelog, a bounded number of issues at a time. Data Center: the search's expanded changelog, and
 * the issue itself when the expansion was cut short.
 */
class ChangelogReader {
  mode: 'bulk' | 'per-issue' | 'expanded';

  constructor(private readonly client: JiraClient) {
    this.mode = client.deployment === 'cloud' ? 'bulk' : 'expanded';
  }

  async read(issues: JiraSearchIssue[]): Promise<Map<string, JiraHistory[]>> {
    const histories = new Map<string, JiraHistory[]>();
    const readable = issues.filter((issue) => typeof issue.id === 'string');
    if (readable.length === 0) return histories;
    if (this.mode === 'bulk') {
      try {
        await this.bulk(readable, histories);
      } catch (error: unknown) {
        if (!(error instanceof JiraResponseError && error.status === 404)) throw error;
        this.mode = 'per-issue';
        histories.clear();
      }
    }
    if (this.mode === 'per-issue')
      await pool(readable, this.client.concurrency, async (issue) => {
        histories.set(issue.id, await this.perIssue(issue.id));
      });
    if (this.mode === 'expanded')
      await pool(readable, this.client.concurrency, async (issue) => {
        const expanded = issue.changelog?.histories ?? [];
        const complete = (issue.changelog?.total ?? expanded.length) <= expanded.length;
        histories.set(issue.id, complete ? expanded : await this.client.issueChangelog(issue.id));
      });
    for (const [id, list] of histories) histories.set(id, ordered(list));
    return histories;
  }

  private async bulk(issues: JiraSearchIssue[], histories: Map<string, JiraHistory[]>): Promise<void> {
    let next: string | null = null;
    do {
      const page = await this.client.bulkChangelogs(
        issues.map((issue) => issue.id),
        next,
      );
      for (const log of page.issueChangeLogs)
        histories.set(log.issueId, [...(histories.get(log.issueId) ?? []), ...log.changeHistories]);
      next = page.next;
    } while (next);
  }

  private async perIssue(issueId: string): Promise<JiraHistory[]> {
    const all: JiraHistory[] = [];
    for (let startAt = 0; ;) {
      const page = await this.client.changelogPage(issueId, startAt);
      all.push(...page.values);
      startAt += page.values.length;
      if (page.isLast || page.values.length === 0) return all;
    }
  }
}

/** Oldest first, each history once (pages may overlap when an issue changes while it is read). */
function ordered(histories: JiraHistory[]): JiraHistory[] {
  const byId = new Map(histories.map((history) => [history.id, history]));
  return [...byId.values()].sort(
    (a, b) => (jiraMillis(a.created) ?? 0) - (jiraMillis(b.created) ?? 0) || Number(a.id) - Number(b.id),
  );
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let index = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (index < items.length) {
      const item = items[index++] as T;
      await work(item);
    }
  });
  await Promise.all(workers);
}
