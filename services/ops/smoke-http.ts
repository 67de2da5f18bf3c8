/**
 * The HTTP checks of `a2d2 smoke`: the probes, the metrics scrape, the webhook routes (each
 * must refuse an unauthenticated request, which proves it is mounted), and the chat platforms'
 * own token checks (Slack `auth.test`, Telegram `getMe`). Each returns a short detail on
 * success and throws a {@link SmokeFailure} saying what was wrong.
 */

/** A check that did not pass; the message is the table's detail. */
export class SmokeFailure extends Error {
  constructor(message: string) {
    super(message);
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
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new SmokeFailure('no answer in time');
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new SmokeFailure(`cannot connect: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
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

export async function checkHealthz(base: string, signal: AbortSignal): Promise<string> {
  const a = await call(new URL('/healthz', base).href, signal);
  if (a.status !== 200) throw new SmokeFailure(`answered ${a.status}, expected 200`);
  return `200, status ${String(parsed(a.text).status ?? '?')}`;
}

export async function checkReadyz(base: string, signal: AbortSignal): Promise<string> {
  const a = await call(new URL('/readyz', base).href, signal);
  const body = parsed(a.text);
  const checks = (body.checks ?? {}) as Record<string, boolean>;
  const down = Object.keys(checks).filter((k) => !checks[k]);
  if (a.status !== 200) {
    const why = down.length ? `not ready: ${down.join(', ')} down` : `status ${String(body.status ?? '?')}`;
    throw new SmokeFailure(`answered ${a.status}, ${why}`);
  }
  return `200, ready (${Object.keys(checks).join(', ') || 'no checks'})`;
}

export async function checkMetrics(base: string, signal: AbortSignal): Promise<string> {
  const a = await call(new URL('/metrics', base).href, signal);
  if (a.status !== 200) throw new SmokeFailure(`answered ${a.status}, expected 200`);
  if (!new RegExp(`^# TYPE ${KNOWN_METRIC} `, 'm').test(a.text)) throw new SmokeFailure(`200, but no ${KNOWN_METRIC} in the Prometheus text`);
  const families = a.text.split('\n').filter((l) => l.startsWith('# TYPE a2d2_')).length;
  return `200, ${families} a2d2 metric families`;
}

/** A webhook route asked without credentials: `expected` (401/403) proves it is there; 404 that it is not. */
export async function checkWebhookRefuses(base: string, path: string, expected: number[], signal: AbortSignal): Promise<string> {
  const a = await call(new URL(path, base).href, signal, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  if (expected.includes(a.status)) return `POST ${path} without credentials: ${a.status}`;
  if (a.status === 404) throw new SmokeFailure(`POST ${path}: 404, the route is not mounted`);
  throw new SmokeFailure(`POST ${path} without credentials: ${a.status}, expected ${expected.join(' or ')}`);
}

/** Slack `auth.test` with the bot token. `apiUrl` ends with /api/ (SLACK_API_URL). */
export async function checkSlackAuth(token: string, apiUrl: string | undefined, signal: AbortSignal): Promise<string> {
  const root = apiUrl ? (apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`) : 'https://slack.com/api/';
  const a = await call(new URL('auth.test', root).href, signal, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  const body = parsed(a.text);
  if (body.ok !== true) throw new SmokeFailure(`Slack refused the token: ${String(body.error ?? `HTTP ${a.status}`)}`);
  return `team ${String(body.team ?? '?')}, bot user ${String(body.user_id ?? '?')}`;
}

/** Telegram `getMe` with the bot token. The token never appears in the detail. */
export async function checkTelegramGetMe(token: string, apiRoot: string | undefined, signal: AbortSignal): Promise<string> {
  const root = (apiRoot ?? 'https://api.telegram.org').replace(/\/+$/, '');
  const a = await call(`${root}/bot${token}/getMe`, signal);
  const body = parsed(a.text);
  if (body.ok !== true) throw new SmokeFailure(`Telegram refused the token: ${String(body.error_code ?? a.status)} ${String(body.description ?? '')}`.trim());
  const me = (body.result ?? {}) as { username?: string };
  return `bot @${me.username ?? '?'}`;
}
