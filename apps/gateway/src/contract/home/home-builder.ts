import { attribute } from '../attribution/attribution.resolver';
import type {
  ConstraintCard,
  HomeDataConfidence,
  HomeLimitingFactor,
  HomeResult,
  HomeScopeDataConfidence,
  HomeSignal,
  HomeTileEntry,
  MetricDelta,
  ReworkThemeAllocation,
  SignalAttribution,
  SummarySentence,
} from './home.models';
import { TRACKED_KINDS, type DoraDay, type HomeFacts, type RepoDay, type WorkDay } from './home-facts';
import { type DayRange, daysOf } from './home-window';
import { THEMES, themeOf } from './themes';

type Source = 'repo' | 'dora' | 'work';
interface SourceRows {
  repo: RepoDay;
  dora: DoraDay;
  work: WorkDay;
}
type Measured = { value: number; samples: number } | null;

interface MetricSpec<S extends Source = Source> {
  metric: string;
  label: string;
  unit: 'prs' | 'commits' | 'loc' | 'hours' | 'ratio' | 'deployments' | 'items';
  source: S;
  table: string;
  better: 'up' | 'down';
  category: 'delivery' | 'flow' | 'quality' | 'stability' | 'work';
  measure: (rows: readonly SourceRows[S][]) => Measured;
  /** Sums read 0 on a day without rows; rates and durations have no value there. */
  additive: boolean;
  why: string;
  action: string;
  experiments: string[];
}

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;
const total = <R>(rows: readonly R[], value: (row: R) => number) => rows.reduce((sum, row) => sum + value(row), 0);

function sum<R>(column: (row: R) => number): (rows: readonly R[]) => Measured {
  return (rows) => {
    const value = total(rows, column);
    return { value, samples: value };
  };
}

/** Σ(value × weight) / Σweight over rows that have a value: a daily median weighted by its sample size. */
function weighted<R>(value: (row: R) => number | null, weight: (row: R) => number): (rows: readonly R[]) => Measured {
  return (rows) => {
    const measured = rows.filter((row) => value(row) !== null && weight(row) > 0);
    const samples = total(measured, weight);
    return samples === 0
      ? null
      : { value: total(measured, (row) => (value(row) ?? 0) * weight(row)) / samples, samples };
  };
}

function ratio<R>(numerator: (row: R) => number, denominator: (row: R) => number): (rows: readonly R[]) => Measured {
  return (rows) => {
    const samples = total(rows, denominator);
    return samples === 0 ? null : { value: total(rows, numerator) / samples, samples };
  };
}

const spec = <S extends Source>(definition: MetricSpec<S>): MetricSpec => definition as unknown as MetricSpec;

