/**
 * From what a source sent to what we store: Alertmanager and Grafana payloads into the
 * neutral group, the fields a group row shows (service, severity, title, ...) and the
 * labels a group is routed by.
 */
import { createHash } from 'node:crypto';
import type { RoutingLabels } from './alert-routing.ts';
import type { GroupRow } from './alert-context.ts';
import type { AlertmanagerPayload, IncomingGroup } from './alert-types.ts';

const validDate = (s: string | undefined): string | undefined => {
  if (!s) return undefined;
  const d = Date.parse(s);
  // Alertmanager sends 0001-01-01T00:00:00Z for "no end".
  return Number.isFinite(d) && d > 0 ? s : undefined;
};

/** Normalizes an Alertmanager (v4) or Grafana alerting webhook payload; the two share a shape. */
export function normalizeAlertmanager(p: AlertmanagerPayload, source: 'alertmanager' | 'grafana' = 'alertmanager'): IncomingGroup {
  return {
    source,
    groupKey: p.groupKey,
    status: p.status,
    commonLabels: p.commonLabels ?? {},
    commonAnnotations: p.commonAnnotations ?? {},
    ...(p.title ? { title: p.title } : {}),
    ...(p.externalURL ? { url: p.externalURL } : {}),
    alerts: p.alerts.map((a) => {
      const startsAt = validDate(a.startsAt);
      const endsAt = validDate(a.endsAt);
      const url = a.dashboardURL || a.generatorURL;
      return {
        status: a.status,
        labels: a.labels ?? {},
        annotations: a.annotations ?? {},
        ...(startsAt ? { startsAt } : {}),
        ...(endsAt ? { endsAt } : {}),
        ...(a.fingerprint ? { fingerprint: a.fingerprint } : {}),
        ...(url ? { url } : {}),
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

/** What a group row shows, derived from an incoming group (its first alert under the common labels). */
export interface GroupFields {
  labels: Record<string, string>;
  service: string;
  severity: string;
  environment: string;
  title: string;
  summary: string;
  url: string | null;
}

/** The row fields of an incoming group. */
export function groupFields(input: IncomingGroup): GroupFields {
  const first = input.alerts[0];
  const labels: Record<string, string> = { ...(first?.labels ?? {}), ...input.commonLabels };
  const annotations = { ...(first?.annotations ?? {}), ...input.commonAnnotations };
  return {
    labels,
    service: pick(labels, ['service', 'job', 'app', 'application']),
    severity: pick(labels, ['severity', 'priority']) || 'warning',
    environment: pick(labels, ['environment', 'env', 'namespace']),
    title: (input.title || labels.alertname || input.groupKey).slice(0, 300),
    summary: (annotations.summary || annotations.description || annotations.message || '').slice(0, 2000),
    url: input.alerts.find((a) => a.url)?.url ?? input.url ?? null,
  };
}
