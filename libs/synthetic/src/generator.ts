import { DEFAULT_ORG, type RawRecord } from '@dev-health/schemas';
import {
  type Organisation,
  type OrganisationShape,
  type Person,
  type Repository,
  buildOrganisation,
} from './organisation';
import type {
  SyntheticCommitPayload,
  SyntheticDeploymentPayload,
  SyntheticEntityKind,
  SyntheticIncidentPayload,
  SyntheticPayloads,
  SyntheticPipelineRunPayload,
  SyntheticPullRequestPayload,
  SyntheticReviewCommentPayload,
  SyntheticReviewPayload,
  SyntheticWorkItemPayload,
  SyntheticWorkItemTransitionPayload,
} from './payloads';
import { Random } from './random';
import { DAY, HOUR, isWeekend, parseStartDate, wholeSecond, zonedIso } from './time';

export interface SyntheticOptions extends OrganisationShape {
  seed: string;
  /** First generated day (UTC, YYYY-MM-DD). Pinned: nothing depends on the day the generator runs. */
  startDate: string;
  days: number;
  /** Org-wide, on a working day; weekends get the few people who work them. */
  commitsPerDay: number;
  pullRequestsPerDay: number;
  workItemsPerDay: number;
  /** The org the records are published for (the default org when unset); not part of the data. */
  org?: string;
}

export const DEFAULT_SYNTHETIC_OPTIONS: SyntheticOptions = {
  seed: 'dev-health',
  startDate: '2026-01-05',
  days: 28,
  repos: 6,
  teams: 3,
  people: 24,
  commitsPerDay: 60,
  pullRequestsPerDay: 12,
  workItemsPerDay: 10,
};

const BUSINESS_START_HOUR = 9;
const BUSINESS_END_HOUR = 17;
const MODULES = ['core', 'api', 'billing', 'auth', 'search', 'ui', 'jobs', 'db', 'util', 'config'] as const;
const VERBS = ['Add', 'Fix', 'Refactor', 'Remove', 'Speed up', 'Document', 'Test', 'Rename', 'Handle', 'Log'] as const;
const NOUNS = [
  'retry logic',
  'pagination',
  'cache',
  'login flow',
  'exporter',
  'schema',
  'rate limiter',
  'dashboard',
  'webhook',
  'migration',
  'timeouts',
  'error page',
] as const;
const PIPELINE_JOBS = ['build', 'test', 'lint'] as const;
/** PR numbers and work item keys encode the day, so a day can be generated without the ones before it. */
const MAX_PER_DAY = 99_999;
/** Shares of records that name a work item, as teams that link their work do. */
const PR_KEY_SHARE = 0.6;
const COMMIT_KEY_SHARE = 0.25;
/** Work items a record may name: those created in the days before it. */
const KEY_LOOKBACK_DAYS = 14;
/** Days of a repository's commits a deployment or merge may point at. */
const SHA_LOOKBACK_DAYS = 3;
/** Days whose link targets are kept (a generation walks forward: recent days are asked again). */
const LINK_CACHE_DAYS = 32;

/** What a day holds that other records link to: work-item keys per project, commits per repository. */
interface DayLinks {
  keys: Map<string, string[]>;
  commits: Map<string, { sha: string; at: number; email: string }[]>;
}

/** Live PR numbers live above every day-generated one. */
const LIVE_NUMBER_BASE = 1_000_000_000;

type Emit = <K extends SyntheticEntityKind>(
  kind: K,
  scope: string,
  sourceId: string,
  observedAt: number,
  payload: SyntheticPayloads[K],
) => void;

/**
 * Generates an engineering organisation's history as raw records, one batch per step: the org chart
 * first, then each day. Pure and deterministic: the same options give byte-identical records on any
 * machine and any day (no clock, no Math.random; every stream is derived from the seed).
 */
