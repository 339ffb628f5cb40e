import { isDeepStrictEqual } from 'node:util';
import { ClickHouseStore } from '@dev-health/clickhouse';
import { KafkaClient, type IncomingRecord } from '@dev-health/kafka';
import { JsonLogger } from '@dev-health/observability';
import { AvroSerde } from '@dev-health/registry';
import {
  SchemaCatalog,
  Topology,
  canonicalSchemaFile,
  dayToIsoDate,
  type CanonicalEntities,
  type CanonicalEntityName,
  type DeploymentStatus,
  type MetricEntityName,
  type MetricsUpdated,
  type ReviewState,
  type WorkItemStatusCategory,
  type WorkItemType,
} from '@dev-health/schemas';
import { MetricsReader, PostgresStore } from '@dev-health/postgres';
import {
  type RunningService,
  createTestDatabase,
  graphqlQuery,
  listeningUrl,
  queryRows,
  runToCompletion,
  stackEndpoints,
  startService,
  uniqueName,
  waitFor,
  issueApiKey,
} from '@dev-health/testing';

/*
 * A small hand-made dataset whose every metric was computed by hand (the numbers in the comments),
 * pushed as canonical records through the real sinks (Postgres + ClickHouse) and the metrics service.
 * Week of Monday 2026-01-05, all times UTC unless a zone is named.
 */
const H = 3_600_000;
const SUN = Date.UTC(2026, 0, 4);
const MON = SUN + 24 * H;
const TUE = MON + 24 * H;
const WED = TUE + 24 * H;
const THU = WED + 24 * H;
const FRI = THU + 24 * H;
const SAT = FRI + 24 * H;
const dayOf = (at: number) => Math.floor(at / (24 * H));
const iso = (at: number) => dayToIsoDate(dayOf(at));

const REPO = 'test:repository:acme/api';
const ALICE = 'test:identity:alice'; // works in +05:30
const BOB = 'test:identity:bob'; // works in −08:00
const CAROL = 'test:identity:carol';
const TEAM = 'test:team:core';
const SCOPE = 'test:project:OPS';

let offset = 0;
const provenance = () => ({
  raw_topic: 'test.raw',
  raw_partition: 0,
  raw_offset: offset++,
  reprocessing_generation: 0,
  raw_source_id: `source-${offset}`,
  fetched_at: Date.UTC(2026, 0, 12),
});

type Outgoing = { [E in CanonicalEntityName]: { entity: E; record: CanonicalEntities[E] } }[CanonicalEntityName];

const identity = (id: string, email: string): Outgoing => ({
  entity: 'identity',
  record: {
    id,
    org_id: 'default',
    provider: 'test',
    provenance: provenance(),
    display_name: email,
    primary_email: email,
    emails: [email],
    logins: [],
  },
});

function commit(
  sha: string,
  author: string,
  authoredAt: number,
  offsetMinutes: number,
  additions: number,
  deletions: number,
  files: number,
): Outgoing {
  const touched = additions + deletions;
  return {
    entity: 'commit',
    record: {
      id: `test:commit:${sha}`,
      org_id: 'default',
      provider: 'test',
      provenance: provenance(),
      repository_id: REPO,
      sha,
      parent_shas: [],
      author_identity_id: author,
      author_name: author,
      author_email: `${author}@commits.example`,
      authored_at: authoredAt,
      author_utc_offset_minutes: offsetMinutes,
      committer_identity_id: author,
      committer_email: `${author}@commits.example`,
      committed_at: authoredAt,
      committer_utc_offset_minutes: offsetMinutes,
      message_subject: sha,
      work_item_keys: [],
      files_changed: files,
      additions,
      deletions,
      is_merge: false,
      size_bucket: touched <= 50 ? 'small' : touched <= 300 ? 'medium' : 'large',
    },
  };
}

