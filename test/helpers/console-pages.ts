/**
 * Signing in to the console from a browser the way a person does (`/console` in Slack, then
 * the link), and submitting a form the page does not offer (a refused role's POST), for the
 * console page tests.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ChatTestApp } from './chat-app.ts';
import { slashCommandBody } from './fake-slack.ts';
import { waitFor } from './wait.ts';

const channel = () => `C${randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase()}`;

/** Asks for a sign-in link with `/console` in Slack and returns it for this app's address. */
export async function consoleLink(chat: ChatTestApp, user: string): Promise<string> {
  const before = chat.slack.callsTo('chat.postEphemeral').length;
  await chat.postSlack(slashCommandBody({ command: '/console', text: '', channel: channel(), user }), 'application/x-www-form-urlencoded');
  const call = await waitFor(() => chat.slack.callsTo('chat.postEphemeral').slice(before).find((c) => c.args.user === user && String(c.args.text).includes('/console/login?token=')), `link for ${user}`);
  const m = /\/console\/login\?token=([A-Za-z0-9_-]{43})/.exec(String(call.args.text));
  assert.ok(m, String(call.args.text));
  return `${chat.t.url}/console/login?token=${m[1]}`;
}

/** A fresh browser context signed in as the Slack user `user`. */
export async function consoleSignIn(browser: Browser, chat: ChatTestApp, user: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const res = await page.goto(await consoleLink(chat, user));
  assert.equal(res?.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/console/tickets');
  return { context, page };
}

/** Puts a form posting to `action` with these fields into the page and submits it; the answer's status. */
export async function submitForm(page: Page, action: string, fields: Record<string, string>): Promise<number> {
  const answer = page.waitForResponse((r) => r.url().startsWith(action) && r.request().method() === 'POST');
  await page.evaluate(
    ({ action, fields }) => {
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
    },
    { action, fields },
  );
  const status = (await answer).status();
  await page.waitForLoadState();
  return status;
}

/** The CSRF token of the page's first form. */
export const csrfOf = (page: Page) => page.locator('input[name=_csrf]').first().inputValue();
