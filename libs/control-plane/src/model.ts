import { PROVIDERS, type Provider, isOrgSlug } from '@dev-health/schemas';

/** Billing tiers; a tier bounds how far back a backfill may reach. */
export const ORG_TIERS = ['community', 'team', 'enterprise'] as const;
export type OrgTier = (typeof ORG_TIERS)[number];

/** Backfill depth per tier in days (null: unlimited). */
export const BACKFILL_DAYS_BY_TIER: Record<OrgTier, number | null> = { community: 30, team: 90, enterprise: null };

export const SYNC_MODES = ['incremental', 'backfill'] as const;
export type SyncMode = (typeof SYNC_MODES)[number];

/** queued → running → succeeded | failed | cancelled. queued and running are "active". */
export const SYNC_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];
export const ACTIVE_SYNC_STATUSES: readonly SyncStatus[] = ['queued', 'running'];

export interface Organization {
  slug: string;
  name: string;
  tier: OrgTier;
  created_at: Date;
  updated_at: Date;
}

/** What an integration syncs, per provider. */
export interface IntegrationScopes {
  git: { paths: string[] };
  github: {
    owner: string;
    repositories?: string[];
    /** Regular expression over deployment environment names that count as production (default ^(prod|production)$). */
    production_environment?: string;
    /** Issue labels (case-insensitive) that make an issue an incident (default ["incident"]). */
    incident_labels?: string[];
    /** What to collect (default: all of GITHUB_COLLECTIONS). */
    collect?: GitHubCollection[];
    /** Branches whose commits are collected (default: the repository's default branch). */
    branches?: string[];
    /**
     * clone (default): commits from a cached partial clone, no API budget, exact per-file stats.
     * api: where cloning is not allowed, from GraphQL commit history (a request per 100 commits, totals only).
     */
    commits_from?: 'clone' | 'api';
    /** commits_from api: also read each commit's files (exact per-file stats, a REST request per commit). */
    commit_files?: boolean;
    /** Numbers of the owner's Projects (v2) whose status changes become work-item transitions. */
    projects?: number[];
    /** The projects' single-select field holding an item's status (default "Status"). */
    project_status_field?: string;
    /** api (default): the REST/GraphQL sync. public_events: poll the public events feed, no token needed. */
    mode?: 'api' | 'public_events';
    /** public_events: whose feed — the org's (default) or a user's; with repositories, each repository's. */
    feed?: 'org' | 'user';
  };
  gitlab: {
    /** A group's full path (its subgroups included), or with `projects`, the group they are listed under. */
    group: string;
    /** Project paths ("group/sub/project"): only these. */
    projects?: string[];
    /** Environments counted as production (a regular expression); default: GitLab's tier "production". */
    production_environment?: string;
    /** Issue labels that make an issue an incident, besides GitLab's incident type. */
    incident_labels?: string[];
  };
  jira: {
    /**
     * The site's base URL: https://acme.atlassian.net (Cloud), a Data Center base URL, or for an OAuth 2.0
     * token the gateway https://api.atlassian.com/ex/jira/<cloudId>.
     */
    site: string;
    /** cloud (REST v3) or datacenter (REST v2, Data Center / Server); default: the site's serverInfo. */
    deployment?: 'cloud' | 'datacenter';
    /** Project keys: their issues (with `jql`: those of them it matches). */
    projects?: string[];
    /** A JQL filter (without ORDER BY). */
    jql?: string;
    /** Issue type name → bug, story, task, epic or incident (besides the defaults: Bug, Story, Task, Epic…). */
    issue_types?: Record<string, string>;
    /** The story points field's name or id; default: the number field named "Story Points" or "Story point estimate". */
    story_points_field?: string;
    /**
     * Where an issue's team comes from: a field (default: the one of Atlassian's team type; `field` names
     * another), its components, or its labels — mapped to team names by `map` (required for labels; without
     * it each component is a team).
     */
    teams?: { from: 'field'; field?: string } | { from: 'components' | 'labels'; map?: Record<string, string> };
  };
  synthetic: { seed?: string; days?: number; repos?: number; people?: number };
}
export type IntegrationScope = IntegrationScopes[Provider];

