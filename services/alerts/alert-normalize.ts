/**
 * From what a source sent to what we store: Alertmanager and Grafana payloads into the
 * neutral group, the fields a group row shows (service, severity, title, ...) and the
 * labels a group is routed by.
 */
import { createHash } from 'node:crypto';
import type { RoutingLabels } from './alert-routing.ts';
import type { GroupRow } from './alert-context.ts';
import { cleanText, isBlank, truncate } from '../text/sanitize.ts';
import { AlertPayloadError, type AlertmanagerPayload, type IncomingAlert, type IncomingGroup } from './alert-types.ts';

const validDate = (s: string | undefined): string | undefined => {
  if (!s) return undefined;
  const d = Date.parse(s);
  // Alertmanager sends 0001-01-01T00:00:00Z for "no end"; a year past 9999 is one PostgreSQL cannot store.
  return Number.isFinite(d) && d > 0 && d < 253_402_300_800_000 ? s : undefined;
};

/** Every key and value of a string map cleaned (see {@link cleanText}); a missing map is empty. */
function cleanMap(m: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m ?? {})) out[cleanText(k)] = cleanText(String(v));
  return out;
}

const cleanOpt = (s: string | undefined): string | undefined => (s === undefined ? undefined : cleanText(s) || undefined);

/**
 * Normalizes an Alertmanager (v4) or Grafana alerting webhook payload; the two share a shape.
 * Every string is cleaned here, at the boundary (PostgreSQL refuses NUL and lone surrogates,
 * and a sender would retry such a payload for ever); a group key with nothing left is refused
 * with {@link AlertPayloadError} naming the field.
 */
export function normalizeAlertmanager(p: AlertmanagerPayload, source: 'alertmanager' | 'grafana' = 'alertmanager'): IncomingGroup {
  const groupKey = cleanText(p.groupKey);
  if (isBlank(groupKey)) throw new AlertPayloadError('groupKey', 'is empty once control characters are removed');
  const title = cleanOpt(p.title);
  const url = cleanOpt(p.externalURL);
  return {
    source,
    groupKey,
    status: p.status,
    commonLabels: cleanMap(p.commonLabels),
    commonAnnotations: cleanMap(p.commonAnnotations),
    ...(p.groupLabels ? { groupLabels: cleanMap(p.groupLabels) } : {}),
    ...(title ? { title } : {}),
    ...(url ? { url } : {}),
    alerts: p.alerts.map((a) => {
      const startsAt = validDate(a.startsAt);
      const endsAt = validDate(a.endsAt);
      const link = cleanOpt(a.dashboardURL || a.generatorURL);
      const fingerprint = cleanOpt(a.fingerprint);
      return {
        status: a.status,
        labels: cleanMap(a.labels),
        annotations: cleanMap(a.annotations),
        ...(startsAt ? { startsAt } : {}),
        ...(endsAt ? { endsAt } : {}),
        ...(fingerprint ? { fingerprint } : {}),
        ...(link ? { url: link } : {}),
      };
    }),
  };
}

/** Short stable id of a group, shown on its card. */
export function groupFingerprint(source: string, groupKey: string): string {
  return createHash('sha256').update(`${source}\0${groupKey}`).digest('hex').slice(0, 12);
}

/** An alert's own fingerprint when the source sent none: a hash of its labels. */
export function alertFingerprint(labels: Record<string, string>): string {
  return createHash('sha256').update(JSON.stringify(labels)).digest('hex').slice(0, 16);
}

/** Routing labels of a group. */
export function groupLabels(g: Pick<GroupRow, 'labels' | 'service' | 'severity' | 'environment' | 'source'>): RoutingLabels {
  return {
    ...((g.labels ?? {}) as Record<string, string>),
    service: g.service,
    severity: g.severity,
    environment: g.environment,
    source: g.source,
  };
}

function pick(labels: Record<string, string>, names: string[]): string {
  for (const n of names) if (labels[n]) return labels[n]!;
  return '';
}

/** What a group row shows, derived from an incoming group. */
export interface GroupFields {
  labels: Record<string, string>;
  service: string;
  severity: string;
  environment: string;
  title: string;
  summary: string;
  url: string | null;
}

/** The alerts a card speaks for: the firing ones while any fire (an earlier one may have resolved). */
export function leadingAlerts(input: Pick<IncomingGroup, 'alerts'>): IncomingAlert[] {
  const firing = input.alerts.filter((a) => a.status === 'firing');
  return firing.length > 0 ? firing : input.alerts;
}

/** The row fields of an incoming group, from its first firing alert under the common labels. */
export function groupFields(input: IncomingGroup): GroupFields {
  const lead = leadingAlerts(input);
  const first = lead[0];
  const labels: Record<string, string> = { ...(first?.labels ?? {}), ...input.commonLabels };
  const summaryOf = (a: Record<string, string>) => a.summary || a.description || a.message || '';
  // The common annotation is shared by all alerts; else the first firing alert that has one.
  const summary = summaryOf(input.commonAnnotations) || lead.map((a) => summaryOf(a.annotations)).find(Boolean) || '';
  return {
    labels,
    service: pick(labels, ['service', 'job', 'app', 'application']),
    severity: pick(labels, ['severity', 'priority']) || 'warning',
    environment: pick(labels, ['environment', 'env', 'namespace']),
    title: truncate(input.title || labels.alertname || input.groupKey, 300, '…'),
    summary: truncate(summary, 2000, '…'),
    url: lead.find((a) => a.url)?.url ?? input.alerts.find((a) => a.url)?.url ?? input.url ?? null,
  };
}
