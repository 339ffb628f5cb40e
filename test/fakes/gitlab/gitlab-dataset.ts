import { createHash } from 'node:crypto';
import path from 'node:path';
import { FixtureRepository } from '../github/fake-git-server';
import { Dice, seededRandom } from '../dice';

/**
 * The fake GitLab's data: a deterministic instance (groups nested ≥3 levels, projects with merge requests,
 * notes, approvals, pipelines and jobs, environments and deployments, issues and incidents with their
 * state and label events) built from a seed and a shape. Records are kept in the fake's own terms; the
 * JSON GitLab serves is made from them in gitlab-payloads.ts.
 */

export interface FakeGitLabUser {
  id: number;
  username: string;
  name: string;
  /** A departed colleague is `blocked`: still the author of old work. */
  state: 'active' | 'blocked';
  /** Only commits carry an email (author_email); GitLab's user payloads do not. */
  email: string;
}

export interface FakeGitLabGroup {
  id: number;
  name: string;
  path: string;
  fullPath: string;
  parentId: number | null;
  createdAt: string;
}

export interface FakeGitLabPlannedCommit {
  authorId: number;
  /** ISO 8601 with the author's offset: git keeps it, GitLab serves it. */
  date: string;
  message: string;
  files: Record<string, string | null>;
}

export type FakeNoteKind = 'system' | 'DiffNote' | 'DiscussionNote' | 'comment';

export interface FakeGitLabNote {
  id: number;
  authorId: number;
  body: string;
  kind: FakeNoteKind;
  createdAt: string;
  updatedAt: string;
  /** A DiffNote's place in the diff. */
  position?: { path: string; line: number };
  resolved?: boolean;
}

export type FakeMergeRequestState = 'opened' | 'closed' | 'merged' | 'locked';

export interface FakeGitLabMergeRequest {
  id: number;
  iid: number;
  title: string;
  description: string;
  state: FakeMergeRequestState;
  draft: boolean;
  authorId: number;
  assigneeIds: number[];
  reviewerIds: number[];
  createdAt: string;
  updatedAt: string;
  mergedAt: string | null;
  mergedById: number | null;
  closedAt: string | null;
  closedById: number | null;
  sourceBranch: string;
  targetBranch: string;
  sha: string;
  mergeCommitSha: string | null;
  labels: string[];
  /** GitLab's changes_count is a string, "1000+" past its diff limit. */
  changesCount: string;
  notes: FakeGitLabNote[];
  approvals: { userId: number; approvedAt: string }[];
  /** iids of the project's issues that merging closes ("Closes #N"). */
  closesIssues: number[];
}

export type FakePipelineStatus =
  | 'created'
  | 'waiting_for_resource'
  | 'preparing'
  | 'pending'
  | 'running'
  | 'success'
  | 'failed'
  | 'canceled'
  | 'skipped'
  | 'manual'
  | 'scheduled';

export const PIPELINE_STATUSES: readonly FakePipelineStatus[] = [
  'created',
  'waiting_for_resource',
  'preparing',
  'pending',
  'running',
  'success',
  'failed',
  'canceled',
  'skipped',
  'manual',
  'scheduled',
];

export type FakePipelineSource = 'push' | 'merge_request_event' | 'schedule' | 'web' | 'api' | 'trigger';

export interface FakeGitLabJob {
  id: number;
  name: string;
  stage: 'build' | 'test' | 'deploy';
  status: FakePipelineStatus;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Seconds, a float as GitLab serves it. */
  duration: number | null;
  queuedDuration: number | null;
  allowFailure: boolean;
  failureReason: string | null;
  userId: number;
  /** The environment a deploy job deploys to. */
  environment: string | null;
}

export interface FakeGitLabPipeline {
  id: number;
  iid: number;
  sha: string;
  ref: string;
  status: FakePipelineStatus;
  source: FakePipelineSource;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Whole seconds. */
  duration: number | null;
  queuedDuration: number | null;
  userId: number;
  jobs: FakeGitLabJob[];
}

export type FakeEnvironmentTier = 'production' | 'staging' | 'testing' | 'development' | 'other';