export class SyntheticGenerator {
  readonly organisation: Organisation;
  private readonly startMs: number;
  private readonly peopleByTeam = new Map<number, Person[]>();
  private readonly keysByDay = new Map<number, Map<string, string[]>>();
  private readonly commitsByDay = new Map<number, DayLinks['commits']>();
  private readonly reposByTeam = new Map<number, Repository[]>();

  private readonly org: string;

  constructor(readonly options: SyntheticOptions) {
    validateOptions(options);
    this.org = options.org ?? DEFAULT_ORG;
    this.startMs = parseStartDate(options.startDate);
    this.organisation = buildOrganisation(options.seed, options);
    for (const person of this.organisation.people)
      this.peopleByTeam.set(person.teamIndex, [...(this.peopleByTeam.get(person.teamIndex) ?? []), person]);
    for (const repository of this.organisation.repositories)
      this.reposByTeam.set(repository.teamIndex, [...(this.reposByTeam.get(repository.teamIndex) ?? []), repository]);
  }

  /**
   * The org chart (repositories, teams, identities, memberships), then one batch per day: every day,
   * or with a window (a backfill) only the days that start in [startMs, endMs), the same records as
   * the whole history has for them.
   */
  *batches(window: { startMs: number; endMs: number } | null = null): Generator<RawRecord[]> {
    yield this.organisationRecords();
    for (const day of this.days(window)) yield this.dayRecords(day);
  }

  /** The generated days (indexes) a window holds: those whose UTC day starts inside it. */
  days(window: { startMs: number; endMs: number } | null = null): number[] {
    const all = Array.from({ length: this.options.days }, (_, day) => day);
    if (window === null) return all;
    return all.filter((day) => {
      const dayStart = this.startMs + day * DAY;
      return dayStart >= window.startMs - (window.startMs % DAY) && dayStart < window.endMs;
    });
  }

  organisationRecords(): RawRecord[] {
    const { records, emit } = collector(this.org, `org`);
    const at = this.startMs - 90 * DAY;
    for (const repository of this.organisation.repositories) {
      emit('repository', repository.fullName, repository.fullName, at, {
        full_name: repository.fullName,
        name: repository.name,
        url: `https://code.acme.example/${repository.fullName}`,
        default_branch: 'main',
        created_at: zonedIso(at, 0),
      });
    }
    for (const team of this.organisation.teams)
      emit('team', 'acme', team.slug, at, { slug: team.slug, name: team.name, parent_slug: team.parentSlug });
    for (const person of this.organisation.people) {
      emit('identity', 'acme', person.primaryEmail, at, {
        display_name: person.name,
        primary_email: person.primaryEmail,
        emails: [person.primaryEmail, ...person.otherEmails],
        logins: [person.login],
      });
      const team = this.organisation.teams[person.teamIndex];
      if (team)
        emit('team_membership', 'acme', `${team.slug}/${person.login}`, at, {
          team_slug: team.slug,
          member_email: person.primaryEmail,
          role: person.index < this.organisation.teams.length ? 'lead' : 'member',
          since: zonedIso(at, 0),
        });
    }
    return records;
  }

  /** Everything that starts on one day. Each day has its own random streams, so days can be generated alone. */
  dayRecords(day: number): RawRecord[] {
    const dayStart = this.startMs + day * DAY;
    const { records, emit } = collector(this.org, `day:${day}`);
    this.commits(day, dayStart, emit);
    this.pullRequests(day, dayStart, emit);
    this.deliveries(day, dayStart, emit);
    this.workItems(day, dayStart, emit);
    return records;
  }

