/**
 * The HTTP checks of `a2d2 smoke`: the probes, the metrics scrape, the webhook routes (each
 * must refuse an unauthenticated request, which proves it is mounted), and the chat platforms'
 * own token checks (Slack `auth.test`, Telegram `getMe`). Each returns a short detail on
 * success and throws a {@link SmokeFailure} saying what was wrong, both worded from the
 * catalogue (services/i18n/catalog/smoke.ts).
 */
import { LocalizedError, type Params } from '../i18n/i18n.ts';

/** What a check saw, as a catalogue key and its values. */
export interface SmokeDetail {
  key: string;
  params?: Params;
}

export const detail = (key: string, params?: Params): SmokeDetail => ({ key, ...(params ? { params } : {}) });

/** A check that did not pass; its message (English, or `in(locale)`) is the table's detail. */
export class SmokeFailure extends LocalizedError {
  constructor(key: string, params: Params = {}) {
    super(key, params);
    this.name = 'SmokeFailure';
  }
}

/** A metric every a2d2 process exports, scraped or not. */
export const KNOWN_METRIC = 'a2d2_http_request_duration_seconds';

interface Answer {
  status: number;
  text: string;
}

async function call(url: string, signal: AbortSignal, init: RequestInit = {}): Promise<Answer> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal, redirect: 'manual' });
  } catch (err) {
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new SmokeFailure('smoke.noAnswerInTime');
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new SmokeFailure('smoke.cannotConnect', { reason: cause?.code ?? cause?.message ?? (err as Error).message });
  }
  return { status: res.status, text: await res.text() };
}

function parsed(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export async function checkHealthz(base: string, signal: AbortSignal): Promise<SmokeDetail> {
  const a = await call(new URL('/healthz', base).href, signal);
  if (a.status !== 200) throw new SmokeFailure('smoke.answered', { status: a.status });
  return detail('smoke.healthz.ok', { status: String(parsed(a.text).status ?? '?') });
}

export async function checkReadyz(base: string, signal: AbortSignal): Promise<SmokeDetail> {
  const a = await call(new URL('/readyz', base).href, signal);
  const body = parsed(a.text);
  const checks = (body.checks ?? {}) as Record<string, boolean>;
  const down = Object.keys(checks).filter((k) => !checks[k]);
  if (a.status !== 200) {
    if (down.length) throw new SmokeFailure('smoke.readyz.down', { status: a.status, down: down.join(', ') });
    throw new SmokeFailure('smoke.readyz.status', { status: a.status, state: String(body.status ?? '?') });
  }
  const names = Object.keys(checks);
  return names.length ? detail('smoke.readyz.ok', { checks: names.join(', ') }) : detail('smoke.readyz.noChecks');
}

export async function checkMetrics(base: string, signal: AbortSignal): Promise<SmokeDetail> {
  const a = await call(new URL('/metrics', base).href, signal);
  if (a.status !== 200) throw new SmokeFailure('smoke.answered', { status: a.status });
  if (!new RegExp(`^# TYPE ${KNOWN_METRIC} `, 'm').test(a.text)) throw new SmokeFailure('smoke.metrics.missing', { metric: KNOWN_METRIC });
  const families = a.text.split('\n').filter((l) => l.startsWith('# TYPE a2d2_')).length;
  return detail('smoke.metrics.ok', { families });
}

/** A webhook route asked without credentials: `expected` (401/403) proves it is there; 404 that it is not. */
export async function checkWebhookRefuses(base: string, path: string, expected: number[], signal: AbortSignal): Promise<SmokeDetail> {
  const a = await call(new URL(path, base).href, signal, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  if (expected.includes(a.status)) return detail('smoke.webhook.ok', { path, status: a.status });
  if (a.status === 404) throw new SmokeFailure('smoke.webhook.notMounted', { path });
  throw new SmokeFailure('smoke.webhook.unexpected', { path, status: a.status, expected: expected.join(' / ') });
}

/** Slack `auth.test` with the bot token. `apiUrl` ends with /api/ (SLACK_API_URL). */
export async function checkSlackAuth(token: string, apiUrl: string | undefined, signal: AbortSignal): Promise<SmokeDetail> {
  const root = apiUrl ? (apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`) : 'https://slack.com/api/';
  const a = await call(new URL('auth.test', root).href, signal, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  const body = parsed(a.text);
  if (body.ok !== true) throw new SmokeFailure('smoke.slack.refused', { error: String(body.error ?? `HTTP ${a.status}`) });
  return detail('smoke.slack.ok', { team: String(body.team ?? '?'), user: String(body.user_id ?? '?') });
}

/** Telegram `getMe` with the bot token. The token never appears in the detail. */
export async function checkTelegramGetMe(token: string, apiRoot: string | undefined, signal: AbortSignal): Promise<SmokeDetail> {
  const root = (apiRoot ?? 'https://api.telegram.org').replace(/\/+$/, '');
  const a = await call(`${root}/bot${token}/getMe`, signal);
  const body = parsed(a.text);
  if (body.ok !== true) throw new SmokeFailure('smoke.telegram.refused', { error: `${String(body.error_code ?? a.status)} ${String(body.description ?? '')}`.trim() });
  const me = (body.result ?? {}) as { username?: string };
  return detail('smoke.telegram.ok', { username: me.username ?? '?' });
}
