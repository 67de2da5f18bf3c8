/**
 * The web console in a real headless Chromium against the real app (Postgres, Redis, the
 * Slack and Telegram fakes): sign-in by a one-time link from the `console` command (a reused
 * and an expired link refused), the tickets list with its filters and SLA marks and its pages
 * (next and previous keep the filters), a ticket's
 * detail and Ack (the ticket, an audit row and the card edit's outbound row change), a viewer
 * refused, a POST without a CSRF token refused, the Russian UI, sign-out, the admin token
 * sign-in, and the console's headers kept off the other routes. Every page is screenshotted
 * under test-artifacts/console/ and checked with axe-core (serious or critical fails).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.ts';
import { startChatTestApp, type ChatTestApp } from '../helpers/chat-app.ts';
import { slashCommandBody, type FakeSlack } from '../helpers/fake-slack.ts';
import { waitFor } from '../helpers/wait.ts';
import { assertAccessible, launchChromium, screenshot } from '../helpers/browser.ts';
import type { YamlConfig } from '../../services/config.ts';

const uid = () => randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase();
const TRIAGE = `CCON${uid()}`;
const OPERATOR = `UOPC${uid()}`;
const VIEWER = `UVWC${uid()}`;
const RUN = randomUUID().slice(0, 6);
const API_TOKEN = `api-${randomUUID()}`;
const PUBLIC = 'https://a2d2.example.test';
const SHOTS = 'console';

let chat: ChatTestApp;
let t: TestApp;
let slack: FakeSlack;
let browser: Browser;
const ids: Record<'plain' | 'risk' | 'breach' | 'viewer', number> = { plain: 0, risk: 0, breach: 0, viewer: 0 };

async function createTicket(title: string, severity: string): Promise<number> {
  const res = await fetch(`${t.url}/api/v1/tickets`, { method: 'POST', headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ title, severity }) });
  assert.equal(res.status, 201, await res.clone().text());
  return ((await res.json()) as { ticket: { id: number } }).ticket.id;
}

before(async () => {
  chat = await startChatTestApp({
    env: { A2D2_PUBLIC_URL: PUBLIC, A2D2_CONSOLE_SECRET: `console-secret-${randomUUID()}`, A2D2_API_TOKEN: API_TOKEN },
    yaml: { roles: { operator: [`slack:${OPERATOR}`] }, tickets: { triage: { platform: 'slack', chatId: TRIAGE } } } as unknown as Partial<YamlConfig>,
  });
  ({ t, slack } = chat);
  ids.plain = await createTicket(`Checkout button does nothing ${RUN}`, 'P2');
  ids.risk = await createTicket(`Search results load slowly ${RUN}`, 'P1');
  ids.breach = await createTicket(`Payments fail for every card ${RUN}`, 'P0');
  ids.viewer = await createTicket(`Typo on the pricing page ${RUN}`, 'P3');
  const now = Date.now();
  // SLA marks from the plan's columns: one at risk (past its at-risk point), one breached.
  await t.app.deps.db.ticket.update({ where: { id: ids.risk }, data: { responseAtRiskAt: new Date(now - 60_000), responseDueAt: new Date(now + 600_000) } });
  await t.app.deps.db.ticket.update({ where: { id: ids.breach }, data: { responseAtRiskAt: new Date(now - 900_000), responseDueAt: new Date(now - 300_000) } });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (t) await t.app.deps.db.ticket.deleteMany({ where: { title: { contains: RUN } } });
  await chat?.stop();
});

/** Asks for a sign-in link the way a person does (`/console` in Slack) and returns it for this app's address. */
async function linkFor(user: string): Promise<string> {
  const before = slack.callsTo('chat.postEphemeral').length;
  await chat.postSlack(slashCommandBody({ command: '/console', text: '', channel: `C${uid()}`, user }), 'application/x-www-form-urlencoded');
  const call = await waitFor(() => slack.callsTo('chat.postEphemeral').slice(before).find((c) => c.args.user === user && String(c.args.text).includes('/console/login?token=')), `link for ${user}`);
  const m = /(https:\/\/a2d2\.example\.test)\/console\/login\?token=([A-Za-z0-9_-]{43})/.exec(String(call.args.text));
  assert.ok(m, `the link starts with A2D2_PUBLIC_URL: ${String(call.args.text)}`);
  return `${t.url}/console/login?token=${m[2]}`;
}