  /**
   * Live activity for one tick: `events` things that happen around `now` (commits mostly, PRs merging,
   * work items finishing, deployments), emitted as of `now` — nothing from the future.
   */
  liveRecords(tick: number, now: number, events: number): RawRecord[] {
    const random = new Random(this.options.seed, 'live', tick);
    const { records, emit } = collector(this.org, `live:${tick}`);
    const asOfNow: Emit = (kind, scope, sourceId, observedAt, payload) => {
      if (observedAt <= now) emit(kind, scope, sourceId, observedAt, payload);
    };
    for (let event = 0; event < events; event++) {
      const kind = random.weighted([
        ['commit', 80],
        ['pull_request', 10],
        ['work_item', 7],
        ['deployment', 3],
      ] as const);
      const id = `${tick}-${event}`;
      const live = new Random(this.options.seed, 'live', tick, event);
      if (kind === 'commit') this.commit(live, now, this.pickPerson(live), emit, id);
      else if (kind === 'pull_request')
        this.pullRequest(
          live,
          now - live.exponential(30 * HOUR),
          LIVE_NUMBER_BASE + ((tick * 1_000 + event) % LIVE_NUMBER_BASE),
          asOfNow,
        );
      else if (kind === 'work_item') this.workItem(live, now - live.exponential(48 * HOUR), `L${id}`, asOfNow);
      else this.deployment(live, this.pickRepository(live), now - 5 * 60_000, `live-${id}`, asOfNow);
    }
    return records;
  }

  private commits(day: number, dayStart: number, emit: Emit): void {
    const random = new Random(this.options.seed, 'commits', day);
    const weekend = isWeekend(dayStart);
    const planned = random.poisson(this.options.commitsPerDay);
    for (let index = 0; index < planned; index++) {
      const person = this.pickPerson(random);
      // On weekends only the share of people who work them do; the plan is thinned, not moved.
      if (weekend && !random.chance(person.weekendShare * 4)) continue;
      this.commit(random, this.workTime(random, person, dayStart), person, emit, `${day}-${index}`, day);
    }
  }

  /** `day`: the history day it belongs to, whose earlier work items its message may name (live: none). */
  private commit(random: Random, at: number, person: Person, emit: Emit, id: string, day?: number): void {
    const repository = this.repositoryFor(random, person);
    const bucket = random.weighted([
      ['small', 70],
      ['medium', 25],
      ['large', 5],
    ] as const);
    const lines =
      bucket === 'small' ? random.int(1, 50) : bucket === 'medium' ? random.int(51, 300) : random.int(301, 2_500);
    const fileCount = Math.min(
      lines,
      random.weighted([
        [1, 30],
        [2, 30],
        [3, 20],
        [5, 12],
        [8, 6],
        [13, 2],
      ] as const),
    );
    const files = splitLines(random, lines, fileCount).map((fileLines, index) => {
      const deletions = Math.floor(fileLines * random.next() * 0.4);
      return {
        path: `src/${random.pick(MODULES)}/${random.pick(MODULES)}-${index}.ts`,
        additions: fileLines - deletions,
        deletions,
      };
    });
    const email =
      person.otherEmails.length > 0 && random.chance(0.3) ? random.pick(person.otherEmails) : person.primaryEmail;
    const signature = { name: person.name, email, date: zonedIso(at, person.utcOffsetMinutes) };
    const sha = random.sha();
    const payload: SyntheticCommitPayload = {
      sha,
      parents: [random.sha()],
      author: signature,
      committer: signature,
      subject: `${random.pick(VERBS)} ${random.pick(NOUNS)} (${id})`,
      files: dedupePaths(files),
    };
    // A key is chosen from a stream of its own, so every other draw of the day stays as it was.
    const key = day === undefined ? null : this.mention(day, repository, COMMIT_KEY_SHARE, 'commit', id);
    if (key) payload.subject = `${key} ${payload.subject}`;
    emit('commit', repository.fullName, sha, at, payload);
  }

  private pullRequests(day: number, dayStart: number, emit: Emit): void {
    const random = new Random(this.options.seed, 'pull-requests', day);
    if (isWeekend(dayStart)) return;
    const count = Math.min(MAX_PER_DAY, random.poisson(this.options.pullRequestsPerDay));
    for (let index = 0; index < count; index++) {
      const author = this.pickPerson(random);
      this.pullRequest(
        random,
        this.workTime(random, author, dayStart),
        day * MAX_PER_DAY + index + 1,
        emit,
        author,
        day,
      );
    }
  }

