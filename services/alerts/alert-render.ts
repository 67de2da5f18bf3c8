/**
 * Neutral replies for alerts: the group card, its resolution note, the storm digest and the
 * deployment card. Every word comes from the catalogue; the adapters render the result.
 */
import type { Translate } from '../i18n/i18n.ts';
import { formatDuration } from '../i18n/duration-format.ts';
import type { Button, Field, LinkRef, Reply } from '../messaging/types.ts';
import type { GroupDetails } from './alert-details.ts';

/** What a card needs to know about a group. */
export interface CardGroup {
  id: string;
  source: string;
  fingerprint: string;
  status: string;
  severity: string;
  service: string;
  environment: string;
  title: string;
  summary: string;
  url: string | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
  fireCount: number;
  flapping: boolean;
  ackBy: string | null;
  ackAt: Date | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  ticketId: string | null;
  silencedUntil: Date | null;
  /** The last delivery's counts, instances and links (the `details` column). */
  details?: unknown;
  /** When the current occurrence started firing. */
  occurrenceAt?: Date | null;
  /** A silence made in Alertmanager that matches the group, when one is active. */
  amSilence?: { endsAt: Date; createdBy: string } | null;
}

/** The deploy an alert follows, when there is one. */
export interface CardDeployment {
  version: string;
  actor: string;
  url: string | null;
  runbook?: string;
}

