/**
 * `npm run bench -- <name> [args]` runs bench/<name>.bench.ts; with no name, lists them.
 * Benchmarks are run by hand on a quiet machine, never by CI.
 */
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const dir = new URL('.', import.meta.url).pathname;
const names = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, ''));
const [name, ...rest] = process.argv.slice(2);
if (!name || !names.includes(name)) {
  console.log(`usage: npm run bench -- <name> [args]\nbenchmarks: ${names.join(', ')}`);
  process.exit(name ? 2 : 0);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', `${dir}${name}.bench.ts`, ...rest], { stdio: 'inherit' });
process.exit(r.status ?? 1);