/** The metrics Home compares, in the order it lists them (docs/api.md gives each one's definition). */
export const HOME_METRICS: MetricSpec[] = [
  spec({
    metric: 'throughput',
    label: 'PRs merged',
    unit: 'prs',
    source: 'repo',
    table: 'repo_metrics_daily',
    better: 'up',
    category: 'delivery',
    measure: sum<RepoDay>((row) => row.prs_merged),
    additive: true,
    why: 'Merged pull requests are the work that reached the main line; fewer of them means less delivered.',
    action: 'Look for pull requests waiting on review or blocked in CI, and split large ones.',
    experiments: ['Cap work in progress per person', 'Split pull requests over 400 changed lines'],
  }),
  spec({
    metric: 'cycle_time',
    label: 'PR cycle time',
    unit: 'hours',
    source: 'repo',
    table: 'repo_metrics_daily',
    better: 'down',
    category: 'flow',
    measure: weighted<RepoDay>(
      (row) => row.pr_cycle_time_p50_hours,
      (row) => row.prs_merged,
    ),
    additive: false,
    why: 'Longer cycle time delays feedback and raises the cost of every change in flight.',
    action: 'Find where pull requests wait: before the first review, between review rounds, or after approval.',
    experiments: ['Set a first-review target of 4 working hours', 'Review pull requests before starting new work'],
  }),
  spec({
    metric: 'review_latency',
    label: 'Time to first review',
    unit: 'hours',
    source: 'repo',
    table: 'repo_metrics_daily',
    better: 'down',
    category: 'flow',
    measure: weighted<RepoDay>(
      (row) => row.time_to_first_review_p50_hours,
      (row) => row.prs_merged,
    ),
    additive: false,
    why: 'Pull requests waiting for a first review are idle work; authors switch context meanwhile.',
    action: 'Spread review load: rotate a reviewer of the day and check how reviews are requested.',
    experiments: ['Rotate a daily review owner', 'Add code owners so requests reach the right people'],
  }),
  spec({
    metric: 'pr_rework_ratio',
    label: 'PR rework ratio',
    unit: 'ratio',
    source: 'repo',
    table: 'repo_metrics_daily',
    better: 'down',
    category: 'quality',
    measure: weighted<RepoDay>(
      (row) => row.rework_ratio,
      (row) => row.prs_merged,
    ),
    additive: false,
    why: 'Changes requested in review mean a second round of work on the same change.',
    action: 'Agree on the design before the code: small early drafts, and checklists for recurring review comments.',
    experiments: ['Open draft pull requests early', 'Automate recurring review comments as lint rules'],
  }),
  spec({
    metric: 'commits',
    label: 'Commits',
    unit: 'commits',
    source: 'repo',
    table: 'repo_metrics_daily',
    better: 'up',
    category: 'delivery',
    measure: sum<RepoDay>((row) => row.commits),
    additive: true,
    why: 'Commit activity shows whether work is moving in the repositories.',
    action: 'Check whether the drop is planned (holidays, a release freeze) or work is stuck outside the repositories.',
    experiments: ['Commit and push work in progress daily'],
  }),
  spec({
    metric: 'churn',
    label: 'Lines changed',
    unit: 'loc',
    source: 'repo',
    table: 'repo_metrics_daily',
    better: 'up',
    category: 'delivery',
    measure: sum<RepoDay>((row) => row.lines_touched),
    additive: true,
    why: 'Lines added and deleted show how much code changed; a large swing is worth a look either way.',
    action: 'Compare with merged pull requests: fewer lines over as many PRs means smaller changes, which is good.',
    experiments: ['Review the largest changes of the window'],
  }),
  spec({
    metric: 'deploy_freq',
    label: 'Deployments',
    unit: 'deployments',
    source: 'dora',
    table: 'dora_metrics_daily',
    better: 'up',
    category: 'delivery',
    measure: sum<DoraDay>((row) => row.deployments),
    additive: true,
    why: 'Deployment frequency is how often value reaches users (DORA).',
    action: 'Find what holds deployments back: manual approvals, a flaky pipeline, batching of changes.',
    experiments: ['Deploy every merge to main', 'Quarantine flaky pipeline jobs'],
  }),
  spec({
    metric: 'change_failure_rate',
    label: 'Change failure rate',
    unit: 'ratio',
    source: 'dora',
    table: 'dora_metrics_daily',
    better: 'down',
    category: 'stability',
    measure: ratio<DoraDay>(
      (row) => row.failed_deployments,
      (row) => row.deployments,
    ),
    additive: false,
    why: 'Failed deployments cost recovery time and trust (DORA).',
    action: 'Review the failed deployments of the window for a common cause: tests that missed it, config drift.',
    experiments: ['Add a canary stage before full rollout', 'Run the failed changes’ tests in the pipeline'],
  }),
  spec({
    metric: 'lead_time',
    label: 'Lead time for changes',
    unit: 'hours',
    source: 'dora',
    table: 'dora_metrics_daily',
    better: 'down',
    category: 'flow',
    measure: weighted<DoraDay>(
      (row) => row.lead_time_p50_hours,
      (row) => row.changes_deployed,
    ),
    additive: false,
    why: 'Lead time is how long a committed change waits to reach production (DORA).',
    action: 'Measure the gap between merge and deployment; batching releases is the usual cause.',
    experiments: ['Deploy on merge instead of on a schedule'],
  }),
  spec({
    metric: 'mttr',
    label: 'Time to restore',
    unit: 'hours',
    source: 'dora',
    table: 'dora_metrics_daily',
    better: 'down',
    category: 'stability',
    measure: weighted<DoraDay>(
      (row) => row.time_to_restore_p50_hours,
      (row) => row.incidents_resolved,
    ),
    additive: false,
    why: 'Time to restore is how long users are affected when something breaks (DORA).',
    action: 'Walk through the longest incident of the window: detection, escalation, rollback.',
    experiments: ['Make rollback one command', 'Page on user-facing symptoms, not causes'],
  }),
  spec({
    metric: 'work_items_completed',
    label: 'Work items completed',
    unit: 'items',
    source: 'work',
    table: 'work_item_metrics_daily',
    better: 'up',
    category: 'work',
    measure: sum<WorkDay>((row) => row.items_completed),
    additive: true,
    why: 'Completed work items are planned work delivered.',
    action: 'Check for items stuck in progress and for work arriving outside the plan.',
    experiments: ['Limit work in progress per team', 'Hold a weekly review of items older than two weeks'],
  }),
  spec({
    metric: 'work_item_cycle_time',
    label: 'Work item cycle time',
    unit: 'hours',
    source: 'work',
    table: 'work_item_metrics_daily',
    better: 'down',
    category: 'work',
    measure: weighted<WorkDay>(
      (row) => row.cycle_time_p50_hours,
      (row) => row.items_completed,
    ),
    additive: false,
    why: 'Work item cycle time is how long planned work takes from start to done.',
    action: 'Split large items and look at where items wait between statuses.',
    experiments: ['Split items estimated over three days'],
  }),
];