export interface FakeGitLabEnvironment {
  id: number;
  name: string;
  slug: string;
  tier: FakeEnvironmentTier;
  state: 'available' | 'stopping' | 'stopped';
  externalUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

export type FakeDeploymentStatus = 'created' | 'running' | 'success' | 'failed' | 'canceled' | 'skipped' | 'blocked';

export interface FakeGitLabDeployment {
  id: number;
  iid: number;
  environmentId: number;
  ref: string;
  sha: string;
  status: FakeDeploymentStatus;
  createdAt: string;
  updatedAt: string;
  userId: number;
  pipelineId: number;
  /** The deploy job (GitLab's deployable). */
  jobId: number;
}

export interface FakeGitLabStateEvent {
  id: number;
  userId: number;
  createdAt: string;
  state: 'opened' | 'closed' | 'reopened';
}

export interface FakeGitLabLabelEvent {
  id: number;
  userId: number;
  createdAt: string;
  action: 'add' | 'remove';
  label: string;
}

export interface FakeGitLabIssue {
  id: number;
  iid: number;
  title: string;
  description: string;
  issueType: 'issue' | 'incident';
  state: 'opened' | 'closed';
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedById: number | null;
  authorId: number;
  assigneeIds: number[];
  labels: string[];
  milestoneIid: number | null;
  iterationId: number | null;
  weight: number | null;
  /** Incidents only: GitLab's severity. */
  severity: 'UNKNOWN' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL' | null;
  userNotesCount: number;
  stateEvents: FakeGitLabStateEvent[];
  labelEvents: FakeGitLabLabelEvent[];
}

export interface FakeGitLabMilestone {
  id: number;
  iid: number;
  title: string;
  startDate: string;
  dueDate: string;
  createdAt: string;
}

export interface FakeGitLabIteration {
  id: number;
  iid: number;
  sequence: number;
  title: string;
  startDate: string;
  dueDate: string;
  createdAt: string;
}

export interface FakeGitLabProject {
  id: number;
  name: string;
  path: string;
  namespaceId: number;
  pathWithNamespace: string;
  description: string;
  defaultBranch: string;
  createdAt: string;
  lastActivityAt: string;
  /** The history `materializeRepositories` writes; its real shas come from git. */
  plannedCommits: FakeGitLabPlannedCommit[];
  mergeRequests: FakeGitLabMergeRequest[];
  pipelines: FakeGitLabPipeline[];
  environments: FakeGitLabEnvironment[];
  deployments: FakeGitLabDeployment[];
  issues: FakeGitLabIssue[];
  milestones: FakeGitLabMilestone[];
  /** A git directory served at http_url_to_repo (after materializeRepositories). */
  gitDirectory?: string;
}

export interface FakeGitLabDataset {
  seed: number;
  /** Epoch ms every generated timestamp lies before. */
  now: number;
  users: FakeGitLabUser[];
  groups: FakeGitLabGroup[];
  projects: FakeGitLabProject[];
  /** Group-level iterations (cadence of the top group). */
  iterations: FakeGitLabIteration[];
  /** Next ids for records added later (mutations), so they never collide with generated ones. */
  nextIds: {
    mergeRequest: number;
    note: number;
    pipeline: number;
    job: number;
    issue: number;
    event: number;
    deployment: number;
  };
}

export interface FakeGitLabShape {
  /** Subgroup levels below the top group along its deepest branch (≥3 for acme/platform/backend/payments). */
  groupDepth: number;
  projects: number;
  mergeRequestsPerProject: number;
  pipelinesPerProject: number;
  issuesPerProject: number;
  commitsPerProject: number;
  /** Epoch ms; a fixed default keeps a seed's dataset the same from run to run. */
  now: number;
}

export const DEFAULT_GITLAB_SHAPE: FakeGitLabShape = {
  groupDepth: 3,
  projects: 6,
  mergeRequestsPerProject: 40,
  pipelinesPerProject: 24,
  issuesPerProject: 15,
  commitsPerProject: 12,
  now: Date.UTC(2026, 3, 1),
};

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
export const fakeSha = (text: string) => createHash('sha1').update(text).digest('hex');

const PEOPLE: readonly [string, string][] = [
  ['ada', 'Ada Lovelace'],
  ['bob', 'Bob Kahn'],
  ['cy', 'Cy Young'],
  ['dee', 'Dee Mitchell'],
  ['eve', 'Eve Torres'],
  ['fin', 'Finn Walsh'],
  ['gus', 'Gus Grissom'],
  ['hal', 'Hal Abelson'],
];
const LABELS = ['bug', 'feature', 'backend', 'frontend', 'needs-review', 'security', 'tech-debt'];
const OFFSETS = ['+01:00', '-05:00', '+05:30', '+00:00'];

/** Groups: acme, then a chain acme/platform/backend/payments/... `depth` levels deep, and a product branch. */
function buildGroups(depth: number, createdAt: string): FakeGitLabGroup[] {
  const groups: FakeGitLabGroup[] = [
    { id: 100, name: 'Acme', path: 'acme', fullPath: 'acme', parentId: null, createdAt },
  ];
  const chain = ['platform', 'backend', 'payments', 'ledger', 'core', 'deep'];
  let parent = groups[0] as FakeGitLabGroup;
  for (let level = 0; level < depth; level++) {
    const segment = chain[level] ?? `level-${level}`;
    const group: FakeGitLabGroup = {
      id: 101 + level,
      name: segment.charAt(0).toUpperCase() + segment.slice(1),
      path: segment,
      fullPath: `${parent.fullPath}/${segment}`,
      parentId: parent.id,
      createdAt,
    };
    groups.push(group);
    parent = group;
  }
  groups.push({ id: 150, name: 'Product', path: 'product', fullPath: 'acme/product', parentId: 100, createdAt });
  groups.push({ id: 151, name: 'Web', path: 'web', fullPath: 'acme/product/web', parentId: 150, createdAt });
  return groups;
}

const PROJECT_NAMES = ['handbook', 'infra', 'api', 'ledger-service', 'storefront', 'mobile-app', 'billing', 'search'];

/**
 * A deterministic GitLab instance: the same seed and shape give the same dataset, byte for byte.
 * Default shape: 1 + 3 + 2 groups (acme/platform/backend/payments is 4 levels), 6 projects over the
 * levels, 240 merge requests, 144 pipelines, 90 issues (every fifth an incident).
 */
export function fakeGitLabDataset(seed = 1, shape: Partial<FakeGitLabShape> = {}): FakeGitLabDataset {
  const full: FakeGitLabShape = { ...DEFAULT_GITLAB_SHAPE, ...shape };
  const dice = new Dice(seededRandom(seed));
  const now = full.now;
  const start = now - 90 * DAY;
  const users: FakeGitLabUser[] = PEOPLE.map(([username, name], index) => ({
    id: index + 1,
    username,
    name,
    state: username === 'hal' ? 'blocked' : 'active',
    // One private email, as GitLab writes it for users who hide theirs.
    email: username === 'cy' ? `${index + 1}-cy@users.noreply.gitlab.example` : `${username}@acme.example`,
  }));
  const active = users.filter((user) => user.state === 'active').map((user) => user.id);
  const everyone = users.map((user) => user.id);
  const groups = buildGroups(Math.max(3, full.groupDepth), iso(start - 365 * DAY));
  const ids = {
    mergeRequest: 10_000,
    note: 400_000,
    pipeline: 50_000,
    job: 200_000,
    issue: 20_000,
    event: 900_000,
    deployment: 700,
  };
  const iterations: FakeGitLabIteration[] = Array.from({ length: 7 }, (_, index) => ({
    id: 60 + index,
    iid: index + 1,
    sequence: index + 1,
    title: `Sprint ${index + 1}`,
    startDate: iso(start + index * 14 * DAY).slice(0, 10),
    dueDate: iso(start + (index + 1) * 14 * DAY - DAY).slice(0, 10),
    createdAt: iso(start - DAY),
  }));
  // Projects go round the groups so every level, the deepest included, holds one.
  const homes = [groups[0], groups[1], groups[2], groups[3], groups.at(-1), groups.at(-2), groups.at(-3)].filter(
    (group): group is FakeGitLabGroup => group !== undefined,
  );
  const projects: FakeGitLabProject[] = [];
  for (let p = 0; p < full.projects; p++) {
    const group = homes[p % homes.length] as FakeGitLabGroup;
    const name = PROJECT_NAMES[p] ?? `service-${String(p).padStart(2, '0')}`;
    const projectId = 1_000 + p;
    const milestones: FakeGitLabMilestone[] = [1, 2, 3].map((iid) => ({
      id: projectId * 10 + iid,
      iid,
      title: `v${iid}.0`,
      startDate: iso(start + (iid - 1) * 30 * DAY).slice(0, 10),
      dueDate: iso(start + iid * 30 * DAY).slice(0, 10),
      createdAt: iso(start - DAY),
    }));
    const plannedCommits: FakeGitLabPlannedCommit[] = [];
    for (let n = 0; n < full.commitsPerProject; n++) {
      const at = start + ((n + 0.5) / full.commitsPerProject) * 89 * DAY + dice.int(0, 8) * HOUR;
      const offset = dice.pick(OFFSETS);
      const file = `src/${dice.pick(['app', 'db', 'http', 'jobs'])}/module-${n % 5}.ts`;
      plannedCommits.push({
        authorId: dice.pick(everyone),
        date: withOffset(at, offset),
        message: `${dice.pick(['Add', 'Fix', 'Refactor', 'Document'])} ${name} part ${n}\n\nWhy: step ${n} of the plan.`,
        files: {
          [file]: `export const value${n} = ${n};\n`.repeat(1 + dice.int(0, 6)),
          ...(n % 4 === 3 ? { [`docs/notes-${n}.md`]: `# Notes ${n}\n` } : {}),
        },
      });
    }
    const issues = buildIssues(dice, full.issuesPerProject, projectId, start, now, active, milestones, iterations, ids);
    const mergeRequests = buildMergeRequests(
      dice,
      full.mergeRequestsPerProject,
      p,
      start,
      now,
      active,
      everyone,
      issues,
      ids,
    );
    const environments = buildEnvironments(projectId, name, start);
    const pipelines = buildPipelines(dice, full.pipelinesPerProject, projectId, start, now, active, mergeRequests, ids);
    const deployments = buildDeployments(pipelines, environments, ids);
    const activity = [...mergeRequests.map((mr) => mr.updatedAt), ...pipelines.map((pipeline) => pipeline.updatedAt)]
      .sort()
      .at(-1);
    projects.push({
      id: projectId,
      name,
      path: name,
      namespaceId: group.id,
      pathWithNamespace: `${group.fullPath}/${name}`,
      description: `The ${name} of ${group.name}.`,
      defaultBranch: 'main',
      createdAt: iso(start - (30 + p) * DAY),
      lastActivityAt: activity ?? iso(start),
      plannedCommits,
      mergeRequests,
      pipelines,
      environments,
      deployments,
      issues,
      milestones,
    });
  }
  return { seed, now, users, groups, projects, iterations, nextIds: ids };
}

function withOffset(ms: number, offset: string): string {
  const sign = offset.startsWith('-') ? -1 : 1;
  const [hours = '0', minutes = '0'] = offset.slice(1).split(':');
  const local = new Date(ms + sign * (Number(hours) * HOUR + Number(minutes) * MINUTE));
  return `${local.toISOString().slice(0, 19)}${offset}`;
}

type IdCounters = FakeGitLabDataset['nextIds'];

function buildIssues(
  dice: Dice,
  count: number,
  projectId: number,
  start: number,
  now: number,
  people: readonly number[],
  milestones: readonly FakeGitLabMilestone[],
  iterations: readonly FakeGitLabIteration[],
  ids: IdCounters,
): FakeGitLabIssue[] {
  const issues: FakeGitLabIssue[] = [];
  for (let iid = 1; iid <= count; iid++) {
    const incident = iid % 5 === 0;
    const created = start + dice.int(0, 80 * 24) * HOUR;
    const author = dice.pick(people);
    const assignees = dice.some(people, dice.int(0, 2));
    let at = created;
    const step = (hours: number) => (at = Math.min(now - MINUTE, at + hours * HOUR + dice.int(1, 59) * MINUTE));
    const labelEvents: FakeGitLabLabelEvent[] = [];
    const stateEvents: FakeGitLabStateEvent[] = [];
    const labels = new Set<string>();
    const addLabel = (label: string, userId: number) => {
      labels.add(label);
      labelEvents.push({ id: ids.event++, userId, createdAt: iso(step(dice.int(0, 6))), action: 'add', label });
    };
    addLabel(incident ? 'incident' : dice.pick(LABELS), author);
    if (incident) addLabel(dice.pick(['severity::1', 'severity::2', 'severity::3']), author);
    if (dice.chance(0.4)) {
      const triage = 'needs-triage';
      addLabel(triage, author);
      labels.delete(triage);
      labelEvents.push({
        id: ids.event++,
        userId: dice.pick(people),
        createdAt: iso(step(dice.int(1, 12))),
        action: 'remove',
        label: triage,
      });
    }
    const closes = dice.chance(incident ? 0.8 : 0.55);
    let closedAt: number | null = null;
    let closedBy: number | null = null;
    if (closes) {
      closedBy = dice.pick(people);
      closedAt = step(incident ? dice.int(1, 30) : dice.int(12, 240));
      stateEvents.push({ id: ids.event++, userId: closedBy, createdAt: iso(closedAt), state: 'closed' });
      // Some are reopened and closed again: the last close is the one that counts.
      if (dice.chance(0.2)) {
        stateEvents.push({ id: ids.event++, userId: author, createdAt: iso(step(dice.int(2, 48))), state: 'reopened' });
        closedAt = step(dice.int(2, 72));
        stateEvents.push({ id: ids.event++, userId: closedBy, createdAt: iso(closedAt), state: 'closed' });
      }
    } else if (dice.chance(0.15)) {
      // Closed by mistake and reopened: open now, with two state events.
      stateEvents.push({ id: ids.event++, userId: author, createdAt: iso(step(dice.int(1, 24))), state: 'closed' });
      stateEvents.push({ id: ids.event++, userId: author, createdAt: iso(step(dice.int(1, 4))), state: 'reopened' });
    }
    const userNotesCount = dice.int(0, 6);
    issues.push({
      id: ids.issue++,
      iid,
      title: incident
        ? `Incident: ${dice.pick(['checkout errors', 'API latency', 'login failures'])} (${iid})`
        : `Issue ${iid}: ${dice.pick(['slow page', 'wrong total', 'missing export', 'flaky job'])}`,
      description: incident ? `Started at ${iso(created)}; paged on-call.` : `Steps to reproduce issue ${iid}.`,
      issueType: incident ? 'incident' : 'issue',
      state: closes ? 'closed' : 'opened',
      createdAt: iso(created),
      updatedAt: iso(at),
      closedAt: closedAt === null ? null : iso(closedAt),
      closedById: closedBy,
      authorId: author,
      assigneeIds: assignees,
      labels: [...labels].sort(),
      milestoneIid: dice.chance(0.6) ? dice.pick(milestones).iid : null,
      iterationId: dice.chance(0.5) ? dice.pick(iterations).id : null,
      weight: dice.chance(0.7) ? dice.pick([1, 2, 3, 5, 8]) : null,
      severity: incident ? dice.pick(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const) : null,
      userNotesCount,
      stateEvents,
      labelEvents,
    });
  }
  return issues;
}

function buildMergeRequests(
  dice: Dice,
  count: number,
  projectIndex: number,
  start: number,
  now: number,
  people: readonly number[],
  everyone: readonly number[],
  issues: readonly FakeGitLabIssue[],
  ids: IdCounters,
): FakeGitLabMergeRequest[] {
  const mergeRequests: FakeGitLabMergeRequest[] = [];
  for (let iid = 1; iid <= count; iid++) {
    const created = start + dice.int(0, 85 * 24) * HOUR + dice.int(0, 59) * MINUTE;
    // A blocked user authored some old work.
    const author = iid % 17 === 0 ? (everyone.at(-1) ?? 1) : dice.pick(people);
    const roll = dice.next();
    const state: FakeMergeRequestState =
      iid % 23 === 0 ? 'locked' : roll < 0.62 ? 'merged' : roll < 0.82 ? 'opened' : 'closed';
    const reviewers = dice.some(people, dice.int(0, 2), [author]);
    const closable = issues.length > 0 && dice.chance(0.3) ? dice.pick(issues).iid : null;
    const draft = state === 'opened' && dice.chance(0.3);
    const notes: FakeGitLabNote[] = [];
    let at = created;
    const step = (minutes: number) => (at = Math.min(now - MINUTE, at + minutes * MINUTE));
    const note = (authorId: number, kind: FakeNoteKind, body: string, extra: Partial<FakeGitLabNote> = {}) => {
      const when = iso(step(dice.int(3, 240)));
      notes.push({ id: ids.note++, authorId, body, kind, createdAt: when, updatedAt: when, ...extra });
    };
    for (const reviewer of reviewers) note(author, 'system', `requested review from @${userName(reviewer)}`);
    if (draft) note(author, 'system', 'marked this merge request as **draft**');
    const comments = dice.int(0, 4);
    for (let c = 0; c < comments; c++) {
      const by = reviewers.length > 0 && dice.chance(0.7) ? dice.pick(reviewers) : dice.pick(people);
      if (dice.chance(0.6))
        note(by, 'DiffNote', 'Consider guarding against an empty list here.', {
          position: { path: `src/app/module-${c}.ts`, line: dice.int(1, 120) },
          resolved: dice.chance(0.5),
        });
      else note(by, dice.chance(0.5) ? 'DiscussionNote' : 'comment', 'Looks reasonable; one question below.');
      if (dice.chance(0.4)) {
        const commits = dice.int(1, 3);
        const shas = Array.from({ length: commits }, (_, k) => fakeSha(`${projectIndex}:${iid}:${c}:${k}`).slice(0, 8));
        note(
          author,
          'system',
          `added ${commits} commit${commits === 1 ? '' : 's'}\n\n${shas.map((s) => `* ${s} - Address review`).join('\n')}`,
        );
      }
    }
    const approvals: FakeGitLabMergeRequest['approvals'] = [];
    if (state === 'merged' || (state === 'opened' && dice.chance(0.4)))
      for (const reviewer of reviewers.slice(0, state === 'merged' ? 2 : 1)) {
        note(reviewer, 'system', 'approved this merge request');
        approvals.push({ userId: reviewer, approvedAt: notes.at(-1)?.createdAt ?? iso(at) });
      }
    let mergedAt: string | null = null;
    let closedAt: string | null = null;
    let mergedBy: number | null = null;
    let closedBy: number | null = null;
    if (state === 'merged') {
      mergedBy = dice.chance(0.7) ? author : dice.pick(people);
      mergedAt = iso(step(dice.int(10, 600)));
    } else if (state === 'closed') {
      closedBy = dice.chance(0.5) ? author : dice.pick(people);
      closedAt = iso(step(dice.int(60, 3_000)));
      note(closedBy, 'system', 'closed');
    }
    const closes = closable === null ? [] : [closable];
    const topic = dice.pick(['cache', 'retry', 'export', 'auth', 'search', 'billing']);
    mergeRequests.push({
      id: ids.mergeRequest++,
      iid,
      title: `${draft ? 'Draft: ' : ''}${dice.pick(['Add', 'Fix', 'Improve'])} ${topic} handling${closable !== null && dice.chance(0.5) ? ` (Closes #${closable})` : ''}`,
      description: `Changes the ${topic} path.${closable === null ? '' : `\n\nCloses #${closable}`}`,
      state,
      draft,
      authorId: author,
      assigneeIds: [author],
      reviewerIds: reviewers,
      createdAt: iso(created),
      updatedAt: iso(at),
      mergedAt,
      mergedById: mergedBy,
      closedAt,
      closedById: closedBy,
      sourceBranch: `${topic}-${iid}`,
      targetBranch: 'main',
      sha: fakeSha(`mr:${projectIndex}:${iid}:head`),
      mergeCommitSha: state === 'merged' ? fakeSha(`mr:${projectIndex}:${iid}:merge`) : null,
      labels: dice.some(LABELS, dice.int(0, 2)).sort(),
      changesCount: iid % 37 === 0 ? '1000+' : String(dice.int(1, 40)),
      notes,
      approvals,
      closesIssues: closes,
    });
  }
  return mergeRequests;
}

function userName(id: number): string {
  return PEOPLE[id - 1]?.[0] ?? `user${id}`;
}

function buildEnvironments(projectId: number, name: string, start: number): FakeGitLabEnvironment[] {
  const environments: [string, FakeEnvironmentTier, FakeGitLabEnvironment['state']][] = [
    ['production', 'production', 'available'],
    ['staging', 'staging', 'available'],
    ['qa', 'testing', 'available'],
    ['review/cache-7', 'development', 'stopped'],
    ['sandbox', 'other', 'stopping'],
  ];
  return environments.map(([environment, tier, state], index) => ({
    id: projectId * 10 + index,
    name: environment,
    slug: environment.replace(/[^a-z0-9]+/g, '-'),
    tier,
    state,
    externalUrl: state === 'available' ? `https://${environment}.${name}.acme.example` : null,
    createdAt: new Date(start - 10 * DAY).toISOString(),
    updatedAt: new Date(start - 10 * DAY + index * HOUR).toISOString(),
  }));
}

/** Jobs follow their pipeline: a failed pipeline has a failed test job and a skipped deploy, and so on. */
function jobStatuses(status: FakePipelineStatus): [FakePipelineStatus, FakePipelineStatus, FakePipelineStatus] {
  switch (status) {
    case 'success':
      return ['success', 'success', 'success'];
    case 'failed':
      return ['success', 'failed', 'skipped'];
    case 'canceled':
      return ['success', 'canceled', 'canceled'];
    case 'running':
      return ['success', 'running', 'created'];
    case 'pending':
      return ['pending', 'created', 'created'];
    case 'manual':
      return ['success', 'success', 'manual'];
    case 'scheduled':
      return ['success', 'success', 'scheduled'];
    case 'skipped':
      return ['skipped', 'skipped', 'skipped'];
    case 'created':
    case 'waiting_for_resource':
    case 'preparing':
      return [status, 'created', 'created'];
  }
}

const STARTED: readonly FakePipelineStatus[] = ['running', 'success', 'failed', 'canceled', 'manual', 'scheduled'];
const FINISHED: readonly FakePipelineStatus[] = ['success', 'failed', 'canceled', 'manual', 'scheduled'];

function buildPipelines(
  dice: Dice,
  count: number,
  projectId: number,
  start: number,
  now: number,
  people: readonly number[],
  mergeRequests: readonly FakeGitLabMergeRequest[],
  ids: IdCounters,
): FakeGitLabPipeline[] {
  const pipelines: FakeGitLabPipeline[] = [];
  for (let iid = 1; iid <= count; iid++) {
    // The newest pipelines are the unfinished ones; every status shows up in each project of 11+.
    const fromEnd = count - iid;
    const status: FakePipelineStatus =
      fromEnd < PIPELINE_STATUSES.length
        ? (PIPELINE_STATUSES[fromEnd] as FakePipelineStatus)
        : dice.pick(['success', 'success', 'success', 'failed', 'canceled', 'skipped'] as const);
    const created = Math.min(now - 2 * HOUR, start + ((iid - 0.5) / count) * 89 * DAY + dice.int(0, 120) * MINUTE);
    const mergeRequest = dice.chance(0.35) ? dice.pick(mergeRequests) : undefined;
    const source: FakePipelineSource = mergeRequest
      ? 'merge_request_event'
      : dice.pick(['push', 'push', 'push', 'schedule', 'web', 'api', 'trigger'] as const);
    const ref = mergeRequest ? `refs/merge-requests/${mergeRequest.iid}/head` : 'main';
    const queued = dice.int(2, 90);
    const startedAt = STARTED.includes(status) ? created + queued * 1_000 : null;
    const runSeconds = dice.int(120, 1_800);
    const finishedAt = startedAt !== null && FINISHED.includes(status) ? startedAt + runSeconds * 1_000 : null;
    const user = dice.pick(people);
    const statuses = jobStatuses(status);
    const jobs: FakeGitLabJob[] = (['build', 'test', 'deploy'] as const).map((stage, index) => {
      const jobStatus = statuses[index] ?? 'created';
      const jobStarted =
        STARTED.includes(jobStatus) && startedAt !== null ? startedAt + index * (runSeconds / 3) * 1_000 : null;
      const jobFinished =
        jobStarted !== null && jobStatus !== 'running' ? jobStarted + (runSeconds / 3 - 5) * 1_000 : null;
      return {
        id: ids.job++,
        name:
          stage === 'build'
            ? 'compile'
            : stage === 'test'
              ? 'unit-tests'
              : ref === 'main' && iid % 2 === 0
                ? 'deploy-production'
                : 'deploy-staging',
        stage,
        status: jobStatus,
        createdAt: iso(created),
        startedAt: jobStarted === null ? null : iso(jobStarted),
        finishedAt: jobFinished === null ? null : iso(jobFinished),
        duration:
          jobStarted === null ? null : Math.round(((jobFinished ?? jobStarted + 30_000) - jobStarted) / 10) / 100,
        queuedDuration: jobStarted === null ? null : Math.round(queued * 100 + index * 37) / 100,
        allowFailure: false,
        failureReason: jobStatus === 'failed' ? 'script_failure' : null,
        userId: user,
        environment:
          stage === 'deploy' && source !== 'merge_request_event'
            ? ref === 'main' && iid % 2 === 0
              ? 'production'
              : 'staging'
            : null,
      };
    });
    const updated = finishedAt ?? startedAt ?? created;
    pipelines.push({
      id: ids.pipeline++,
      iid,
      sha: mergeRequest?.sha ?? fakeSha(`pipeline:${projectId}:${iid}`),
      ref,
      status,
      source,
      createdAt: iso(created),
      updatedAt: iso(updated + 1_000),
      startedAt: startedAt === null ? null : iso(startedAt),
      finishedAt: finishedAt === null ? null : iso(finishedAt),
      duration: startedAt !== null && finishedAt !== null ? Math.round((finishedAt - startedAt) / 1_000) : null,
      queuedDuration: startedAt === null ? null : queued,
      userId: user,
      jobs,
    });
  }
  return pipelines;
}

const DEPLOYMENT_OF_JOB: Partial<Record<FakePipelineStatus, FakeDeploymentStatus>> = {
  success: 'success',
  failed: 'failed',
  canceled: 'canceled',
  running: 'running',
  created: 'created',
  skipped: 'skipped',
  // A manual production job waiting for an approval: GitLab shows the deployment as blocked.
  manual: 'blocked',
};

/** A deployment per deploy job of a non-MR pipeline (the job is its deployable). */
function buildDeployments(
  pipelines: readonly FakeGitLabPipeline[],
  environments: readonly FakeGitLabEnvironment[],
  ids: IdCounters,
): FakeGitLabDeployment[] {
  const deployments: FakeGitLabDeployment[] = [];
  for (const pipeline of pipelines) {
    const job = pipeline.jobs.find((candidate) => candidate.environment !== null);
    const environment = environments.find((candidate) => candidate.name === job?.environment);
    const status = job ? DEPLOYMENT_OF_JOB[job.status] : undefined;
    if (!job || !environment || !status) continue;
    deployments.push({
      id: ids.deployment++,
      iid: deployments.length + 1,
      environmentId: environment.id,
      ref: 'main',
      sha: pipeline.sha,
      status,
      createdAt: pipeline.createdAt,
      updatedAt: job.finishedAt ?? job.startedAt ?? pipeline.updatedAt,
      userId: job.userId,
      pipelineId: pipeline.id,
      jobId: job.id,
    });
  }
  return deployments;
}

/**
 * Writes each project's planned history into a real git repository under `root` (one per project) and
 * points the project at it, so http_url_to_repo clones and the commits endpoints read real shas.
 */
export async function materializeRepositories(dataset: FakeGitLabDataset, root: string): Promise<void> {
  for (const project of dataset.projects) {
    const fixture = await FixtureRepository.create(
      path.join(root, `${project.id}-${project.path}`),
      project.defaultBranch,
    );
    for (const commit of project.plannedCommits) {
      const author = dataset.users.find((user) => user.id === commit.authorId);
      if (!author) continue;
      await fixture.commit({
        author: { name: author.name, email: author.email },
        date: commit.date,
        message: commit.message,
        files: commit.files,
      });
    }
    project.gitDirectory = fixture.gitDirectory;
  }
}