function pullRequest(
  number: number,
  author: string,
  createdAt: number,
  mergedAt: number,
  size: [number, number],
): Outgoing {
  return {
    entity: 'pull_request',
    record: {
      id: `test:pr:${number}`,
      org_id: 'default',
      provider: 'test',
      provenance: provenance(),
      repository_id: REPO,
      number,
      title: `PR ${number}`,
      state: 'merged',
      author_identity_id: author,
      created_at: createdAt,
      merged_at: mergedAt,
      closed_at: mergedAt,
      base_branch: 'main',
      head_branch: `b${number}`,
      merge_commit_sha: null,
      additions: size[0],
      deletions: size[1],
      changed_files: 1,
      is_revert: false,
      is_draft: false,
      labels: [],
      requested_reviewer_identity_ids: [],
      closing_work_item_ids: [],
      work_item_keys: [],
      updated_at: mergedAt,
    },
  };
}

const review = (id: string, pr: number, reviewer: string, state: ReviewState, at: number): Outgoing => ({
  entity: 'review',
  record: {
    id,
    org_id: 'default',
    provider: 'test',
    provenance: provenance(),
    pull_request_id: `test:pr:${pr}`,
    repository_id: REPO,
    reviewer_identity_id: reviewer,
    state,
    submitted_at: at,
  },
});

function deployment(id: string, environment: string, status: DeploymentStatus, finishedAt: number): Outgoing {
  return {
    entity: 'deployment',
    record: {
      id,
      org_id: 'default',
      provider: 'test',
      provenance: provenance(),
      repository_id: REPO,
      environment,
      status,
      commit_sha: null,
      service: 'api',
      created_at: finishedAt - H / 6,
      finished_at: finishedAt,
      updated_at: finishedAt,
    },
  };
}

function incident(id: string, deploymentId: string | null, startedAt: number, resolvedAt: number | null): Outgoing {
  return {
    entity: 'incident',
    record: {
      id,
      org_id: 'default',
      provider: 'test',
      provenance: provenance(),
      repository_id: REPO,
      service: 'api',
      title: id,
      severity: 'sev2',
      status: resolvedAt === null ? 'open' : 'resolved',
      started_at: startedAt,
      resolved_at: resolvedAt,
      deployment_id: deploymentId,
      updated_at: resolvedAt ?? startedAt,
    },
  };
}

/** A work item and its transitions (category moves at the given instants). */
function workItem(
  key: string,
  type: WorkItemType,
  createdAt: number,
  moves: [WorkItemStatusCategory, number][],
): Outgoing[] {
  const id = `test:work_item:${key}`;
  const starts = moves.filter(([category]) => category === 'in_progress').map(([, at]) => at);
  const last = moves.at(-1);
  const category = last?.[0] ?? 'todo';
  const transitions: Outgoing[] = moves.map(([to, at], index) => ({
    entity: 'work_item_transition',
    record: {
      id: `${id}:${index}`,
      org_id: 'default',
      provider: 'test',
      provenance: provenance(),
      work_item_id: id,
      from_status: index === 0 ? 'To Do' : (moves[index - 1]?.[0] ?? null),
      to_status: to,
      from_category: index === 0 ? 'todo' : (moves[index - 1]?.[0] ?? null),
      to_category: to,
      transitioned_at: at,
      actor_identity_id: null,
    },
  }));
  return [
    {
      entity: 'work_item',
      record: {
        id,
        org_id: 'default',
        provider: 'test',
        provenance: provenance(),
        work_scope_id: SCOPE,
        key,
        title: key,
        type,
        status: category,
        status_category: category,
        assignee_identity_id: null,
        reporter_identity_id: null,
        team_id: TEAM,
        milestone: null,
        iteration: null,
        estimate: null,
        priority: null,
        labels: [],
        components: [],
        parent_work_item_id: null,
        created_at: createdAt,
        started_at: starts[0] ?? null,
        completed_at: category === 'done' ? (last?.[1] ?? null) : null,
        updated_at: last?.[1] ?? createdAt,
      },
    },
    ...transitions,
  ];
}