/** Time as "2026-11-26 17:05 UTC": unambiguous in any chat. */
export function fmtTime(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The card's parts that come from the last delivery: counts and instances as text, runbook and Alertmanager links. */
function detailParts(g: CardGroup, t: Translate): { lines: string[]; fields: Field[]; links: LinkRef[] } {
  const d = (g.details && typeof g.details === 'object' ? g.details : {}) as GroupDetails;
  const lines: string[] = [];
  const fields: Field[] = [];
  const links: LinkRef[] = [];
  const firing = d.firing ?? 0;
  const resolved = d.resolved ?? 0;
  if (firing + resolved > 1) lines.push(t('alerts.card.counts', { firing, resolved }));
  if (d.instances?.length) {
    const more = d.moreInstances ? ` ${t('alerts.card.moreInstances', { count: d.moreInstances })}` : '';
    fields.push({ label: t('alerts.card.instances'), value: `${d.instances.join(', ')}${more}` });
  }
  if (g.amSilence) {
    fields.push({ label: t('alerts.card.amSilenced'), value: t('alerts.card.amSilencedValue', { until: fmtTime(g.amSilence.endsAt), who: g.amSilence.createdBy || '?' }) });
  }
  if (d.runbookUrl) links.push({ label: t('alerts.card.runbookLink'), url: d.runbookUrl });
  if (d.silenceUrl && g.status === 'firing') links.push({ label: t('alerts.card.silenceInAm'), url: d.silenceUrl });
  return { lines, fields, links };
}

/**
 * The message key of a group's card: `alert:<id>` for its first occurrence, `alert:<id>:<n>`
 * once it fired again after resolving, so a new occurrence is a new message at the bottom of
 * the chat rather than an edit far up it. The first 36 characters after `alert:` are the id.
 */
export function alertCardKey(g: { id: string; occurrence?: number }): string {
  return g.occurrence && g.occurrence > 1 ? `alert:${g.id}:${g.occurrence}` : `alert:${g.id}`;
}

/** Action ids of the card's buttons. */
export const ALERT_ACTIONS = {
  ack: 'alert.ack',
  silence: 'alert.silence',
  resolve: 'alert.resolve',
  ticket: 'alert.ticket',
} as const;

/** The card of a group: title, fields, summary and details, links and (while firing) the buttons. */
export function renderAlertCard(g: CardGroup, deploy: CardDeployment | null, t: Translate, opts: { ticketsAvailable: boolean }): Reply {
  const firing = g.status === 'firing';
  const fields: Field[] = [
    { label: t('alerts.card.status'), value: t(firing ? 'alerts.status.firing' : 'alerts.status.resolved') },
    { label: t('alerts.card.severity'), value: g.severity },
  ];
  if (g.service) fields.push({ label: t('alerts.card.service'), value: g.service });
  if (g.environment) fields.push({ label: t('alerts.card.environment'), value: g.environment });
  fields.push({ label: t('alerts.card.count'), value: t('alerts.card.countValue', { count: g.fireCount, last: fmtTime(g.lastSeenAt) }) });
  if (g.ackAt) fields.push({ label: t('alerts.card.acknowledged'), value: t('alerts.card.ackValue', { who: g.ackBy ?? '?', at: fmtTime(g.ackAt) }) });
  if (g.silencedUntil) fields.push({ label: t('alerts.card.silenced'), value: fmtTime(g.silencedUntil) });
  if (!firing && g.resolvedAt) {
    fields.push({
      label: t('alerts.card.resolved'),
      value: g.resolvedBy ? t('alerts.card.resolvedBy', { who: g.resolvedBy, at: fmtTime(g.resolvedAt) }) : fmtTime(g.resolvedAt),
    });
  }
  if (g.ticketId) fields.push({ label: t('alerts.card.ticket'), value: g.ticketId });
  const extra = detailParts(g, t);
  fields.push(...extra.fields);

  const lines: string[] = [];
  if (g.summary) lines.push(g.summary);
  lines.push(...extra.lines);
  if (deploy) lines.push(t('alerts.card.sinceDeploy', { version: deploy.version || '?', actor: deploy.actor || '?' }));
  if (g.flapping) lines.push(t('alerts.card.flapping'));

  const links: LinkRef[] = [];
  if (g.url) links.push({ label: t('alerts.card.source'), url: g.url });
  links.push(...extra.links);
  if (deploy?.url) links.push({ label: t('alerts.card.deployLink'), url: deploy.url });
  if (deploy?.runbook) links.push({ label: t('alerts.card.runbook'), url: deploy.runbook });

  const buttons: Button[] = [];
  if (firing) {
    if (!g.ackAt) buttons.push({ actionId: ALERT_ACTIONS.ack, label: t('alerts.btn.ack'), value: g.id, style: 'primary' });
    for (const h of [1, 4, 24]) buttons.push({ actionId: ALERT_ACTIONS.silence, label: t('alerts.btn.silence', { hours: h }), value: `${g.id}:${h}` });
    buttons.push({ actionId: ALERT_ACTIONS.resolve, label: t('alerts.btn.resolve'), value: g.id });
  }
  if (opts.ticketsAvailable && !g.ticketId) buttons.push({ actionId: ALERT_ACTIONS.ticket, label: t('alerts.btn.ticket'), value: g.id, style: 'danger' });

  return {
    title: t(firing ? 'alerts.card.titleFiring' : 'alerts.card.titleResolved', { severity: g.severity.toUpperCase(), title: g.title }),
    text: lines.join('\n') || g.title,
    fields,
    ...(buttons.length ? { buttons } : {}),
    ...(links.length ? { links } : {}),
    context: t('alerts.card.context', { id: g.fingerprint, source: g.source, first: fmtTime(g.firstSeenAt) }),
  };
}

/** The note threaded under a card when its group resolves: how long the occurrence fired. */
export function renderResolvedNote(
  g: Pick<CardGroup, 'title' | 'resolvedAt' | 'resolvedBy' | 'firstSeenAt' | 'occurrenceAt'>,
  t: Translate,
): Reply {
  const at = g.resolvedAt ?? new Date();
  const duration = formatDuration(t, at.getTime() - (g.occurrenceAt ?? g.firstSeenAt).getTime());
  return {
    text: g.resolvedBy
      ? t('alerts.note.resolvedBy', { title: g.title, who: g.resolvedBy, duration })
      : t('alerts.note.resolved', { title: g.title, duration }),
  };
}

/** The storm digest of one destination and minute. */
export function renderDigest(d: { alertCount: number; groupCount: number; windowStart: Date }, t: Translate): Reply {
  return {
    title: t('alerts.digest.title'),
    text: t('alerts.digest.text', { count: d.alertCount, groups: d.groupCount, minute: fmtTime(d.windowStart) }),
    context: t('alerts.digest.context'),
  };
}

/** What a deploy card needs. */
export interface DeployView {
  service: string;
  environment: string;
  version: string;
  status: string;
  url: string | null;
  actor: string | null;
  history: unknown;
  createdAt: Date;
}

/** The message of one deployment, with its state history. */
export function renderDeployCard(d: DeployView, t: Translate): Reply {
  const history = Array.isArray(d.history) ? (d.history as Array<{ status: string; at: string }>) : [];
  const fields: Field[] = [
    { label: t('alerts.deploy.status'), value: t(`alerts.deploy.state.${d.status}`) },
    { label: t('alerts.card.environment'), value: d.environment },
  ];
  if (d.version) fields.push({ label: t('alerts.deploy.version'), value: d.version });
  if (d.actor) fields.push({ label: t('alerts.deploy.actor'), value: d.actor });
  return {
    title: t('alerts.deploy.title', { service: d.service, version: d.version || '?', environment: d.environment, status: t(`alerts.deploy.state.${d.status}`) }),
    text: history.map((h) => `${t(`alerts.deploy.state.${h.status}`)} ${fmtTime(new Date(h.at))}`).join('\n') || t(`alerts.deploy.state.${d.status}`),
    fields,
    ...(d.url ? { links: [{ label: t('alerts.deploy.open'), url: d.url }] } : {}),
  };
}
