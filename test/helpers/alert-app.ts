/**
 * Pieces the alert integration tests share: Slack calls in one channel, and the app set up for
 * Alertmanager / Grafana routing (tokens, routes with quiet hours, flapping damping).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startChatTestApp, type ChatTestApp } from './chat-app.ts';
import type { FakeSlack, FakeSlackCall } from './fake-slack.ts';

/** The fake Slack's calls of `method` addressed to `channel`. */
export function slackCallsIn(slack: FakeSlack, channel: string, method: string): FakeSlackCall[] {
  return slack.callsTo(method).filter((c) => c.args.channel === channel);
}

/** A call's arguments as one string, for `includes` / regexp checks. */
export const callText = (c: { args: unknown }): string => JSON.stringify(c.args);

/** UTC clock time `minutes` from now, as HH:MM. */
export function hhmm(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000).toISOString().slice(11, 16);
}

const amFixture = JSON.parse(readFileSync(new URL('../fixtures/alerts/alertmanager-v4.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/**
 * An Alertmanager v4 webhook body for one group (service checkout-am unless `over` says
 * otherwise). Identical calls are identical deliveries (a sender's retry); give `startsAt` to
 * make a repeat a new notification.
 */
export function amPayload(groupKey: string, status: 'firing' | 'resolved', over: Record<string, string> = {}, startsAt?: string) {
  const labels = { alertname: 'HighErrorRate', service: 'checkout-am', severity: 'critical', environment: 'production', ...over };
  return {
    ...amFixture,
    groupKey,
    status,
    commonLabels: labels,
    alerts: [
      {
        ...(amFixture.alerts as object[])[0],
        status,
        labels: { ...labels, instance: 'checkout-1:8080' },
        ...(startsAt ? { startsAt } : {}),
        ...(status === 'resolved' ? { endsAt: new Date().toISOString() } : {}),
      },
    ],
  };
}

export interface AlertmanagerTestApp extends ChatTestApp {
  /** The Slack channel every route posts to. */
  channel: string;
  /** Bearer token of the Alertmanager / Grafana routes. */
  amToken: string;
  /** Bearer token of the REST API (and the deploy route). */
  apiToken: string;
  /** POSTs JSON to `path` (by default with the Alertmanager token) and returns the status and parsed body. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Slack calls of `method` in `channel`. */
  inChannel(method: string): FakeSlackCall[];
}

/**
 * The app with routes to one fresh channel (named `channelPrefix` + random): service
 * checkout-am, source grafana, and service quiet-am inside quiet hours (now ± 1 h, critical
 * allowed); a group flaps at 4 changes in 30 minutes. `alertsExtra` adds to the alerts section.
 */
export async function startAlertmanagerTestApp(channelPrefix: string, alertsExtra: Record<string, unknown> = {}): Promise<AlertmanagerTestApp> {
  const amToken = `am-${randomUUID()}`;
  const apiToken = `api-${randomUUID()}`;
  const channel = `${channelPrefix}${randomUUID().slice(0, 8).toUpperCase()}`;
  const chat = await startChatTestApp({
    env: { ALERTMANAGER_TOKEN: amToken, A2D2_API_TOKEN: apiToken },
    yaml: {
      alerts: {
        routes: [
          { match: { service: 'checkout-am' }, destinations: [`slack:${channel}`] },
          { match: { source: 'grafana' }, destinations: [`slack:${channel}`] },
          { match: { service: 'quiet-am' }, destinations: [`slack:${channel}`], quietHours: { start: hhmm(-60), end: hhmm(60), timezone: 'UTC', allow: ['critical'] } },
        ],
        flapping: { changes: 4, windowMinutes: 30 },
        ...alertsExtra,
      },
    } as never,
  });
  return {
    ...chat,
    channel,
    amToken,
    apiToken,
    async post(path, body, headers = { authorization: `Bearer ${amToken}` }) {
      const res = await fetch(`${chat.t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    inChannel: (method) => slackCallsIn(chat.slack, channel, method),
  };
}
