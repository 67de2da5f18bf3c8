/**
 * The alert card's buttons: Acknowledge, Silence 1h/4h/24h, Resolve and Open ticket. Each
 * changes the group through the alerts service, which queues the card's edit.
 */
import type { Services } from '../services.ts';
import type { ActionSpec } from '../../core/registry.ts';
import { UserError } from '../../core/errors.ts';
import { atLeast } from '../../services/users/roles.ts';
import type { TicketOpener } from '../../services/alerts/alert.service.ts';
import { ALERT_ACTIONS, fmtTime } from '../../services/alerts/alert-render.ts';
import { SEVERITIES, type Severity } from '../../services/tickets/tickets.config.ts';

const operators = atLeast('operator');

/** "Open ticket" through the tickets service: idempotent per alert group (sourceKey). */
export function ticketOpener(deps: Services): TicketOpener {
  const service = deps.tickets;
  return {
    async open(input) {
      const severity = (SEVERITIES as readonly string[]).includes(input.priority) ? (input.priority as Severity) : 'P2';
      const { ticket } = await service.create({
        title: input.title,
        description: input.description,
        severity,
        source: 'alert',
        sourceKey: input.reference,
        severityConfirmed: true,
        reporter: { userId: input.reporter.userId, name: input.reporter.name, ref: input.reporter.ref },
      });
      return { id: String(ticket.id), label: `#${ticket.id}` };
    },
  };
}

function openTicketAction({ alerts }: Services, tickets: TicketOpener): ActionSpec {
  return {
    id: ALERT_ACTIONS.ticket,
    roles: operators,
    async handler(ctx, value) {
      const g = await alerts.requireGroup(value);
      if (!g) throw new UserError('alerts.notFound');
      if (g.ticketId) return { text: ctx.t('alerts.ticket.already', { ticket: g.ticketId }), ephemeral: true };
      const priority = alerts.ticketPriority(g.severity);
      const ticket = await tickets.open({
        title: g.title,
        description: [g.summary, g.service && `service: ${g.service}`, g.environment && `environment: ${g.environment}`, g.url].filter(Boolean).join('\n'),
        priority,
        reference: `alert:${g.id}`,
        reporter: { userId: ctx.user.id, name: ctx.user.displayName, ref: ctx.replyRef },
      });
      await alerts.linkTicket(g.id, ticket.label);
      return { text: ctx.t('alerts.ticket.done', { ticket: ticket.label, priority }) };
    },
  };
}

/** The card's buttons; "Open ticket" goes through the container's tickets service. */
export function alertActions(deps: Services): ActionSpec[] {
  const { alerts } = deps;
  return [
    {
      id: ALERT_ACTIONS.ack,
      roles: operators,
      async handler(ctx, value) {
        const r = await alerts.acknowledge(value, ctx.user.displayName);
        if (!r) throw new UserError('alerts.notFound');
        return { text: r.already ? ctx.t('alerts.ack.already') : ctx.t('alerts.ack.done', { who: ctx.user.displayName }), ephemeral: true };
      },
    },
    {
      id: ALERT_ACTIONS.silence,
      roles: operators,
      async handler(ctx, value) {
        const m = /^([0-9a-f-]{36}):(1|4|24)$/.exec(value);
        if (!m) throw new UserError('alerts.notFound');
        const r = await alerts.silence(m[1]!, Number(m[2]), ctx.user.displayName);
        if (!r) throw new UserError('alerts.notFound');
        return { text: ctx.t('alerts.silence.done', { until: fmtTime(r.silence.endsAt) }), ephemeral: true };
      },
    },
    {
      id: ALERT_ACTIONS.resolve,
      roles: operators,
      async handler(ctx, value) {
        const r = await alerts.resolve(value, ctx.user.displayName);
        if (!r) throw new UserError('alerts.notFound');
        return { text: r.already ? ctx.t('alerts.resolve.already') : ctx.t('alerts.resolve.done', { who: ctx.user.displayName }), ephemeral: true };
      },
    },
    openTicketAction(deps, ticketOpener(deps)),
  ];
}
