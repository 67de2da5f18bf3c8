/**
 * Breach notices overtake routine traffic: a P2 ticket breaches while its triage channel and
 * its escalation channel each have a long queue of card posts and edits (paced at Slack's one
 * message a second per channel); its breach notice, queued last in both, is among the next
 * two sends of each channel. Tickets through the real REST route, the breach through the
 * tickets service's own timer evaluation at a clock moved past the due time; the chats are a
 * recording Slack sender.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { waitFor } from '../helpers/wait.ts';
import { FakePlatformSender } from '../helpers/outbound-fake-sender.ts';
import type { YamlConfig } from '../../services/config.ts';

const API_TOKEN = `api-${randomUUID()}`;
const TRIAGE = `CTRI${randomUUID().slice(0, 6).toUpperCase()}`;
const ONCALL = `CONC${randomUUID().slice(0, 6).toUpperCase()}`;
const BACKLOG = 20;

let sender: FakePlatformSender;
let t: TestApp;
// The app's clock runs this far ahead of the real one.
let aheadMs = 0;

before(async () => {
  sender = new FakePlatformSender('slack');
  const yaml = {
    tickets: {
      sla: { P2: { firstResponse: '1h', resolution: '1d', businessHours: false }, P3: { firstResponse: '1d', resolution: null, businessHours: false } },
      triage: { platform: 'slack', chatId: TRIAGE },
      escalation: { P2: [{ to: { platform: 'slack', chatId: ONCALL } }] },
    },
  } as unknown as Partial<YamlConfig>;
  t = await startTestApp({ env: { A2D2_API_TOKEN: API_TOKEN }, yaml, modules: [{ name: 'recorder', sender }], clock: { now: () => new Date(Date.now() + aheadMs) } });
});

after(async () => {
  await t?.stop();
});

async function createTicket(severity: string): Promise<number> {
  const res = await fetch(`${t.url}/api/v1/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: `Checkout slow ${randomUUID().slice(0, 8)}`, severity }),
  });
  const body = (await res.json()) as { ticket: { id: number } };
  assert.equal(res.status, 201, JSON.stringify(body));
  return body.ticket.id;
}

const sendsTo = (chatId: string) => sender.delivered.filter((c) => c.ref.chatId === chatId);
const isBreach = (id: number) => (c: { reply: { text: string } }) => c.reply.text.includes(`SLA breached: #${id} `);

test('a breach notice queued last behind long queues of card posts and edits is among the next two sends of each channel', async () => {
  const id = await createTicket('P2');
  await waitFor(() => sendsTo(TRIAGE).some((c) => c.op === 'post' && String(c.reply.context ?? '').includes(`#${id} `)), 'the P2 card');
  // Routine traffic: P3 cards into the triage channel, card-like keyed posts and edits into the escalation channel.
  for (let i = 0; i < BACKLOG; i++) await createTicket('P3');
  for (let i = 0; i < BACKLOG; i++) await t.app.deps.outbound.send({ ref: { platform: 'slack', chatId: ONCALL }, reply: { text: `status card ${i}` }, messageKey: `status:${i % 5}:${i}` });
  const triageBefore = sendsTo(TRIAGE).length;
  const oncallBefore = sendsTo(ONCALL).length;
  // The due time has passed: the timer's evaluation fires the breach now.
  aheadMs = 2 * 3600_000;
  await t.app.deps.tickets.evaluate(id);
  await waitFor(() => sendsTo(ONCALL).some(isBreach(id)) && sendsTo(TRIAGE).some(isBreach(id)), 'both breach notices', 60_000);
  const atOncall = sendsTo(ONCALL).findIndex(isBreach(id));
  const atTriage = sendsTo(TRIAGE).findIndex(isBreach(id));
  assert.ok(atOncall <= oncallBefore + 1, `escalation channel: the notice went as send ${atOncall + 1}, with ${oncallBefore} sent before it was queued`);
  assert.ok(atTriage <= triageBefore + 1, `triage channel: the notice went as send ${atTriage + 1}, with ${triageBefore} sent before it was queued`);
  // It went in the card's thread, which was posted before the backlog.
  assert.ok(sendsTo(TRIAGE)[atTriage]!.replyToMessageId, 'the triage notice is a reply in the card thread');
});
