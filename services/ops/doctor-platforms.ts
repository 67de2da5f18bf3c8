/**
 * The outside checks of `a2d2 doctor`: Slack (`auth.test`, and the token's scopes from its
 * `x-oauth-scopes` header against those the bot needs), Telegram (`getMe`, `getWebhookInfo`
 * against the configured mode and URL), the model endpoints (`GET /models`), and the public
 * URL (`/healthz` through whatever is in front of the http role). Tokens never appear in a
 * message.
 */
import { DoctorProblem, fail, ok, warn, type DoctorFinding, type DoctorLlmProvider, type DoctorTarget } from './doctor.ts';

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A JSON call; an unreachable host is a fail with `unreachableFix`. Secrets in `url` are not reported. */
async function call(url: string, shown: string, unreachableFix: string, signal: AbortSignal, init: RequestInit = {}): Promise<Answer> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal, redirect: 'manual' });
  } catch (err) {
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : err;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new DoctorProblem(fail('doctor.http.unreachable', { url: shown, error: cause?.code ?? cause?.message ?? (err as Error).message }, unreachableFix));
  }
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === 'object') body = v as Record<string, unknown>;
  } catch {
    // not JSON: the status says enough
  }
  return { status: res.status, headers: res.headers, body };
}

/** Slack's API root, ending with a slash. */
function slackRoot(apiUrl: string | undefined): string {
  if (!apiUrl) return 'https://slack.com/api/';
  return apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
}

/** The token is valid and holds every scope the bot needs. */
export async function checkSlack(slack: NonNullable<DoctorTarget['slack']>, signal: AbortSignal): Promise<DoctorFinding> {
  const url = new URL('auth.test', slackRoot(slack.apiUrl)).href;
  const a = await call(url, url, 'doctor.fix.slack.unreachable', signal, { method: 'POST', headers: { authorization: `Bearer ${slack.token}` } });
  if (a.body.ok !== true) return fail('doctor.slack.refused', { error: String(a.body.error ?? `HTTP ${a.status}`) }, 'doctor.fix.slack.token');
  const who = { team: String(a.body.team ?? '?'), user: String(a.body.user_id ?? '?') };
  const header = a.headers.get('x-oauth-scopes');
  if (header === null) return warn('doctor.slack.noScopes', who, 'doctor.fix.slack.scopes', { scopes: slack.scopes.join(', ') });
  const granted = new Set(header.split(',').map((s) => s.trim()).filter(Boolean));
  const missing = slack.scopes.filter((s) => !granted.has(s));
  if (missing.length) return fail('doctor.slack.missing', { ...who, scopes: missing.join(', ') }, 'doctor.fix.slack.scopes', { scopes: missing.join(', ') });
  return ok('doctor.slack.ok', { ...who, count: slack.scopes.length });
}

function telegramRoot(apiRoot: string | undefined): string {
  return (apiRoot ?? 'https://api.telegram.org').replace(/\/+$/, '');
}

async function telegramCall(tg: NonNullable<DoctorTarget['telegram']>, method: string, signal: AbortSignal): Promise<Answer> {
  const root = telegramRoot(tg.apiRoot);
  const a = await call(`${root}/bot${tg.token}/${method}`, `${root}/bot…/${method}`, 'doctor.fix.telegram.unreachable', signal);
  if (a.body.ok !== true) {
    const error = `${String(a.body.error_code ?? a.status)} ${String(a.body.description ?? '')}`.trim();
    throw new DoctorProblem(fail('doctor.telegram.refused', { method, error }, 'doctor.fix.telegram.token'));
  }
  return a;
}

/** `getMe` accepts the token. */
export async function checkTelegramMe(tg: NonNullable<DoctorTarget['telegram']>, signal: AbortSignal): Promise<DoctorFinding> {
  const a = await telegramCall(tg, 'getMe', signal);
  const me = (a.body.result ?? {}) as { username?: string; id?: number };
  return ok('doctor.telegram.ok', { bot: me.username ?? '?', id: me.id ?? '?' });
}

interface WebhookInfo {
  url?: string;
  pending_update_count?: number;
  last_error_date?: number;
  last_error_message?: string;
}

