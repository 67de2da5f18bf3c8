/**
 * A Redis that loses its data (a restart without persistence, a failover to an empty replica)
 * takes every delayed SLA timer and every queued outbound job with it. The worker's schedule
 * keeper notices the loss (a kept schedule is missing), sweeps at once without the grace the
 * periodic sweep keeps, queues again the timers still ahead, and re-queues the outbound rows
 * that lost their jobs. Here the periodic sweep is made useless (every hour, an hour of grace),
 * so only the after-loss runs can deliver the notices: without them these tests time out.
 * Tickets enter through the real REST route; chat output is observed at a recording sender.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestApp, testConfig, TEST_REDIS_URL, type TestApp } from '../helpers/app.ts';
import { dropRedisKeys } from '../helpers/redis-keys.ts';
import { sleep, waitFor } from '../helpers/wait.ts';
import { FakePlatformSender } from '../helpers/outbound-fake-sender.ts';
import type { YamlConfig } from '../../services/config.ts';
import { createDb } from '../../services/db.ts';

const API_TOKEN = `api-${randomUUID()}`;
const TRIAGE = `triage-${randomUUID().slice(0, 8)}`;
const ESCALATE = `oncall-${randomUUID().slice(0, 8)}`;
const created: number[] = [];
let sender: FakePlatformSender;
let t: TestApp;

before(async () => {
  sender = new FakePlatformSender('terminal');
  const yaml = {
    tickets: {
      sla: { P0: { firstResponse: '6s', resolution: '120s' } },
      sweepEvery: '1h',
      sweepGrace: '1h',
      triage: { platform: 'terminal', chatId: TRIAGE },
      escalation: { P0: [{ to: { platform: 'terminal', chatId: ESCALATE } }] },
    },
    outbound: { recovery: { every: '1h', grace: '1h' } },
  } as unknown as Partial<YamlConfig>;
  t = await startTestApp({ env: { A2D2_API_TOKEN: API_TOKEN }, yaml, modules: [{ name: 'recorder', sender }] });
});

after(async () => {
  await t?.stop();
  const db = createDb(testConfig().env.DATABASE_URL);
  await db.ticket.deleteMany({ where: { id: { in: created } } });
  await db.$disconnect();
});

async function createTicket(severity: string): Promise<{ id: number; dueAt: number }> {
  const res = await fetch(`${t.url}/api/v1/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: `Lost timer probe ${randomUUID().slice(0, 8)}`, severity }),
  });
  const json = (await res.json()) as { ticket: { id: number; sla: { responseDueAt: string } } };
  assert.equal(res.status, 201, JSON.stringify(json));
  created.push(json.ticket.id);
  return { id: json.ticket.id, dueAt: Date.parse(json.ticket.sla.responseDueAt) };
}

const breaches = (id: number) =>
  sender.delivered.filter((x) => x.op === 'post' && x.ref.chatId === ESCALATE && x.reply.text.includes(`#${id} `) && /SLA breached/.test(x.reply.text));

test('timers still ahead when Redis lost its data are queued again: the breach is notified once, not early', async () => {
  const { id, dueAt } = await createTicket('P0');
  assert.ok(Number.isFinite(dueAt), 'the ticket has a response due time');
  const delayed = await t.app.deps.queues.queue('tickets-sla').getDelayed();
  assert.ok(delayed.some((j) => j.data.ticketId === id), 'its timer is queued');
  // Redis loses everything under this deployment's prefix: timers, schedules, jobs.
  await dropRedisKeys(TEST_REDIS_URL, testPrefix());
  const [breach] = await waitFor(() => (breaches(id).length ? breaches(id) : null), 'the breach notice after the loss', 45_000);
  assert.ok(breach!.at >= dueAt - 50, `breach ${dueAt - breach!.at} ms before it was due`);
  await sleep(3_500);
  assert.equal(breaches(id).length, 1, 'notified once, though two after-loss sweeps ran');
});

test('a message whose job was lost with Redis is delivered by the outbound after-loss sweep, once', async () => {
  // A row stored a few seconds ago whose job Redis has just lost (older than the after-loss
  // grace, far younger than the periodic sweep's hour).
  const chatId = `lost-${randomUUID().slice(0, 8)}`;
  const text = `After-loss probe ${randomUUID().slice(0, 8)}`;
  await t.app.deps.db.outboundMessage.create({
    data: { platform: 'terminal', chatId, reply: { ref: { platform: 'terminal', chatId }, reply: { text } }, createdAt: new Date(Date.now() - 5_000) },
  });
  await dropRedisKeys(TEST_REDIS_URL, testPrefix());
  const delivered = () => sender.delivered.filter((c) => c.op === 'post' && c.ref.chatId === chatId && c.reply.text === text);
  await waitFor(() => delivered().length > 0, 'the message delivered after the loss', 45_000);
  await waitFor(() => t.app.deps.db.outboundMessage.findFirst({ where: { chatId, status: 'sent' } }), 'its row marked sent', 15_000);
  await sleep(6_000);
  assert.equal(delivered().length, 1, 'delivered once, though two after-loss sweeps ran');
});

function testPrefix(): string {
  return t.app.deps.queues.prefix;
}
