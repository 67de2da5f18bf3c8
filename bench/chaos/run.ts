/**
 * `npm run chaos [-- <name> ...]`: the long fault runs (worker SIGKILLs under load, and the
 * other scenarios in this folder), one after another against a migrated database, each
 * printing its own counts; exits non-zero when any run lost, duplicated or stranded work.
 * The short forms of the same scenarios run in `npm test` (process-kills, outbound-kills).
 * Uses DATABASE_URL (default: the a2d2_chaos database, created and migrated here) and REDIS_URL.
 */
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();
const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = asked.filter((a) => !all.includes(a));
if (unknown.length) {
  console.error(`unknown chaos run: ${unknown.join(', ')}; there are: ${all.join(', ')}`);
  process.exit(2);
}
const env = { ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/a2d2_chaos', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
const migrate = spawnSync(process.execPath, [`${root}bin/a2d2.mjs`, 'migrate'], { env, stdio: 'inherit' });
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const results: { name: string; status: number | null; seconds: number }[] = [];
for (const name of asked.length ? asked : all) {
  console.log(`\n== chaos: ${name}`);
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', `${dir}${name}.ts`], { env, stdio: 'inherit' });
  results.push({ name, status: r.status, seconds: Math.round((Date.now() - started) / 1000) });
}
console.log('\n== chaos summary');
for (const r of results) console.log(`${r.status === 0 ? 'held  ' : 'FAILED'}  ${r.name}  (${r.seconds} s)`);
process.exit(results.every((r) => r.status === 0) ? 0 : 1);
