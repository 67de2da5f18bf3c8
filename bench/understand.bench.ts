/**
 * Understanding without a model, measured: the shipped intent model's load time against
 * training it from the corpus (what a process did before the model shipped), the RSS before and
 * after, the time per message over 1,000 labelled lines through exactly what `a2d2 understand`
 * does (p50, p99, total), and the whole compiled `a2d2 understand < 1,000 lines` as a process.
 * Each run is a fresh process, so nothing is warm that a new worker would not have.
 *   npm run bench -- understand [--runs N]     (default 3; prints each run and the median)
 */
import { fork, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ensureBuilt, NODE_FLAGS } from '../scripts/dist.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const LINES = 1_000;

interface Sample {
  loadMs: number;
  trainMs: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  p50Ms: number;
  p99Ms: number;
  totalMs: number;
  cliMs?: number;
}

/** 1,000 lines: the held-out sets, repeated (they are what people type; the corpus is what the model saw). */
async function lines(): Promise<{ text: string; lang: 'en' | 'ru' }[]> {
  const { readLabelled } = await import('../agents/understanding/corpus.ts');
  const all = [...readLabelled(new URL('../test/fixtures/intents/heldout.jsonl', import.meta.url)), ...readLabelled(new URL('../test/fixtures/intents/heldout-args.jsonl', import.meta.url))];
  return Array.from({ length: LINES }, (_, i) => all[i % all.length]!);
}

const mib = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
const at = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;

/** One measurement, in this (fresh) process. */
async function child(): Promise<Sample> {
  const { loadConfig } = await import('../services/config.ts');
  const { offlineRegistry, understandText } = await import('../bot/understand.ts');
  const { createUnderstandingEngine } = await import('../agents/understanding/engine.ts');
  const { loadShipped, trainShipped } = await import('../agents/understanding/model-file.ts');
  const registry = offlineRegistry(loadConfig());
  const input = await lines();
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let t = performance.now();
  const model = loadShipped();
  const loadMs = performance.now() - t;
  if (!model) throw new Error('the shipped model is stale: npm run build:model');
  const engine = createUnderstandingEngine({ registry, classifier: model, processes: () => registry.entities.get('process')?.() ?? [] });
  globalThis.gc?.();
  const rssAfter = process.memoryUsage().rss;
  const times: number[] = [];
  const t0 = performance.now();
  for (const l of input) {
    t = performance.now();
    await understandText(registry, engine, l.text, l.lang);
    times.push(performance.now() - t);
  }
  const totalMs = performance.now() - t0;
  t = performance.now();
  trainShipped();
  const trainMs = performance.now() - t;
  times.sort((a, b) => a - b);
  return { loadMs, trainMs, rssBeforeMiB: mib(rssBefore), rssAfterMiB: mib(rssAfter), p50Ms: at(times, 0.5), p99Ms: at(times, 0.99), totalMs };
}

/** The compiled CLI on 1,000 lines, wall time from spawn to exit. */
async function cli(): Promise<number> {
  const body = (await lines()).map((l) => JSON.stringify(l)).join('\n') + '\n';
  const started = performance.now();
  const p = spawn(process.execPath, [...NODE_FLAGS, `${root}dist/main.js`, 'understand'], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  p.stdout.on('data', (d) => (out += d));
  p.stdin.end(body);
  const code = await new Promise<number | null>((r) => p.on('exit', r));
  if (code !== 0 || out.trim().split('\n').length !== LINES) throw new Error(`a2d2 understand exited ${code} with ${out.split('\n').length} lines`);
  return performance.now() - started;
}

async function parent(runs: number): Promise<void> {
  ensureBuilt({ log: (line: string) => console.log(line) });
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const c = fork(fileURLToPath(import.meta.url), ['--child'], { execArgv: ['--expose-gc', '--import', 'tsx'], cwd: root });
    const s = await new Promise<Sample>((resolve, reject) => {
      c.on('message', (m) => resolve(m as Sample));
      c.on('exit', (code) => code !== 0 && reject(new Error(`run ${i + 1} exited ${code}`)));
    });
    s.cliMs = await cli();
    samples.push(s);
    const f = (n: number) => n.toFixed(2);
    console.log(
      `run ${i + 1}: model load ${f(s.loadMs)} ms (training it: ${f(s.trainMs)} ms), RSS ${s.rssBeforeMiB} -> ${s.rssAfterMiB} MiB (+${mib((s.rssAfterMiB - s.rssBeforeMiB) * 2 ** 20)}), ` +
        `per message p50 ${f(s.p50Ms)} ms p99 ${f(s.p99Ms)} ms, ${LINES} lines ${f(s.totalMs)} ms in-process, a2d2 understand ${f(s.cliMs)} ms wall`,
    );
  }
  const med = (k: keyof Sample) => samples.map((s) => s[k] as number).sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
  console.log(
    `median of ${runs}: load ${med('loadMs').toFixed(1)} ms vs training ${med('trainMs').toFixed(0)} ms (${(med('trainMs') / med('loadMs')).toFixed(1)}x faster), ` +
      `RSS +${(med('rssAfterMiB') - med('rssBeforeMiB')).toFixed(1)} MiB, p99 ${med('p99Ms').toFixed(2)} ms, ${LINES} lines ${med('totalMs').toFixed(0)} ms, CLI ${med('cliMs').toFixed(0)} ms`,
  );
}

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, child: { type: 'boolean', default: false } } });
if (values.child) {
  const s = await child();
  process.send!(s);
  process.disconnect();
} else {
  await parent(Number(values.runs));
}
