import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { CLICKHOUSE_MIGRATIONS } from '@dev-health/clickhouse';
import { METRIC_SCOPES, type MetricEntityName } from '@dev-health/schemas';
import { parse } from 'yaml';
import { PipelineMetrics } from './metrics';

// The deploy assets read what the services expose and store: deploy/prometheus/alerts.yml and the Grafana
// dashboards. A renamed metric, table or column fails here instead of silently emptying a panel or an alert.

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PROMETHEUS_DIR = path.join(ROOT, 'deploy', 'prometheus');
const DASHBOARDS_DIR = path.join(ROOT, 'deploy', 'grafana', 'dashboards');

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleFile {
  groups: { name: string; rules: Rule[] }[];
}
interface RuleTestFile {
  tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
}
interface Target {
  datasource?: { type?: string };
  expr?: string;
  rawSql?: string;
}
interface Panel {
  title: string;
  type: string;
  datasource?: { type?: string };
  targets?: Target[];
}
interface Variable {
  name: string;
  type: string;
  datasource?: { type?: string };
  query?: string | { query: string };
}
interface Dashboard {
  title: string;
  panels: Panel[];
  templating: { list: Variable[] };
}

const readYaml = <T>(file: string): T => parse(readFileSync(file, 'utf8')) as T;
const rules = readYaml<RuleFile>(path.join(PROMETHEUS_DIR, 'alerts.yml')).groups.flatMap((group) => group.rules);
const alerts = rules.filter((rule) => rule.alert !== undefined);
const dashboards = readdirSync(DASHBOARDS_DIR)
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({ file, dashboard: JSON.parse(readFileSync(path.join(DASHBOARDS_DIR, file), 'utf8')) as Dashboard }));

const PROMQL_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or']);
PROMQL_KEYWORDS.add('unless').add('bool').add('offset').add('inf').add('nan');

/** The metric names a PromQL expression selects (not its functions, keywords, labels or Grafana variables). */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{[^}]*\}|\$\w+/g, ' ');
  const names = new Set<string>();
  // Numbers and durations first (digits then letters), so "5m" or "1e3" is never read as a name.
  for (const match of stripped.matchAll(/\d[\w.]*|[A-Za-z_:][\w:]*/g)) {
    const token = match[0];
    const isFunction = /^\s*\(/.test(stripped.slice(match.index + token.length));
    if (/^\d/.test(token) || isFunction || PROMQL_KEYWORDS.has(token.toLowerCase())) continue;
    names.add(token);
  }
  return [...names].sort();
}

/** Every series name a PipelineMetrics registry exposes, as Prometheus stores them. */
async function exposedSeriesNames(): Promise<Set<string>> {
  const metrics = await new PipelineMetrics('x').registry.getMetricsAsJSON();
  const names = new Set<string>(['up']); // set by Prometheus on every scrape target
  for (const metric of metrics) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram')
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
  }
  return names;
}

function prometheusQueries(dashboard: Dashboard): string[] {
  const fromPanels = dashboard.panels.flatMap((panel) =>
    (panel.targets ?? [])
      .filter((target) => (target.datasource ?? panel.datasource)?.type === 'prometheus')
      .map((target) => target.expr ?? ''),
  );
  const fromVariables = dashboard.templating.list
    .filter((variable) => variable.type === 'query' && variable.datasource?.type === 'prometheus')
    .map((variable) => (typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '')))
    .map((query) => /^label_values\(\s*([^,]+),/.exec(query)?.[1] ?? query);
  return [...fromPanels, ...fromVariables];
}

function clickhouseQueries(dashboard: Dashboard): { title: string; sql: string }[] {
  const fromPanels = dashboard.panels.flatMap((panel) =>
    (panel.targets ?? [])
      .filter((target) => (target.datasource ?? panel.datasource)?.type === 'grafana-clickhouse-datasource')
      .map((target) => ({ title: panel.title, sql: target.rawSql ?? '' })),
  );
  const fromVariables = dashboard.templating.list
    .filter((variable) => variable.type === 'query' && variable.datasource?.type === 'grafana-clickhouse-datasource')
    .map((variable) => ({ title: `$${variable.name}`, sql: typeof variable.query === 'string' ? variable.query : '' }));
  return [...fromPanels, ...fromVariables];
}

/** Columns of every ClickHouse table, from the migrations' CREATE TABLE statements and added columns. */
function clickhouseColumns(): Map<string, Set<string>> {
  const tables = new Map<string, Set<string>>();
  for (const migration of CLICKHOUSE_MIGRATIONS) {
    for (const statement of migration.statements) {
      const created = /CREATE TABLE IF NOT EXISTS (?:\{table:)?(\w+)\}? \(([\s\S]*)\)\s*ENGINE/.exec(statement);
      if (!created?.[1] || created[2] === undefined) continue;
      const columns = new Set<string>();
      let depth = 0;
      let item = '';
      for (const char of `${created[2]},`) {
        if (char === '(') depth += 1;
        if (char === ')') depth -= 1;
        if (char === ',' && depth === 0) {
          const name = item.trim().split(/\s+/)[0];
          if (name) columns.add(name);
          item = '';
        } else item += char;
      }
      tables.set(created[1], columns);
    }
    for (const { table, columns } of migration.addColumns ?? [])
      for (const [name] of columns) tables.get(table)?.add(name);
  }
  return tables;
}

