/**
 * Every benchmark against the local stack, one after another (they would share 2 cores otherwise),
 * then one table. Writes bench/results/<name>.json and bench/results/summary.json.
 * Run: npm run bench                 (all: kafka, kafka-clients, stages, throughput, freshness, subscription, gateway, raw-storage, backfill, backfill-contention, replay, local git, determinism, sync-latency, github, gitlab, jira)
 *      npm run bench -- throughput   (one; see each file for its arguments)
 * Sizes: BENCH_SCALE=small for a quick pass (≈1/10 of each dataset).
 */
import { measureDeterminism } from './determinism';
import { measureFreshness } from './freshness';
import { measureSubscriptionLatency } from './subscription-latency';
import { measureGateway } from './gateway';
import { measureBackfill } from './backfill';
import { measureGitHub } from './github';
import { measureRawStorage } from './raw-storage';
import { markdownTable, runMain, writeResult } from './harness';
import { measureKafkaCeiling } from './kafka-ceiling';
import { measureLocalGit } from './local-git';
import { measureSyncLatency } from './sync-latency';
import { measureBackfillContention } from './backfill-contention';
import { measureReplay } from './replay';
import { measureGitLab } from './gitlab';
import { measureJira } from './jira';
import { measureThroughput } from './throughput';
import { benchKafkaClients, measureStages, type StagesResult } from './stages';
import { measureKafkaClients } from './kafka-clients';

const small = process.env.BENCH_SCALE === 'small';
const only = process.argv[2];
const args = process.argv.slice(3).map(Number);

type Row = [string, string, string];