export const GITHUB_COLLECTIONS = ['commits', 'pull_requests', 'deployments', 'workflow_runs', 'issues'] as const;
export type GitHubCollection = (typeof GITHUB_COLLECTIONS)[number];

export interface Integration {
  id: string;
  org_id: string;
  provider: Provider;
  name: string;
  scope: IntegrationScope;
  /** Seconds between scheduled incremental syncs; null: on request only. */
  schedule_interval_seconds: number | null;
  enabled: boolean;
  /** Where the credential is read from (never the credential): see parseCredentialRef. */
  credential_ref: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface SyncRun {
  id: string;
  integration_id: string;
  org_id: string;
  mode: SyncMode;
  status: SyncStatus;
  /** Backfill window [start, end), epoch ms; null for incremental runs. */
  window_start: Date | null;
  window_end: Date | null;
  requested_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  /** Last sign of life from the connector running it: a run silent for too long is failed, not left running. */
  heartbeat_at: Date | null;
  /** When the admin service last sent this run's sync.requested command (queued runs are re-sent until taken). */
  dispatched_at: Date | null;
  /** Records published so far, per entity kind. */
  records: Record<string, number>;
  error_stage: string | null;
  error_message: string | null;
}

/** How an active run ends. */
export type RunOutcome =
  | { status: 'succeeded' }
  | { status: 'failed'; stage: string; message: string }
  | { status: 'cancelled'; message: string };

/** A problem with a field of a request: the field's path and what is wrong. */
export interface FieldProblem {
  field: string;
  message: string;
}

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => isNonEmptyString(item));
const isStringMap = (value: unknown, valid: (item: string) => boolean): boolean =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((item) => typeof item === 'string' && valid(item));
const isHttpUrl = (value: string): boolean => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};
/** The canonical work item types a Jira issue type may be mapped to. */
export const JIRA_WORK_ITEM_TYPES = ['bug', 'story', 'task', 'epic', 'incident'];

