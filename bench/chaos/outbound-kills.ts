/**
 * Chaos run of the outbound sender: a burst of messages for a few Slack channels (some stored
 * while Redis refused their enqueue) sent by worker processes that are SIGKILLed one after
 * another as soon as a few sends went out, mid-call or not, then a fresh worker finishes.
 * Prints sent, duplicated (sent more than once: a kill between the platform's answer and the
 * row's update) and stranded (still queued) counts. Needs Postgres (a database of its own is
 * made next to DATABASE_URL's) and Redis (REDIS_URL).
 *   node --import tsx bench/chaos/outbound-kills.ts [--messages 200] [--kills 5] [--channels 8]
 */
import { parseArgs } from 'node:util';
import { createDb } from '../../services/db.ts';
import { startFakeSlack } from '../../test/helpers/fake-slack.ts';
import { useOwnDatabase } from './own-database.ts';

const { values } = parseArgs({
  options: { messages: { type: 'string', default: '200' }, kills: { type: 'string', default: '5' }, channels: { type: 'string', default: '8' } },
});
const messages = Number(values.messages);
const kills = Number(values.kills);
const channels = Number(values.channels);
if (![messages, kills, channels].every(Number.isInteger) || messages < 1 || kills < 0 || channels < 1) {
  console.error('--messages, --kills and --channels take whole numbers (messages and channels at least 1)');
  process.exit(2);
}
const started = Date.now();
const own = await useOwnDatabase();
// Loaded after DATABASE_URL names the scenario's own database (the worker helpers read it once).
const { runOutboundKills } = await import('../../test/helpers/outbound-kill-run.ts');
const db = createDb(own.url, { max: 5 });
const slack = await startFakeSlack();
try {
  const r = await runOutboundKills({
    db,
    slack,
    messages,
    kills,
    channels,
    stranded: Math.max(2, Math.round(messages / 20)),
    killAnywhere: true,
    timeoutMs: 600_000,
    onDuplicate: (texts) => console.error(`sent twice: ${texts.join(' ')}`),
  });
  console.log(`rows ${r.rows}  kills ${r.kills}  sent ${r.sent}  duplicated ${r.duplicated}  stranded ${r.stranded}  ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exitCode = r.stranded || r.sent < r.rows ? 1 : 0;
} finally {
  await slack.close();
  await db.$disconnect();
  await own.drop();
}