const LINKS: Record<MetricSpec['category'], string> = {
  delivery: '/dashboard',
  flow: '/bottleneck',
  quality: '/code',
  stability: '/dashboard',
  work: '/capacity',
};

const linkOf = (spec: MetricSpec) => `${LINKS[spec.category]}?metric=${spec.metric}`;

/** A metric value as people read it: hours with one decimal, ratios as percents, counts whole. */
export function formatValue(value: number, unit: MetricSpec['unit']): string {
  switch (unit) {
    case 'hours':
      return `${round(value, 1)} h`;
    case 'ratio':
      return `${round(value * 100, 1)}%`;
    case 'loc':
      return `${Math.round(value)} lines`;
    default:
      return `${Math.round(value)} ${unit === 'prs' ? 'PRs' : unit}`;
  }
}

const formatPct = (pct: number) => `${pct > 0 ? '+' : ''}${round(pct, 1)}%`;

const inRange = (range: DayRange | null) => (row: { day: string }) =>
  range !== null && row.day >= range.first && row.day <= range.last;

interface Evaluated {
  spec: MetricSpec;
  delta: MetricDelta;
  current: Measured;
  prior: Measured;
}

function evaluate(spec: MetricSpec, facts: HomeFacts): Evaluated {
  const all: readonly { day: string }[] =
    spec.source === 'repo' ? facts.repoDays : spec.source === 'dora' ? facts.doraDays : facts.workDays;
  const measure = spec.measure as (rows: readonly { day: string }[]) => Measured;
  const currentRows = all.filter(inRange(facts.window.current));
  const priorRows = all.filter(inRange(facts.window.prior));
  const hasData = currentRows.length > 0;
  const hasPriorData = priorRows.length > 0;
  const current = hasData ? measure(currentRows) : null;
  const prior = hasPriorData ? measure(priorRows) : null;
  let deltaPct: number | null = null;
  if (current && prior)
    deltaPct =
      prior.value === 0
        ? current.value === 0
          ? 0
          : null
        : round(((current.value - prior.value) / prior.value) * 100, 1);
  const byDay = new Map<string, { day: string }[]>();
  for (const row of currentRows) byDay.set(row.day, [...(byDay.get(row.day) ?? []), row]);
  const spark = hasData
    ? daysOf(facts.window.current).flatMap((day) => {
        const rows = byDay.get(day) ?? [];
        const measured = rows.length === 0 ? (spec.additive ? { value: 0, samples: 0 } : null) : measure(rows);
        return measured === null ? [] : [{ ts: `${day}T00:00:00.000Z`, value: round(measured.value) }];
      })
    : [];
  let rateState: string | null = null;
  let rateCoverage: number | null = null;
  if (spec.metric === 'change_failure_rate' && hasData)
    rateState = current === null ? 'not_applicable_no_deployments' : 'measured';
  if (spec.metric === 'pr_rework_ratio' && facts.merged.length > 0) {
    const reviewed = facts.merged.filter((pr) => pr.reviewed).length;
    rateCoverage = round(reviewed / facts.merged.length);
    if (hasData) rateState = reviewed === 0 ? 'unknown_no_review_evidence' : 'measured';
  }
  return {
    spec,
    current,
    prior,
    delta: {
      metric: spec.metric,
      label: spec.label,
      value: round(current?.value ?? 0),
      unit: spec.unit,
      deltaPct,
      hasData,
      hasPriorData,
      spark,
      rateState,
      rateCoverage,
      repoFilterApplied: facts.repoFilter.applied ? spec.source !== 'work' : null,
    },
  };
}