async function signedInPage(user: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const res = await page.goto(await linkFor(user));
  assert.equal(res?.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/console/tickets');
  return { context, page };
}

const h1 = (page: Page) => page.locator('h1').innerText();

test('a sign-in link works once: the second opening and an expired link get a clear 410 page', async () => {
  const link = await linkFor(OPERATOR);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  assert.equal(new URL(page.url()).pathname, '/console/tickets');
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'a2d2_console');
  assert.ok(session, 'a session cookie');
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Lax');
  assert.equal(session.path, '/console');
  await screenshot(page, SHOTS, 'tickets');
  await assertAccessible(page, 'tickets');

  const other = await browser.newContext();
  const again = await other.newPage();
  const reused = await again.goto(link);
  assert.equal(reused?.status(), 410);
  assert.equal(await h1(again), 'This link was already used');
  assert.equal((await other.cookies()).some((c) => c.name === 'a2d2_console'), false, 'no session from a used link');
  await screenshot(again, SHOTS, 'link-used');
  await assertAccessible(again, 'link used');

  const stale = await linkFor(OPERATOR);
  const hash = createHash('sha256').update(new URL(stale).searchParams.get('token')!).digest('hex');
  await t.app.deps.db.$executeRaw`UPDATE "ConsoleLoginToken" SET "expiresAt" = now() - interval '1 second' WHERE "tokenHash" = ${hash}`;
  const expired = await again.goto(stale);
  assert.equal(expired?.status(), 410);
  assert.equal(await h1(again), 'This link has expired');
  await screenshot(again, SHOTS, 'link-expired');
  const bogus = await again.goto(`${t.url}/console/login?token=${'x'.repeat(43)}`);
  assert.equal(bogus?.status(), 400);
  for (const token of [link, stale].map((l) => new URL(l).searchParams.get('token')!)) {
    assert.ok(t.logs.every((l) => !l.includes(token)), 'a sign-in token is never logged');
  }
  await other.close();
  await context.close();
});

test('tickets list: SLA marks in words and classes, GET filters; detail; Ack as from chat', async () => {
  const { context, page } = await signedInPage(OPERATOR);
  assert.equal(await h1(page), 'Open tickets');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  const row = (id: number) => page.locator(`tr[data-ticket="${id}"]`);
  assert.match(await row(ids.breach).getAttribute('class') ?? '', /\bbreached\b/);
  assert.match(await row(ids.breach).innerText(), /Breached: response overdue by/);
  assert.match(await row(ids.risk).getAttribute('class') ?? '', /\bat-risk\b/);
  assert.match(await row(ids.risk).innerText(), /At risk: response due in/);
  assert.match(await row(ids.plain).innerText(), /On time: response due in/);

  await page.selectOption('#f-severity', 'P0');
  await Promise.all([page.waitForURL(/severity=P0/), page.click('form.filters button[type=submit]')]);
  assert.equal(await row(ids.breach).count(), 1);
  assert.equal(await row(ids.plain).count(), 0, 'the P2 ticket is filtered out');
  await page.selectOption('#f-severity', '');
  await page.selectOption('#f-state', 'new');
  await page.selectOption('#f-assignee', '-');
  await Promise.all([page.waitForURL(/assignee=-/), page.click('form.filters button[type=submit]')]);
  assert.equal(await row(ids.plain).count(), 1, 'new and unassigned');
  await screenshot(page, SHOTS, 'tickets-filtered');

  // The card is in the triage channel before the press, so the ack edits it.
  const card = await waitFor(() => t.app.deps.db.messageLink.findFirst({ where: { messageKey: `ticket:${ids.plain}:card`, chatId: TRIAGE } }), 'card posted');
  await Promise.all([page.waitForURL(new RegExp(`/console/tickets/${ids.plain}`)), row(ids.plain).locator('a').first().click()]);
  assert.equal(await h1(page), `Ticket #${ids.plain}: Checkout button does nothing ${RUN}`);
  assert.match(await page.locator('table.timeline').innerText(), /created/);
  await screenshot(page, SHOTS, 'ticket');
  await assertAccessible(page, 'ticket');

  const pressedAt = new Date();
  await Promise.all([page.waitForURL(/done=ack/), page.click('button:has-text("Acknowledge")')]);
  assert.equal(await page.locator('.notice').innerText(), `Acknowledged #${ids.plain}.`);
  assert.match(await page.locator('table.timeline').innerText(), /acknowledged/);
  await screenshot(page, SHOTS, 'ticket-acknowledged');
  const ticket = await t.app.deps.db.ticket.findUniqueOrThrow({ where: { id: ids.plain } });
  assert.equal(ticket.status, 'acknowledged');
  assert.ok(ticket.acknowledgedAt);
  const audit = await t.app.deps.db.auditLog.findMany({ where: { action: 'action:ticket.ack', target: `ticket:${ids.plain}` } });
  assert.deepEqual(audit.map((a) => [a.platform, a.outcome]), [['console', 'ok']]);
  const edit = await t.app.deps.db.outboundMessage.findFirst({ where: { messageKey: `ticket:${ids.plain}:card`, createdAt: { gte: pressedAt } } });
  assert.ok(edit, 'an outbound row edits the chat card');
  await waitFor(() => slack.callsTo('chat.update').find((c) => c.args.channel === TRIAGE && c.args.ts === card.platformMessageId), 'the card edited in Slack');

  // Pressing again changes nothing and says why.
  const csrf = await page.locator('input[name=_csrf]').first().inputValue();
  const again = await page.request.post(`${t.url}/console/tickets/${ids.plain}/ack`, { form: { _csrf: csrf }, maxRedirects: 0 });
  assert.equal(again.status(), 409);
  assert.match(await again.text(), /already acknowledged/);
  await context.close();
});

