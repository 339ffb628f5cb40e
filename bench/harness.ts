import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
export { percentile } from '../libs/metric-definitions/src/stats';
import {
  type RunningService,
  type ServiceName,
  listeningUrl,
  pipelineEnvironment as testPipelineEnvironment,
  queryRows,
  startService,
  waitFor,
} from '@dev-health/testing';
import { SyntheticGenerator, identityAliases, type SyntheticOptions } from '@dev-health/synthetic';
import { syntheticEnvironment } from '../apps/connector-synthetic/src/config';

/** The org the year-long benches (gateway, raw storage, backfill) generate: 120 people in 12 repositories. */
export const ORG_OF_120 = {
  repos: 12,
  teams: 6,
  people: 120,
  commitsPerDay: 60,
  pullRequestsPerDay: 15,
  workItemsPerDay: 10,
} as const;

export function peakRssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Math.round(Number(match[1]) / 1024) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * What every benchmarked service needs: the stack's endpoints, a fresh topic prefix and store names,
 * and BENCH_NODE_OPTIONS (e.g. --max-old-space-size=160: what a container memory limit would impose).
 */
export function pipelineEnvironment(label: string, databaseUri: string) {
  const pipeline = testPipelineEnvironment(label, databaseUri);
  pipeline.env.LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'info';
  pipeline.env.NODE_OPTIONS = process.env.BENCH_NODE_OPTIONS ?? '';
  return pipeline;
}

export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** A day's activity of a synthetic org, pull requests and work items in proportion to its commits. */
export function dailyActivity(commitsPerDay: number) {
  return {
    commitsPerDay,
    pullRequestsPerDay: Math.round(commitsPerDay / 12),
    workItemsPerDay: Math.round(commitsPerDay / 20),
  };
}

/**
 * The large org the throughput benches (throughput, stages, replay) generate: 300 people in 40
 * repositories, PRs and work items in proportion to the commits.
 */
export function largeOrg(seed: string, commitsPerDay: number, days: number): SyntheticOptions {
  return {
    seed,
    startDate: '2025-01-06',
    days,
    repos: 40,
    teams: 8,
    people: 300,
    ...dailyActivity(commitsPerDay),
  };
}

/** What a synthetic org's pipeline runs with: the stack, its generator settings and its identity table. */
export function syntheticPipelineEnvironment(pipelineEnv: Record<string, string>, options: SyntheticOptions) {
  return {
    ...pipelineEnv,
    ...syntheticEnvironment(options),
    IDENTITY_ALIASES: JSON.stringify(identityAliases(new SyntheticGenerator(options).organisation)),
  };
}

/** The raw records a finished synthetic connector reported publishing (NaN when it reported none). */
export function publishedRecords(connector: RunningService): number {
  const line = connector
    .logs()
    .split('\n')
    .find((candidate) => candidate.startsWith('{"published"'));
  return line ? (JSON.parse(line) as { published: number }).published : Number.NaN;
}

/** The services of one benchmark: started as production runs them, peak RSS sampled (VmHWM) while they live. */
export class Fleet {
  readonly services = new Map<string, RunningService>();
  readonly peaks = new Map<string, number>();
  private readonly sampler: NodeJS.Timeout;

  constructor(private readonly env: Record<string, string>) {
    this.sampler = setInterval(() => this.sample(), 100);
  }

  private sample(): void {
    for (const [label, service] of this.services) {
      const peak = peakRssMb(service.child.pid);
      if (!Number.isNaN(peak)) this.peaks.set(label, Math.max(this.peaks.get(label) ?? 0, peak));
    }
  }

  start(name: ServiceName, extraEnv: Record<string, string> = {}, label: string = name): RunningService {
    const service = startService(name, { ...this.env, ...extraEnv }, `bench-${label}`);
    this.services.set(label, service);
    return service;
  }

  async startConsuming(names: ServiceName[]): Promise<void> {
    for (const name of names) await this.start(name).waitForLog(/consuming/);
  }

  async metricsUrl(label: string): Promise<string> {
    const service = this.services.get(label);
    if (!service) throw new Error(`${label} is not running`);
    return `${await listeningUrl(service)}/metrics`;
  }

