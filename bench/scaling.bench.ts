/**
 * Many workers: 2 http roles and 1, 2, 4, 8 worker processes (real `bin/a2d2.mjs start`
 * children) against one Redis and one PostgreSQL. For each worker count, a warm-up and then
 * `--runs` passes of four workloads (bench/scaling-load.ts: slash-command tickets, alert
 * deliveries until their cards are sent, XLSX documents through the pipeline, process runs);
 * each pass gives items per second and the CPU seconds of the http roles, the workers, every
 * postgres process and the Redis on 6379. Prints the median per worker count, the CPU share of
 * each group (CPU seconds / wall seconds; 2.0 is both cores of a 2-core machine), and the load
 * average at each pass: Postgres and Redis are the machine's shared servers, so other work
 * running at the same time shows in their CPU and in the figures.
 *   npm run bench -- scaling [--workers 1,2,4,8] [--runs 3] [--tickets 300] [--alerts 150] [--documents 40] [--process-runs 300] [--json file]
 */
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDeployment } from '../test/helpers/a2d2-procs.ts';
import { measure, scalingProcess, scalingYaml, WORKLOADS, type Measured, type Workload } from './scaling-load.ts';

const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '1,2,4,8' },
    runs: { type: 'string', default: '3' },
    tickets: { type: 'string', default: '300' },
    alerts: { type: 'string', default: '150' },
    documents: { type: 'string', default: '40' },
    'process-runs': { type: 'string', default: '300' },
    json: { type: 'string' },
  },
});
const counts: Record<Workload, number> = { tickets: Number(values.tickets), alerts: Number(values.alerts), documents: Number(values.documents), runs: Number(values['process-runs']) };
const workerCounts = values.workers.split(',').map(Number);
const runs = Number(values.runs);
if (workerCounts.some((w) => !(w >= 1)) || !(runs >= 1) || Object.values(counts).some((c) => !(c >= 1))) {
  console.error('--workers a list of counts >= 1, --runs >= 1, every workload size >= 1');
  process.exit(2);
}

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface Row {
  workers: number;
  workload: Workload;
  passes: Measured[];
  loads: string[];
}

/** One deployment of `workers` workers: a warm-up, then `runs` passes of every workload. */
async function forWorkers(workers: number): Promise<Row[]> {
  const tag = randomUUID().slice(0, 6);
  const dir = mkdtempSync(join(tmpdir(), 'a2d2-scale-proc-'));
  writeFileSync(join(dir, 'scale-run.yaml'), scalingProcess(tag));
  const d = await startDeployment({ name: 'scaling', http: 2, workers, ownDatabase: true, yaml: scalingYaml(tag, dir) });
  try {
    for (const w of WORKLOADS) await measure(d, w, Math.min(10, counts[w]), tag, 'warm');
    const rows: Row[] = WORKLOADS.map((w) => ({ workers, workload: w, passes: [], loads: [] }));
    for (let r = 0; r < runs; r++) {
      for (const row of rows) {
        row.loads.push(loadavg());
        const m = await measure(d, row.workload, counts[row.workload], tag, `p${r}`);
        row.passes.push(m);
        const cpu = Object.entries(m.cpu).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(' ');
        console.log(`workers ${workers} pass ${r + 1} ${row.workload}: ${m.count} in ${m.seconds.toFixed(1)} s = ${m.perSecond.toFixed(1)}/s  cpu s: ${cpu}  load ${row.loads.at(-1)}`);
      }
    }
    return rows;
  } finally {
    await d.close();
  }
}

const all: Row[] = [];
for (const w of workerCounts) all.push(...(await forWorkers(w)));

console.log(`\nmedian of ${runs} passes (items/s; CPU share = CPU seconds / wall seconds, 2 cores = 2.0)`);
console.log('| workers | workload | per second (passes) | http CPU | workers CPU | postgres CPU | redis CPU | load averages |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of all) {
  const share = (k: keyof Measured['cpu']) => median(r.passes.map((p) => p.cpu[k] / p.seconds)).toFixed(2);
  const per = r.passes.map((p) => p.perSecond.toFixed(1)).join(' / ');
  console.log(`| ${r.workers} | ${r.workload} | **${median(r.passes.map((p) => p.perSecond)).toFixed(1)}** (${per}) | ${share('http')} | ${share('workers')} | ${share('postgres')} | ${share('redis')} | ${r.loads.join('; ')} |`);
}
if (values.json) writeFileSync(values.json, JSON.stringify(all, null, 2));
