/**
 * Neutral replies for tickets: the triage card (edited in place on every change), the
 * reporter's confirmation, notices, lists and the SLA view. Text comes from the catalogue in
 * the reader's language; buttons name registered action ids.
 */
import type { Ticket } from '../../generated/prisma/client.ts';
import type { Translate } from '../i18n/i18n.ts';
import { formatDuration } from '../i18n/duration-format.ts';
import type { Button, Field, Reply } from '../messaging/types.ts';
import type { Severity } from './tickets.config.ts';

/** Action ids of ticket buttons (registered by the tickets feature module). */
export const TICKET_ACTIONS = {
  ack: 'ticket.ack',
  assignMe: 'ticket.assign_me',
  /** `<id>:<user id>`: assigns the ticket to that user (the console's assignee picker). */
  assign: 'ticket.assign',
  severityMenu: 'ticket.severity_menu',
  setSeverity: 'ticket.set_severity',
  confirmSeverity: 'ticket.confirm_severity',
  resolve: 'ticket.resolve',
  reopen: 'ticket.reopen',
  close: 'ticket.close',
  join: 'ticket.join',
  proposalConfirm: 'ticket.proposal_confirm',
  proposalChange: 'ticket.proposal_change',
  proposalSeverity: 'ticket.proposal_severity',
  proposalCancel: 'ticket.proposal_cancel',
  draftSeverity: 'ticket.draft_severity',
  modalSubmit: 'ticket.modal',
  fromMessage: 'ticket.from_message',
} as const;

/** Logical message keys: the card in the triage destination, the confirmation in the reporter's chat. */
export const cardKey = (id: number) => `ticket:${id}:card`;
export const reporterKey = (id: number) => `ticket:${id}:reporter`;

/** Statuses in lifecycle order. */
export const STATUSES = ['new', 'acknowledged', 'in_progress', 'waiting_on_reporter', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof STATUSES)[number];
export const DONE_STATUSES: readonly string[] = ['resolved', 'closed'];

/** A deadline relative to now, in words: "due in 2h" / "overdue by 5m" ("через 2 ч" in Russian). */
export function formatDue(t: Translate, due: Date | null, now: Date): string {
  if (!due) return t('tickets.due.none');
  const diff = due.getTime() - now.getTime();
  return diff >= 0 ? t('tickets.due.in', { time: formatDuration(t, diff) }) : t('tickets.due.overdue', { time: formatDuration(t, -diff) });
}

const timeFormats = new Map<string, { format: Intl.DateTimeFormat; minutes: Map<number, string> }>();
/** Formatted minutes kept per locale and zone: pages show the same rows' times on every read. */
const MINUTES_KEPT = 20_000;

/** An absolute time in the configured zone, e.g. "26.11.2026, 19:05". */
export function formatTime(date: Date, locale: string, timeZone: string): string {
  const tag = locale === 'ru' ? 'ru-RU' : 'en-GB';
  const key = `${tag}|${timeZone}`;
  let f = timeFormats.get(key);
  // Building a DateTimeFormat costs far more than using one; there are few locale and zone pairs.
  if (!f) {
    f = { format: new Intl.DateTimeFormat(tag, { timeZone, dateStyle: 'short', timeStyle: 'short' }), minutes: new Map() };
    timeFormats.set(key, f);
  }
  // The format shows minutes, so one minute's instants read the same; formatting is the cost.
  const minute = Math.floor(date.getTime() / 60_000);
  let text = f.minutes.get(minute);
  if (text === undefined) {
    text = f.format.format(date);
    if (f.minutes.size >= MINUTES_KEPT) f.minutes.clear();
    f.minutes.set(minute, text);
  }
  return text;
}

export function statusLabel(t: Translate, status: string): string {
  return t(`tickets.status.${status}`);
}