const ORG: Outgoing[] = [
  identity(ALICE, 'alice@acme.example'),
  identity(BOB, 'bob@acme.example'),
  identity(CAROL, 'carol@acme.example'),
  {
    entity: 'team',
    record: {
      id: TEAM,
      org_id: 'default',
      provider: 'test',
      provenance: provenance(),
      name: 'Core',
      parent_team_id: null,
    },
  },
  ...[ALICE, BOB].map((member): Outgoing => ({
    entity: 'team_membership',
    record: {
      id: `${TEAM}:${member}`,
      org_id: 'default',
      provider: 'test',
      provenance: provenance(),
      team_id: TEAM,
      identity_id: member,
      role: null,
      since: null,
    },
  })),
];

const ACTIVITY: Outgoing[] = [
  commit('c1', ALICE, MON + 4 * H, 330, 40, 10, 2), // 09:30 in +05:30: business hours; 50 lines: small
  commit('c2', ALICE, MON + 17 * H, 330, 51, 0, 1), // 22:30 local: after hours; 51 lines: medium
  commit('c3', BOB, MON + 18 * H, -480, 300, 1, 5), // 10:00 in −08:00: business; 301 lines: large
  commit('c4', BOB, SAT + 20 * H, -480, 300, 0, 3), // Saturday 12:00 local: weekend; 300 lines: medium
  pullRequest(1, ALICE, SUN + 22 * H, MON + 2 * H, [30, 10]), // opened Sunday, merged Monday: 4 h
  pullRequest(2, BOB, MON + 8 * H, MON + 20 * H, [100, 20]), // 12 h
  pullRequest(3, CAROL, TUE + 9 * H, THU + 9 * H, [8, 2]), // 48 h, no review (yet)
  review('r1', 1, BOB, 'approved', MON + 1 * H),
  review('r2', 2, CAROL, 'changes_requested', MON + 10 * H),
  review('r3', 2, CAROL, 'approved', MON + 14 * H),
  {
    entity: 'review_comment',
    record: {
      id: 'm1',
      org_id: 'default',
      provider: 'test',
      provenance: provenance(),
      pull_request_id: 'test:pr:2',
      repository_id: REPO,
      author_identity_id: CAROL,
      created_at: MON + 9 * H,
      path: 'a.ts',
    },
  },
  deployment('s1', 'staging', 'success', MON + 10 * H),
  deployment('d1', 'production', 'success', MON + 12 * H),
  deployment('d2', 'production', 'failed', TUE + 10 * H),
  deployment('d3', 'production', 'success', THU + 12 * H),
  deployment('d4', 'production', 'success', FRI + 12 * H), // ships no PR
  incident('i1', 'd3', THU + 13 * H, THU + 15 * H),
  incident('i2', null, FRI + 10 * H, null), // never resolved
  ...workItem('OPS-1', 'story', MON + 9 * H, [
    ['in_progress', MON + 10 * H],
    ['done', TUE + 10 * H],
  ]),
  ...workItem('OPS-2', 'bug', MON + 9 * H, [
    ['in_progress', MON + 12 * H],
    ['done', MON + 18 * H],
    ['in_progress', TUE + 9 * H], // reopened
    ['done', WED + 9 * H],
  ]),
  ...workItem('OPS-3', 'task', TUE + 9 * H, [['in_progress', TUE + 11 * H]]),
];

// Submitted the day before PR 3's merge: its own day and the merge day both change.
const LATE_REVIEW = review('r4', 3, ALICE, 'approved', WED + 16 * H);

type Row = Record<string, unknown>;

