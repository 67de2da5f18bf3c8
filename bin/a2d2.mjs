#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=4
// CLI entry: runs the compiled bundle dist/main.js. In a source checkout it is rebuilt first
// when missing or older than the sources (so `npm install && npm start` works on a fresh clone);
// an install that ships only dist/ runs it as it is. `npm run dev` runs the sources through tsx.
// The shebang's environment and node flags are the service's (see NODE_FLAGS in scripts/dist.mjs).
import { existsSync } from 'node:fs';

const sources = new URL('../bot/main.ts', import.meta.url);
if (existsSync(sources)) {
  const { ensureBuilt } = await import('../scripts/dist.mjs');
  try {
    ensureBuilt();
  } catch (err) {
    process.stderr.write(`a2d2: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
await import('../dist/main.js');
