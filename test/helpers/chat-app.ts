/**
 * The real app with Slack and Telegram both on, each pointed at its fake API server.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp, type TestAppOptions } from './app.ts';
import { signSlackRequest, startFakeSlack, type FakeSlack } from './fake-slack.ts';
import { startFakeTelegram, type FakeTelegram } from './fake-telegram.ts';

export interface ChatTestApp {
  t: TestApp;
  slack: FakeSlack;
  tg: FakeTelegram;
  /** Slack signing secret the app verifies with. */
  slackSecret: string;
  /** Telegram webhook secret the app requires. */
  tgSecret: string;
  /** POSTs `body` to the app's Slack route, signed with `slackSecret`, and asserts the 200 Slack expects. */
  postSlack(body: string, contentType: string, headers?: Record<string, string>): Promise<void>;
  /** POSTs a Telegram update to the app's webhook route with `tgSecret` and asserts the 200 Telegram expects. */
  postTelegram(update: unknown): Promise<void>;
  /** Stops the app, then both fakes. */
  stop(): Promise<void>;
}

export async function startChatTestApp(opts: TestAppOptions = {}): Promise<ChatTestApp> {
  // A secret the caller overrides in opts.env is the one reported back (and signed with).
  const slackSecret = opts.env?.SLACK_SIGNING_SECRET ?? `slack-secret-${randomUUID()}`;
  const tgSecret = opts.env?.TELEGRAM_WEBHOOK_SECRET ?? `tg_secret_${randomUUID().slice(0, 8)}`;
  const slack = await startFakeSlack();
  const tg = await startFakeTelegram();
  let t: TestApp;
  try {
    t = await startTestApp({
      ...opts,
      env: {
        SLACK_SIGNING_SECRET: slackSecret,
        SLACK_BOT_TOKEN: slack.token,
        SLACK_API_URL: slack.apiUrl,
        TELEGRAM_BOT_TOKEN: tg.token,
        TELEGRAM_WEBHOOK_SECRET: tgSecret,
        TELEGRAM_API_ROOT: tg.url,
        ...opts.env,
      },
    });
  } catch (err) {
    // The caller gets no handle to stop: close the fakes here so the test process can exit.
    await slack.close();
    await tg.close();
    throw err;
  }
  return {
    t,
    slack,
    tg,
    slackSecret,
    tgSecret,
    async postSlack(body, contentType, headers = {}) {
      const res = await fetch(`${t.url}/slack/events`, { method: 'POST', body, headers: { 'content-type': contentType, ...signSlackRequest(slackSecret, body), ...headers } });
      assert.equal(res.status, 200);
      await res.arrayBuffer();
    },
    async postTelegram(update) {
      const res = await fetch(`${t.url}/telegram/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': tgSecret },
        body: JSON.stringify(update),
      });
      assert.equal(res.status, 200);
      await res.arrayBuffer();
    },
    async stop() {
      await t.stop();
      await slack.close();
      await tg.close();
    },
  };
}