  async stop(): Promise<void> {
    this.sample();
    clearInterval(this.sampler);
    await Promise.all([...this.services.values()].map((service) => service.stop()));
  }
}

/**
 * Waits until the metrics service has consumed every change event the primary sink sent, and the count
 * has held for 2 s (a recompute in flight publishes nothing new to count).
 */
export async function waitForMetricsCatchUp(sinkMetricsUrl: string, metricsServiceUrl: string): Promise<void> {
  let stableSince = 0;
  let lastConsumed = -1;
  await waitFor(
    async () => {
      const changesSent = await scrapeCounter(sinkMetricsUrl, 'dho_records_produced_total', 'store-changed');
      const consumed = await scrapeCounter(metricsServiceUrl, 'dho_records_consumed_total', 'store-changed');
      const caughtUp = consumed >= changesSent && consumed === lastConsumed;
      lastConsumed = consumed;
      stableSince = caughtUp ? stableSince || Date.now() : 0;
      return caughtUp && Date.now() - stableSince > 2_000;
    },
    { description: 'the metrics service to recompute every change', timeoutMs: 3_600_000, intervalMs: 500 },
  );
}

/** Sum of a Prometheus counter's samples whose labels contain `labelFilter`. */
export async function scrapeCounter(url: string, name: string, labelFilter = ''): Promise<number> {
  const text = await (await fetch(url)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (labelFilter && !line.includes(labelFilter))) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) total += value;
  }
  return total;
}

/**
 * Steady-state rate from (seconds, cumulative count) samples: the slope between the samples where the
 * count first passes 10 % and 90 % of its final value (start-up and drain excluded).
 */
export function steadyRate(samples: { t: number; count: number }[]): number | null {
  const final = samples[samples.length - 1]?.count ?? 0;
  if (final === 0) return null;
  const from = samples.find((sample) => sample.count >= final * 0.1);
  const to = samples.find((sample) => sample.count >= final * 0.9);
  if (!from || !to || to.t <= from.t) return null;
  return (to.count - from.count) / (to.t - from.t);
}

/** When a (repository, day)'s commit count was seen to change, through whatever the bench watches. */
export type CountHistory = ReadonlyMap<string, readonly { at: number; commits: number }[]>;

/**
 * Per commit authored in [from, until]: the moment its repository-day count first reached its rank
 * (by author time) in `seen`, minus its author time. Commits never reached are counted apart.
 */
export async function commitLatencies(
  databaseUri: string,
  seen: CountHistory,
  from: number,
  until: number,
): Promise<{ latencies: number[]; neverSeen: number }> {
  const commits = await queryRows<{ repository_id: string; day: string; authored_ms: string }>(
    databaseUri,
    `SELECT repository_id, to_char(authored_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
            (extract(epoch FROM authored_at) * 1000)::bigint::text AS authored_ms
     FROM commits ORDER BY repository_id, authored_at`,
  );
  const latencies: number[] = [];
  let neverSeen = 0;
  const rank = new Map<string, number>();
  for (const commit of commits) {
    const key = `${commit.repository_id}/${commit.day}`;
    const position = (rank.get(key) ?? 0) + 1;
    rank.set(key, position);
    const authored = Number(commit.authored_ms);
    if (authored < from || authored > until) continue;
    const reached = seen.get(key)?.find((entry) => entry.commits >= position);
    if (reached) latencies.push(Math.max(0, reached.at - authored));
    else neverSeen++;
  }
  return { latencies, neverSeen };
}

/** A Markdown table, each column as wide as its widest cell. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]) =>
    `| ${widths.map((width, column) => (row[column] ?? '').padEnd(width)).join(' | ')} |`;
  return [line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export function writeResult(name: string, result: unknown): string {
  const directory = path.join(__dirname, 'results');
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

export function runMain(main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}

/** USER_HZ: /proc reports CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

/** User + system CPU of a process so far, in ms (fields 14 and 15 of /proc/<pid>/stat). */
export function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1_000) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** CPU time every process on the machine spent so far (user, nice, system, irq, softirq, steal), in ms. */
export function machineCpuMs(): number {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return ((user + nice + system + irq + softirq + steal) * 1_000) / TICKS_PER_SECOND;
}
