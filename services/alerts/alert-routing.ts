/**
 * Pure routing rules: which chats an alert's labels go to, whether quiet hours hold it back,
 * and whether a silence matches it. No I/O, so the rules are unit-tested directly.
 */
import { refKey, type ConversationRef } from '../messaging/types.ts';
import type { AlertRoute, QuietHours } from './alerts.config.ts';

/** Labels used for routing: the alert's own labels plus the normalized service/severity/environment/source. */
export type RoutingLabels = Record<string, string>;

/** One destination chosen for an alert, with the quiet hours of the rule that chose it. */
export interface RoutedDestination {
  ref: ConversationRef;
  quietHours?: QuietHours;
}

/** A subscription row, reduced to what routing needs. */
export interface SubscriptionMatch {
  ref: ConversationRef;
  matchers: Record<string, string>;
}

/** True when every matcher names a label with that value (a list matches any of its values). */
export function labelsMatch(labels: RoutingLabels, match: Record<string, string | string[] | undefined>): boolean {
  for (const [name, want] of Object.entries(match)) {
    if (want === undefined) continue;
    const have = labels[name];
    if (have === undefined) return false;
    if (Array.isArray(want) ? !want.includes(have) : want !== have) return false;
  }
  return true;
}

/**
 * Chooses destinations: the first matching route (and any later ones while `continue` is set),
 * plus every matching subscription; the default destinations when nothing matched.
 * Each chat appears once.
 */
export function routeAlert(
  labels: RoutingLabels,
  routes: AlertRoute[],
  subscriptions: SubscriptionMatch[],
  defaults: ConversationRef[],
): RoutedDestination[] {
  const out = new Map<string, RoutedDestination>();
  const add = (ref: ConversationRef, quietHours?: QuietHours) => {
    const key = refKey(ref);
    if (!out.has(key)) out.set(key, { ref, ...(quietHours ? { quietHours } : {}) });
  };
  for (const route of routes) {
    if (!labelsMatch(labels, route.match)) continue;
    for (const ref of route.destinations) add(ref, route.quietHours);
    if (!route.continue) break;
  }
  for (const sub of subscriptions) if (labelsMatch(labels, sub.matchers)) add(sub.ref);
  if (out.size === 0) for (const ref of defaults) add(ref);
  return [...out.values()];
}

/** Minutes since midnight in a time zone. */
function localMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return hour * 60 + minute;
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True when `at` falls in the quiet hours (a range may wrap past midnight). */
export function inQuietHours(q: QuietHours, at: Date): boolean {
  const now = localMinutes(at, q.timezone);
  const start = toMinutes(q.start);
  const end = toMinutes(q.end);
  if (start === end) return false;
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/** True when quiet hours hold this severity back right now. */
export function heldByQuietHours(dest: RoutedDestination, severity: string, at: Date): boolean {
  return Boolean(dest.quietHours && inQuietHours(dest.quietHours, at) && !dest.quietHours.allow.includes(severity));
}

/** Parses `key=value` words ("service=api severity=critical") into matchers; null on a malformed word. */
export function parseMatchers(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]{0,63})=([^\s=]{1,200})$/.exec(word);
    if (!m) return null;
    out[m[1]!] = m[2]!;
  }
  return out;
}

/** Canonical text of matchers ("service=api,severity=critical"), sorted, for uniqueness and display. */
export function matcherKey(matchers: Record<string, string>): string {
  return Object.keys(matchers)
    .sort()
    .map((k) => `${k}=${matchers[k]}`)
    .join(',');
}

/** Rebuilds a reference from {@link refKey}'s text. */
export function refFromKey(key: string): ConversationRef {
  const [platform, chatId, threadId] = [key.slice(0, key.indexOf(':')), ...splitRest(key.slice(key.indexOf(':') + 1))];
  return { platform: platform as ConversationRef['platform'], chatId: chatId ?? '', ...(threadId ? { threadId } : {}) };
}

function splitRest(rest: string): [string, string] {
  // Chat ids never contain ':' on our platforms except Slack-like "C1:..."; the thread id is after the last ':'.
  const i = rest.lastIndexOf(':');
  return [rest.slice(0, i), rest.slice(i + 1)];
}