  /** One PR's whole life from `createdAt`: reviews, comments, merge or close, CI runs. */
  private pullRequest(
    random: Random,
    createdAt: number,
    number: number,
    emit: Emit,
    author = this.pickPerson(random),
    day?: number,
  ): void {
    const repository = this.repositoryFor(random, author);
    const scope = repository.fullName;
    const outcome = random.weighted([
      ['merged', 80],
      ['closed', 12],
      ['open', 8],
    ] as const);
    const isRevert = random.chance(0.03);
    const lines = random.weighted([
      [random.int(1, 50), 45],
      [random.int(51, 300), 40],
      [random.int(301, 1_500), 15],
    ] as const);
    const deletions = Math.floor(lines * random.next() * 0.4);
    const reviewers = this.teammates(random, author, random.int(1, 2));
    let clock = createdAt;
    let reviewId = number * 10;
    const reviews: SyntheticReviewPayload[] = [];
    const comments: SyntheticReviewCommentPayload[] = [];
    if (outcome !== 'closed' || random.chance(0.4)) {
      clock += Math.min(random.exponential(5 * HOUR), 72 * HOUR) + 5 * 60_000;
      for (const reviewer of reviewers) {
        const state =
          reviews.length === 0 && random.chance(0.25)
            ? 'changes_requested'
            : random.chance(0.15)
              ? 'commented'
              : 'approved';
        const commentCount = random.weighted([
          [0, 50],
          [1, 25],
          [2, 15],
          [4, 10],
        ] as const);
        for (let c = 0; c < commentCount; c++)
          comments.push({
            id: number * 100 + comments.length,
            pull_number: number,
            author_login: reviewer.login,
            created_at: zonedIso(clock + c * 60_000, reviewer.utcOffsetMinutes),
            path: random.chance(0.8) ? `src/${random.pick(MODULES)}/index.ts` : null,
          });
        reviews.push({
          id: reviewId++,
          pull_number: number,
          reviewer_login: reviewer.login,
          state,
          submitted_at: zonedIso(clock + commentCount * 60_000, reviewer.utcOffsetMinutes),
        });
        clock += random.exponential(2 * HOUR) + commentCount * 60_000;
        if (state === 'changes_requested') {
          clock += random.exponential(8 * HOUR) + 30 * 60_000;
          reviews.push({
            id: reviewId++,
            pull_number: number,
            reviewer_login: reviewer.login,
            state: 'approved',
            submitted_at: zonedIso(clock, reviewer.utcOffsetMinutes),
          });
        }
      }
    }
    const finishedAt = clock + random.exponential(3 * HOUR) + 60_000;
    const drawnMergeSha = outcome === 'merged' ? random.sha() : null;
    // Squash-merged: the merge commit is the author's newest commit of the repository by then, when the
    // history has one (the work graph's PR CONTAINS commit), else a commit outside the history.
    const mergeSha =
      drawnMergeSha === null || day === undefined
        ? drawnMergeSha
        : (this.newestCommit(repository, finishedAt, day, (email) => isEmailOf(author, email))?.sha ?? drawnMergeSha);
    const title = isRevert
      ? `Revert "${random.pick(VERBS)} ${random.pick(NOUNS)}"`
      : `${random.pick(VERBS)} ${random.pick(NOUNS)}`;
    const key = day === undefined ? null : this.mention(day, repository, PR_KEY_SHARE, 'pull-request', String(number));
    const base: SyntheticPullRequestPayload = {
      number,
      title: key ? `${key}: ${title}` : title,
      state: 'open',
      author_login: author.login,
      created_at: zonedIso(createdAt, author.utcOffsetMinutes),
      updated_at: zonedIso(createdAt, author.utcOffsetMinutes),
      merged_at: null,
      closed_at: null,
      base_branch: 'main',
      head_branch: `${author.login}/${number}`,
      merge_commit_sha: null,
      additions: lines - deletions,
      deletions,
      changed_files: Math.max(1, Math.round(lines / 40)),
      reverts_number: isRevert && number > 1 ? number - 1 : null,
    };
    // The open version first, then the final one: the stores must keep the newest whatever the order.
    emit('pull_request', scope, String(number), createdAt, base);
    this.pipelineRun(random, repository, createdAt + 2 * 60_000, base.head_branch, random.sha(), `pr-${number}`, emit);
    for (const review of reviews)
      emit('review', scope, `${number}/${review.id}`, Date.parse(review.submitted_at), review);
    for (const comment of comments)
      emit('review_comment', scope, `${number}/${comment.id}`, Date.parse(comment.created_at), comment);
    if (outcome === 'open') return;
    const finishedIso = zonedIso(finishedAt, author.utcOffsetMinutes);
    emit('pull_request', scope, String(number), finishedAt, {
      ...base,
      state: outcome,
      updated_at: finishedIso,
      merged_at: outcome === 'merged' ? finishedIso : null,
      closed_at: finishedIso,
      merge_commit_sha: mergeSha,
    });
    if (mergeSha) this.pipelineRun(random, repository, finishedAt + 60_000, 'main', mergeSha, `main-${number}`, emit);
  }