export function validateOrganization(input: { slug?: unknown; name?: unknown; tier?: unknown }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isOrgSlug(input.slug))
    problems.push({ field: 'slug', message: 'must be lower-case letters, digits and inner hyphens, at most 40' });
  if (!isNonEmptyString(input.name) || input.name.length > 200)
    problems.push({ field: 'name', message: 'must be a non-empty string of at most 200 characters' });
  if (input.tier !== undefined && !ORG_TIERS.includes(input.tier as OrgTier))
    problems.push({ field: 'tier', message: `must be one of ${ORG_TIERS.join(', ')}` });
  return problems;
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/** Checks a provider's scope object, naming each offending field as scope.<name>. */
export function validateScope(provider: unknown, scope: unknown): FieldProblem[] {
  if (!PROVIDERS.includes(provider as Provider))
    return [{ field: 'provider', message: `must be one of ${PROVIDERS.join(', ')}` }];
  if (typeof scope !== 'object' || scope === null || Array.isArray(scope))
    return [{ field: 'scope', message: 'must be an object' }];
  const fields = scope as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field: `scope.${field}`, message });
  const optionalList = (field: string) => {
    if (fields[field] !== undefined && !isStringList(fields[field])) problem(field, 'must be a list of names');
  };
  const optionalPattern = (field: string) => {
    if (fields[field] === undefined) return;
    if (!isNonEmptyString(fields[field])) problem(field, 'must be a regular expression');
    else if (!compiles(fields[field])) problem(field, 'is not a valid regular expression');
  };
  switch (provider as Provider) {
    case 'git':
      if (!isStringList(fields.paths) || fields.paths.length === 0)
        problem('paths', 'must be a non-empty list of repository paths');
      break;
    case 'github':
      if (!isNonEmptyString(fields.owner)) problem('owner', 'must name the GitHub organization or user');
      optionalList('repositories');
      optionalList('incident_labels');
      optionalList('branches');
      optionalPattern('production_environment');
      if (
        fields.collect !== undefined &&
        !(
          isStringList(fields.collect) &&
          fields.collect.every((kind) => (GITHUB_COLLECTIONS as readonly string[]).includes(kind))
        )
      )
        problem('collect', `must list some of ${GITHUB_COLLECTIONS.join(', ')}`);
      if (fields.commits_from !== undefined && fields.commits_from !== 'clone' && fields.commits_from !== 'api')
        problem('commits_from', 'must be clone or api');
      if (
        fields.projects !== undefined &&
        !(
          Array.isArray(fields.projects) &&
          fields.projects.every((number) => Number.isInteger(number) && (number as number) > 0)
        )
      )
        problem('projects', 'must list project numbers');
      if (fields.project_status_field !== undefined && !isNonEmptyString(fields.project_status_field))
        problem('project_status_field', "must name the projects' status field");
      if (fields.commit_files !== undefined && typeof fields.commit_files !== 'boolean')
        problem('commit_files', 'must be true or false');
      if (fields.mode !== undefined && fields.mode !== 'api' && fields.mode !== 'public_events')
        problem('mode', 'must be api or public_events');
      if (fields.feed !== undefined && fields.feed !== 'org' && fields.feed !== 'user')
        problem('feed', 'must be org or user');
      break;
    case 'gitlab':
      if (!isNonEmptyString(fields.group)) problem('group', 'must name the GitLab group');
      optionalList('projects');
      optionalList('incident_labels');
      optionalPattern('production_environment');
      break;
    case 'jira':
      if (!isNonEmptyString(fields.site) || !isHttpUrl(fields.site))
        problem('site', "must be the Jira site's base URL (https://…)");
      if (fields.deployment !== undefined && fields.deployment !== 'cloud' && fields.deployment !== 'datacenter')
        problem('deployment', 'must be cloud or datacenter');
      optionalList('projects');
      if (fields.jql !== undefined && !isNonEmptyString(fields.jql)) problem('jql', 'must be a JQL string');
      if (fields.projects === undefined && fields.jql === undefined) problem('projects', 'or scope.jql is required');
      if (fields.story_points_field !== undefined && !isNonEmptyString(fields.story_points_field))
        problem('story_points_field', 'must name a field');
      if (
        fields.issue_types !== undefined &&
        !isStringMap(fields.issue_types, (type) => JIRA_WORK_ITEM_TYPES.includes(type))
      )
        problem('issue_types', `must map issue type names to ${JIRA_WORK_ITEM_TYPES.join(', ')}`);
      if (fields.teams !== undefined) {
        const teams = fields.teams as Record<string, unknown>;
        if (
          typeof teams !== 'object' ||
          teams === null ||
          !['field', 'components', 'labels'].includes(String(teams.from))
        )
          problem('teams.from', 'must be field, components or labels');
        else if (teams.from === 'field' && teams.field !== undefined && !isNonEmptyString(teams.field))
          problem('teams.field', 'must name a field');
        else if (teams.from !== 'field' && teams.map !== undefined && !isStringMap(teams.map, isNonEmptyString))
          problem('teams.map', 'must map values to team names');
        else if (teams.from === 'labels' && teams.map === undefined)
          problem('teams.map', 'is required when teams come from labels');
      }
      break;
    case 'synthetic':
      if (fields.seed !== undefined && !isNonEmptyString(fields.seed)) problem('seed', 'must be a string');
      for (const field of ['days', 'repos', 'people'])
        if (fields[field] !== undefined && !(Number.isInteger(fields[field]) && (fields[field] as number) > 0))
          problem(field, 'must be a positive integer');
      break;
  }
  const known: Record<Provider, string[]> = {
    git: ['paths'],
    github: [
      'owner',
      'repositories',
      'production_environment',
      'incident_labels',
      'collect',
      'branches',
      'commits_from',
      'commit_files',
      'projects',
      'project_status_field',
      'mode',
      'feed',
    ],
    gitlab: ['group', 'projects', 'production_environment', 'incident_labels'],
    jira: ['site', 'deployment', 'projects', 'jql', 'issue_types', 'story_points_field', 'teams'],
    synthetic: ['seed', 'days', 'repos', 'people'],
  };
  for (const field of Object.keys(fields))
    if (!known[provider as Provider].includes(field)) problem(field, 'is not a field of this provider');
  return problems;
}

export function validateSchedule(value: unknown): FieldProblem[] {
  if (value === null || value === undefined) return [];
  return Number.isInteger(value) && (value as number) >= 60 && (value as number) <= 86_400 * 7
    ? []
    : [{ field: 'schedule_interval_seconds', message: 'must be an integer from 60 to 604800, or null' }];
}

