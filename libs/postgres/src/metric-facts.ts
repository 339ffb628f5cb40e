import type { DataSource } from 'typeorm';
import type {
  CommitFacts,
  DatedComment,
  DatedReview,
  DeploymentFacts,
  DoraFacts,
  IncidentFacts,
  PullRequestFacts,
  RepoDayFacts,
  TeamDayFacts,
  TimeRange,
  WorkItemDayFacts,
  WorkItemFacts,
} from '@dev-health/metric-definitions';
import { dayRange, type KeyFacts, type MetricKey } from '@dev-health/metric-definitions';

/** Epoch milliseconds of a timestamptz column, as a JS number (float8 holds every millisecond exactly). */
const ms = (column: string, alias = column.replace(/^.*\./, '')) =>
  `(extract(epoch from ${column}) * 1000)::float8 AS "${alias}"`;
const iso = (epochMs: number) => new Date(epochMs).toISOString();
/** The UTC day number of a timestamptz expression. */
const DAY = (column: string) => `(floor(extract(epoch from ${column}) / 86400))::int`;

const COMMIT_COLUMNS = `c.id, c.author_identity_id, ${ms('c.authored_at')}, c.author_utc_offset_minutes, c.additions,
  c.deletions, c.files_changed, c.size_bucket`;

/** A deployment's effective time: when it finished, else when it was created (matches the expression index). */
const DEPLOYED_AT = `coalesce(finished_at, created_at)`;

/**
 * A work item's recorded life, over `work_items w LEFT JOIN work_item_transitions t … GROUP BY w.id`:
 * from its creation (or an earlier transition) to its last change. Its metric keys are these days.
 */
const ITEM_FIRST_AT = `least(w.created_at, min(t.transitioned_at))`;
const ITEM_LAST_AT = `greatest(w.updated_at, w.completed_at, max(t.transitioned_at))`;

interface PullRequestRow {
  id: string;
  repository_id: string;
  author_identity_id: string;
  created_at: number;
  merged_at: number | null;
  additions: number | null;
  deletions: number | null;
}

/**
 * Reads, from the primary store, exactly the canonical records each metric key is computed from (and
 * the lookups that turn a changed record into keys). Every metric and its lineage go through here.
 */
/** Facts as the scope queries find them; factsFor adds the key's org. */
type WithoutOrg<T> = Omit<T, 'org_id'>;

export class MetricFactsReader {
  constructor(private readonly dataSource: DataSource) {}

  /** The records one metric key is computed from (and its lineage). */
  async factsFor(key: MetricKey): Promise<KeyFacts> {
    const range = dayRange(key.day);
    // Scope ids are org-scoped: the queries below find the key's org's records only.
    const { org_id } = key;
    switch (key.kind) {
      case 'repo':
        return { kind: key.kind, facts: { org_id, ...(await this.repoDay(key.repository_id, key.day, range)) } };
      case 'dora':
        return { kind: key.kind, facts: { org_id, ...(await this.dora(key.repository_id, range)) } };
      case 'team':
        return { kind: key.kind, facts: { org_id, ...(await this.teamDay(key.team_id, key.day, range)) } };
      case 'work_items':
        return { kind: key.kind, facts: { org_id, ...(await this.workItemDay(key, key.day, range)) } };
    }
  }