  private pipelineRun(
    random: Random,
    repository: Repository,
    createdAt: number,
    branch: string,
    sha: string,
    id: string,
    emit: Emit,
  ): void {
    const status = random.weighted([
      ['success', 85],
      ['failed', 12],
      ['canceled', 3],
    ] as const);
    const started = createdAt + random.int(5, 90) * 1000;
    let clock = started;
    const jobs = PIPELINE_JOBS.map((name, index) => {
      const jobStart = clock;
      clock += random.int(30, 600) * 1000;
      const last = index === PIPELINE_JOBS.length - 1;
      return {
        name,
        status: last ? status : 'success',
        started_at: zonedIso(jobStart, 0),
        finished_at: zonedIso(clock, 0),
      };
    });
    const payload: SyntheticPipelineRunPayload = {
      id: hashNumber(`${repository.fullName}/${id}`),
      name: 'ci',
      status,
      head_sha: sha,
      branch,
      created_at: zonedIso(createdAt, 0),
      started_at: zonedIso(started, 0),
      finished_at: zonedIso(clock, 0),
      updated_at: zonedIso(clock, 0),
      jobs,
    };
    emit('pipeline_run', repository.fullName, id, clock, payload);
  }

  private deliveries(day: number, dayStart: number, emit: Emit): void {
    const random = new Random(this.options.seed, 'deliveries', day);
    const weekend = isWeekend(dayStart);
    for (const repository of this.organisation.repositories) {
      const deploys = weekend ? (random.chance(0.05) ? 1 : 0) : random.poisson(1.2);
      for (let index = 0; index < deploys; index++) {
        const at = dayStart + (BUSINESS_START_HOUR + random.next() * 8) * HOUR;
        this.deployment(random, repository, at, `${day}-${index}`, emit, day);
      }
      // Incidents nobody traced to a deployment.
      if (random.chance(0.02))
        this.incident(random, repository, dayStart + random.next() * DAY, `${day}-${repository.index}`, null, emit);
    }
  }

  /** `day`: the history day, whose repository's newest commit before `at` it deploys (live: a sha of its own). */
  private deployment(random: Random, repository: Repository, at: number, id: string, emit: Emit, day?: number): void {
    const status = random.weighted([
      ['success', 88],
      ['failed', 10],
      ['canceled', 2],
    ] as const);
    const drawnSha = random.sha();
    const sha = (day === undefined ? undefined : this.newestCommit(repository, at, day, () => true)?.sha) ?? drawnSha;
    const finished = at + random.int(60, 900) * 1000;
    const deploymentId = hashNumber(`${repository.fullName}/deploy/${id}`);
    const payload: SyntheticDeploymentPayload = {
      id: deploymentId,
      environment: 'production',
      status,
      sha,
      service: repository.service,
      created_at: zonedIso(at, 0),
      finished_at: zonedIso(finished, 0),
      updated_at: zonedIso(finished, 0),
    };
    // Staging goes first and always succeeds: an environment the DORA metrics must ignore.
    emit('deployment', repository.fullName, `${id}-staging`, at - 20 * 60_000, {
      ...payload,
      id: deploymentId + 1,
      environment: 'staging',
      status: 'success',
      created_at: zonedIso(at - 20 * 60_000, 0),
      finished_at: zonedIso(at - 15 * 60_000, 0),
      updated_at: zonedIso(at - 15 * 60_000, 0),
    });
    emit('deployment', repository.fullName, id, finished, payload);
    if (status === 'failed' && random.chance(0.5))
      this.incident(random, repository, finished + 10 * 60_000, `deploy-${id}`, deploymentId, emit);
    else if (status === 'success' && random.chance(0.03))
      this.incident(random, repository, finished + random.exponential(6 * HOUR), `late-${id}`, deploymentId, emit);
  }