/** What an integration reads, in a few words: the data-health views' "scope". */
export function scopeLabel(provider: Provider, scope: Readonly<Record<string, unknown>>): string {
  const list = (value: unknown) => (Array.isArray(value) ? value.filter((item) => typeof item === 'string') : []);
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  switch (provider) {
    case 'git':
      return list(scope.paths).join(', ');
    case 'github': {
      const repositories = list(scope.repositories);
      const owner = text(scope.owner);
      return repositories.length > 0 ? repositories.map((name) => `${owner}/${name}`).join(', ') : owner;
    }
    case 'gitlab': {
      const projects = list(scope.projects);
      return projects.length > 0 ? projects.join(', ') : text(scope.group);
    }
    case 'jira':
      return list(scope.projects).join(', ') || text(scope.jql);
    case 'synthetic':
      return `seed ${text(scope.seed) || 'default'}`;
  }
}

/** A backfill job's chunks run one after another: 7 days each, the last one possibly shorter. */
export const BACKFILL_CHUNK_DAYS = 7;

export const BACKFILL_JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type BackfillJobStatus = (typeof BACKFILL_JOB_STATUSES)[number];
export const BACKFILL_CHUNK_STATUSES = ['pending', 'running', 'done', 'failed'] as const;
export type BackfillChunkStatus = (typeof BACKFILL_CHUNK_STATUSES)[number];

export interface BackfillChunk {
  job_id: string;
  chunk_index: number;
  window_start: Date;
  window_end: Date;
  status: BackfillChunkStatus;
  /** The sync run of its latest attempt. */
  run_id: string | null;
  attempts: number;
  records: Record<string, number>;
  error: string | null;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface BackfillJob {
  id: string;
  org_id: string;
  integration_id: string;
  since: Date;
  before: Date;
  status: BackfillJobStatus;
  requested_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  error: string | null;
  /** After the job succeeded: the metrics rebuild of its org and range (queued, running, done, failed). */
  rebuild_status: string | null;
  rebuild_error: string | null;
  rebuild_dispatched_at: Date | null;
  rebuild_updated_at: Date | null;
}

export interface BackfillJobView extends BackfillJob {
  chunks: BackfillChunk[];
  progress: { chunks_done: number; chunks_total: number; percent: number; records: number };
}

/** [since, before) cut into consecutive windows of BACKFILL_CHUNK_DAYS days (the last may be shorter). */
export function backfillChunks(since: Date, before: Date): { start: Date; end: Date }[] {
  const chunkMs = BACKFILL_CHUNK_DAYS * 86_400_000;
  const chunks: { start: Date; end: Date }[] = [];
  for (let start = since.getTime(); start < before.getTime(); start += chunkMs)
    chunks.push({ start: new Date(start), end: new Date(Math.min(start + chunkMs, before.getTime())) });
  return chunks;
}

export const REPLAY_JOB_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type ReplayJobStatus = (typeof REPLAY_JOB_STATUSES)[number];
export const REPLAY_JOB_FINAL: readonly ReplayJobStatus[] = ['done', 'failed', 'cancelled'];

/** One partition of a replay: [start, end) captured when it started, `position` the next offset to replay. */
export interface ReplayPartitionProgress {
  topic: string;
  partition: number;
  start: number;
  end: number;
  position: number;
}

/** A replay of one stage's input topics for one org (replay_jobs). */
export interface ReplayJob {
  id: string;
  org_id: string;
  stage: string;
  /** null with no from_offsets: from the earliest record still stored. */
  from_time: Date | null;
  to_time: Date | null;
  from_offsets: { topic: string; partition: number; offset: number }[];
  /** Processor replays: the reprocessing generation its records carry (1, 2, … per org). */
  generation: number;
  status: ReplayJobStatus;
  partitions: ReplayPartitionProgress[];
  done: number;
  total: number;
  percent: number;
  error: string | null;
  requested_at: Date;
  dispatched_at: Date | null;
  cancel_requested_at: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
  updated_at: Date;
}

/** What a replay request asks for, validated. */
export interface ReplayRequest {
  stage: string;
  fromTime: Date | null;
  toTime: Date | null;
  fromOffsets: { topic: string; partition: number; offset: number }[];
}