test('tickets list in pages of 50: next and previous links keep the filters; page 2 holds the next rows with their SLA', async () => {
  const pager = `Pat Pager ${RUN}`;
  const due = new Date(Date.now() + 2 * 3_600_000);
  await t.app.deps.db.ticket.createMany({
    data: Array.from({ length: 52 }, (_, i) => ({ title: `Paged ticket ${i} ${RUN}`, severity: 'P3', status: 'acknowledged', source: 'api', assigneeName: pager, acknowledgedAt: new Date(), resolutionDueAt: due })),
  });
  const paged = (await t.app.deps.db.ticket.findMany({ where: { assigneeName: pager }, orderBy: { id: 'asc' }, select: { id: true } })).map((r) => r.id);
  const { context, page } = await signedInPage(OPERATOR);
  const shown = async () => Number(await page.locator('tr[data-ticket]').count());
  const first = async () => Number(await page.locator('tr[data-ticket]').first().getAttribute('data-ticket'));
  const open = await t.app.deps.db.ticket.count({ where: { status: { notIn: ['resolved', 'closed'] } } });
  assert.ok(open >= 56, `${open} open tickets`);
  assert.equal(await shown(), 50, 'the first page holds 50 of the open tickets');
  assert.equal(await page.locator('[role=status]').innerText(), `Tickets 1–50 of ${open}`);
  assert.equal(await page.locator('a[rel=prev]').count(), 0, 'no previous page on the first');

  await page.selectOption('#f-assignee', pager);
  await Promise.all([page.waitForURL(/assignee=/), page.click('form.filters button[type=submit]')]);
  assert.equal(await shown(), 50);
  assert.equal(await first(), paged[0]);
  assert.match(await page.locator('nav.pager').innerText(), /Page 1 of 2/);
  await Promise.all([page.waitForURL(/page=2/), page.click('a[rel=next]')]);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('assignee'), pager, 'the filter is kept on page 2');
  assert.deepEqual(await page.locator('tr[data-ticket]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-ticket')))), paged.slice(50), 'page 2: the next rows');
  assert.match(await page.locator(`tr[data-ticket="${paged[51]}"]`).innerText(), /On time: resolution due in \d/);
  assert.match(await page.locator('[role=status]').innerText(), /^Tickets 51–52 of 52$/);
  assert.equal(await page.locator('#f-assignee').inputValue(), pager, 'the form still shows the filter');
  assert.equal(await page.locator('a[rel=next]').count(), 0, 'no next page on the last');
  await screenshot(page, SHOTS, 'tickets-page-2');
  await assertAccessible(page, 'tickets page 2');
  await Promise.all([page.waitForURL((u) => !u.searchParams.has('page')), page.click('a[rel=prev]')]);
  assert.equal(new URL(page.url()).searchParams.get('assignee'), pager);
  assert.equal(await first(), paged[0]);

  const past = await page.goto(`${t.url}/console/tickets?assignee=${encodeURIComponent(pager)}&page=9`);
  assert.equal(past?.status(), 200);
  assert.equal(await shown(), 0);
  assert.match(await page.locator('a[rel=prev]').getAttribute('href') ?? '', /page=2/, 'past the last page: a link back to the last one');
  assert.equal((await page.goto(`${t.url}/console/tickets?page=0`))?.status(), 400);
  await t.app.deps.db.ticket.deleteMany({ where: { assigneeName: pager } });
  await context.close();
});