  private incident(
    random: Random,
    repository: Repository,
    startedAt: number,
    id: string,
    deploymentId: number | null,
    emit: Emit,
  ): void {
    const resolved = random.chance(0.9);
    const resolvedAt = resolved ? startedAt + random.exponential(3 * HOUR) + 10 * 60_000 : null;
    const payload: SyntheticIncidentPayload = {
      id: `INC-${hashNumber(`${repository.fullName}/${id}`) % 1_000_000}`,
      service: repository.service,
      title: `${repository.service}: ${random.pick(['elevated errors', 'latency spike', 'outage', 'data delay'])}`,
      severity: random.weighted([
        ['sev1', 5],
        ['sev2', 20],
        ['sev3', 50],
        ['sev4', 25],
      ] as const),
      status: resolved ? 'resolved' : 'open',
      started_at: zonedIso(startedAt, 0),
      resolved_at: resolvedAt === null ? null : zonedIso(resolvedAt, 0),
      deployment_id: deploymentId,
      updated_at: zonedIso(resolvedAt ?? startedAt, 0),
    };
    emit('incident', repository.fullName, payload.id, resolvedAt ?? startedAt, payload);
  }

  private workItems(day: number, dayStart: number, emit: Emit): void {
    const random = new Random(this.options.seed, 'work-items', day);
    if (isWeekend(dayStart)) return;
    const count = Math.min(MAX_PER_DAY, random.poisson(this.options.workItemsPerDay));
    for (let index = 0; index < count; index++) {
      const reporter = this.pickPerson(random);
      this.workItem(
        random,
        this.workTime(random, reporter, dayStart),
        `${day * MAX_PER_DAY + index + 1}`,
        emit,
        reporter,
      );
    }
  }

  /** A work item and its status history: backlog → in progress → review → done; some reopened, canceled, or still open. */
  private workItem(
    random: Random,
    createdAt: number,
    number: string,
    emit: Emit,
    reporter = this.pickPerson(random),
  ): void {
    const repository = this.repositoryFor(random, reporter);
    const team = this.organisation.teams[repository.teamIndex];
    const assignee = random.chance(0.9) ? random.pick(this.peopleByTeam.get(repository.teamIndex) ?? [reporter]) : null;
    const outcome = random.weighted([
      ['done', 66],
      ['reopened', 8],
      ['canceled', 8],
      ['in_progress', 10],
      ['backlog', 8],
    ] as const);
    const transitions: SyntheticWorkItemTransitionPayload[] = [];
    let status = 'Backlog';
    let clock = createdAt;
    const move = (to: string, meanHours: number) => {
      clock += random.exponential(meanHours * HOUR) + 10 * 60_000;
      const actor = to === 'Backlog' ? reporter : (assignee ?? reporter);
      transitions.push({
        from_status: status,
        to_status: to,
        at: zonedIso(clock, actor.utcOffsetMinutes),
        actor_login: actor.login,
      });
      status = to;
    };
    transitions.push({
      from_status: null,
      to_status: 'Backlog',
      at: zonedIso(createdAt, reporter.utcOffsetMinutes),
      actor_login: reporter.login,
    });
    if (outcome === 'canceled') move('Canceled', 40);
    else if (outcome !== 'backlog') {
      move('In Progress', 30);
      if (outcome !== 'in_progress') {
        move('In Review', 20);
        move('Done', 6);
        if (outcome === 'reopened') {
          move('In Progress', 48);
          move('In Review', 12);
          move('Done', 4);
        }
      }
    }
    const type = random.weighted([
      ['story', 50],
      ['bug', 30],
      ['task', 20],
    ] as const);
    const key = `${repository.projectKey}-${number}`;
    const payload: SyntheticWorkItemPayload = {
      key,
      project: repository.projectKey,
      title: `${random.pick(VERBS)} ${random.pick(NOUNS)}`,
      type,
      status,
      assignee_login: assignee?.login ?? null,
      reporter_login: reporter.login,
      team_slug: team?.slug ?? 'core',
      created_at: zonedIso(createdAt, reporter.utcOffsetMinutes),
      updated_at: zonedIso(clock, reporter.utcOffsetMinutes),
      transitions,
    };
    emit('work_item', repository.projectKey, key, clock, payload);
  }

