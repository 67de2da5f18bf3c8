/**
 * Chaos run of the process engine: many runs with page, assign and http steps while worker
 * processes are SIGKILLed at random moments (the scenario of test/integration/process-chaos.ts),
 * then a fresh worker. Prints how many runs were lost (never finished), stuck rows, and
 * effects applied twice. Needs Postgres (a database of its own is made next to DATABASE_URL's)
 * and Redis (REDIS_URL).
 *   node --import tsx bench/chaos/process-kills.ts [--runs 100] [--kills 10]
 */
import { parseArgs } from 'node:util';
import { useOwnDatabase } from './own-database.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '100' }, kills: { type: 'string', default: '10' } } });
const runs = Number(values.runs);
const kills = Number(values.kills);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(kills) || kills < 0) {
  console.error('--runs and --kills take whole numbers (runs at least 1)');
  process.exit(2);
}
const started = Date.now();
const own = await useOwnDatabase();
let failed = true;
try {
  // Loaded after DATABASE_URL names the scenario's own database (the helpers read it once).
  const { runChaos } = await import('../../test/integration/process-chaos.ts');
  const r = await runChaos({ runs, kills, settleMs: 120_000, log: (line) => console.error(line) });
  const duplicated = r.duplicated.page + r.duplicated.assign + r.duplicated.call + r.duplicated.hook;
  console.log(`runs ${r.runs}  kills ${r.kills}  lost ${r.stuck}  stuck rows ${r.openRows}  duplicated ${duplicated} (page ${r.duplicated.page}, assign ${r.duplicated.assign}, call ${r.duplicated.call}, hook ${r.duplicated.hook})  re-sent with the same key ${r.resent}  unkeyed ${r.unkeyed}  ${((Date.now() - started) / 1000).toFixed(1)} s`);
  failed = Boolean(r.stuck || r.openRows || duplicated);
} finally {
  await own.drop();
}
process.exit(failed ? 1 : 0);