/** Puts a form posting to `action` with these fields into the page and submits it (the browser shows the answer). */
async function submitForm(page: Page, action: string, fields: Record<string, string>): Promise<number> {
  const answer = page.waitForResponse((r) => r.url().startsWith(action) && r.request().method() === 'POST');
  await page.evaluate(({ action, fields }) => {
    const doc = (globalThis as unknown as { document: { createElement(tag: string): any; body: { append(el: unknown): void } } }).document;
    const form = doc.createElement('form');
    form.method = 'post';
    form.action = action;
    for (const [name, value] of Object.entries(fields)) {
      const input = doc.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = value;
      form.append(input);
    }
    doc.body.append(form);
    form.submit();
  }, { action, fields });
  const status = (await answer).status();
  await page.waitForLoadState();
  return status;
}

test('a viewer (their stored language Russian) sees no Ack button; posting the form anyway is a 403: nothing changes', async () => {
  await chat.postSlack(slashCommandBody({ command: '/lang', text: 'ru', channel: `C${uid()}`, user: VIEWER }), 'application/x-www-form-urlencoded');
  await waitFor(async () => (await t.app.deps.db.user.findFirst({ where: { identities: { some: { platform: 'slack', platformUserId: VIEWER } } } }))?.locale === 'ru', 'viewer chose Russian');
  const { context, page } = await signedInPage(VIEWER);
  assert.equal(await h1(page), 'Открытые заявки', 'the stored language without ?lang');
  await page.goto(`${t.url}/console/tickets/${ids.viewer}`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'ru');
  assert.equal(await page.locator('button:has-text("Принять")').count(), 0, 'no Ack button for a viewer');
  const csrf = await page.locator('input[name=_csrf]').first().inputValue();
  assert.equal(await submitForm(page, `${t.url}/console/tickets/${ids.viewer}/ack`, { _csrf: csrf }), 403);
  assert.equal(await h1(page), 'Нет доступа');
  assert.match(await page.locator('main').innerText(), /Вашей роли \(viewer\) это не разрешено/);
  assert.equal(await page.locator(`main a[href="/console/tickets/${ids.viewer}"]`).innerText(), `Вернуться к заявке #${ids.viewer}`);
  assert.equal(await page.locator('nav.languages a[lang=en]').getAttribute('href'), '/console/tickets?lang=en', 'the language switch of a POST answer leads to a page, not the form action');
  await screenshot(page, SHOTS, 'forbidden-ru');
  await assertAccessible(page, 'forbidden (ru)');
  const ticket = await t.app.deps.db.ticket.findUniqueOrThrow({ where: { id: ids.viewer } });
  assert.equal(ticket.status, 'new');
  assert.equal(ticket.acknowledgedAt, null);
  assert.equal(await t.app.deps.db.ticketEvent.count({ where: { ticketId: ids.viewer, kind: 'acknowledged' } }), 0);
  const audit = await t.app.deps.db.auditLog.findMany({ where: { action: 'action:ticket.ack', target: `ticket:${ids.viewer}` } });
  assert.deepEqual(audit.map((a) => [a.platform, a.outcome]), [['console', 'denied']]);
  await context.close();
});

