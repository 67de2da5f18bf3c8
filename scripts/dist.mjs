// Keeps dist/ in step with the sources: `ensureBuilt()` runs scripts/build.mjs when dist/main.js
// is missing or older than any source it is built from. Used by bin/a2d2.mjs (so a fresh clone's
// `npm install && npm start` works) and by the benchmarks. The build runs in its own process:
// esbuild's memory never lands in the bot's.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * How node is started for the service, measured by the idle-RSS bench:
 * - a young generation capped at 4 MB semi-spaces (V8 grows them to 16 MB on the start-up burst
 *   and keeps them): more frequent, shorter scavenges under load, ~20 MB less for good;
 * - at most two glibc malloc arenas (by default every thread may get its own, and V8's compiler
 *   threads leave them fragmented): ~10 MB less, at the cost of some contention between threads.
 * Repeated where node is started for the service: the shebang of bin/a2d2.mjs (so `npm start`
 * and the `a2d2` command) and the Dockerfile; the bench reads them from here.
 */
export const NODE_FLAGS = ['--max-semi-space-size=4'];
/** The environment the service runs with (see NODE_FLAGS). */
export const SERVICE_ENV = { MALLOC_ARENA_MAX: '2' };

/** What dist/ is built from: code, the generated client, and the files copied by path. */
const INPUTS = ['bot', 'core', 'features', 'agents', 'services', 'generated', 'processes', 'prisma/migrations', 'package.json', 'scripts/build.mjs'];

/** The newest modification time (ms) among the build's inputs. */
export function newestSource() {
  let newest = 0;
  for (const input of INPUTS) {
    const path = join(root, input);
    if (!existsSync(path)) continue;
    const top = statSync(path);
    if (!top.isDirectory()) {
      newest = Math.max(newest, top.mtimeMs);
      continue;
    }
    for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/** True when dist/main.js is missing or older than a source. */
export function isStale() {
  const main = join(root, 'dist', 'main.js');
  return !existsSync(main) || statSync(main).mtimeMs < newestSource();
}

// The notice is for a person waiting at a terminal; scripts and tests read the CLI's stderr as
// its answer (one line for a bad configuration), so it stays quiet there.
const notice = (line) => {
  if (process.stderr.isTTY) process.stderr.write(`${line}\n`);
};

/**
 * Builds dist/ when it is stale (or when `force`); throws when the build fails. Without the
 * sources (an image that ships only dist/) there is nothing to compare and nothing is done.
 */
export function ensureBuilt({ force = false, log = notice } = {}) {
  if (!existsSync(join(root, 'bot', 'main.ts'))) return false;
  if (!force && !isStale()) return false;
  log('a2d2: building dist/ (missing or older than the sources)');
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`build failed (exit ${result.status}); run \`npm run build\` to see why`);
  return true;
}
