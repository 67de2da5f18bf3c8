/**
 * `a2d2 smoke`: checks a running deployment end to end and says, check by check, what passed.
 * The checks run at once, each under the same deadline; a check the configuration does not
 * call for (a platform that is not set up) is skipped, not failed. The deployment is healthy
 * when every check that ran passed.
 */
import type { Logger } from '../logger.ts';
import type { RedisTarget } from '../redis.ts';
import { translate } from '../i18n/i18n.ts';
import {
  SmokeFailure,
  detail as said,
  type SmokeDetail,
  checkHealthz,
  checkMetrics,
  checkReadyz,
  checkSlackAuth,
  checkTelegramGetMe,
  checkWebhookRefuses,
} from './smoke-http.ts';
import { checkDatabase, checkQueueRoundTrip } from './smoke-store.ts';

export { SmokeFailure, type SmokeDetail };

export type SmokeOutcome = 'pass' | 'fail' | 'skip';

export interface SmokeCheckResult {
  check: string;
  result: SmokeOutcome;
  ms: number;
  /** The detail in English (the JSON output's text). */
  detail: string;
  /** The same detail as a catalogue key, for the operator's language. */
  said: SmokeDetail;
}

export interface SmokeReport {
  url: string;
  /** True when no check failed. */
  ok: boolean;
  checks: SmokeCheckResult[];
}

/** What to check, from the deployment's own configuration. */
export interface SmokeTarget {
  /** Base URL of the HTTP role, e.g. http://127.0.0.1:3000. */
  url: string;
  /** Deadline of each check. */
  timeoutMs: number;
  databaseUrl: string;
  redis: RedisTarget;
  queuePrefix: string;
  logger: Logger;
  /** Set when the Slack module is on (signing secret and bot token). */
  slack?: { token: string; apiUrl?: string };
  /** Set when a Telegram token is configured; `webhook` in webhook mode. */
  telegram?: { token: string; apiRoot?: string; webhook: boolean };
  /** Set when ALERTMANAGER_TOKEN is configured. */
  alertmanager: boolean;
}

/** One check: its name, and either how to run it or why it is skipped. */
export interface SmokeCheck {
  name: string;
  run?: (signal: AbortSignal) => Promise<SmokeDetail>;
  /** Why it is skipped: a catalogue key. */
  skip?: string;
}

/** How long a check that ignores its deadline is given to wind down before it is cut off. */
const GRACE_MS = 2_000;

/** Runs one check under the deadline; never throws. */
export async function timed(check: SmokeCheck, timeoutMs: number): Promise<SmokeCheckResult> {
  const result = (outcome: SmokeOutcome, ms: number, d: SmokeDetail): SmokeCheckResult => ({
    check: check.name,
    result: outcome,
    ms,
    detail: translate('en', d.key, d.params),
    said: d,
  });
  if (!check.run) return result('skip', 0, said(check.skip ?? 'smoke.skip.notConfigured'));
  const controller = new AbortController();
  const late = () => new SmokeFailure('smoke.noAnswer', { ms: timeoutMs });
  const deadline = setTimeout(() => controller.abort(late()), timeoutMs);
  let cutoff: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_resolve, reject) => {
    cutoff = setTimeout(() => reject(late()), timeoutMs + GRACE_MS);
  });
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    return result('pass', elapsed(), await Promise.race([check.run(controller.signal), stuck]));
  } catch (err) {
    if (err instanceof SmokeFailure) return result('fail', elapsed(), said(err.key, err.params));
    return result('fail', elapsed(), said('smoke.unexpected', { reason: err instanceof Error ? err.message : String(err) }));
  } finally {
    clearTimeout(deadline);
    clearTimeout(cutoff);
  }
}

/** The checks for a target, in the order they are reported. */
export function smokeChecks(t: SmokeTarget): SmokeCheck[] {
  const { url } = t;
  const slack = t.slack;
  const telegram = t.telegram;
  return [
    { name: 'liveness', run: (s) => checkHealthz(url, s) },
    { name: 'readiness', run: (s) => checkReadyz(url, s) },
    { name: 'metrics', run: (s) => checkMetrics(url, s) },
    { name: 'database', run: (s) => checkDatabase(t.databaseUrl, t.timeoutMs, s) },
    { name: 'queue', run: (s) => checkQueueRoundTrip({ redis: t.redis, prefix: t.queuePrefix, logger: t.logger }, t.timeoutMs, s) },
    slack
      ? { name: 'slack token', run: (s) => checkSlackAuth(slack.token, slack.apiUrl, s) }
      : { name: 'slack token', skip: 'smoke.skip.slack' },
    telegram
      ? { name: 'telegram token', run: (s) => checkTelegramGetMe(telegram.token, telegram.apiRoot, s) }
      : { name: 'telegram token', skip: 'smoke.skip.telegram' },
    slack
      ? { name: 'slack webhook', run: (s) => checkWebhookRefuses(url, '/slack/events', [401], s) }
      : { name: 'slack webhook', skip: 'smoke.skip.slack' },
    telegram?.webhook
      ? { name: 'telegram webhook', run: (s) => checkWebhookRefuses(url, '/telegram/webhook', [401, 403], s) }
      : { name: 'telegram webhook', skip: telegram ? 'smoke.skip.telegramPolling' : 'smoke.skip.telegram' },
    t.alertmanager
      ? { name: 'alertmanager webhook', run: (s) => checkWebhookRefuses(url, '/webhooks/alertmanager', [401], s) }
      : { name: 'alertmanager webhook', skip: 'smoke.skip.alertmanager' },
  ];
}

/** Runs every check at once and reports them in order. */
export async function runSmoke(target: SmokeTarget, checks: SmokeCheck[] = smokeChecks(target)): Promise<SmokeReport> {
  const results = await Promise.all(checks.map((c) => timed(c, target.timeoutMs)));
  return { url: target.url, ok: results.every((r) => r.result !== 'fail'), checks: results };
}