test('a form POST without a valid CSRF token is refused with 403 and changes nothing', async () => {
  const { context, page } = await signedInPage(OPERATOR);
  const url = `${t.url}/console/tickets/${ids.viewer}/ack`;
  const forms: Record<string, string>[] = [{}, { _csrf: 'forged' }];
  for (const form of forms) {
    const res = await page.request.post(url, { form, maxRedirects: 0 });
    assert.equal(res.status(), 403, JSON.stringify(form));
    assert.match(await res.text(), /The form has expired/);
  }
  const res = await page.request.post(`${t.url}/console/logout`, { form: {}, maxRedirects: 0 });
  assert.equal(res.status(), 403, 'sign-out is a form too');
  await page.goto(`${t.url}/console/tickets/${ids.viewer}`);
  assert.equal(await submitForm(page, url, { _csrf: 'forged' }), 403);
  assert.equal(await h1(page), 'The form has expired');
  await screenshot(page, SHOTS, 'csrf-refused');
  await assertAccessible(page, 'csrf refused');
  assert.equal((await t.app.deps.db.ticket.findUniqueOrThrow({ where: { id: ids.viewer } })).status, 'new');
  await page.goto(`${t.url}/console/tickets`);
  assert.equal(await h1(page), 'Open tickets', 'still signed in');
  await context.close();
});

test('the Russian UI: ?lang=ru renders Russian headings, labels and the lang attribute', async () => {
  const { context, page } = await signedInPage(OPERATOR);
  await page.goto(`${t.url}/console/tickets?lang=ru`);
  assert.equal(await h1(page), 'Открытые заявки');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ru');
  assert.equal(await page.locator('label[for=f-severity]').innerText(), 'Серьёзность');
  assert.match(await page.locator(`tr[data-ticket="${ids.breach}"]`).innerText(), /Нарушен/);
  await screenshot(page, SHOTS, 'tickets-ru');
  await assertAccessible(page, 'tickets (ru)');
  await Promise.all([page.waitForURL(new RegExp(`/console/tickets/${ids.risk}\\?lang=ru`)), page.locator(`tr[data-ticket="${ids.risk}"] a`).first().click()]);
  assert.match(await h1(page), new RegExp(`^Заявка #${ids.risk}:`));
  assert.equal(await page.locator('h2').first().innerText(), 'Сведения');
  await screenshot(page, SHOTS, 'ticket-ru');
  await assertAccessible(page, 'ticket (ru)');
  await context.close();
});

test('sign out ends the session; an admin signs in with A2D2_API_TOKEN on the login page', async () => {
  const { context, page } = await signedInPage(OPERATOR);
  await Promise.all([page.waitForURL(/\/console\/login\?signedOut=1/), page.click('button:has-text("Sign out")')]);
  assert.equal(await page.locator('.notice').innerText(), 'You are signed out.');
  assert.equal((await context.cookies()).some((c) => c.name === 'a2d2_console'), false);
  await screenshot(page, SHOTS, 'login');
  await assertAccessible(page, 'login');
  await page.goto(`${t.url}/console/tickets`);
  assert.equal(new URL(page.url()).pathname, '/console/login', 'signed out: back to the sign-in page');

  await page.fill('#api-token', 'not-the-token');
  await page.click('button:has-text("Sign in")');
  assert.match(await page.locator('.notice').innerText(), /not the API token/);
  await page.fill('#api-token', API_TOKEN);
  await Promise.all([page.waitForURL(/\/console\/tickets$/), page.click('button:has-text("Sign in")')]);
  assert.match(await page.locator('.who').innerText(), /\(admin\)/);
  assert.ok(t.logs.every((l) => !l.includes(API_TOKEN)), 'the token is never logged');
  // The role is checked on every request: once it is no longer the one signed in with, the session ends.
  const admin = await t.app.deps.db.userIdentity.findUniqueOrThrow({ where: { platform_platformUserId: { platform: 'console', platformUserId: 'api-token' } } });
  await t.app.deps.db.user.update({ where: { id: admin.userId }, data: { role: 'operator' } });
  await page.goto(`${t.url}/console/tickets`);
  assert.equal(new URL(page.url()).pathname, '/console/login', 'a changed role ends the session');
  await t.app.deps.db.user.update({ where: { id: admin.userId }, data: { role: 'admin' } });
  await context.close();
});

test('the console headers (CSP, no inline script) stay on /console; other routes are untouched', async () => {
  const page = await fetch(`${t.url}/console/login`);
  const csp = page.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.doesNotMatch(await page.text(), /<script|style=/i, 'no inline script or style');
  for (const path of ['/healthz', '/api/v1/tickets']) {
    const res = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get('content-security-policy'), null, `${path} has no console CSP`);
    assert.equal(res.headers.get('set-cookie'), null, `${path} sets no cookie`);
  }
});