/** The share of each bucket, sorted by size then name. */
function distribution<K extends string>(keys: readonly K[]): { key: K; items: number; share: number }[] {
  const counts = new Map<K, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts]
    .map(([key, items]) => ({ key, items, share: round(items / keys.length) }))
    .sort((a, b) => b.items - a.items || a.key.localeCompare(b.key));
}

function workAttribution(facts: HomeFacts): SignalAttribution | null {
  const completed = facts.workItems.filter(
    (item) =>
      item.completed_at !== null &&
      new Date(item.completed_at).toISOString().slice(0, 10) >= facts.window.current.first &&
      new Date(item.completed_at).toISOString().slice(0, 10) <= facts.window.current.last,
  );
  if (completed.length === 0) return null;
  const primary = completed.map(
    (item) =>
      attribute(
        item,
        (identity) => facts.teamsOf.get(identity) ?? [],
        () => null,
      )[0]!,
  );
  return {
    items: primary.length,
    sources: distribution(primary.map((row) => row.source)).map(({ key, items, share }) => ({
      source: key,
      items,
      share,
    })),
    confidence: distribution(primary.map((row) => row.confidence)).map(({ key, items, share }) => ({
      confidence: key,
      items,
      share,
    })),
  };
}

const SIGNAL_THRESHOLD_PCT = 10;

function signalOf(evaluated: Evaluated, facts: HomeFacts, scopeLabel: string): HomeSignal | null {
  const { spec, delta, current, prior } = evaluated;
  if (delta.deltaPct === null || current === null || prior === null) return null;
  const worse = spec.better === 'up' ? -delta.deltaPct : delta.deltaPct;
  if (worse < SIGNAL_THRESHOLD_PCT) return null;
  const size = Math.abs(delta.deltaPct);
  const window = facts.window.current;
  const single = facts.repoFilter.applied && facts.repositories.length === 1 ? facts.repositories[0] : undefined;
  return {
    id: `${spec.metric}:${window.first}..${window.last}`,
    title: `${spec.label} ${delta.deltaPct > 0 ? 'rose' : 'fell'} ${round(size, 1)}%`,
    metric: spec.metric,
    currentValue: formatValue(current.value, spec.unit),
    priorValue: formatValue(prior.value, spec.unit),
    delta: formatPct(delta.deltaPct),
    direction: delta.deltaPct > 0 ? 'up' : 'down',
    severity: size >= 50 ? 'high' : size >= 25 ? 'medium' : 'low',
    confidence: current.samples >= 30 ? 'high' : current.samples >= 10 ? 'medium' : 'low',
    affectedScope: spec.source === 'work' ? 'all work items' : scopeLabel,
    evidenceCount: Math.round(current.samples),
    whyItMatters: spec.why,
    recommendedAction: spec.action,
    evidenceRef: `${spec.table}:${window.first}..${window.last}`,
    category: spec.category,
    scopeEntity: single && spec.source !== 'work' ? { id: single.id, displayName: single.name } : null,
    coverage: delta.rateCoverage,
    repoFilterApplied: delta.repoFilterApplied,
    attribution: spec.source === 'work' ? workAttribution(facts) : null,
  };
}

const SEVERITY_RANK: Record<string, number> = { high: 0, medium: 1, low: 2 };