runMain(async () => {
  const rows: Row[] = [];
  const summary: Record<string, unknown> = {};
  const want = (name: string) => !only || only === name;

  let ceiling: ReturnType<typeof measureKafkaCeiling> | undefined;
  if (want('kafka')) {
    ceiling = measureKafkaCeiling(args[0] ?? (small ? 200_000 : 1_000_000), args[1] ?? 400);
    summary.kafka = ceiling;
    rows.push([
      'kafka ceiling',
      'producer (acks=all, 400 B)',
      `${ceiling.producerRecordsPerSecond.toLocaleString('en')} rec/s`,
    ]);
    rows.push(['kafka ceiling', 'consumer', `${ceiling.consumerRecordsPerSecond.toLocaleString('en')} rec/s`]);
  }
  if (want('stages')) {
    const sinks = (process.env.BENCH_SINKS ?? 'postgres,clickhouse').split(',').filter(Boolean);
    const byClient: Record<string, StagesResult> = {};
    for (const client of benchKafkaClients()) {
      const result = await measureStages(args[0] ?? (small ? 450 : 4_500), args[1] ?? 70, sinks, client);
      byClient[client] = result;
      rows.push([
        `stages (${client})`,
        'records (raw → canonical)',
        `${result.rawRecords.toLocaleString('en')} → ${result.canonicalRecords.toLocaleString('en')}`,
      ]);
      for (const [stage, measured] of Object.entries(result.stages))
        rows.push([
          `stages (${client})`,
          `${stage} alone on a pre-filled topic`,
          `${measured.recordsPerSecond?.toLocaleString('en') ?? 'n/a'} rec/s, ${measured.cpuMsPer1000 ?? 'n/a'} CPU-ms per 1,000, peak RSS ${measured.peakRssMb} MB (heap ${measured.peakHeapUsedMb}, off-heap ${measured.peakExternalMb})`,
        ]);
    }
    summary.stages = byClient;
  }
  if (want('kafka-clients')) {
    const result = measureKafkaClients(args[0] ?? (small ? 50_000 : 300_000), args[1] ?? 400);
    summary.kafkaClients = result;
    if (result.confluentInstallSeconds !== null)
      rows.push(['kafka clients', 'confluent: native build at install', `${result.confluentInstallSeconds} s`]);
    for (const [client, rates] of Object.entries(result.clients))
      rows.push([
        'kafka clients',
        `${client}: produce / consume (${result.recordBytes} B records)`,
        `${rates.produceRecordsPerSecond.toLocaleString('en')} / ${rates.consumeRecordsPerSecond.toLocaleString('en')} rec/s, ${rates.produceCpuMsPer1000} / ${rates.consumeCpuMsPer1000} CPU-ms per 1,000, peak RSS ${rates.peakRssMb} MB`,
      ]);
  }
  if (want('throughput')) {
    const sinks = (process.env.BENCH_SINKS ?? 'postgres').split(',').filter(Boolean);
    const result = await measureThroughput(args[0] ?? (small ? 450 : 4_500), args[1] ?? 70, sinks);
    summary.throughput = result;
    rows.push(['throughput', 'canonical records', result.canonicalRecords.toLocaleString('en')]);
    for (const [stage, rate] of Object.entries(result.recordsPerSecond)) {
      const share =
        ceiling && rate
          ? ` (${((rate / ceiling.producerRecordsPerSecond) * 100).toFixed(1)} % of producer ceiling)`
          : '';
      rows.push(['throughput', `${stage} steady state`, `${rate?.toLocaleString('en') ?? 'n/a'} rec/s${share}`]);
    }
    rows.push([
      'throughput',
      'metrics catch-up after last write',
      `${result.metricsCatchUpSeconds} s (${result.metricKeysRecomputed.toLocaleString('en')} keys recomputed)`,
    ]);
    for (const [service, mb] of Object.entries(result.peakRssMb))
      rows.push(['memory', `${service} peak RSS`, `${mb} MB`]);
    for (const [part, ms] of Object.entries(result.cpuMsPer1000))
      rows.push(['cpu budget', `${part}: CPU-ms per 1,000 canonical records`, String(ms)]);
    rows.push([
      'cpu budget',
      `what ${result.cores} cores sustain at that total`,
      `${result.sustainableRecordsPerSecond.toLocaleString('en')} rec/s`,
    ]);
  }
  if (want('freshness')) {
    const result = await measureFreshness(args[0] ?? (small ? 20 : 60), args[1] ?? 20);
    summary.freshness = result;
    const { p50, p95, p99 } = result.freshnessMs;
    rows.push([
      'freshness',
      `commit → GraphQL (${result.commitsMeasured} commits)`,
      `p50 ${p50} ms, p95 ${p95} ms, p99 ${p99} ms`,
    ]);
    if (result.commitsNeverVisible > 0) rows.push(['freshness', 'never visible', String(result.commitsNeverVisible)]);
  }
  if (want('subscription')) {
    const result = await measureSubscriptionLatency(args[0] ?? (small ? 15 : 30), args[1] ?? 20);
    summary.subscription = result;
    const { p50, p99 } = result.latencyMs;
    rows.push([
      'subscription',
      `commit → metricsUpdated message (${result.commitsMeasured} commits, ${result.messages} messages)`,
      `p50 ${p50} ms, p99 ${p99} ms`,
    ]);
    if (result.commitsNeverAnnounced > 0)
      rows.push(['subscription', 'never announced', String(result.commitsNeverAnnounced)]);
  }
  if (want('gateway')) {
    const result = await measureGateway(args[0] ?? (small ? 60 : 365), args[1] ?? 40);
    summary.gateway = result;
    rows.push([
      'gateway',
      `org: ${result.days} days, ${result.people} people, ${result.pullRequests.toLocaleString('en')} PRs`,
      `loaded in ${result.loadSeconds} s`,
    ]);
    for (const [store, operations] of Object.entries(result.latencyMs))
      for (const [operation, byClients] of Object.entries(operations))
        for (const [clients, latency] of Object.entries(byClients))
          rows.push([
            'gateway',
            `${operation} from ${store}, ${clients} client${clients === '1' ? '' : 's'}`,
            `p50 ${latency.p50} ms, p99 ${latency.p99} ms${latency.errors ? `, ${latency.errors} errors` : ''}`,
          ]);
    for (const [store, mb] of Object.entries(result.gatewayPeakRssMb))
      rows.push(['gateway', `gateway (${store}) peak RSS`, `${mb} MB`]);
  }
  if (want('raw-storage')) {
    const result = await measureRawStorage(args[0] ?? (small ? 60 : 365));
    summary.rawStorage = result;
    rows.push([
      'raw storage',
      `${result.rawRecords.toLocaleString('en')} raw records (${result.days} days), one replica`,
      `${result.mbPerMillionRecords} MB per million (${result.bytesPerRecord} B each)`,
    ]);
  }
  if (want('backfill')) {
    const result = await measureBackfill(args[0] ?? (small ? 60 : 365));
    summary.backfill = result;
    rows.push([
      'backfill',
      `${result.days} days in ${result.chunks} chunks: ${result.rawRecords.toLocaleString('en')} raw records`,
      `${result.recordsPerSecond.toLocaleString('en')} rec/s, ${result.daysPerMinute} days/min (job ${result.jobSeconds} s)`,
    ]);
    rows.push(['backfill', 'Postgres sink done after the job', `${result.sinkCatchUpSeconds} s`]);
  }
  if (want('backfill-contention')) {
    const result = await measureBackfillContention(args[0] ?? (small ? 6 : 10));
    summary.backfillContention = result;
    rows.push([
      'backfill',
      `incremental sync POST → stored, alone vs during a ${result.backfill.days}-day backfill (${result.rounds} rounds each)`,
      `p50 ${result.aloneMs.p50} ms vs ${result.underBackfillMs.p50} ms: ${result.ratio}×`,
    ]);
  }
  if (want('replay')) {
    const result = await measureReplay(args[0] ?? (small ? 300 : 1_500), args[1] ?? 30);
    summary.replay = result;
    for (const [stage, rates] of Object.entries(result.stages))
      rows.push([
        'replay',
        `${stage}: ${rates.records.toLocaleString('en')} records, replay vs live (each alone)`,
        `${rates.replayRecordsPerSecond.toLocaleString('en')} vs ${rates.liveRecordsPerSecond.toLocaleString('en')} rec/s: ${rates.ratio}×`,
      ]);
  }
  if (want('git')) {
    const result = await measureLocalGit(args[0] ?? (small ? 5_000 : 50_000), args[1] ?? 3, []);
    summary.localGit = result;
    rows.push([
      'local git',
      `${result.commits.toLocaleString('en')} commits: ingest ÷ git log --numstat`,
      `${result.ratioToGitLog}×`,
    ]);
    rows.push(['local git', 'canonical records', `${result.canonicalRecordsPerSecond.toLocaleString('en')} rec/s`]);
  }
  if (want('determinism')) {
    const result = await measureDeterminism(args[0] ?? (small ? 250 : 2_500), args[1] ?? 30);
    summary.determinism = result;
    for (const run of result.runs)
      rows.push([
        'determinism',
        `${run.mode} run: ${run.canonicalRecords.toLocaleString('en')} canonical records`,
        `${run.keysPerThousandRecords} keys recomputed / 1,000 records; ${run.appendedPerLatestRow} rows appended / latest row`,
      ]);
    rows.push([
      'determinism',
      'checksums of every metric table',
      result.identical ? 'identical in every run' : 'DIFFER',
    ]);
    if (!result.identical) process.exitCode = 1;
  }
  if (want('sync-latency')) {
    const result = await measureSyncLatency(args[0] ?? (small ? 8 : 20));
    summary.syncLatency = result;
    const { toClaimedMs: claimed, toFirstRawRecordMs: first, toSucceededMs: done } = result;
    rows.push([
      'sync latency',
      `POST → run claimed (${result.runs - 1} runs)`,
      `p50 ${claimed.p50} ms, p90 ${claimed.p90} ms`,
    ]);
    rows.push([
      'sync latency',
      'POST → first raw record',
      `p50 ${first.p50} ms, p90 ${first.p90} ms, max ${first.max} ms`,
    ]);
    rows.push(['sync latency', 'POST → run succeeded', `p50 ${done.p50} ms, p90 ${done.p90} ms`]);
    rows.push([
      'sync latency',
      'first run after boot: POST → first raw record',
      `${result.firstRunMs.toFirstRawRecord} ms`,
    ]);
  }
  if (want('github')) {
    const result = await measureGitHub(args[0] ?? 5, args[1] ?? (small ? 20 : 60));
    summary.github = result;
    const { fullSync, unchangedResync } = result;
    rows.push([
      'github (fake)',
      `full sync: ${result.pullRequests} PRs, ${result.reviews} reviews`,
      `${fullSync.seconds} s, ${fullSync.requests} requests`,
    ]);
    rows.push([
      'github (fake)',
      'requests per 100 PRs: PRs with reviews and comments',
      String(fullSync.pullRequestRequestsPer100PullRequests),
    ]);
    rows.push(['github (fake)', 'requests per 100 PRs: every kind', String(fullSync.requestsPer100PullRequests)]);
    for (const [endpoint, requests] of Object.entries(fullSync.byEndpoint))
      rows.push(['github (fake)', endpoint, `${requests} requests`]);
    rows.push([
      'github (fake)',
      'unchanged re-sync: counted requests',
      `${unchangedResync.countedRequests} (${unchangedResync.notModified} × 304)`,
    ]);
    rows.push(['github (fake)', 'connector-github peak RSS', `${result.connectorPeakRssMb} MB`]);
  }
  if (want('gitlab')) {
    const result = await measureGitLab(args[0] ?? 6, args[1] ?? (small ? 10 : 40));
    summary.gitlab = result;
    const { fullSync, unchangedResync } = result;
    rows.push([
      'gitlab (fake)',
      `full sync: ${result.projects} projects, ${result.mergeRequests} MRs`,
      `${fullSync.seconds} s, ${fullSync.requests} requests`,
    ]);
    rows.push([
      'gitlab (fake)',
      'requests per 100 MRs: MRs (list, notes, diffs)',
      String(fullSync.mergeRequestRequestsPer100MergeRequests),
    ]);
    rows.push(['gitlab (fake)', 'requests per 100 MRs: every kind', String(fullSync.requestsPer100MergeRequests)]);
    for (const [endpoint, requests] of Object.entries(fullSync.byEndpoint).slice(0, 6))
      rows.push(['gitlab (fake)', endpoint, `${requests} requests`]);
    rows.push([
      'gitlab (fake)',
      'unchanged re-sync: requests',
      `${unchangedResync.requests} (${unchangedResync.notModified} × 304), ${unchangedResync.seconds} s`,
    ]);
    const second = result.secondUnchangedResync;
    rows.push([
      'gitlab (fake)',
      'second unchanged re-sync: requests',
      `${second.requests} (${second.notModified} × 304), ${second.seconds} s`,
    ]);
    rows.push(['gitlab (fake)', 'connector-gitlab peak RSS', `${result.connectorPeakRssMb} MB`]);
  }
  if (want('jira')) {
    const result = await measureJira(args[0] ?? (small ? 100 : 500));
    summary.jira = result;
    const { fullSync, unchangedResync, fullSyncPerIssueChangelogs: perIssue } = result;
    rows.push([
      'jira (fake)',
      `full sync: ${result.issues} issues, ${result.histories} histories (${result.longChangelogs} > 100)`,
      `${fullSync.seconds} s, ${fullSync.requests} requests`,
    ]);
    rows.push([
      'jira (fake)',
      'requests per 100 issues, whole changelogs (bulk)',
      String(fullSync.requestsPer100Issues),
    ]);
    for (const [endpoint, requests] of Object.entries(fullSync.byEndpoint).slice(0, 6))
      rows.push(['jira (fake)', endpoint, `${requests} requests`]);
    rows.push([
      'jira (fake)',
      'requests per 100 issues, per-issue changelogs',
      `${perIssue.requestsPer100Issues} (${perIssue.seconds} s)`,
    ]);
    rows.push([
      'jira (fake)',
      'unchanged re-sync',
      `${unchangedResync.requests} requests, ${unchangedResync.published} published, ${unchangedResync.seconds} s`,
    ]);
    rows.push(['jira (fake)', 'connector-jira peak RSS', `${result.connectorPeakRssMb} MB`]);
  }
  writeResult(only ? `summary-${only}` : 'summary', summary);
  process.stdout.write(`${markdownTable(['benchmark', 'figure', 'value'], rows)}\n`);
});
