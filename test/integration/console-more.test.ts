/**
 * The console's ticket forms beyond Ack and its deploys, documents and agent runs pages, in a
 * real headless Chromium against the real app: assign (to me and to a person), comment and
 * resolve change the ticket's row, add its timeline events and the chat's audit rows, and
 * edit the Slack card; a viewer is refused (403) and nothing changes; deploys from the deploy
 * JSON and a signed GitHub deployment_status, per environment; documents uploaded over REST
 * and processed by the pipeline, searched, shown with their fields and downloaded with their
 * content type; agent runs with their tool calls, tokens and cost (technicians and admins).
 * axe-core on each page (serious or critical fails), screenshots under test-artifacts/console/.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.ts';
import { startChatTestApp, type ChatTestApp } from '../helpers/chat-app.ts';
import type { FakeSlack } from '../helpers/fake-slack.ts';
import { waitFor } from '../helpers/wait.ts';
import { assertAccessible, launchChromium, screenshot } from '../helpers/browser.ts';
import { consoleSignIn, csrfOf, submitForm } from '../helpers/console-pages.ts';
import { sampleLines } from '../helpers/docgen.ts';

const uid = () => randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase();
const RUN = uid();
const TRIAGE = `CCM${RUN}`;
const OPERATOR = `UOPM${RUN}`;
const VIEWER = `UVWM${RUN}`;
const TECH = `UTCM${RUN}`;
const API_TOKEN = `api-${randomUUID()}`;
const GH_SECRET = `gh-${randomUUID()}`;
const SHOTS = 'console';
const SERVICE = `shop-${RUN.toLowerCase()}`;

let chat: ChatTestApp;
let t: TestApp;
let slack: FakeSlack;
let browser: Browser;

before(async () => {
  chat = await startChatTestApp({
    env: { A2D2_PUBLIC_URL: 'https://a2d2.example.test', A2D2_CONSOLE_SECRET: `console-secret-${randomUUID()}`, A2D2_API_TOKEN: API_TOKEN, GITHUB_WEBHOOK_SECRET: GH_SECRET },
    yaml: {
      roles: { operator: [`slack:${OPERATOR}`], technician: [`slack:${TECH}`] },
      tickets: { triage: { platform: 'slack', chatId: TRIAGE } },
      http: { rateLimitPerMinute: 1_000_000 },
    } as never,
  });
  ({ t, slack } = chat);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (t) await t.app.deps.db.agentRun.deleteMany({ where: { agent: { contains: RUN.toLowerCase() } } });
  await chat?.stop();
});

const h1 = (page: Page) => page.locator('h1').innerText();
const api = (path: string, body: unknown) =>
  fetch(`${t.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function createTicket(title: string): Promise<number> {
  const res = await api('/api/v1/tickets', { title: `${title} ${RUN}`, severity: 'P2' });
  assert.equal(res.status, 201, await res.clone().text());
  return ((await res.json()) as { ticket: { id: number } }).ticket.id;
}

const audits = async (action: string, id: number) =>
  (await t.app.deps.db.auditLog.findMany({ where: { action, target: `ticket:${id}` }, orderBy: { id: 'asc' } })).map((a) => [a.platform, a.outcome]);

test('tickets: assign (to me, to a person), comment and resolve as in chat (row, timeline, audit, card edit); a viewer gets 403 and nothing changes', async () => {
  const db = t.app.deps.db;
  const id = await createTicket('Cart empties on reload');
  const card = await waitFor(() => db.messageLink.findFirst({ where: { messageKey: `ticket:${id}:card`, chatId: TRIAGE } }), 'the card posted');
  const tech = await consoleSignIn(browser, chat, TECH);
  await tech.context.close();
  const techUser = await db.user.findFirstOrThrow({ where: { identities: { some: { platform: 'slack', platformUserId: TECH } } } });
  await db.user.update({ where: { id: techUser.id }, data: { displayName: `Tess ${RUN}` } });

  const viewer = await consoleSignIn(browser, chat, VIEWER);
  await viewer.page.goto(`${t.url}/console/tickets/${id}`);
  assert.equal(await viewer.page.locator('form[data-form]').count(), 0, 'no ticket forms for a viewer');
  const vcsrf = await csrfOf(viewer.page);
  for (const [op, fields] of [['assign', { assignee: 'me' }], ['resolve', {}], ['comment', { text: 'from a viewer' }]] as const) {
    await viewer.page.goto(`${t.url}/console/tickets/${id}`);
    assert.equal(await submitForm(viewer.page, `${t.url}/console/tickets/${id}/${op}`, { _csrf: vcsrf, ...fields }), 403, op);
    assert.equal(await h1(viewer.page), 'Not allowed');
  }
  await screenshot(viewer.page, SHOTS, 'ticket-forbidden-viewer');
  const untouched = await db.ticket.findUniqueOrThrow({ where: { id } });
  assert.deepEqual([untouched.status, untouched.assigneeName], ['new', null], 'nothing changed');
  assert.equal(await db.ticketEvent.count({ where: { ticketId: id, kind: { in: ['assigned', 'comment', 'resolved'] } } }), 0);
  assert.deepEqual(await audits('action:ticket.assign_me', id), [['console', 'denied']]);
  assert.deepEqual(await audits('action:ticket.resolve', id), [['console', 'denied']]);
  assert.deepEqual(await audits('command:ticket.create', id), [['console', 'invalid']], 'the command refuses a viewer who did not report it');
  await viewer.context.close();

  const { context, page } = await consoleSignIn(browser, chat, OPERATOR);
  await page.goto(`${t.url}/console/tickets/${id}`);
  await screenshot(page, SHOTS, 'ticket-forms');
  await assertAccessible(page, 'ticket with forms');
  const forged = await page.request.post(`${t.url}/console/tickets/${id}/comment`, { form: { text: 'no token' }, maxRedirects: 0 });
  assert.equal(forged.status(), 403, 'a form without its CSRF token');

  await page.selectOption('#assignee', 'me');
  await Promise.all([page.waitForURL(/done=assign/), page.click('form[data-form=assign] button')]);
  assert.match(await page.locator('.notice').innerText(), new RegExp(`#${id} is assigned to`));
  const mine = await db.ticket.findUniqueOrThrow({ where: { id } });
  assert.ok(mine.assigneeUserId && mine.assigneeUserId !== techUser.id, 'assigned to the operator');
  assert.deepEqual(await audits('action:ticket.assign_me', id), [['console', 'denied'], ['console', 'ok']]);

  await page.selectOption('#assignee', techUser.id);
  await Promise.all([page.waitForURL(/done=assign/), page.click('form[data-form=assign] button')]);
  assert.equal(await page.locator('.notice').innerText(), `#${id} is assigned to Tess ${RUN}.`);
  assert.equal((await db.ticket.findUniqueOrThrow({ where: { id } })).assigneeUserId, techUser.id);
  assert.deepEqual(await audits('action:ticket.assign', id), [['console', 'ok']]);
  // The picker offers only people whose role can take tickets, and a typed search narrows it (a GET form, no script).
  const viewerUser = await db.user.findFirstOrThrow({ where: { identities: { some: { platform: 'slack', platformUserId: VIEWER } } } });
  await db.user.update({ where: { id: viewerUser.id }, data: { displayName: `Vic ${RUN}` } });
  await page.reload();
  const offered = () => page.locator('#assignee option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
  assert.ok((await offered()).includes(techUser.id), 'a technician is offered');
  assert.ok(!(await offered()).includes(viewerUser.id), 'a viewer cannot take tickets: not offered');
  await page.fill('#find-person', `tess ${RUN}`);
  await Promise.all([page.waitForURL(/people=/), page.click('form[data-form=find-person] button')]);
  assert.deepEqual(await offered(), ['me', techUser.id], 'the search keeps the names containing the text');
  await page.fill('#find-person', `Vic ${RUN}`);
  await Promise.all([page.waitForURL(/people=Vic/), page.click('form[data-form=find-person] button')]);
  assert.deepEqual(await offered(), ['me']);
  assert.equal(await page.locator('form[data-form=find-person] [role=status]').innerText(), `Nobody who can take tickets matches “Vic ${RUN}”.`);
  const bad = await page.request.post(`${t.url}/console/tickets/${id}/assign`, { form: { _csrf: await csrfOf(page), assignee: 'somebody' }, maxRedirects: 0 });
  assert.equal(bad.status(), 400);
  assert.match(await bad.text(), /assignee/, 'the refusal names the field');

  await page.fill('#comment-text', `Reproduced on staging ${RUN}`);
  await Promise.all([page.waitForURL(/done=comment/), page.click('form[data-form=comment] button')]);
  assert.match(await page.locator('table.timeline tr[data-kind=comment]').innerText(), new RegExp(`Reproduced on staging ${RUN}`));
  assert.deepEqual(await audits('command:ticket.create', id), [['console', 'invalid'], ['console', 'ok']]);

  const pressedAt = new Date();
  await page.fill('#resolve-note', 'cache key fixed');
  await Promise.all([page.waitForURL(/done=resolve/), page.click('form[data-form=resolve] button')]);
  assert.equal(await page.locator('.notice').innerText(), `Resolved #${id}.`);
  const resolved = await db.ticket.findUniqueOrThrow({ where: { id } });
  assert.equal(resolved.status, 'resolved');
  assert.ok(await db.ticketEvent.findFirst({ where: { ticketId: id, body: { contains: 'cache key fixed' } } }), 'the note is on the timeline');
  assert.deepEqual(await audits('action:ticket.resolve', id), [['console', 'denied'], ['console', 'ok']]);
  assert.ok(await db.outboundMessage.findFirst({ where: { messageKey: `ticket:${id}:card`, createdAt: { gte: pressedAt } } }), 'an outbound row edits the card');
  await waitFor(() => slack.callsTo('chat.update').find((c) => c.args.channel === TRIAGE && c.args.ts === card.platformMessageId && JSON.stringify(c.args).includes('Tess')), 'the card edited in Slack');
  assert.equal(await page.locator('form[data-form=resolve]').count(), 0, 'no Resolve on a resolved ticket');
  await screenshot(page, SHOTS, 'ticket-resolved');
  await page.goto(`${t.url}/console/tickets/${id}?lang=ru`);
  assert.equal(await page.locator('form[data-form=comment] button').innerText(), 'Добавить комментарий');
  await assertAccessible(page, 'ticket resolved (ru)');
  const again = await page.request.post(`${t.url}/console/tickets/${id}/resolve`, { form: { _csrf: await csrfOf(page) }, maxRedirects: 0 });
  assert.equal(again.status(), 409, 'a resolved ticket cannot be resolved again');
  await context.close();
});

async function github(body: unknown): Promise<number> {
  const raw = JSON.stringify(body);
  const sig = `sha256=${createHmac('sha256', GH_SECRET).update(raw).digest('hex')}`;
  const res = await fetch(`${t.url}/webhooks/github`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'deployment_status', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': sig },
    body: raw,
  });
  return res.status;
}

test('deploys: per environment, what each service runs and the latest deployments with their states, from the deploy JSON and GitHub', async () => {
  const staging = `staging-${RUN.toLowerCase()}`;
  const deploy = async (b: Record<string, string>) => assert.equal((await api('/webhooks/deploy', { service: SERVICE, ...b })).status, 202);
  await deploy({ version: 'v1.0', status: 'in_progress', environment: staging, actor: 'dana' });
  await deploy({ version: 'v1.0', status: 'success', environment: staging, actor: 'dana', url: 'https://ci.example/runs/1' });
  await deploy({ version: 'v1.1', status: 'failure', environment: staging, actor: 'eli' });
  await deploy({ version: 'v0.9', status: 'success', environment: `prod-${RUN.toLowerCase()}`, actor: 'dana' });
  const fixture = JSON.parse(readFileSync(new URL('../fixtures/alerts/github-deployment-status.json', import.meta.url), 'utf8')) as Record<string, any>;
  fixture.deployment.id = Number(`7${Date.now() % 1_000_000}`);
  fixture.deployment.environment = staging;
  fixture.deployment_status.environment = staging;
  fixture.deployment.payload = { service: `${SERVICE}-api` };
  fixture.deployment_status.state = 'success';
  assert.equal(await github(fixture), 202);
  const db = t.app.deps.db;
  await waitFor(async () => ((await db.deployment.count({ where: { environment: staging } })) === 3 ? true : null), 'three deployments stored');
  await waitFor(() => db.deployment.findFirst({ where: { environment: `prod-${RUN.toLowerCase()}` } }), 'the production deployment stored');

  const { context, page } = await consoleSignIn(browser, chat, VIEWER);
  await Promise.all([page.waitForURL(/\/console\/deploys/), page.locator('nav.sections a', { hasText: 'Deploys' }).click()]);
  assert.equal(await h1(page), 'Deploys');
  // Every environment: each with its own services' latest success.
  assert.match(await page.locator(`section[data-environment="prod-${RUN.toLowerCase()}"] tr[data-current="${SERVICE}"]`).innerText(), /v0\.9/);
  assert.match(await page.locator(`section[data-environment="${staging}"] tr[data-current="${SERVICE}"]`).innerText(), /v1\.0/);
  await page.selectOption('#f-environment', staging);
  await Promise.all([page.waitForURL(/environment=/), page.click('form.filters button[type=submit]')]);
  assert.deepEqual(await page.locator('section[data-environment]').evaluateAll((s) => s.map((e) => (e as unknown as { dataset: { environment: string } }).dataset.environment)), [staging]);
  const section = page.locator(`section[data-environment="${staging}"]`);
  assert.match(await section.locator(`tr[data-current="${SERVICE}"]`).innerText(), /v1\.0[\s\S]*dana/, 'the latest successful deployment, not the failed one');
  assert.equal(await section.locator(`tr[data-current="${SERVICE}"] a`).getAttribute('href'), 'https://ci.example/runs/1');
  assert.equal(await section.locator(`tr[data-current="${SERVICE}-api"]`).count(), 1, 'the GitHub deployment');
  const failed = section.locator('table[data-table=recent] tr[data-status=failure]');
  assert.match(await failed.innerText(), /v1\.1[\s\S]*failed[\s\S]*eli/);
  assert.equal(await failed.getAttribute('class'), 'breached');
  assert.match(await section.locator('table[data-table=recent] tr[data-status=success]', { hasText: 'v1.0' }).innerText(), /in progress[\s\S]*succeeded/, 'the state history');
  await screenshot(page, SHOTS, 'deploys');
  await assertAccessible(page, 'deploys');
  await page.goto(`${t.url}/console/deploys?environment=${staging}&service=${SERVICE}-api&lang=ru`);
  assert.equal(await h1(page), 'Деплои');
  assert.equal(await page.locator('table[data-table=recent] tbody tr').count(), 1, 'the service filter');
  await screenshot(page, SHOTS, 'deploys-ru');
  await assertAccessible(page, 'deploys (ru)');

  // What runs now follows later states: a newer success replaces it; when that one turns out failed, the success before it is back.
  const runsNow = async (version: string, status: string) => {
    await waitFor(async () => ((await db.deployment.findFirst({ where: { environment: staging, version } }))?.status === status ? true : null), `${version} ${status}`);
    await page.goto(`${t.url}/console/deploys?environment=${staging}`);
    return page.locator(`tr[data-current="${SERVICE}"]`).innerText();
  };
  await deploy({ version: 'v1.2', status: 'success', environment: staging, actor: 'fay' });
  assert.match(await runsNow('v1.2', 'success'), /v1\.2[\s\S]*fay/);
  await deploy({ version: 'v1.2', status: 'failure', environment: staging, actor: 'fay' });
  assert.match(await runsNow('v1.2', 'failure'), /v1\.0[\s\S]*dana/, 'the success before the failed one');

  // Among all environments each shows its latest 10 deployments, with a link to the environment's own page (its latest 20).
  const qa = `qa-${RUN.toLowerCase()}`;
  for (let i = 0; i < 11; i += 1) await deploy({ version: `v2.${i}`, status: 'in_progress', environment: qa, actor: 'gus' });
  await waitFor(async () => ((await db.deployment.count({ where: { environment: qa } })) === 11 ? true : null), 'eleven qa deployments');
  await page.goto(`${t.url}/console/deploys`);
  const qaSection = page.locator(`section[data-environment="${qa}"]`);
  assert.equal(await qaSection.locator('table[data-table=recent] tbody tr').count(), 10);
  assert.equal(await page.locator(`section[data-environment="${staging}"] a`, { hasText: 'More deployments' }).count(), 0, 'no link where all are shown');
  await Promise.all([page.waitForURL(/environment=qa/), qaSection.locator('a', { hasText: `More deployments to ${qa}` }).click()]);
  assert.equal(await page.locator('table[data-table=recent] tbody tr').count(), 11);
  await context.close();
});

test('documents: search, a card per document with its fields, the stored file downloaded with its content type; a session is needed', async () => {
  const text = [...sampleLines('invoice', 'en', 1), `Reference ${RUN}`].join('\n');
  const form = new FormData();
  form.append('file', new Blob([text]), `invoice-${RUN}.txt`);
  const res = await fetch(`${t.url}/api/v1/documents`, { method: 'POST', body: form, headers: { authorization: `Bearer ${API_TOKEN}` } });
  assert.equal(res.status, 202, await res.clone().text());
  const { intakeId } = (await res.json()) as { intakeId: string };
  const number = await waitFor(async () => {
    const r = await fetch(`${t.url}/api/v1/documents/intakes/${intakeId}`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
    const body = (await r.json()) as { document: { number: number; stage: string } | null };
    return body.document?.stage === 'done' ? body.document.number : null;
  }, 'the document processed', 30_000);
  const stored = await t.app.deps.db.documentField.findMany({ where: { version: { document: { number } } } });
  const fields = stored.filter((f) => f.primary);
  assert.ok(fields.length > 0, 'the pipeline extracted fields');

  const anonymous = await fetch(`${t.url}/console/documents/${number}/versions/1/file`, { redirect: 'manual' });
  assert.equal(anonymous.status, 303, 'no session, no file');

  const { context, page } = await consoleSignIn(browser, chat, VIEWER);
  await Promise.all([page.waitForURL(/\/console\/documents/), page.locator('nav.sections a', { hasText: 'Documents' }).click()]);
  assert.equal(await h1(page), 'Documents');
  await page.fill('#f-q', RUN);
  await Promise.all([page.waitForURL(/q=/), page.click('form.filters button[type=submit]')]);
  const card = page.locator(`article[data-document="${number}"]`);
  assert.equal(await page.locator('article[data-document]').count(), 1, 'the search finds this one document');
  assert.match(await card.innerText(), /invoice/);
  for (const f of fields.filter((x) => x.name !== 'item')) assert.equal(await card.locator(`dd[data-field="${f.name}"]`).innerText(), f.normalized || f.value, f.name);
  const items = stored.filter((x) => x.name === 'item').length;
  if (items) assert.equal(await card.locator('dd[data-field=items]').innerText(), String(items), 'line items counted as on the chat card');
  await screenshot(page, SHOTS, 'documents');
  await assertAccessible(page, 'documents');
  await Promise.all([page.waitForURL(new RegExp(`/console/documents/${number}$`)), card.locator('h3 a').click()]);
  assert.match(await h1(page), new RegExp(`#${number}`));
  assert.match(await page.locator('table[data-table=versions] tr[data-version="1"]').innerText(), /text\/plain/);
  assert.equal(await page.locator('dd[data-field=item]').count(), items, 'every line item on the document page');
  await screenshot(page, SHOTS, 'document');
  await assertAccessible(page, 'document');
  const file = await page.request.get(`${t.url}/console/documents/${number}/versions/1/file`);
  assert.equal(file.status(), 200);
  assert.match(file.headers()['content-type'] ?? '', /^text\/plain/);
  assert.equal(file.headers()['content-disposition'], `attachment; filename="invoice-${RUN}.txt"; filename*=UTF-8''invoice-${RUN}.txt`);
  assert.equal(file.headers()['x-content-type-options'], 'nosniff');
  assert.equal(await file.text(), text, 'the stored bytes');
  assert.equal((await page.request.get(`${t.url}/console/documents/${number}/versions/9/file`)).status(), 404);
  await page.goto(`${t.url}/console/documents?q=nothing-matches-${RUN}&lang=ru`);
  assert.equal(await h1(page), 'Документы');
  assert.equal(await page.locator('article[data-document]').count(), 0);
  await assertAccessible(page, 'documents (ru, none found)');
  await context.close();
});

test('agent runs: technicians and admins; tool calls with arguments and results, tokens and cost per run and model request', async () => {
  const db = t.app.deps.db;
  const techUser = await db.user.findFirstOrThrow({ where: { identities: { some: { platform: 'slack', platformUserId: TECH } } } });
  const agent = `triage-${RUN.toLowerCase()}`;
  const ref = { platform: 'slack', chatId: TRIAGE };
  const run = await db.agentRun.create({
    data: {
      agent, status: 'done', userId: techUser.id, ref: { ref }, replyRef: ref, locale: 'en', input: `Why is checkout slow? ${RUN}`, toolCalls: 1, tokens: 1840, elapsedMs: 4200, result: 'Two P1 tickets are open about it.', finishedAt: new Date(),
      messages: [
        { role: 'user', content: 'Why is checkout slow?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'ticket_list', arguments: '{"view":"open"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: `#12 Checkout slow ${RUN}` },
        { role: 'assistant', content: 'Two P1 tickets are open about it.' },
      ],
    },
  });
  const usage = (promptTokens: number, completionTokens: number, costUsd: number) => ({ day: new Date(new Date().toISOString().slice(0, 10)), provider: 'openai', model: 'gpt-test', route: 'primary', purpose: 'agent', workspaceKey: 'slack:T0001', userId: techUser.id, runId: run.id, promptTokens, completionTokens, costUsd, ok: true, latencyMs: 900 });
  await db.llmUsage.createMany({ data: [usage(1000, 120, 0.0125), usage(640, 80, 0.0081)] });

  const op = await consoleSignIn(browser, chat, OPERATOR);
  assert.equal(await op.page.locator('nav.sections a', { hasText: 'Agent runs' }).count(), 0, 'no entry for an operator');
  assert.equal((await op.page.goto(`${t.url}/console/agents/${run.id}`))?.status(), 403);
  await op.context.close();

  const { context, page } = await consoleSignIn(browser, chat, TECH);
  await Promise.all([page.waitForURL(/\/console\/agents$/), page.locator('nav.sections a', { hasText: 'Agent runs' }).click()]);
  assert.equal(await h1(page), 'Agent runs');
  assert.match(await page.locator(`tr[data-agent-run="${run.id}"]`).innerText(), new RegExp(`${agent}[\\s\\S]*Done[\\s\\S]*Why is checkout slow\\? ${RUN}[\\s\\S]*1[\\s\\S]*1840[\\s\\S]*\\$0\\.02`));
  await screenshot(page, SHOTS, 'agents');
  await assertAccessible(page, 'agents');
  await Promise.all([page.waitForURL(new RegExp(`/console/agents/${run.id}$`)), page.locator(`tr[data-agent-run="${run.id}"] a`).click()]);
  assert.equal(await h1(page), `Agent run ${run.id.slice(0, 8)}: ${agent}`);
  const call = page.locator('table[data-table=calls] tr[data-call=ticket_list]');
  assert.match(await call.innerText(), new RegExp(`"view":"open"[\\s\\S]*#12 Checkout slow ${RUN}`));
  assert.equal(await page.locator('table[data-table=usage] tbody tr').count(), 2);
  assert.equal(await page.locator('[data-cost]').innerText(), '$0.02');
  assert.match(await page.locator('table[data-table=usage] tbody tr').first().innerText(), /openai \/ gpt-test[\s\S]*1000[\s\S]*120[\s\S]*\$0\.01/);
  await screenshot(page, SHOTS, 'agent-run');
  await assertAccessible(page, 'agent run');
  await page.goto(`${t.url}/console/agents/${run.id}?lang=ru`);
  assert.match(await h1(page), /^Запуск агента/);
  await assertAccessible(page, 'agent run (ru)');
  assert.equal((await page.goto(`${t.url}/console/agents/${randomUUID()}`))?.status(), 404);
  await context.close();
});
