/**
 * What a card shows beyond the group row's own fields, taken from one delivery: how many of
 * its alerts fire and how many resolved, the instances they are about, the runbook link and
 * Alertmanager's page for silencing the group. Also the delivery's identity, by which a
 * sender's retry of the same notification is told from a new one.
 */
import { createHash } from 'node:crypto';
import { alertFingerprint, leadingAlerts } from './alert-normalize.ts';
import type { IncomingGroup } from './alert-types.ts';

/** The instances a card lists before "+N more". */
export const SHOWN_INSTANCES = 5;

/** The `details` column of a group. */
export interface GroupDetails {
  firing?: number;
  resolved?: number;
  instances?: string[];
  moreInstances?: number;
  runbookUrl?: string;
  /** Alertmanager's new-silence page, pre-filled with the group's labels. */
  silenceUrl?: string;
}

const INSTANCE_LABELS = ['instance', 'pod', 'host', 'node'];

const httpUrl = (s: string | undefined): string | undefined => (s && /^https?:\/\/\S+$/i.test(s) ? s : undefined);

/** Alertmanager's UI page that creates a silence for these labels. */
export function alertmanagerSilenceUrl(externalUrl: string, labels: Record<string, string>): string | undefined {
  const base = httpUrl(externalUrl);
  const entries = Object.entries(labels);
  if (!base || entries.length === 0) return undefined;
  const filter = `{${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
  return `${base.replace(/\/+$/, '')}/#/silences/new?filter=${encodeURIComponent(filter)}`;
}

/** The card details of one delivery (see {@link GroupDetails}). */
export function groupDetails(input: IncomingGroup): GroupDetails {
  const lead = leadingAlerts(input);
  const firing = input.alerts.filter((a) => a.status === 'firing').length;
  const instances = [
    ...new Set(
      lead
        .map((a) => INSTANCE_LABELS.map((n) => a.labels[n]).find(Boolean) ?? '')
        .filter(Boolean),
    ),
  ];
  const runbook = httpUrl(input.commonAnnotations.runbook_url) ?? lead.map((a) => httpUrl(a.annotations.runbook_url)).find(Boolean);
  const silenceUrl =
    input.source === 'alertmanager' && input.url ? alertmanagerSilenceUrl(input.url, input.groupLabels ?? input.commonLabels) : undefined;
  return {
    firing,
    resolved: input.alerts.length - firing,
    instances: instances.slice(0, SHOWN_INSTANCES),
    moreInstances: Math.max(0, instances.length - SHOWN_INSTANCES),
    ...(runbook ? { runbookUrl: runbook } : {}),
    ...(silenceUrl ? { silenceUrl } : {}),
  };
}

/**
 * The identity of a delivery: its status and each alert's fingerprint, status, start and end.
 * Alertmanager retries a notification it thinks failed with exactly these, while any real
 * change (an alert added, resolved or restarted) changes one of them.
 */
export function deliveryHash(input: IncomingGroup): string {
  const alerts = input.alerts
    .map((a) => [a.fingerprint ?? alertFingerprint(a.labels), a.status, a.startsAt ?? '', a.endsAt ?? ''].join('\u0001'))
    .sort();
  return createHash('sha256').update(JSON.stringify([input.status, alerts])).digest('hex');
}
