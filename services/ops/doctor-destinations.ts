/**
 * The destinations check of `a2d2 doctor`: every chat the configuration posts to (alert routes
 * and defaults, the ticket triage chat, escalation steps, scheduled reports) is one the bot can
 * post in. Slack: `conversations.history` with the bot token answers (the bot is in the
 * channel; the history scopes the bot has anyway, no extra read scope). Telegram: `getChat`
 * finds the chat and `getChatMember` shows the bot in it, allowed to write (an administrator
 * that may post, in a channel). Chats are asked one after the other, each named with the
 * YAML key that lists it. A refusal is the platform's own answer (`not_in_channel`,
 * `Bad Request: chat not found`) or one of ours: `not_member`, `banned`, `not_admin` (a
 * channel needs the bot as an administrator that may post), `restricted`, `not_configured`.
 */
import { fail, ok, type DoctorFinding, type DoctorTarget } from './doctor.ts';

/** A chat the configuration posts to, and the first YAML key that names it. */
export interface DoctorDestination {
  platform: string;
  chatId: string;
  where: string;
}

async function json(url: string, signal: AbortSignal, init: RequestInit = {}): Promise<Record<string, unknown>> {
  try {
    const res = await fetch(url, { ...init, signal, redirect: 'manual' });
    const v: unknown = await res.json().catch(() => ({}));
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch (err) {
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : err;
    const cause = (err as { cause?: { code?: string } }).cause;
    return { ok: false, error: cause?.code ?? (err as Error).message, description: cause?.code ?? (err as Error).message };
  }
}

/** Why the bot cannot post in the Slack channel, or null when it can. */
async function slackRefusal(slack: NonNullable<DoctorTarget['slack']>, chatId: string, signal: AbortSignal): Promise<string | null> {
  const root = slack.apiUrl ? (slack.apiUrl.endsWith('/') ? slack.apiUrl : `${slack.apiUrl}/`) : 'https://slack.com/api/';
  const body = await json(new URL('conversations.history', root).href, signal, {
    method: 'POST',
    headers: { authorization: `Bearer ${slack.token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ channel: chatId, limit: '1' }).toString(),
  });
  return body.ok === true ? null : String(body.error ?? 'no answer');
}

/** Why the bot cannot post in the Telegram chat, or null when it can. */
async function telegramRefusal(tg: NonNullable<DoctorTarget['telegram']>, chatId: string, signal: AbortSignal): Promise<string | null> {
  const root = `${(tg.apiRoot ?? 'https://api.telegram.org').replace(/\/+$/, '')}/bot${tg.token}`;
  const ask = (method: string, payload: Record<string, unknown>) =>
    json(`${root}/${method}`, signal, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  const chat = await ask('getChat', { chat_id: chatId });
  if (chat.ok !== true) return String(chat.description ?? chat.error_code ?? 'no answer');
  const type = (chat.result as { type?: string } | undefined)?.type;
  if (type === 'private') return null; // a person who started the bot
  const botId = Number(tg.token.split(':')[0]);
  const member = await ask('getChatMember', { chat_id: chatId, user_id: botId });
  if (member.ok !== true) return String(member.description ?? member.error_code ?? 'no answer');
  const m = (member.result ?? {}) as { status?: string; can_post_messages?: boolean; can_send_messages?: boolean };
  if (m.status === 'left') return 'not_member';
  if (m.status === 'kicked') return 'banned';
  if (type === 'channel' && !(m.status === 'creator' || (m.status === 'administrator' && m.can_post_messages))) return 'not_admin';
  if (m.status === 'restricted' && m.can_send_messages === false) return 'restricted';
  return null;
}

/** Every destination answers as postable; the failures name the chat, the key and the platform's answer. */
export async function checkDestinations(t: Pick<DoctorTarget, 'slack' | 'telegram'>, destinations: DoctorDestination[], signal: AbortSignal): Promise<DoctorFinding> {
  const problems: string[] = [];
  let checked = 0;
  for (const d of destinations) {
    let why: string | null;
    if (d.platform === 'slack') why = t.slack ? await slackRefusal(t.slack, d.chatId, signal) : 'not_configured';
    else if (d.platform === 'telegram') why = t.telegram ? await telegramRefusal(t.telegram, d.chatId, signal) : 'not_configured';
    else continue; // the terminal has no chats to check
    checked++;
    if (why) problems.push(`${d.platform}:${d.chatId} (${d.where}): ${why}`);
  }
  if (problems.length) return fail('doctor.destinations.bad', { list: problems.join('; ') }, 'doctor.fix.destinations');
  return ok('doctor.destinations.ok', { count: checked });
}
