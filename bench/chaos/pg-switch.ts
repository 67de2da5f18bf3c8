/**
 * Chaos run of a PostgreSQL primary switch: a primary and a synchronous streaming standby (two
 * real clusters, test/helpers/pg-standby.ts); the deployment (1 http + 2 worker roles) reaches
 * them through one DATABASE_URL listing both hosts with target_session_attrs=read-write. Under
 * REST tickets, Alertmanager webhooks and Slack slash-command tickets, the primary is stopped
 * at once (a crash) and, `--down` seconds later, the standby is promoted. Nothing is restarted.
 * Counts: acknowledged vs stored on the new primary (lost), slash tickets stored twice, cards
 * missing or posted twice, the longest gap between acknowledged requests, the seconds from the
 * crash until readiness and a new ticket succeed, and whether every process is still the same.
 *   node --import tsx bench/chaos/pg-switch.ts [--load 30] [--down 3]
 */
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { startDeployment, type Deployment } from '../../test/helpers/a2d2-procs.ts';
import { failoverCounts, failoverYaml, longestGap, recoveredAt, runFailoverLoad } from '../../test/helpers/failover-load.ts';
import { startPgPair } from '../../test/helpers/pg-standby.ts';
import { connectClient } from '../../services/db/pg-hosts.ts';
import { sleep } from '../../test/helpers/wait.ts';

const { values } = parseArgs({ options: { load: { type: 'string', default: '30' }, down: { type: 'string', default: '3' } } });
const loadSeconds = Number(values.load);
const downSeconds = Number(values.down);
if (!(loadSeconds >= 10) || !(downSeconds >= 0)) {
  console.error('--load at least 10 (seconds), --down >= 0 (seconds)');
  process.exit(2);
}

const started = Date.now();
const pair = await startPgPair();
const tag = randomUUID().slice(0, 6);
let dep: Deployment | null = null;
let ok = false;
try {
  dep = await startDeployment({ name: 'pg-switch', env: { DATABASE_URL: pair.url('a2d2') }, yaml: failoverYaml(tag) });
  const d = dep;
  const loading = runFailoverLoad(d, tag, Date.now() + loadSeconds * 1000);
  await sleep(Math.min(10_000, (loadSeconds * 1000) / 3));
  const killedAt = Date.now();
  await pair.killPrimary();
  await sleep(downSeconds * 1000);
  await pair.promote();
  const recovered = await recoveredAt(d, tag, 120_000);
  const load = await loading;
  const db = await connectClient(pair.url('a2d2'));
  try {
    const counts = await failoverCounts(d, db, tag, load);
    const alive = [...d.http, ...d.workers].every((p) => p.alive());
    console.log(
      `pg switch: ${counts.line}  lost ${counts.lost}  cards triage ${counts.triageCards} alerts ${counts.alertCards} missing ${counts.cardsMissing} twice ${counts.cardsTwice}  ` +
        `longest gap ${longestGap(load.okAt).toFixed(1)} s  recovery ${recovered ? ((recovered - killedAt) / 1000).toFixed(1) : 'never'} s (primary down ${downSeconds} s before the promotion)  ` +
        `processes restarted: ${alive ? 'none' : 'SOME DIED'}  ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    if (counts.missingSlash.length) {
      console.log(`slash tickets acknowledged but not stored: ${counts.missingSlash.join(' | ')}`);
      for (const p of d.workers) console.log(`--- ${p.name}\n${p.output().split('\n').filter((l) => /error|fail|warn/i.test(l)).slice(-30).join('\n')}`);
    }
    ok = counts.lost === 0 && counts.duplicated === 0 && counts.cardsMissing === 0 && counts.cardsTwice === 0 && recovered > 0 && alive;
  } finally {
    await db.end();
  }
} finally {
  await dep?.close();
  await pair.close();
}
process.exit(ok ? 0 : 1);
