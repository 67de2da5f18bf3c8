/**
 * The Prometheus rules and the Grafana dashboard under monitoring/ are checked by promtool
 * (Debian's prometheus package) and read only metrics a live process exports at /metrics.
 * (`promtool check metrics` on /metrics itself is test/integration/metrics-promtool.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { startTestApp } from '../helpers/app.ts';
import { exportedNames, metricNames } from '../helpers/promql-names.ts';

const RULES = 'monitoring/prometheus/a2d2.rules.yml';
const RULE_TESTS = 'monitoring/prometheus/a2d2.rules.test.yml';
const DASHBOARD = 'monitoring/grafana/a2d2.json';
/** Series Prometheus makes itself for every scrape target. */
const PROMETHEUS_OWN = new Set(['up']);

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const rules = (): Rule[] => (parse(readFileSync(RULES, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);

function dashboardExprs(): { panel: string; expr: string }[] {
  const d = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: { title: string; targets?: { expr: string }[] }[] };
  return d.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
}

function promtool(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync('promtool', args, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('promtool is installed', () => {
  const which = spawnSync('sh', ['-c', 'command -v promtool']);
  assert.equal(which.status, 0, "promtool is missing: install Debian's prometheus package (apt-get install prometheus)");
});

test('promtool check rules and promtool test rules pass', () => {
  const check = promtool('check', 'rules', RULES);
  assert.equal(check.status, 0, check.out);
  const unit = promtool('test', 'rules', RULE_TESTS);
  assert.equal(unit.status, 0, unit.out);
  assert.match(unit.out, /SUCCESS/);
});

test('every alert has a severity, a summary, a description and a runbook anchor that exists', () => {
  const doc = readFileSync('docs/operations/monitoring.md', 'utf8');
  const anchors = new Set([...doc.matchAll(/^#+ (.+)$/gm)].map((m) => m[1]!.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-')));
  const alerts = rules().filter((r) => r.alert);
  assert.ok(alerts.length >= 9, `${alerts.length} alerts`);
  for (const r of alerts) {
    assert.match(r.labels?.severity ?? '', /^(critical|warning|info)$/, `${r.alert}: severity`);
    assert.ok(r.annotations?.summary && r.annotations.description, `${r.alert}: summary and description`);
    const m = /^docs\/operations\/monitoring\.md#(.+)$/.exec(r.annotations.runbook_url ?? '');
    assert.ok(m, `${r.alert}: runbook_url into docs/operations/monitoring.md`);
    assert.ok(anchors.has(m[1]!), `${r.alert}: docs/operations/monitoring.md has no heading for #${m[1]}`);
  }
});

test('every alert of the rules fires in at least one promtool unit test', () => {
  const tested = new Set<string>();
  const doc = parse(readFileSync(RULE_TESTS, 'utf8')) as { tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[] };
  for (const t of doc.tests) for (const a of t.alert_rule_test ?? []) if (a.exp_alerts.length > 0) tested.add(a.alertname);
  const missing = rules().filter((r) => r.alert && !tested.has(r.alert)).map((r) => r.alert);
  assert.deepEqual(missing, []);
});

test('metric names are read out of PromQL, not functions, keywords, labels or durations', () => {
  assert.deepEqual(
    metricNames('sum by (route) (rate(a_count{job="$job", x=~"a|b"}[$__rate_interval])) / on (route) group_left (z) b:rec:rate5m > 0.1 and deriv(c_total[10m]) > 1e3'),
    ['a_count', 'b:rec:rate5m', 'c_total'],
  );
  assert.deepEqual(metricNames('label_replace(max without (instance) (g), "to", "$1", "from", "(.*)") unless h offset 5m'), ['g', 'h']);
});

test('every metric the rules and the dashboard read is exported at /metrics by a running process', async () => {
  const t = await startTestApp({ yaml: { llm: { budgets: { workspaceDailyUsd: 5, userDailyUsd: 0 } } } as never });
  let text: string;
  try {
    await fetch(`${t.url}/healthz`);
    await fetch(`${t.url}/readyz`);
    const res = await fetch(`${t.url}/metrics`);
    assert.equal(res.status, 200);
    text = await res.text();
  } finally {
    await t.stop();
  }
  const exported = exportedNames(text);
  assert.ok(exported.has('a2d2_http_request_duration_seconds_count'), 'the exposition is parsed');
  const recorded = new Set(rules().flatMap((r) => (r.record ? [r.record] : [])));
  const used = [
    ...rules().map((r) => ({ where: `rule ${r.alert ?? r.record}`, expr: r.expr })),
    ...dashboardExprs().map((d) => ({ where: `panel "${d.panel}"`, expr: d.expr })),
  ];
  assert.ok(used.length > 20, `${used.length} expressions`);
  const missing: string[] = [];
  for (const u of used) {
    const names = metricNames(u.expr);
    assert.ok(names.length > 0, `${u.where}: no metric read in ${u.expr}`);
    for (const name of names) {
      if (PROMETHEUS_OWN.has(name) || recorded.has(name) || exported.has(name)) continue;
      missing.push(`${u.where}: ${name}`);
    }
  }
  assert.deepEqual(missing, [], 'metrics read by rules or panels that /metrics does not export');
});