describe('metrics recompute on change (real stack: Kafka, registry, Postgres, ClickHouse)', () => {
  const endpoints = stackEndpoints();
  const prefix = uniqueName('metrics');
  const topology = new Topology(prefix);
  const kafka = new KafkaClient(
    { brokers: endpoints.kafkaBrokers, clientId: 'metrics-test' },
    new JsonLogger('test', 'error'),
  );
  const serde = new AvroSerde(endpoints.schemaRegistryUrl);
  const producer = kafka.createProducer();
  const clickhouseDatabase = uniqueName('ch_metrics');
  const running: RunningService[] = [];
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let clickhouse: ClickHouseStore;
  let postgres: PostgresStore;
  let env: Record<string, string>;

  async function publish(records: Outgoing[]): Promise<void> {
    const catalog = SchemaCatalog.load();
    const outgoing = [];
    for (const { entity, record } of records) {
      const topic = topology.canonical(entity);
      await serde.register(Topology.subject(topic), catalog.get('canonical', canonicalSchemaFile(entity)).schema);
      outgoing.push({ topic, key: record.id, value: await serde.encode(Topology.subject(topic), record) });
    }
    await producer.send(outgoing);
  }

  /** The rows of the latest computation of each key in Postgres (the gateway's read), without computed_at. */
  async function latest(table: MetricEntityName, _keys?: string[]): Promise<Row[]> {
    const rows = await new MetricsReader(postgres.dataSource).latest(table, {}, '2026-01-01', '2026-01-31');
    // Every row of this single-org dataset is the default org's; the expectations below leave the org out.
    return rows.map(({ computed_at: _computedAt, org_id: org, ...row }) => {
      if (org !== 'default') throw new Error(`${table} row of org ${String(org)}`);
      return row;
    });
  }

  async function computedAtByDay(table: string): Promise<Record<string, number>> {
    const rows = await queryRows<{ day: string; latest: Date; rows: number }>(
      database.uri,
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, max(computed_at) AS latest FROM ${table} GROUP BY day`,
    );
    return Object.fromEntries(rows.map((row) => [row.day, row.latest.getTime()]));
  }

  async function events(): Promise<MetricsUpdated[]> {
    const records: IncomingRecord[] = [];
    await kafka.readToEnd(topology.metricsUpdated(), (record) => records.push(record));
    return Promise.all(records.map((record) => serde.decode<MetricsUpdated>(record.value)));
  }

  beforeAll(async () => {
    database = await createTestDatabase(endpoints.databaseUri, 'metrics');
    env = {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
      TOPIC_PREFIX: prefix,
      DATABASE_URI: database.uri,
      CLICKHOUSE_URL: endpoints.clickhouseUrl,
      CLICKHOUSE_DATABASE: clickhouseDatabase,
      METRICS_DEBOUNCE_MS: '100',
    };
    for (const name of ['sink-postgres', 'sink-clickhouse', 'metrics'] as const) running.push(startService(name, env));
    await Promise.all(running.map((service) => service.waitForLog(/consuming/, 60_000)));
    clickhouse = await ClickHouseStore.connect(endpoints.clickhouseUrl, clickhouseDatabase);
    postgres = await PostgresStore.connect(database.uri, 'metrics-test');
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await Promise.all(running.map((service) => service.stop()));
    await clickhouse?.client.command({ query: `DROP DATABASE IF EXISTS ${clickhouseDatabase}` });
    await clickhouse?.close();
    await postgres?.close();
    await database?.drop();
  });

  const MONDAY_REPO = {
    repository_id: REPO,
    day: iso(MON),
    commits: 3,
    additions: 391,
    deletions: 11,
    files_changed: 8,
    large_commits: 1,
    avg_commit_size: 134, // 402 / 3
    lines_touched: 402,
    large_commit_ratio: 0.3333,
    prs_opened: 1, // PR 2 (PR 1 was opened on Sunday)
    prs_merged: 2,
    pr_cycle_time_p50_hours: 8, // [4, 12]
    pr_cycle_time_p75_hours: 10,
    pr_cycle_time_p90_hours: 11.2,
    time_to_first_review_p50_hours: 2.5, // [3, 2]
    time_to_first_review_p90_hours: 2.9,
    pickup_time_p50_hours: 2, // [3, 1]: PR 2 was picked up by a comment after 1 h
    pickup_time_p90_hours: 2.8,
    review_time_p50_hours: 5.5, // [1, 10]
    review_time_p90_hours: 9.1,
    pr_size_p50: 80, // [40, 120]
    pr_size_p90: 112,
    rework_ratio: 0.5,
    reviews_per_pr: 1.5,
    negative_durations_dropped: 0,
  };

  const THURSDAY_BEFORE = {
    prs_opened: 0,
    prs_merged: 1,
    pr_cycle_time_p50_hours: 48,
    time_to_first_review_p50_hours: null,
    pickup_time_p50_hours: null,
    review_time_p50_hours: null,
    reviews_per_pr: 0,
  };

  it('produces the hand-computed rows in Postgres and identical ones in ClickHouse', async () => {
    await publish(ORG);
    await waitFor(
      async () => (await queryRows(database.uri, 'SELECT 1 FROM identities').catch(() => [])).length === 3,
      {
        description: 'identities stored',
        timeoutMs: 60_000,
      },
    );
    await publish(ACTIVITY);

    await waitFor(
      async () => {
        const dora = await latest('dora_metrics_daily', ['repository_id', 'day']).catch(() => []);
        const items = await latest('work_item_metrics_daily', ['provider', 'work_scope_id', 'team_id', 'day']).catch(
          () => [],
        );
        const repo = await latest('repo_metrics_daily', ['repository_id', 'day']).catch(() => []);
        return (
          dora.find((row) => row.day === iso(THU))?.changes_deployed === 2 &&
          items.find((row) => row.day === iso(WED))?.items_completed === 1 &&
          isDeepStrictEqual(
            repo.find((row) => row.day === iso(MON)),
            MONDAY_REPO,
          )
        );
      },
      { description: 'metrics for the whole dataset', timeoutMs: 90_000, intervalMs: 500 },
    );
    // Let any recompute still in flight land before comparing everything.
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const repo = await latest('repo_metrics_daily', ['repository_id', 'day']);
    expect(repo.map((row) => row.day)).toEqual([SUN, MON, TUE, THU, SAT].map(iso));
    expect(repo.find((row) => row.day === iso(MON))).toEqual(MONDAY_REPO);
    expect(repo.find((row) => row.day === iso(SUN))).toMatchObject({
      commits: 0,
      avg_commit_size: null, // no commits: null, not 0
      large_commit_ratio: null,
      prs_opened: 1,
      prs_merged: 0,
      pr_cycle_time_p50_hours: null,
    });
    expect(repo.find((row) => row.day === iso(THU))).toMatchObject(THURSDAY_BEFORE);

    const users = await latest('user_metrics_daily', ['repository_id', 'author_identity_id', 'day']);
    const monday = users.filter((row) => row.day === iso(MON));
    expect(
      monday.map(
        ({
          author_identity_id,
          author_email,
          commits,
          prs_authored,
          prs_merged,
          reviews_given,
          reviews_received,
          active_hours,
        }) => ({
          author_identity_id,
          author_email,
          commits,
          prs_authored,
          prs_merged,
          reviews_given,
          reviews_received,
          active_hours,
        }),
      ),
    ).toEqual([
      // first → last activity: c1 04:00 … c2 17:00
      {
        author_identity_id: ALICE,
        author_email: 'alice@acme.example',
        commits: 2,
        prs_authored: 0,
        prs_merged: 1,
        reviews_given: 0,
        reviews_received: 1,
        active_hours: 13,
      },
      // r1 01:00 … c3 18:00
      {
        author_identity_id: BOB,
        author_email: 'bob@acme.example',
        commits: 1,
        prs_authored: 1,
        prs_merged: 1,
        reviews_given: 1,
        reviews_received: 2,
        active_hours: 17,
      },
      // m1 09:00 … r3 14:00
      {
        author_identity_id: CAROL,
        author_email: 'carol@acme.example',
        commits: 0,
        prs_authored: 0,
        prs_merged: 0,
        reviews_given: 2,
        reviews_received: 0,
        active_hours: 5,
      },
    ]);

    const team = await latest('team_metrics_daily', ['team_id', 'day']);
    expect(team).toEqual([
      {
        team_id: TEAM,
        day: iso(MON),
        commits: 3,
        after_hours_commits: 1,
        weekend_commits: 0,
        after_hours_ratio: 0.3333,
        weekend_ratio: 0,
      },
      {
        team_id: TEAM,
        day: iso(SAT),
        commits: 1,
        after_hours_commits: 0,
        weekend_commits: 1,
        after_hours_ratio: 0,
        weekend_ratio: 1,
      },
    ]);

    const dora = await latest('dora_metrics_daily', ['repository_id', 'day']);
    const doraRow = (day: number, values: Row) => ({
      repository_id: REPO,
      day: iso(day),
      deployments: 1,
      successful_deployments: 1,
      failed_deployments: 0,
      change_failure_rate: 0,
      lead_time_p50_hours: null,
      lead_time_p90_hours: null,
      changes_deployed: 0,
      incidents_resolved: 0,
      time_to_restore_p50_hours: null,
      incidents_open_unresolved: 0,
      negative_durations_dropped: 0,
      ...values,
    });
    expect(dora).toEqual([
      // PR 1 merged 02:00 → d1 12:00; PR 2 merged after d1 waits for the next success
      doraRow(MON, { lead_time_p50_hours: 10, lead_time_p90_hours: 10, changes_deployed: 1 }),
      doraRow(TUE, { successful_deployments: 0, failed_deployments: 1, change_failure_rate: 1 }),
      // d3 ships PR 2 (64 h) and PR 3 (3 h); i1 is linked to d3: a failed change, restored in 2 h
      doraRow(THU, {
        failed_deployments: 1,
        change_failure_rate: 1,
        lead_time_p50_hours: 33.5,
        lead_time_p90_hours: 57.9,
        changes_deployed: 2,
        incidents_resolved: 1,
        time_to_restore_p50_hours: 2,
      }),
      // a deployment with no PR; an incident with no resolution
      doraRow(FRI, { incidents_open_unresolved: 1 }),
    ]);

    const items = await latest('work_item_metrics_daily', ['provider', 'work_scope_id', 'team_id', 'day']);
    const itemRow = (day: number, values: Row) => ({
      provider: 'test',
      work_scope_id: SCOPE,
      team_id: TEAM,
      day: iso(day),
      items_created: 0,
      items_started: 0,
      items_completed: 0,
      wip_end_of_day: 0,
      wip_age_p50_days: null,
      cycle_time_p50_hours: null,
      cycle_time_p90_hours: null,
      lead_time_p50_hours: null,
      lead_time_p90_hours: null,
      bug_share: null,
      reopened: 0,
      negative_durations_dropped: 0,
      ...values,
    });
    expect(items).toEqual([
      // OPS-2 was done by 18:00, so only OPS-1 is in progress at midnight (since 10:00: 14 h)
      itemRow(MON, { items_created: 2, items_started: 2, wip_end_of_day: 1, wip_age_p50_days: 0.5833 }),
      // OPS-1 done (cycle 24 h, lead 25 h); OPS-2 reopened; WIP OPS-2 (1.5 d) and OPS-3 (13 h)
      itemRow(TUE, {
        items_created: 1,
        items_started: 1,
        items_completed: 1,
        wip_end_of_day: 2,
        wip_age_p50_days: 1.0208,
        cycle_time_p50_hours: 24,
        cycle_time_p90_hours: 24,
        lead_time_p50_hours: 25,
        lead_time_p90_hours: 25,
        bug_share: 0,
        reopened: 1,
      }),
      // OPS-2 done for good: cycle from its first start (45 h), lead 48 h; a bug
      itemRow(WED, {
        items_completed: 1,
        wip_end_of_day: 1,
        wip_age_p50_days: 1.5417,
        cycle_time_p50_hours: 45,
        cycle_time_p90_hours: 45,
        lead_time_p50_hours: 48,
        lead_time_p90_hours: 48,
        bug_share: 1,
      }),
    ]);

    // ClickHouse holds the same latest values (its own argMax read).
    const tables = {
      repo_metrics_daily: repo,
      user_metrics_daily: users,
      team_metrics_daily: team,
      dora_metrics_daily: dora,
      work_item_metrics_daily: items,
    } as const;
    for (const [metric, expected] of Object.entries(tables)) {
      await waitFor(
        async () => {
          const stored = await clickhouse.latestMetrics(metric as keyof typeof tables, {}, '2026-01-01', '2026-01-31');
          return isDeepStrictEqual(
            stored.map(({ computed_at: _computedAt, org_id: _org, ...row }) => row),
            expected,
          );
        },
        { description: `ClickHouse ${metric} equal to Postgres`, timeoutMs: 30_000, intervalMs: 500 },
      ).catch(async (error: unknown) => {
        const stored = await clickhouse.latestMetrics(metric as keyof typeof tables, {}, '2026-01-01', '2026-01-31');
        expect(stored.map(({ computed_at: _computedAt, org_id: _org, ...row }) => row)).toEqual(expected);
        throw error;
      });
    }
  });

  it('a late review of an old PR recomputes only its own day and the PR merge day, and metrics.updated events name them', async () => {
    const before = await computedAtByDay('repo_metrics_daily');
    const beforeDora = await computedAtByDay('dora_metrics_daily');
    // Events come back partition by partition: what is new is what was computed after the last one seen.
    const seenUntil = Math.max(...(await events()).map((event) => event.computed_at));
    const newEvents = async () => (await events()).filter((event) => event.computed_at > seenUntil);

    await publish([LATE_REVIEW]);
    await waitFor(async () => (await newEvents()).filter((event) => event.kind === 'repo').length >= 2, {
      description: 'metrics.updated events for the review day and the merge day',
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const tables = ['repo_metrics_daily', 'user_metrics_daily'];
    expect(
      (await newEvents())
        .map(({ kind, scope_id, day, tables }) => ({ kind, scope_id, day, tables }))
        .sort((a, b) => a.day - b.day),
    ).toEqual([
      { kind: 'repo', scope_id: REPO, day: dayOf(WED), tables },
      { kind: 'repo', scope_id: REPO, day: dayOf(THU), tables },
    ]);

    const after = await computedAtByDay('repo_metrics_daily');
    expect(Object.keys(after).sort()).toEqual([...Object.keys(before), iso(WED)].sort());
    for (const day of Object.keys(before)) {
      if (day === iso(THU)) expect(after[day]).toBeGreaterThan(before[day] as number);
      else expect({ day, computedAt: after[day] }).toEqual({ day, computedAt: before[day] });
    }
    expect(await computedAtByDay('dora_metrics_daily')).toEqual(beforeDora);

    const thursday = (await latest('repo_metrics_daily', ['repository_id', 'day'])).find((row) => row.day === iso(THU));
    expect(thursday).toMatchObject({
      ...THURSDAY_BEFORE,
      time_to_first_review_p50_hours: 31, // opened Tue 09:00, reviewed Wed 16:00
      pickup_time_p50_hours: 31,
      review_time_p50_hours: 17, // merged Thu 09:00
      reviews_per_pr: 1,
    });
    const users = await latest('user_metrics_daily', ['repository_id', 'author_identity_id', 'day']);
    const activity = (day: number) =>
      users
        .filter((row) => row.day === iso(day))
        .map(({ author_identity_id, reviews_given, reviews_received, prs_merged }) => ({
          author_identity_id,
          reviews_given,
          reviews_received,
          prs_merged,
        }));
    expect(activity(WED)).toEqual([
      { author_identity_id: ALICE, reviews_given: 1, reviews_received: 0, prs_merged: 0 },
      { author_identity_id: CAROL, reviews_given: 0, reviews_received: 1, prs_merged: 0 },
    ]);
    expect(activity(THU)).toEqual([
      { author_identity_id: CAROL, reviews_given: 0, reviews_received: 0, prs_merged: 1 },
    ]);
  });

  it('a full rebuild over the range appends a new computation of every key with the same values', async () => {
    const snapshot = async () => ({
      repo: await latest('repo_metrics_daily', ['repository_id', 'day']),
      users: await latest('user_metrics_daily', ['repository_id', 'author_identity_id', 'day']),
      team: await latest('team_metrics_daily', ['team_id', 'day']),
      dora: await latest('dora_metrics_daily', ['repository_id', 'day']),
      items: await latest('work_item_metrics_daily', ['provider', 'work_scope_id', 'team_id', 'day']),
    });
    const before = await snapshot();
    const computedBefore = await computedAtByDay('repo_metrics_daily');
    const run = await runToCompletion('metrics', env, 120_000, [
      'rebuild',
      '--from',
      '2026-01-01',
      '--to',
      '2026-01-31',
    ]);
    expect(run.code).toBe(0);
    // 6 repo days + 4 DORA days + 2 team days + 3 work-item days
    expect(run.output).toMatch(/"keys":15,/);
    await waitFor(
      async () => {
        const after = await computedAtByDay('repo_metrics_daily');
        return Object.keys(computedBefore).every((day) => (after[day] ?? 0) > (computedBefore[day] ?? 0));
      },
      { description: 'the rebuilt rows stored', timeoutMs: 30_000, intervalMs: 250 },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await snapshot()).toEqual(before);
  });

  it('serves the rows, a DORA window with its bands, and the lineage of a key through GraphQL', async () => {
    const gateway = startService('gateway', env);
    running.push(gateway);
    const url = await listeningUrl(gateway);
    const token = await issueApiKey(env);
    const graphql = <T>(query: string) => graphqlQuery<T>(url, query, token);

    const { doraSummary } = await graphql<{ doraSummary: Row }>(
      `{ doraSummary(repositoryId: "${REPO}", from: "2026-01-05", to: "2026-01-11") {
          days deployments successfulDeployments deploymentsPerDay changeFailureRate leadTimeP50Hours timeToRestoreP50Hours
          bands { deploymentFrequency leadTime changeFailureRate timeToRestore } } }`,
    );
    // d1 d2 d3 d4 count, d2 failed and d3 had an incident: 2 / 4; lead times [10, 64, 3] → 10 h; i1 restored in 2 h
    expect(doraSummary).toEqual({
      days: 7,
      deployments: 4,
      successfulDeployments: 3,
      deploymentsPerDay: 0.4286,
      changeFailureRate: 0.5,
      leadTimeP50Hours: 10,
      timeToRestoreP50Hours: 2,
      bands: { deploymentFrequency: 'high', leadTime: 'elite', changeFailureRate: 'low', timeToRestore: 'high' },
    });

    const { metricLineage } = await graphql<{ metricLineage: Row[] }>(
      `{ metricLineage(kind: "repo", scopeId: "${REPO}", day: "${iso(MON)}") { table role count ids } }`,
    );
    expect(metricLineage.map(({ table, count, ids }) => ({ table, count, ids }))).toEqual([
      { table: 'commits', count: 3, ids: ['test:commit:c1', 'test:commit:c2', 'test:commit:c3'] },
      { table: 'pull_requests', count: 1, ids: ['test:pr:2'] },
      { table: 'pull_requests', count: 2, ids: ['test:pr:1', 'test:pr:2'] },
      { table: 'reviews', count: 3, ids: ['r1', 'r2', 'r3'] },
      { table: 'review_comments', count: 1, ids: ['m1'] },
      // the review flow of PRs 1 and 2, merged that day
      { table: 'reviews', count: 3, ids: ['r1', 'r2', 'r3'] },
      { table: 'review_comments', count: 1, ids: ['m1'] },
      { table: 'identities', count: 3, ids: [ALICE, BOB, CAROL] },
    ]);

    const { repoMetrics, workItemMetrics } = await graphql<{ repoMetrics: Row[]; workItemMetrics: Row[] }>(
      `{ repoMetrics(repositoryId: "${REPO}", from: "2026-01-05", to: "2026-01-05") { day commits prsMerged reworkRatio prCycleTimeP90Hours }
         workItemMetrics(workScopeId: "${SCOPE}", from: "2026-01-01", to: "2026-01-31") { day itemsCompleted reopened } }`,
    );
    expect(repoMetrics).toEqual([
      { day: iso(MON), commits: 3, prsMerged: 2, reworkRatio: 0.5, prCycleTimeP90Hours: 11.2 },
    ]);
    expect(workItemMetrics).toEqual([
      { day: iso(MON), itemsCompleted: 0, reopened: 0 },
      { day: iso(TUE), itemsCompleted: 1, reopened: 1 },
      { day: iso(WED), itemsCompleted: 1, reopened: 0 },
    ]);
  });
});