  /**
   * A key of a work item of the repository's project created in the days before `day`, named by a
   * record with chance `share`; drawn from a stream of the record's own.
   */
  private mention(day: number, repository: Repository, share: number, kind: string, id: string): string | null {
    const random = new Random(this.options.seed, 'links', kind, id);
    if (!random.chance(share)) return null;
    const keys: string[] = [];
    for (let before = Math.max(0, day - KEY_LOOKBACK_DAYS); before < day; before++)
      keys.push(...(this.workItemKeys(before).get(repository.projectKey) ?? []));
    return keys.length === 0 ? null : random.pick(keys);
  }

  /** The newest commit of the repository at or before `at` (of the last days), among those `by` accepts. */
  private newestCommit(
    repository: Repository,
    at: number,
    day: number,
    by: (email: string) => boolean,
  ): { sha: string; at: number } | undefined {
    let newest: { sha: string; at: number } | undefined;
    for (let recent = Math.max(0, day - SHA_LOOKBACK_DAYS); recent <= day + 1 && recent < this.options.days; recent++)
      for (const commit of this.dayCommits(recent).get(repository.fullName) ?? [])
        if (commit.at <= at && by(commit.email) && (!newest || commit.at > newest.at)) newest = commit;
    return newest;
  }

  /** A day's work-item keys per project, by generating its work items again (each day has its own streams). */
  private workItemKeys(day: number): DayLinks['keys'] {
    return remembered(this.keysByDay, day, () => {
      const keys: DayLinks['keys'] = new Map();
      this.workItems(day, this.startMs + day * DAY, (kind, scope, _sourceId, _at, payload) => {
        if (kind === 'work_item')
          keys.set(scope, [...(keys.get(scope) ?? []), (payload as SyntheticWorkItemPayload).key]);
      });
      return keys;
    });
  }

  /** A day's commits per repository, by generating them again. */
  private dayCommits(day: number): DayLinks['commits'] {
    return remembered(this.commitsByDay, day, () => {
      const commits: DayLinks['commits'] = new Map();
      this.commits(day, this.startMs + day * DAY, (kind, scope, _sourceId, at, payload) => {
        if (kind !== 'commit') return;
        const commit = payload as SyntheticCommitPayload;
        commits.set(scope, [...(commits.get(scope) ?? []), { sha: commit.sha, at, email: commit.author.email }]);
      });
      return commits;
    });
  }

  /** When a person does something on a day: business hours in their own time zone, sometimes not. */
  private workTime(random: Random, person: Person, dayStart: number): number {
    const afterHours = random.chance(person.afterHoursShare);
    const localHour = afterHours
      ? random.pick([6, 7, 8, 17, 18, 19, 20, 21, 22, 23])
      : random.int(BUSINESS_START_HOUR, BUSINESS_END_HOUR - 1);
    const localMs = localHour * HOUR + random.int(0, 3_599) * 1000;
    return dayStart + localMs - person.utcOffsetMinutes * 60_000;
  }

