/**
 * Acceptance: a real worker process SIGKILLed in the middle of a burst, then a new worker:
 * every row reaches the fake Slack Web API exactly once (counted by its text, one per message
 * key) and no row is left queued, including rows whose enqueue Redis refused. The kill lands
 * between platform calls: a kill after the platform answered but before the row was marked
 * sent cannot be told from a lost call, so that row is sent again (the chaos bench counts those).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createDb, type Db } from '../../services/db.ts';
import { TEST_DATABASE_URL } from '../helpers/app.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { runOutboundKills } from '../helpers/outbound-kill-run.ts';

let db: Db;
let slack: FakeSlack;
before(async () => {
  db = createDb(TEST_DATABASE_URL, { max: 5 });
  slack = await startFakeSlack();
});
after(async () => {
  await slack.close();
  await db.$disconnect();
});

test('a worker SIGKILLed mid-burst, then a new worker: every row sent exactly once, none left queued', async () => {
  const r = await runOutboundKills({ db, slack, messages: 24, kills: 1, channels: 4, stranded: 4 });
  assert.equal(r.stranded, 0, 'no row left queued');
  assert.equal(r.sent, r.rows, 'every row sent');
  assert.equal(r.duplicated, 0, 'no row sent twice');
});
