/**
 * The real app with Slack and Telegram both on, each pointed at its fake API server.
 */
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp, type TestAppOptions } from './app.ts';
import { startFakeSlack, type FakeSlack } from './fake-slack.ts';
import { startFakeTelegram, type FakeTelegram } from './fake-telegram.ts';

export interface ChatTestApp {
  t: TestApp;
  slack: FakeSlack;
  tg: FakeTelegram;
  /** Slack signing secret the app verifies with. */
  slackSecret: string;
  /** Telegram webhook secret the app requires. */
  tgSecret: string;
  /** Stops the app, then both fakes. */
  stop(): Promise<void>;
}

export async function startChatTestApp(opts: TestAppOptions = {}): Promise<ChatTestApp> {
  const slackSecret = `slack-secret-${randomUUID()}`;
  const tgSecret = `tg_secret_${randomUUID().slice(0, 8)}`;
  const slack = await startFakeSlack();
  const tg = await startFakeTelegram();
  const t = await startTestApp({
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
  return {
    t,
    slack,
    tg,
    slackSecret,
    tgSecret,
    async stop() {
      await t.stop();
      await slack.close();
      await tg.close();
    },
  };
}