  private pickPerson(random: Random): Person {
    return random.pick(this.organisation.people);
  }

  private pickRepository(random: Random): Repository {
    return random.pick(this.organisation.repositories);
  }

  /** Mostly the person's team's repositories, sometimes anyone's. */
  private repositoryFor(random: Random, person: Person): Repository {
    const own = this.reposByTeam.get(person.teamIndex);
    return own && own.length > 0 && random.chance(0.85) ? random.pick(own) : this.pickRepository(random);
  }

  private teammates(random: Random, person: Person, count: number): Person[] {
    const candidates = (this.peopleByTeam.get(person.teamIndex) ?? []).filter((other) => other !== person);
    const pool = candidates.length > 0 ? candidates : this.organisation.people.filter((other) => other !== person);
    const chosen: Person[] = [];
    for (let i = 0; i < count && pool.length > chosen.length; i++) {
      const next = random.pick(pool.filter((candidate) => !chosen.includes(candidate)));
      chosen.push(next);
    }
    return chosen;
  }
}

function collector(org: string, cursor: string): { records: RawRecord[]; emit: Emit } {
  const records: RawRecord[] = [];
  const emit: Emit = (kind, scope, sourceId, observedAt, payload) => {
    records.push({
      org_id: org,
      provider: 'synthetic',
      entity_kind: kind,
      source_id: sourceId,
      scope,
      // When the "API" would have shown this version: deterministic, unlike a wall clock.
      fetched_at: wholeSecond(observedAt),
      request: null,
      cursor,
      sync_mode: 'incremental',
      backfill_job_id: null,
      payload: JSON.stringify(payload),
    });
  };
  return { records, emit };
}

/** Splits `lines` over `files` files, each at least one line. */
function splitLines(random: Random, lines: number, files: number): number[] {
  const weights = Array.from({ length: files }, () => 0.2 + random.next());
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const split = weights.map((weight) => Math.max(1, Math.floor((weight / total) * lines)));
  const assigned = split.reduce((sum, value) => sum + value, 0);
  split[0] = Math.max(1, (split[0] ?? 1) + lines - assigned);
  return split;
}

function dedupePaths<T extends { path: string }>(files: T[]): T[] {
  const seen = new Set<string>();
  return files.map((file, index) => {
    const path = seen.has(file.path) ? file.path.replace(/\.ts$/, `-${index}.ts`) : file.path;
    seen.add(path);
    return { ...file, path };
  });
}

/** A stable positive number from a string (ids the synthetic "API" hands out). */
function hashNumber(text: string): number {
  let hash = 2_166_136_261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16_777_619);
  return (hash >>> 0) * 2;
}

export function validateOptions(options: SyntheticOptions): void {
  const positive: (keyof SyntheticOptions)[] = ['days', 'repos', 'teams', 'people'];
  for (const field of positive)
    if (!Number.isInteger(options[field]) || (options[field] as number) < 1)
      throw new Error(`synthetic option ${field} must be an integer ≥ 1 (got ${String(options[field])})`);
  for (const field of ['commitsPerDay', 'pullRequestsPerDay', 'workItemsPerDay'] as const)
    if (!(options[field] >= 0)) throw new Error(`synthetic option ${field} must be ≥ 0`);
  if (options.people < 2) throw new Error('synthetic option people must be ≥ 2 (reviews need a second person)');
  parseStartDate(options.startDate);
}

const isEmailOf = (person: Person, email: string) =>
  email === person.primaryEmail || person.otherEmails.includes(email);

/** A day's value, computed once while it is among the last days asked for. */
function remembered<T>(cache: Map<number, T>, day: number, compute: () => T): T {
  const known = cache.get(day);
  if (known !== undefined) return known;
  const value = compute();
  cache.set(day, value);
  if (cache.size > LINK_CACHE_DAYS) cache.delete(cache.keys().next().value as number);
  return value;
}