export function severityLabel(t: Translate, severity: string): string {
  return `${severity} — ${t(`tickets.severity.${severity}`)}`;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** Buttons offering the four severities; value = `<prefix>:<severity>`. */
export function severityButtons(t: Translate, actionId: string, prefix: string): Button[] {
  return (['P0', 'P1', 'P2', 'P3'] as Severity[]).map((s) => ({
    actionId,
    label: `${s} ${t(`tickets.severity.short.${s}`)}`,
    value: `${prefix}:${s}`,
    ...(s === 'P0' ? { style: 'danger' as const } : {}),
  }));
}

/** Context for rendering a ticket. */
export interface RenderCtx {
  t: Translate;
  locale: string;
  now: Date;
  timeZone: string;
}

function slaFields(c: RenderCtx, ticket: Ticket): Field[] {
  const { t, now } = c;
  const out: Field[] = [];
  if (DONE_STATUSES.includes(ticket.status)) return out;
  if (ticket.status === 'waiting_on_reporter') {
    out.push({ label: t('tickets.field.sla'), value: t('tickets.sla.paused') });
    return out;
  }
  if (!ticket.acknowledgedAt && ticket.responseDueAt) out.push({ label: t('tickets.field.responseDue'), value: formatDue(t, ticket.responseDueAt, now) });
  if (ticket.resolutionDueAt) out.push({ label: t('tickets.field.resolutionDue'), value: formatDue(t, ticket.resolutionDueAt, now) });
  return out;
}

/** The triage card: every state change edits it in place (messageKey `ticket:<id>:card`). */
export function renderCard(c: RenderCtx, ticket: Ticket): Reply {
  const { t } = c;
  const id = String(ticket.id);
  const fields: Field[] = [
    {
      label: t('tickets.field.severity'),
      value: ticket.severityConfirmed ? severityLabel(t, ticket.severity) : t('tickets.card.suggested', { severity: severityLabel(t, ticket.severity) }),
    },
    { label: t('tickets.field.status'), value: statusLabel(t, ticket.status) },
    { label: t('tickets.field.reporter'), value: ticket.reporterName ?? '—' },
    { label: t('tickets.field.assignee'), value: ticket.assigneeName ?? t('tickets.unassigned') },
    ...(ticket.component ? [{ label: t('tickets.field.component'), value: ticket.component }] : []),
    ...slaFields(c, ticket),
  ];
  if (!ticket.severityConfirmed && ticket.triageReason) fields.push({ label: t('tickets.field.why'), value: ticket.triageReason });
  const buttons: Button[] = [];
  const done = DONE_STATUSES.includes(ticket.status);
  if (!done) {
    if (!ticket.severityConfirmed) buttons.push({ actionId: TICKET_ACTIONS.confirmSeverity, label: t('tickets.button.confirmSeverity', { severity: ticket.severity }), value: id, style: 'primary' });
    if (ticket.status === 'new') buttons.push({ actionId: TICKET_ACTIONS.ack, label: t('tickets.button.ack'), value: id, style: 'primary' });
    buttons.push({ actionId: TICKET_ACTIONS.assignMe, label: t('tickets.button.assignMe'), value: id });
    buttons.push({ actionId: TICKET_ACTIONS.severityMenu, label: t('tickets.button.severity'), value: id });
    buttons.push({ actionId: TICKET_ACTIONS.resolve, label: t('tickets.button.resolve'), value: id, style: 'danger' });
  } else {
    buttons.push({ actionId: TICKET_ACTIONS.reopen, label: t('tickets.button.reopen'), value: id });
  }
  const breached = ticket.responseBreachedAt || ticket.resolutionBreachedAt;
  return {
    title: `#${id} [${ticket.severity}] ${truncate(ticket.title, 150)}`,
    text: ticket.description ? truncate(ticket.description, 1500) : t('tickets.card.noDescription'),
    fields,
    buttons,
    context: [t('tickets.card.context', { id, time: formatTime(ticket.createdAt, c.locale, c.timeZone) }), breached && !done ? t('tickets.card.breached') : '']
      .filter(Boolean)
      .join(' · '),
  };
}

/** What the reporter sees when their ticket is created; updates thread under it. */
export function renderCreated(c: RenderCtx, ticket: Ticket, duplicate: { id: number; title: string } | null): Reply {
  const { t } = c;
  const fields: Field[] = [
    { label: t('tickets.field.severity'), value: severityLabel(t, ticket.severity) },
    { label: t('tickets.field.status'), value: statusLabel(t, ticket.status) },
    ...slaFields(c, ticket),
  ];
  if (ticket.triageReason && !ticket.severityConfirmed) fields.push({ label: t('tickets.field.why'), value: ticket.triageReason });
  const reply: Reply = {
    title: t('tickets.created.title', { id: ticket.id }),
    text: truncate(ticket.title, 200),
    fields,
    context: t('tickets.created.context'),
  };
  if (duplicate) {
    reply.text += `\n\n${t('tickets.duplicate.hint', { id: duplicate.id, title: truncate(duplicate.title, 120) })}`;
    reply.buttons = [{ actionId: TICKET_ACTIONS.join, label: t('tickets.button.join', { id: duplicate.id }), value: `${ticket.id}:${duplicate.id}` }];
  }
  return reply;
}

/** The full view of one ticket (`ticket 12`). */
export function renderDetails(c: RenderCtx, ticket: Ticket, events: { kind: string; actorName: string | null; body: string | null; createdAt: Date }[]): Reply {
  const card = renderCard(c, ticket);
  const history = events
    .slice(-10)
    .map((e) => `${formatTime(e.createdAt, c.locale, c.timeZone)} ${c.t(`tickets.event.${e.kind}`)}${e.actorName ? ` (${e.actorName})` : ''}${e.body ? `: ${truncate(e.body, 200)}` : ''}`)
    .join('\n');
  return { ...card, text: `${card.text}${history ? `\n\n${c.t('tickets.details.history')}\n${history}` : ''}` };
}

/** One line per ticket for lists. */
export function renderList(c: RenderCtx, title: string, tickets: Ticket[]): Reply {
  const { t, now } = c;
  if (tickets.length === 0) return { title, text: t('tickets.list.empty') };
  const lines = tickets.map((tk) => {
    const due = !tk.acknowledgedAt && tk.responseDueAt ? tk.responseDueAt : tk.resolutionDueAt;
    const sla = DONE_STATUSES.includes(tk.status) || tk.status === 'waiting_on_reporter' ? '' : ` — ${formatDue(t, due, now)}`;
    return `#${tk.id} [${tk.severity}] ${truncate(tk.title, 80)} — ${statusLabel(t, tk.status)}${sla}`;
  });
  return { title, text: lines.join('\n') };
}
