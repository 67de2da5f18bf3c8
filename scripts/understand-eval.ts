/**
 * `npm run eval:intents`: the held-out evaluation of understanding. Runs every labelled line of
 * test/fixtures/intents/heldout.jsonl (written before any tuning and never tuned on) through
 * exactly what `a2d2 understand` does, and prints intent accuracy overall, per language and per
 * command (with per-language columns), severity agreement on the lines that carry one, argument
 * agreement on the lines that name them, and the time per message.
 *
 *   npm run eval:intents                              # held-out set, rules + classifier
 *   npm run eval:intents -- --llm                     # the configured model in front
 *   npm run eval:intents -- --fixtures FILE.jsonl     # another labelled file
 *   npm run eval:intents -- --kfold 5                 # k-fold on the training corpus (models compared)
 *   npm run eval:intents -- --json | --misses
 */
import { performance } from 'node:perf_hooks';
import { readLabelled, trainingCorpus, type CorpusEntry } from '../agents/understanding/corpus.ts';
import { trainBayes, trainLogistic, type Classifier } from '../agents/understanding/classifier.ts';
import { createUnderstandingEngine } from '../agents/understanding/engine.ts';
import type { CommandRegistry, IntentEngine } from '../core/registry.ts';
import type { UnderstandLine } from '../bot/understand.ts';

interface Row {
  total: number;
  correct: number;
  en: [number, number];
  ru: [number, number];
}

const row = (): Row => ({ total: 0, correct: 0, en: [0, 0], ru: [0, 0] });
const pct = (c: number, t: number) => (t ? `${((c / t) * 100).toFixed(1)}%` : '   -  ');

/** True when the understood arguments carry what the line expects (id, process and inputs, environment). */
export function argsAgree(expected: Record<string, unknown>, got: unknown): boolean {
  const a = (got ?? {}) as Record<string, unknown>;
  const inputs = (a.inputs ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(expected)) {
    if (k === 'inputs') {
      for (const [ik, iv] of Object.entries(v as Record<string, unknown>)) {
        const have = ik === 'env' ? (inputs.env ?? a.environment) : inputs[ik];
        if (String(have) !== String(iv)) return false;
      }
    } else if (String(a[k]) !== String(v)) return false;
  }
  return true;
}

/** The evaluation of one labelled set. */
export async function evaluate(registry: CommandRegistry, engine: IntentEngine, fixtures: CorpusEntry[]) {
  const { understandText } = await import('../bot/understand.ts');
  const all = row();
  const byIntent = new Map<string, Row>();
  const sev = row();
  const args = row();
  const times: number[] = [];
  const misses: string[] = [];
  // The model is loaded first, as a worker does at start: the times are per message.
  engine.warm?.();
  for (const f of fixtures) {
    const t0 = performance.now();
    const got: UnderstandLine = await understandText(registry, engine, f.text, f.lang);
    times.push(performance.now() - t0);
    const ok = got.intent === f.intent;
    const r = byIntent.get(f.intent) ?? row();
    byIntent.set(f.intent, r);
    for (const x of [all, r]) {
      x.total++;
      x[f.lang][1]++;
      if (ok) {
        x.correct++;
        x[f.lang][0]++;
      }
    }
    if (!ok) misses.push(`[${f.lang} ${f.intent} -> ${got.intent} ${got.engine} ${got.confidence}] ${f.text}`);
    if (f.severity) {
      const agree = ok && got.severity === f.severity;
      sev.total++;
      sev[f.lang][1]++;
      if (agree) {
        sev.correct++;
        sev[f.lang][0]++;
      } else if (ok) misses.push(`[${f.lang} severity ${f.severity} -> ${got.severity}] ${f.text}`);
    }
    if (f.args) {
      const agree = ok && argsAgree(f.args, got.args);
      args.total++;
      args[f.lang][1]++;
      if (agree) {
        args.correct++;
        args[f.lang][0]++;
      } else if (ok) misses.push(`[${f.lang} args ${JSON.stringify(f.args)} -> ${JSON.stringify(got.args)}] ${f.text}`);
    }
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0;
  return { all, byIntent, sev, args, misses, p50: q(0.5), p99: q(0.99) };
}

function format(r: Awaited<ReturnType<typeof evaluate>>, engine: string, file: string): string {
  const line = (name: string, x: Row) => `${name.padEnd(16)} ${pct(x.correct, x.total).padStart(6)} (${x.correct}/${x.total})   en ${pct(...x.en).padStart(6)} (${x.en[0]}/${x.en[1]})   ru ${pct(...x.ru).padStart(6)} (${x.ru[0]}/${x.ru[1]})`;
  return [
    `file: ${file}`,
    `engine: ${engine}`,
    line('intent', r.all),
    line('severity', r.sev),
    line('arguments', r.args),
    `time per message: p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`,
    'per command (intent label):',
    ...[...r.byIntent.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `  ${line(k, v)}`),
  ].join('\n');
}

/** k-fold on the training corpus: the models and the rules/classifier order compared. */
async function kfold(registry: CommandRegistry, k: number): Promise<void> {
  const corpus = trainingCorpus();
  const models: [string, (e: { text: string; label: string }[]) => Classifier, 'classifier-first' | 'rules-first'][] = [
    ['logistic, classifier first', (e) => trainLogistic(e), 'classifier-first'],
    ['logistic unbalanced, classifier first', (e) => trainLogistic(e, { balance: 0 }), 'classifier-first'],
    ['logistic balanced fully, classifier first', (e) => trainLogistic(e, { balance: 1 }), 'classifier-first'],
    ['logistic, rules first', (e) => trainLogistic(e), 'rules-first'],
    ['naive bayes, classifier first', (e) => trainBayes(e), 'classifier-first'],
  ];
  for (const [name, train, order] of models) {
    let ok = 0;
    for (let f = 0; f < k; f++) {
      const model = train(corpus.filter((_, i) => i % k !== f).map((e) => ({ text: e.text, label: e.intent })));
      const engine = createUnderstandingEngine({ registry, classifier: model, order, processes: () => registry.entities.get('process')?.() ?? [] });
      const r = await evaluate(registry, engine, corpus.filter((_, i) => i % k === f));
      ok += r.all.correct;
    }
    process.stdout.write(`${k}-fold on the training corpus (${corpus.length}), ${name}: ${pct(ok, corpus.length)}\n`);
  }
}

/** Runs the evaluation named by the command line. */
export async function runHeldOut(argv: string[]): Promise<void> {
  const { loadConfig } = await import('../services/config.ts');
  const { createLogger } = await import('../services/logger.ts');
  const { offlineRegistry, understandEngine } = await import('../bot/understand.ts');
  const config = loadConfig();
  const logger = createLogger({ level: 'warn', destination: process.stderr as never });
  const registry = offlineRegistry(config);
  const k = argv.indexOf('--kfold');
  if (k >= 0) return kfold(registry, Number(argv[k + 1] ?? 5));
  const f = argv.indexOf('--fixtures');
  const file = f >= 0 ? argv[f + 1]! : new URL('../test/fixtures/intents/heldout.jsonl', import.meta.url).pathname;
  const engine = await understandEngine(config, logger, registry, argv.includes('--llm'));
  const r = await evaluate(registry, engine, readLabelled(file));
  if (argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ ...r, byIntent: Object.fromEntries(r.byIntent) }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${format(r, engine.name, file)}\n`);
  if (argv.includes('--misses')) process.stdout.write(`misses:\n${r.misses.map((m) => `  ${m}`).join('\n')}\n`);
}