  private query<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    return this.dataSource.query<T[]>(sql, parameters);
  }

  async repoDay(repositoryId: string, day: number, range: TimeRange): Promise<WithoutOrg<RepoDayFacts>> {
    const window = [repositoryId, iso(range.start), iso(range.end)];
    const [commitRows, opened, mergedRows, reviews, comments] = await Promise.all([
      this.query<CommitFacts & { author_email: string }>(
        `SELECT ${COMMIT_COLUMNS}, c.author_email FROM commits c
         WHERE c.repository_id = $1 AND c.authored_at >= $2 AND c.authored_at < $3 ORDER BY c.id`,
        window,
      ),
      this.pullRequests(`repository_id = $1 AND created_at >= $2 AND created_at < $3`, window),
      this.pullRequests(`repository_id = $1 AND merged_at >= $2 AND merged_at < $3`, window),
      // A review or comment whose PR is not stored yet is pending: it counts once its PR lands (the
      // PR's arrival recomputes its children's days), never for an unknown author.
      this.query<DatedReview>(
        `SELECT r.id, r.pull_request_id, r.reviewer_identity_id, r.state, ${ms('r.submitted_at')},
                p.author_identity_id AS pull_request_author_identity_id
         FROM reviews r JOIN pull_requests p ON p.id = r.pull_request_id
         WHERE r.repository_id = $1 AND r.submitted_at >= $2 AND r.submitted_at < $3 ORDER BY r.id`,
        window,
      ),
      this.query<DatedComment>(
        `SELECT c.id, c.pull_request_id, c.author_identity_id, ${ms('c.created_at')}
         FROM review_comments c JOIN pull_requests p ON p.id = c.pull_request_id
         WHERE c.repository_id = $1 AND c.created_at >= $2 AND c.created_at < $3 ORDER BY c.id`,
        window,
      ),
    ]);
    // The identity's primary email; until its identity record is stored, the (smallest) address on its commits.
    const emails: Record<string, string> = {};
    const commits = commitRows.map(({ author_email, ...commit }) => {
      const known = emails[commit.author_identity_id];
      if (known === undefined || author_email < known) emails[commit.author_identity_id] = author_email;
      return commit;
    });
    const merged = await this.withReviews(mergedRows);
    const found = await this.primaryEmails([
      ...commits.map((commit) => commit.author_identity_id),
      ...opened.map((pr) => pr.author_identity_id),
      ...merged.map((pr) => pr.author_identity_id),
      ...reviews.flatMap((review) => [review.reviewer_identity_id, review.pull_request_author_identity_id]),
      ...comments.map((comment) => comment.author_identity_id),
    ]);
    Object.assign(emails, found);
    const facts: WithoutOrg<RepoDayFacts> = {
      repository_id: repositoryId,
      day,
      commits,
      opened: opened.map((pr) => ({ ...pr, reviews: [], comments: [] })),
      merged,
      reviews,
      comments,
      emails,
      identities_found: Object.fromEntries(Object.keys(found).map((id) => [id, true as const])),
    };
    return facts;
  }

  private pullRequests(where: string, parameters: unknown[]): Promise<PullRequestRow[]> {
    return this.query<PullRequestRow>(
      `SELECT id, repository_id, author_identity_id, ${ms('created_at')}, ${ms('merged_at')}, additions, deletions
       FROM pull_requests WHERE ${where} ORDER BY id`,
      parameters,
    );
  }

  /** Attaches every review and review comment of each PR, whenever they were written. */
  private async withReviews(prs: PullRequestRow[]): Promise<PullRequestFacts[]> {
    if (prs.length === 0) return [];
    const ids = prs.map((pr) => pr.id);
    const [reviews, comments] = await Promise.all([
      this.query<{
        id: string;
        pull_request_id: string;
        reviewer_identity_id: string;
        state: string;
        submitted_at: number;
      }>(
        `SELECT id, pull_request_id, reviewer_identity_id, state, ${ms('submitted_at')} FROM reviews
         WHERE pull_request_id = ANY($1) ORDER BY submitted_at, id`,
        [ids],
      ),
      this.query<{ id: string; pull_request_id: string; author_identity_id: string; created_at: number }>(
        `SELECT id, pull_request_id, author_identity_id, ${ms('created_at')} FROM review_comments
         WHERE pull_request_id = ANY($1) ORDER BY created_at, id`,
        [ids],
      ),
    ]);
    return prs.map((pr) => ({
      ...pr,
      reviews: reviews
        .filter((review) => review.pull_request_id === pr.id)
        .map(({ id, reviewer_identity_id, state, submitted_at }) => ({
          id,
          reviewer_identity_id,
          state,
          submitted_at,
        })),
      comments: comments
        .filter((comment) => comment.pull_request_id === pr.id)
        .map(({ id, author_identity_id, created_at }) => ({ id, author_identity_id, created_at })),
    }));
  }

  async primaryEmails(identityIds: string[]): Promise<Record<string, string>> {
    const ids = [...new Set(identityIds)].filter((id) => id !== '');
    if (ids.length === 0) return {};
    const rows = await this.query<{ id: string; primary_email: string }>(
      `SELECT id, primary_email FROM identities WHERE id = ANY($1)`,
      [ids],
    );
    return Object.fromEntries(rows.map((row) => [row.id, row.primary_email]));
  }

  /** Commits authored in the range by identities that were members of the team when they committed. */
  async teamDay(teamId: string, day: number, range: TimeRange): Promise<WithoutOrg<TeamDayFacts>> {
    const commits = await this.query<CommitFacts>(
      `SELECT DISTINCT ${COMMIT_COLUMNS} FROM commits c
       JOIN team_memberships m ON m.identity_id = c.author_identity_id
       WHERE m.team_id = $1 AND (m.since IS NULL OR m.since <= c.authored_at)
         AND c.authored_at >= $2 AND c.authored_at < $3 ORDER BY c.id`,
      [teamId, iso(range.start), iso(range.end)],
    );
    return { team_id: teamId, day, commits };
  }

  async dora(repositoryId: string, range: TimeRange): Promise<WithoutOrg<DoraFacts>> {
    const window = [repositoryId, iso(range.start), iso(range.end)];
    const deployments = await this.query<DeploymentFacts>(
      `SELECT id, environment, status, ${ms('created_at')}, ${ms('finished_at')} FROM deployments
       WHERE repository_id = $1 AND environment = 'production' AND ${DEPLOYED_AT} >= $2 AND ${DEPLOYED_AT} < $3
       ORDER BY ${DEPLOYED_AT}, id`,
      window,
    );
    const [previous] = await this.query<{ deployed_at: number }>(
      `SELECT ${ms(DEPLOYED_AT, 'deployed_at')} FROM deployments
       WHERE repository_id = $1 AND environment = 'production' AND status = 'success' AND ${DEPLOYED_AT} < $2
       ORDER BY ${DEPLOYED_AT} DESC LIMIT 1`,
      [repositoryId, iso(range.start)],
    );
    const [merged, incidents] = await Promise.all([
      this.query<{ id: string; merged_at: number }>(
        `SELECT id, ${ms('merged_at')} FROM pull_requests
         WHERE repository_id = $1 AND merged_at > $2 AND merged_at < $3 ORDER BY merged_at, id`,
        [repositoryId, previous ? iso(previous.deployed_at) : iso(0), iso(range.end)],
      ),
      this.query<IncidentFacts>(
        `SELECT i.id, i.deployment_id, ${ms('i.started_at')}, ${ms('i.resolved_at')} FROM incidents i
         LEFT JOIN deployments d ON d.id = i.deployment_id
         WHERE coalesce(i.repository_id, d.repository_id) = $1
           AND ((i.started_at >= $2 AND i.started_at < $3) OR (i.resolved_at >= $2 AND i.resolved_at < $3))
         ORDER BY i.id`,
        window,
      ),
    ]);
    const deploymentIds = deployments.map((deployment) => deployment.id);
    const linked =
      deploymentIds.length === 0
        ? []
        : await this.query<{ deployment_id: string }>(
            `SELECT DISTINCT deployment_id FROM incidents WHERE deployment_id = ANY($1) ORDER BY deployment_id`,
            [deploymentIds],
          );
    return {
      repository_id: repositoryId,
      range,
      deployments,
      incident_linked_deployment_ids: linked.map((row) => row.deployment_id),
      merged_pull_requests: merged,
      incidents,
    };
  }

  /**
   * Items of the scope and team that existed by the day's end, minus those finished for good before it.
   * A day is a key only while it lies in some item's recorded life (first to last change): outside
   * every span it has no facts, so a recompute withdraws its row.
   */
  async workItemDay(
    key: { provider: string; work_scope_id: string; team_id: string },
    day: number,
    range: TimeRange,
  ): Promise<WithoutOrg<WorkItemDayFacts>> {
    const scope = [key.provider, key.work_scope_id, key.team_id, iso(range.start), iso(range.end)];
    const spanned = await this.query<{ spanned: number }>(
      `SELECT 1 AS spanned FROM work_items w LEFT JOIN work_item_transitions t ON t.work_item_id = w.id
       WHERE w.provider = $1 AND w.work_scope_id = $2 AND coalesce(w.team_id, '') = $3
       GROUP BY w.id HAVING ${ITEM_FIRST_AT} < $5 AND ${ITEM_LAST_AT} >= $4 LIMIT 1`,
      scope,
    );
    if (spanned.length === 0)
      return { provider: key.provider, work_scope_id: key.work_scope_id, team_id: key.team_id, day, items: [] };
    const items = await this.query<Omit<WorkItemFacts, 'transitions'>>(
      `SELECT id, type, ${ms('created_at')}, ${ms('started_at')}, ${ms('completed_at')}, status_category FROM work_items
       WHERE provider = $1 AND work_scope_id = $2 AND coalesce(team_id, '') = $3 AND created_at < $5
         AND NOT (status_category IN ('done', 'canceled') AND updated_at < $4)
       ORDER BY id`,
      scope,
    );
    const transitions =
      items.length === 0
        ? []
        : await this.query<{
            id: string;
            work_item_id: string;
            from_category: string | null;
            to_category: string;
            transitioned_at: number;
          }>(
            `SELECT id, work_item_id, from_category, to_category, ${ms('transitioned_at')} FROM work_item_transitions
             WHERE work_item_id = ANY($1) ORDER BY transitioned_at, id`,
            [items.map((item) => item.id)],
          );
    const byItem = new Map<string, WorkItemFacts['transitions']>();
    for (const { work_item_id, ...transition } of transitions) {
      const list = byItem.get(work_item_id) ?? [];
      list.push(transition);
      byItem.set(work_item_id, list);
    }
    return {
      provider: key.provider,
      work_scope_id: key.work_scope_id,
      team_id: key.team_id,
      day,
      items: items.map((item) => ({ ...item, transitions: byItem.get(item.id) ?? [] })),
    };
  }

  // ---- lookups that turn a changed record into the metric keys it touches ----

  pullRequestTimes(ids: string[]): Promise<PullRequestRow[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.pullRequests(`id = ANY($1)`, [ids]);
  }

  /** The first successful production deployment of the repository at or after each instant. */
  async firstSuccessfulDeploymentAtOrAfter(repositoryId: string, instants: number[]): Promise<number[]> {
    if (instants.length === 0) return [];
    const rows = await this.query<{ deployed_at: number }>(
      `SELECT DISTINCT ${ms('d.deployed_at')} FROM unnest($2::timestamptz[]) AS t(at)
       CROSS JOIN LATERAL (
         SELECT ${DEPLOYED_AT} AS deployed_at FROM deployments
         WHERE repository_id = $1 AND environment = 'production' AND status = 'success' AND ${DEPLOYED_AT} >= t.at
         ORDER BY ${DEPLOYED_AT} LIMIT 1) d`,
      [repositoryId, instants.map(iso)],
    );
    return rows.map((row) => row.deployed_at);
  }

  deploymentTimes(ids: string[]): Promise<{ id: string; repository_id: string; deployed_at: number }[]> {
    return ids.length === 0
      ? Promise.resolve([])
      : this.query(
          `SELECT id, repository_id, ${ms(DEPLOYED_AT, 'deployed_at')} FROM deployments WHERE id = ANY($1) ORDER BY id`,
          [ids],
        );
  }

  incidentTimes(
    ids: string[],
  ): Promise<
    { repository_id: string | null; deployed_at: number | null; started_at: number; resolved_at: number | null }[]
  > {
    return ids.length === 0
      ? Promise.resolve([])
      : this.query(
          `SELECT coalesce(i.repository_id, d.repository_id) AS repository_id, ${ms('i.started_at')},
                  ${ms('i.resolved_at')}, ${ms(`coalesce(d.finished_at, d.created_at)`, 'deployed_at')}
           FROM incidents i LEFT JOIN deployments d ON d.id = i.deployment_id WHERE i.id = ANY($1) ORDER BY i.id`,
          [ids],
        );
  }

  workItemTimes(ids: string[]): Promise<
    {
      id: string;
      provider: string;
      work_scope_id: string;
      team_id: string;
      first_at: number;
      last_at: number;
      /** Not finished: it counts in the WIP of every later day of its scope. */
      open: boolean;
    }[]
  > {
    return ids.length === 0
      ? Promise.resolve([])
      : this.query(
          `SELECT w.id, w.provider, w.work_scope_id, coalesce(w.team_id, '') AS team_id,
                  ${ms(ITEM_FIRST_AT, 'first_at')},
                  ${ms(ITEM_LAST_AT, 'last_at')},
                  w.status_category NOT IN ('done', 'canceled') AS open
           FROM work_items w LEFT JOIN work_item_transitions t ON t.work_item_id = w.id
           WHERE w.id = ANY($1) GROUP BY w.id ORDER BY w.id`,
          [ids],
        );
  }

  /** Teams each identity belongs to. */
  teamsOf(identityIds: string[]): Promise<{ team_id: string; identity_id: string }[]> {
    return identityIds.length === 0
      ? Promise.resolve([])
      : this.query(
          `SELECT DISTINCT team_id, identity_id FROM team_memberships WHERE identity_id = ANY($1) ORDER BY team_id, identity_id`,
          [identityIds],
        );
  }

  /** UTC days on which each identity authored commits (a new membership changes its team's rows on those days). */
  commitDaysOf(identityIds: string[]): Promise<{ identity_id: string; day: number }[]> {
    return identityIds.length === 0
      ? Promise.resolve([])
      : this.query(
          `SELECT DISTINCT author_identity_id AS identity_id, ${DAY('authored_at')} AS day FROM commits
           WHERE author_identity_id = ANY($1) ORDER BY identity_id, day`,
          [identityIds],
        );
  }

  /** (repository, UTC day) of every review and review comment of these PRs: pending until the PR landed. */
  childDaysOf(pullRequestIds: string[]): Promise<{ repository_id: string; day: number }[]> {
    return pullRequestIds.length === 0
      ? Promise.resolve([])
      : this.query(
          `SELECT DISTINCT repository_id, ${DAY('submitted_at')} AS day FROM reviews WHERE pull_request_id = ANY($1)
           UNION SELECT DISTINCT repository_id, ${DAY('created_at')} FROM review_comments WHERE pull_request_id = ANY($1)
           ORDER BY repository_id, day`,
          [pullRequestIds],
        );
  }

  /** (repository, UTC day) of every user row an identity appears in: what its primary email reaches. */
  activityDaysOf(identityIds: string[]): Promise<{ repository_id: string; day: number }[]> {
    return identityIds.length === 0
      ? Promise.resolve([])
      : this.query(
          `SELECT repository_id, ${DAY('authored_at')} AS day FROM commits WHERE author_identity_id = ANY($1)
           UNION SELECT repository_id, ${DAY('created_at')} FROM pull_requests WHERE author_identity_id = ANY($1)
           UNION SELECT repository_id, ${DAY('merged_at')} FROM pull_requests
             WHERE author_identity_id = ANY($1) AND merged_at IS NOT NULL
           UNION SELECT repository_id, ${DAY('submitted_at')} FROM reviews WHERE reviewer_identity_id = ANY($1)
           UNION SELECT r.repository_id, ${DAY('r.submitted_at')} FROM reviews r
             JOIN pull_requests p ON p.id = r.pull_request_id WHERE p.author_identity_id = ANY($1)
           UNION SELECT repository_id, ${DAY('created_at')} FROM review_comments WHERE author_identity_id = ANY($1)
           ORDER BY repository_id, day`,
          [identityIds],
        );
  }

  /**
   * The key days of each work scope and team from a day on: every day in some item's recorded life.
   * An unfinished item weighs on the WIP of all of them.
   */
  async workScopeDaysFrom(
    scopes: { provider: string; work_scope_id: string; team_id: string; from_day: number }[],
  ): Promise<{ provider: string; work_scope_id: string; team_id: string; day: number }[]> {
    if (scopes.length === 0) return [];
    return this.query(
      // Many items of one scope ask for its days: the earliest day asked covers them all.
      `WITH wanted AS (
         SELECT provider, work_scope_id, team_id, min(from_day) AS from_day
         FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) AS s(provider, work_scope_id, team_id, from_day)
         GROUP BY provider, work_scope_id, team_id),
       spans AS (
         SELECT s.provider, s.work_scope_id, s.team_id, s.from_day,
                ${DAY(ITEM_FIRST_AT)} AS first_day, ${DAY(ITEM_LAST_AT)} AS last_day
         FROM wanted s JOIN work_items w ON w.provider = s.provider AND w.work_scope_id = s.work_scope_id
           AND coalesce(w.team_id, '') = s.team_id
         LEFT JOIN work_item_transitions t ON t.work_item_id = w.id
         GROUP BY s.provider, s.work_scope_id, s.team_id, s.from_day, w.id)
       SELECT DISTINCT provider, work_scope_id, team_id, generate_series(greatest(first_day, from_day), last_day) AS day
       FROM spans WHERE last_day >= from_day ORDER BY provider, work_scope_id, team_id, day`,
      [
        scopes.map((scope) => scope.provider),
        scopes.map((scope) => scope.work_scope_id),
        scopes.map((scope) => scope.team_id),
        scopes.map((scope) => scope.from_day),
      ],
    );
  }

  /** Every metric key with data in a range of days, or with a computation there: what a full rebuild recomputes. */
  async keysInRange(range: TimeRange): Promise<MetricKeysInRange> {
    const window = [iso(range.start), iso(range.end)];
    const day = DAY;
    // Keys computed before that have no data now are keys too: recomputing them withdraws their rows.
    const computed = (kind: string, columns: string) =>
      `UNION SELECT org_id, ${columns}, (day - DATE '1970-01-01') FROM metric_computations
       WHERE kind = '${kind}' AND day >= $1::timestamptz::date AND day < $2::timestamptz::date`;
    const [repo, dora, team, workItems] = await Promise.all([
      this.query<{ org_id: string; repository_id: string; day: number }>(
        `SELECT DISTINCT org_id, repository_id, day FROM (
           SELECT org_id, repository_id, ${day('authored_at')} AS day FROM commits WHERE authored_at >= $1 AND authored_at < $2
           UNION SELECT org_id, repository_id, ${day('created_at')} FROM pull_requests WHERE created_at >= $1 AND created_at < $2
           UNION SELECT org_id, repository_id, ${day('merged_at')} FROM pull_requests WHERE merged_at >= $1 AND merged_at < $2
           UNION SELECT r.org_id, r.repository_id, ${day('r.submitted_at')} FROM reviews r JOIN pull_requests p ON p.id = r.pull_request_id
             WHERE r.submitted_at >= $1 AND r.submitted_at < $2
           UNION SELECT c.org_id, c.repository_id, ${day('c.created_at')} FROM review_comments c JOIN pull_requests p ON p.id = c.pull_request_id
             WHERE c.created_at >= $1 AND c.created_at < $2
           ${computed('repo', 'scope_id')}
         ) keys ORDER BY org_id, repository_id, day`,
        window,
      ),
      this.query<{ org_id: string; repository_id: string; day: number }>(
        `SELECT DISTINCT org_id, repository_id, day FROM (
           SELECT org_id, repository_id, ${day(DEPLOYED_AT)} AS day FROM deployments
           WHERE environment = 'production' AND ${DEPLOYED_AT} >= $1 AND ${DEPLOYED_AT} < $2
           UNION SELECT i.org_id, coalesce(i.repository_id, d.repository_id), ${day('i.started_at')} FROM incidents i
             LEFT JOIN deployments d ON d.id = i.deployment_id WHERE i.started_at >= $1 AND i.started_at < $2
           UNION SELECT i.org_id, coalesce(i.repository_id, d.repository_id), ${day('i.resolved_at')} FROM incidents i
             LEFT JOIN deployments d ON d.id = i.deployment_id WHERE i.resolved_at >= $1 AND i.resolved_at < $2
           ${computed('dora', 'scope_id')}
         ) keys WHERE repository_id IS NOT NULL ORDER BY org_id, repository_id, day`,
        window,
      ),
      this.query<{ org_id: string; team_id: string; day: number }>(
        `SELECT org_id, team_id, day FROM (
           SELECT c.org_id, m.team_id, ${day('c.authored_at')} AS day FROM commits c
           JOIN team_memberships m ON m.identity_id = c.author_identity_id AND (m.since IS NULL OR m.since <= c.authored_at)
           WHERE c.authored_at >= $1 AND c.authored_at < $2
           ${computed('team', 'scope_id')}
         ) keys ORDER BY org_id, team_id, day`,
        window,
      ),
      this.query<{ org_id: string; provider: string; work_scope_id: string; team_id: string; day: number }>(
        `WITH spans AS (
           SELECT w.org_id, w.provider, w.work_scope_id, coalesce(w.team_id, '') AS team_id,
                  greatest(${day(ITEM_FIRST_AT)}, ${day('$1::timestamptz')}) AS first_day,
                  least(${day(ITEM_LAST_AT)}, ${day('$2::timestamptz')} - 1) AS last_day
           FROM work_items w LEFT JOIN work_item_transitions t ON t.work_item_id = w.id
           WHERE w.created_at < $2 GROUP BY w.id)
         SELECT org_id, provider, work_scope_id, team_id, generate_series(first_day, last_day) AS day FROM spans
         WHERE first_day <= last_day
         ${computed('work_items', 'provider, scope_id, team_id')}
         ORDER BY org_id, provider, work_scope_id, team_id, day`,
        window,
      ),
    ]);
    return { repo, dora, team, workItems };
  }
}

export interface MetricKeysInRange {
  repo: { org_id: string; repository_id: string; day: number }[];
  dora: { org_id: string; repository_id: string; day: number }[];
  team: { org_id: string; team_id: string; day: number }[];
  workItems: { org_id: string; provider: string; work_scope_id: string; team_id: string; day: number }[];
}