function themeAllocation(facts: HomeFacts): ReworkThemeAllocation[] {
  const byTheme = new Map<string, { prs: number; churn: number }>();
  for (const pr of facts.merged) {
    const theme = themeOf(pr.title, pr.labels);
    if (theme === null) continue;
    const entry = byTheme.get(theme) ?? { prs: 0, churn: 0 };
    entry.prs++;
    entry.churn += (pr.additions ?? 0) + (pr.deletions ?? 0);
    byTheme.set(theme, entry);
  }
  const churn = total([...byTheme.values()], (entry) => entry.churn);
  const prs = total([...byTheme.values()], (entry) => entry.prs);
  return THEMES.flatMap(({ theme, label }) => {
    const entry = byTheme.get(theme);
    if (!entry) return [];
    // Lines changed decide the share; a window of PRs without line counts falls back to PR counts.
    const allocation = churn > 0 ? entry.churn / churn : entry.prs / prs;
    return [
      {
        theme,
        label,
        allocation: round(allocation),
        allocationPct: round(allocation * 100, 2),
        prsMerged: entry.prs,
        churnLoc: entry.churn,
      },
    ];
  });
}

function summaryOf(evaluated: Evaluated[], facts: HomeFacts): SummarySentence[] {
  const days = facts.window.current.days;
  return evaluated
    .filter(
      ({ spec, current }) =>
        current !== null && ['throughput', 'cycle_time', 'deploy_freq', 'work_items_completed'].includes(spec.metric),
    )
    .map(({ spec, delta, current, prior }) => {
      const value = formatValue(current!.value, spec.unit);
      const change =
        delta.deltaPct === null || prior === null
          ? 'with no comparable value before'
          : delta.deltaPct === 0
            ? `unchanged from the previous ${facts.window.prior?.days ?? 0} days`
            : `${delta.deltaPct > 0 ? 'up' : 'down'} ${round(Math.abs(delta.deltaPct), 1)}% from ${formatValue(prior.value, spec.unit)}`;
      return {
        id: spec.metric,
        text: `${spec.label}: ${value} in the last ${days} days, ${change}.`,
        evidenceLink: linkOf(spec),
      };
    });
}

function tilesOf(evaluated: Evaluated[], facts: HomeFacts): HomeTileEntry[] {
  const tile = (key: string, metric: string): HomeTileEntry | null => {
    const found = evaluated.find(({ spec }) => spec.metric === metric);
    if (!found) return null;
    const { spec, delta, current } = found;
    return {
      key,
      value: {
        title: current === null ? 'No data' : formatValue(current.value, spec.unit),
        subtitle:
          delta.deltaPct === null
            ? `${spec.label}, last ${facts.window.current.days} days`
            : `${spec.label}, ${formatPct(delta.deltaPct)} vs previous ${facts.window.prior?.days ?? 0} days`,
        link: linkOf(spec),
      },
    };
  };
  return [
    tile('delivery', 'throughput'),
    tile('flow', 'cycle_time'),
    tile('review', 'review_latency'),
    tile('deployments', 'deploy_freq'),
    tile('stability', 'change_failure_rate'),
    tile('work', 'work_items_completed'),
  ].filter((entry): entry is HomeTileEntry => entry !== null);
}

function constraintOf(evaluated: Evaluated[], signals: HomeSignal[], facts: HomeFacts): ConstraintCard | null {
  const withData = evaluated.filter(({ delta }) => delta.hasData);
  if (withData.length === 0) return null;
  const top = signals[0];
  const evidence = (metrics: string[]) =>
    withData
      .filter(({ spec }) => metrics.includes(spec.metric))
      .map(({ spec, current, prior }) => ({
        label: `${spec.label}: ${current ? formatValue(current.value, spec.unit) : 'no value'}${prior ? ` (was ${formatValue(prior.value, spec.unit)})` : ''}`,
        link: linkOf(spec),
      }));
  if (!top) {
    return {
      title: 'No worsening metric',
      claim: `No tracked metric worsened by ${SIGNAL_THRESHOLD_PCT}% or more against the previous ${facts.window.prior?.days ?? 0} days.`,
      evidence: evidence(['throughput', 'cycle_time', 'deploy_freq']),
      experiments: [],
    };
  }
  const spec = HOME_METRICS.find((candidate) => candidate.metric === top.metric)!;
  return {
    title: spec.label,
    claim: `${top.title}: ${top.currentValue} against ${top.priorValue ?? 'no value'} in the previous ${facts.window.prior?.days ?? 0} days.`,
    evidence: evidence([top.metric, ...(spec.category === 'flow' ? ['throughput'] : [])]),
    experiments: spec.experiments,
  };
}