describe('deploy assets', () => {
  describe('metricNamesIn', () => {
    it('finds the selected metrics, not functions, keywords, labels, durations or variables', () => {
      expect(
        metricNamesIn(
          'histogram_quantile(0.95, sum by (le) (rate(dho_a_bucket{group=~"$group", x="y(z)"}[$__rate_interval]))) > 1e3 ' +
            'and on (group) time() - max by (group) (dho_b offset 5m) unless sum(rate(dho:c:sum[5m])) by (le) > 0',
        ),
      ).toEqual(['dho:c:sum', 'dho_a_bucket', 'dho_b']);
    });
  });

  it('alerts.yml uses only metrics PipelineMetrics registers (or its own recording rules, or up)', async () => {
    const known = await exposedSeriesNames();
    for (const rule of rules) if (rule.record) known.add(rule.record);
    const used = new Set(rules.flatMap((rule) => metricNamesIn(rule.expr)));
    expect(used.size).toBeGreaterThanOrEqual(10);
    expect([...used].filter((name) => !known.has(name))).toEqual([]);
  });

  it.each(dashboards)('$file: Prometheus queries use only metrics PipelineMetrics registers', async ({ dashboard }) => {
    const known = await exposedSeriesNames();
    const used = new Set(prometheusQueries(dashboard).flatMap(metricNamesIn));
    expect([...used].filter((name) => !known.has(name))).toEqual([]);
  });

  it('the pipeline-health dashboard queries Prometheus, the engineering-metrics one ClickHouse', () => {
    const byFile = new Map(dashboards.map(({ file, dashboard }) => [file, dashboard]));
    const pipeline = byFile.get('pipeline-health.json');
    const engineering = byFile.get('engineering-metrics.json');
    expect(pipeline && prometheusQueries(pipeline).length).toBeGreaterThanOrEqual(20);
    expect(engineering && clickhouseQueries(engineering).length).toBeGreaterThanOrEqual(15);
  });

  it('every alert has a severity, a summary, a description and a runbook, and tests that fire it and not', () => {
    const tests = readYaml<RuleTestFile>(path.join(PROMETHEUS_DIR, 'alerts.test.yml')).tests.flatMap(
      (test) => test.alert_rule_test ?? [],
    );
    expect(alerts.length).toBeGreaterThanOrEqual(10);
    for (const alert of alerts) {
      const checked = tests.filter((test) => test.alertname === alert.alert);
      expect({
        alert: alert.alert,
        severity: ['warning', 'critical'].includes(alert.labels?.severity ?? ''),
        annotations: Object.keys(alert.annotations ?? {}).sort(),
        fires: checked.some((test) => test.exp_alerts.length > 0),
        staysQuiet: checked.some((test) => test.exp_alerts.length === 0),
      }).toEqual({
        alert: alert.alert,
        severity: true,
        annotations: ['description', 'runbook', 'summary'],
        fires: true,
        staysQuiet: true,
      });
    }
  });

  describe.each(dashboards.filter(({ dashboard }) => clickhouseQueries(dashboard).length > 0))(
    '$file: ClickHouse queries',
    ({ dashboard }) => {
      const columns = clickhouseColumns();
      const queries = clickhouseQueries(dashboard);

      it('read tables the migrations create, and columns they have', () => {
        const problems: string[] = [];
        for (const { title, sql } of queries) {
          const tables = [...sql.matchAll(/\$\{database\}\.(\w+)/g)].map((match) => match[1] ?? '');
          if (tables.length === 0) problems.push(`${title}: reads no \${database} table`);
          for (const table of tables) if (!columns.has(table)) problems.push(`${title}: no table ${table}`);
          // Each inner query: the columns its argMax calls read exist in the table it reads.
          for (const match of sql.matchAll(/SELECT ((?:(?!SELECT)[\s\S])*?)FROM \$\{database\}\.(\w+)/g)) {
            const table = columns.get(match[2] ?? '');
            for (const read of (match[1] ?? '').matchAll(/argMax\((\w+), computed_at_ms\)/g))
              if (!table?.has(read[1] ?? '')) problems.push(`${title}: ${match[2]} has no column ${read[1]}`);
          }
        }
        expect(problems).toEqual([]);
      });

      it('read metric tables through the latest computation of each key, as the stores do', () => {
        const problems: string[] = [];
        for (const { title, sql } of queries) {
          for (const match of sql.matchAll(/FROM \$\{database\}\.(\w+_metrics_daily)\b/g)) {
            const table = match[1] as MetricEntityName;
            const scope: { kind: string; scope: string; provider: string | null; team: string | null } =
              METRIC_SCOPES[table];
            const rowKey = ['org_id', scope.scope, scope.provider, scope.team, 'day', 'computed_at_ms']
              .filter((column): column is string => column !== null)
              .join(', ');
            const rest = sql.slice(match.index);
            const subquery = rest.slice(0, rest.indexOf('metric_computations') + 200);
            if (!subquery.includes(`(${rowKey}) IN (`) || !subquery.includes(`kind = '${scope.kind}'`))
              problems.push(
                `${title}: ${table} not filtered on its latest computation (${rowKey}, kind ${scope.kind})`,
              );
            const selectList = sql.slice(sql.lastIndexOf('SELECT', match.index), match.index);
            if (!/argMax\(\w+, computed_at_ms\)/.test(selectList))
              problems.push(`${title}: ${table} read without argMax over computed_at_ms`);
          }
        }
        expect(problems).toEqual([]);
      });

      it('filter on the selected org', () => {
        expect(queries.filter(({ sql }) => sql.includes('metric') && !sql.includes('${org:singlequote}'))).toEqual(
          queries.filter(({ title }) => title === '$org'),
        );
      });
    },
  );
});
