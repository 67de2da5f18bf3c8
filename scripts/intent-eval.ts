/**
 * The understanding harness: runs labelled messages through an intent engine and reports
 * intent accuracy (overall, per language, per intent) and, for ticket requests, agreement on
 * the suggested severity. `npm run eval:intents` runs the held-out set
 * (test/fixtures/intents/heldout.jsonl) through exactly what `a2d2 understand` does (see
 * scripts/understand-eval.ts for its options); the functions here also serve the older
 * fixtures (test/fixtures/intents.json, the set the first rules were written against).
 */
import { readFileSync } from 'node:fs';
import type { CommandContext, IntentEngine, IntentMatch } from '../core/registry.ts';
import type { Locale } from '../services/i18n/i18n.ts';
import { intentLabel } from '../agents/intent-rules.ts';
import { detectionContext } from '../agents/understanding/context.ts';

/** One labelled message. `severity` is set for ticket requests. */
export interface IntentFixture {
  text: string;
  lang: Locale;
  intent: string;
  severity?: 'P0' | 'P1' | 'P2' | 'P3';
}

interface Tally {
  total: number;
  correct: number;
}

/** What {@link evaluateIntents} measured. */
export interface IntentReport {
  engine: string;
  total: number;
  correct: number;
  accuracy: number;
  byLang: Record<string, Tally & { accuracy: number }>;
  byIntent: Record<string, Tally & { accuracy: number }>;
  severity: { total: number; agree: number; agreement: number };
  misses: { text: string; expected: string; got: string; expectedSeverity?: string; gotSeverity?: string }[];
}

/** Reads the fixture file (JSON array). */
export function loadIntentFixtures(path = new URL('../test/fixtures/intents.json', import.meta.url)): IntentFixture[] {
  return JSON.parse(readFileSync(path, 'utf8')) as IntentFixture[];
}

/** Severity named by a match's arguments: `severity`, `priority`, or a leading "P1" in the text. */
export function severityOf(args: unknown): string | undefined {
  if (!args || typeof args !== 'object') return undefined;
  const a = args as Record<string, unknown>;
  for (const key of ['severity', 'priority']) {
    const v = a[key];
    if (typeof v === 'string' && /^P[0-3]$/i.test(v)) return v.toUpperCase();
  }
  const text = typeof a.text === 'string' ? a.text : '';
  const m = /^\s*(P[0-3])\b/i.exec(text);
  return m ? m[1]!.toUpperCase() : undefined;
}

/** A context for detection only: the one `a2d2 understand` uses. */
export const evalContext = detectionContext;

const ratio = (t: Tally) => (t.total ? t.correct / t.total : 0);

/**
 * Runs every fixture through `engine` and tallies the outcome. `severityFor` says which
 * severity the user would be offered for a matched ticket request (default: the match's args).
 */
export async function evaluateIntents(
  engine: IntentEngine,
  fixtures: IntentFixture[],
  opts: { ctxFor?: (f: IntentFixture) => CommandContext; severityFor?: (match: IntentMatch, f: IntentFixture) => string | undefined } = {},
): Promise<IntentReport> {
  const ctxFor = opts.ctxFor ?? ((f: IntentFixture) => evalContext(f.lang, f.text));
  const severityFor = opts.severityFor ?? ((m: IntentMatch) => severityOf(m.args));
  const byLang: Record<string, Tally> = {};
  const byIntent: Record<string, Tally> = {};
  const misses: IntentReport['misses'] = [];
  let correct = 0;
  let sevTotal = 0;
  let sevAgree = 0;
  for (const f of fixtures) {
    const match = await engine.detect(f.text, ctxFor(f));
    const got = intentLabel(match?.commandId, match?.args);
    const ok = got === f.intent;
    const lang = (byLang[f.lang] ??= { total: 0, correct: 0 });
    const intent = (byIntent[f.intent] ??= { total: 0, correct: 0 });
    lang.total++;
    intent.total++;
    let gotSeverity: string | undefined;
    let sevOk = true;
    if (f.severity) {
      sevTotal++;
      gotSeverity = ok && match ? severityFor(match, f) : undefined;
      sevOk = gotSeverity === f.severity;
      if (sevOk) sevAgree++;
    }
    if (ok) {
      correct++;
      lang.correct++;
      intent.correct++;
    }
    if (!ok || !sevOk) misses.push({ text: f.text, expected: f.intent, got, ...(f.severity ? { expectedSeverity: f.severity, gotSeverity: gotSeverity ?? '-' } : {}) });
  }
  const withRatio = (m: Record<string, Tally>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, { ...v, accuracy: ratio(v) }]));
  return {
    engine: engine.name,
    total: fixtures.length,
    correct,
    accuracy: fixtures.length ? correct / fixtures.length : 0,
    byLang: withRatio(byLang),
    byIntent: withRatio(byIntent),
    severity: { total: sevTotal, agree: sevAgree, agreement: sevTotal ? sevAgree / sevTotal : 0 },
    misses,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Human-readable report. */
export function formatIntentReport(r: IntentReport): string {
  const lines = [
    `engine: ${r.engine}`,
    `intent accuracy: ${pct(r.accuracy)} (${r.correct}/${r.total})`,
    ...Object.entries(r.byLang).map(([k, v]) => `  ${k}: ${pct(v.accuracy)} (${v.correct}/${v.total})`),
    `severity agreement (ticket requests): ${pct(r.severity.agreement)} (${r.severity.agree}/${r.severity.total})`,
    'per intent:',
    ...Object.entries(r.byIntent).map(([k, v]) => `  ${k.padEnd(14)} ${pct(v.accuracy).padStart(6)} (${v.correct}/${v.total})`),
  ];
  if (r.misses.length) {
    lines.push('misses:');
    for (const m of r.misses) lines.push(`  [${m.expected}${m.expectedSeverity ? ` ${m.expectedSeverity}` : ''} -> ${m.got}${m.gotSeverity ? ` ${m.gotSeverity}` : ''}] ${m.text}`);
  }
  return lines.join('\n');
}

async function main(argv: string[]): Promise<void> {
  const { runHeldOut } = await import('./understand-eval.ts');
  await runHeldOut(argv);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