function dataConfidenceOf(facts: HomeFacts): HomeDataConfidence {
  const connected = [
    ...new Set(facts.sources.filter((source) => source.enabled).map((source) => source.provider)),
  ].sort();
  const missing = TRACKED_KINDS.filter((kind) => facts.lastFetched[kind] === null);
  const failing = facts.sources.filter((source) => source.enabled && source.latest_status === 'failed');
  const caveats = [
    ...missing.map((kind) => `No ${kind.replace('_', ' ')} ingested: the metrics built on them are empty.`),
    ...failing.map((source) => `The latest ${source.provider} sync (${source.name}) failed.`),
    ...(connected.length === 0
      ? ['No integration is enabled: data arrives only from replays or live publishers.']
      : []),
  ];
  const coveragePct = round(((TRACKED_KINDS.length - missing.length) / TRACKED_KINDS.length) * 100, 2);
  const level = missing.length === 0 && failing.length === 0 ? 'high' : missing.length <= 2 ? 'medium' : 'low';
  return { level, coveragePct, connectedSources: connected, missingSources: [...missing], caveats };
}

function reposCoveredPct(facts: HomeFacts): number | null {
  if (facts.repositories.length === 0) return null;
  const covered = new Set(facts.repoDays.filter(inRange(facts.window.current)).map((row) => row.repository_id));
  return round(
    (facts.repositories.filter((repository) => covered.has(repository.id)).length / facts.repositories.length) * 100,
    2,
  );
}

function scopeConfidenceOf(facts: HomeFacts): HomeScopeDataConfidence {
  const coveragePct = reposCoveredPct(facts);
  const current = facts.repoDays.filter(inRange(facts.window.current));
  const newest = current.reduce<number | null>(
    (latest, row) =>
      row.computed_at !== null && (latest === null || row.computed_at > latest) ? row.computed_at : latest,
    null,
  );
  const covered = new Set(current.map((row) => row.repository_id));
  const uncovered = facts.repositories.filter((repository) => !covered.has(repository.id));
  const caveats = [
    ...facts.repoFilter.unknown.map((name) => `No repository ${name} in this organization.`),
    ...(uncovered.length > 0
      ? [
          `${uncovered.length} of ${facts.repositories.length} repositories have no metrics in the window: ${uncovered
            .slice(0, 5)
            .map((repository) => repository.name)
            .join(', ')}${uncovered.length > 5 ? ', …' : ''}.`,
        ]
      : []),
  ];
  const level = coveragePct === null ? 'low' : coveragePct >= 90 ? 'high' : coveragePct >= 50 ? 'medium' : 'low';
  return { level, coveragePct, lastIngestedAt: newest === null ? null : new Date(newest).toISOString(), caveats };
}

function freshnessSources(facts: HomeFacts): { provider: string; status: string }[] {
  const windowStart = Date.parse(`${facts.window.current.first}T00:00:00Z`);
  const rank = { ok: 0, degraded: 1, down: 2 } as const;
  const byProvider = new Map<string, keyof typeof rank>();
  for (const source of facts.sources.filter((candidate) => candidate.enabled)) {
    const status: keyof typeof rank =
      source.last_success_at === null
        ? 'down'
        : source.latest_status === 'failed' || source.last_success_at.getTime() < windowStart
          ? 'degraded'
          : 'ok';
    const seen = byProvider.get(source.provider);
    if (seen === undefined || rank[status] > rank[seen]) byProvider.set(source.provider, status);
  }
  return [...byProvider].sort(([a], [b]) => a.localeCompare(b)).map(([provider, status]) => ({ provider, status }));
}