/** Updates waiting at Telegram past which the webhook is called behind. */
const PENDING_WARN = 100;
/** A delivery error this recent is reported. */
const RECENT_ERROR_MS = 24 * 3600_000;

/**
 * The webhook Telegram has on record against the configuration: in webhook mode, registered
 * at TELEGRAM_WEBHOOK_URL; in polling mode, none. Then its backlog and its last error.
 */
export async function checkTelegramWebhook(tg: NonNullable<DoctorTarget['telegram']>, signal: AbortSignal, now = Date.now()): Promise<DoctorFinding> {
  const info = ((await telegramCall(tg, 'getWebhookInfo', signal)).body.result ?? {}) as WebhookInfo;
  const actual = info.url ?? '';
  const pending = info.pending_update_count ?? 0;
  if (tg.mode === 'polling') {
    if (actual) return warn('doctor.telegram.webhookWhilePolling', { url: actual }, 'doctor.fix.telegram.polling');
    return ok('doctor.telegram.polling');
  }
  if (tg.webhookUrl && actual !== tg.webhookUrl) {
    return actual
      ? fail('doctor.telegram.webhookElsewhere', { url: actual, expected: tg.webhookUrl }, 'doctor.fix.telegram.register', { url: tg.webhookUrl })
      : fail('doctor.telegram.webhookMissing', { expected: tg.webhookUrl }, 'doctor.fix.telegram.register', { url: tg.webhookUrl });
  }
  if (!actual) return fail('doctor.telegram.webhookNone', undefined, 'doctor.fix.telegram.url');
  if (info.last_error_date && now - info.last_error_date * 1000 < RECENT_ERROR_MS) {
    const at = new Date(info.last_error_date * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    return warn('doctor.telegram.lastError', { url: actual, error: info.last_error_message ?? '?', at, pending }, 'doctor.fix.telegram.lastError');
  }
  if (pending > PENDING_WARN) return warn('doctor.telegram.backlog', { url: actual, pending }, 'doctor.fix.telegram.backlog');
  if (!tg.webhookUrl) return warn('doctor.telegram.webhookUnmanaged', { url: actual, pending }, 'doctor.fix.telegram.url');
  return ok('doctor.telegram.webhookOk', { url: actual, pending });
}

/** Each provider answers `GET /models`, and lists the models the config routes to (when it lists any). */
export async function checkLlm(providers: DoctorLlmProvider[], signal: AbortSignal): Promise<DoctorFinding> {
  let listedTotal = 0;
  for (const p of providers) {
    const url = `${p.baseUrl.replace(/\/+$/, '')}/models`;
    const a = await call(url, url, 'doctor.fix.llm.unreachable', signal, p.apiKey === 'none' ? {} : { headers: { authorization: `Bearer ${p.apiKey}` } });
    if (a.status === 401 || a.status === 403) return fail('doctor.llm.refused', { provider: p.name, status: a.status }, 'doctor.fix.llm.key');
    if (a.status !== 200) return fail('doctor.llm.status', { provider: p.name, status: a.status, url }, 'doctor.fix.llm.unreachable');
    const listed = new Set((Array.isArray(a.body.data) ? (a.body.data as { id?: unknown }[]) : []).map((m) => String(m.id)));
    const absent = listed.size ? p.models.filter((m) => !listed.has(m)) : [];
    if (absent.length) return warn('doctor.llm.modelMissing', { provider: p.name, models: absent.join(', ') }, 'doctor.fix.llm.model');
    listedTotal += listed.size;
  }
  return ok('doctor.llm.ok', { providers: providers.map((p) => p.name).join(', '), models: listedTotal });
}

/** The public address reaches an http role: `/healthz` answers 200 through the proxy and TLS in front. */
export async function checkPublicUrl(publicUrl: string, signal: AbortSignal): Promise<DoctorFinding> {
  const url = new URL('healthz', publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`).href;
  const a = await call(url, url, 'doctor.fix.public.unreachable', signal);
  if (a.status !== 200) return fail('doctor.public.status', { url, status: a.status }, 'doctor.fix.public.status');
  if (!publicUrl.startsWith('https:')) return warn('doctor.public.plain', { url }, 'doctor.fix.public.tls');
  return ok('doctor.public.ok', { url });
}