const maxOf = (values: readonly (number | null)[]): number | null =>
  values.reduce<number | null>((max, value) => (value !== null && (max === null || value > max) ? value : max), null);

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Home from its facts: pure, so every rule here has a unit test. */
export function buildHome(facts: HomeFacts): HomeResult {
  const evaluated = HOME_METRICS.map((spec) => evaluate(spec, facts));
  const scopeLabel = facts.repoFilter.applied
    ? facts.repositories.map((repository) => repository.name).join(', ') || 'no repository'
    : 'all repositories';
  const signals = evaluated
    .map((entry) => signalOf(entry, facts, scopeLabel))
    .filter((signal): signal is HomeSignal => signal !== null)
    .sort(
      (a, b) =>
        (SEVERITY_RANK[a.severity] ?? 3) - (SEVERITY_RANK[b.severity] ?? 3) ||
        Math.abs(parseFloat(b.delta ?? '0')) - Math.abs(parseFloat(a.delta ?? '0')) ||
        a.metric.localeCompare(b.metric),
    );
  const dataConfidence = dataConfidenceOf(facts);
  const hasData = evaluated.some(({ delta }) => delta.hasData);
  const current = facts.window.current;
  const merged = facts.merged;
  const windowItems = facts.workItems;
  const asOf = maxOf(
    [...facts.repoDays, ...facts.doraDays, ...facts.workDays].filter(inRange(current)).map((row) => row.computed_at),
  );
  const top = signals[0];
  const limitingFactor: HomeLimitingFactor = top
    ? {
        claim: `${top.title} (${top.priorValue ?? 'no value'} → ${top.currentValue}).`,
        whyItMatters: top.whyItMatters,
        recommendedAction: top.recommendedAction,
        confidence: top.confidence,
        evidenceRef: top.evidenceRef,
      }
    : hasData
      ? {
          claim: `No limiting factor stands out: no tracked metric worsened by ${SIGNAL_THRESHOLD_PCT}% or more.`,
          whyItMatters: 'The flow held steady against the previous window.',
          recommendedAction: 'Keep the current practices and look again next window.',
          confidence: dataConfidence.level,
          evidenceRef: null,
        }
      : {
          claim: 'Not enough data in this window to name a limiting factor.',
          whyItMatters: 'Without metrics for the window there is nothing to compare.',
          recommendedAction: 'Check the data-health page: connect a source or run a sync.',
          confidence: 'low',
          evidenceRef: null,
        };
  const high = signals.filter((signal) => signal.severity === 'high');
  const healthState = !hasData
    ? {
        status: 'no_data',
        headline: 'No data in this window',
        summary: `No metrics are stored for ${current.first}..${current.last}.`,
        asOf: iso(asOf),
      }
    : signals.length === 0
      ? {
          status: 'healthy',
          headline: 'No metric worsened',
          summary: `Every tracked metric held or improved against the previous ${facts.window.prior?.days ?? 0} days.`,
          asOf: iso(asOf),
        }
      : {
          status: high.length > 0 ? 'at_risk' : 'watch',
          headline: `${signals.length} metric${signals.length === 1 ? '' : 's'} worsened`,
          summary: signals.map((signal) => `${signal.title} (${signal.delta})`).join('; ') + '.',
          asOf: iso(asOf),
        };
  const transitioned = windowItems.filter((item) => item.transitioned).length;
  return {
    freshness: {
      lastIngestedAt: iso(
        maxOf([
          ...Object.values(facts.lastFetched),
          ...facts.sources.map((source) => source.last_ingested_at?.getTime() ?? null),
        ]),
      ),
      latestSuccessfulSyncAt: iso(maxOf(facts.sources.map((source) => source.last_success_at?.getTime() ?? null))),
      sources: freshnessSources(facts),
      coverage: {
        reposCoveredPct: reposCoveredPct(facts),
        prsLinkedToIssuesPct:
          merged.length === 0 ? null : round((merged.filter((pr) => pr.linked).length / merged.length) * 100, 2),
        issuesWithCycleStatesPct: windowItems.length === 0 ? null : round((transitioned / windowItems.length) * 100, 2),
      },
    },
    deltas: evaluated.map(({ delta }) => delta),
    reworkThemeAllocation: themeAllocation(facts),
    summary: summaryOf(evaluated, facts),
    tiles: tilesOf(evaluated, facts),
    constraint: constraintOf(evaluated, signals, facts),
    events: facts.events
      .slice()
      .sort((a, b) => b.at - a.at || a.text.localeCompare(b.text))
      .slice(0, 20)
      .map((event) => ({ ts: new Date(event.at).toISOString(), type: event.type, text: event.text, link: event.link })),
    healthState,
    signals,
    limitingFactor,
    dataConfidence,
    scopeDataConfidence: scopeConfidenceOf(facts),
  };
}
