/**
 * State transitions of a ticket: acknowledge, assign, start, wait on the reporter, resume,
 * resolve, close, reopen, severity changes, comments and joining a duplicate. Each goes
 * through `change` (row lock, event, re-plan, card) and then tells both sides.
 */
import type { Reply } from '../messaging/types.ts';
import type { Translate } from '../i18n/i18n.ts';
import { emitProcessEvent, PROCESS_EVENTS } from '../processes/events.ts';
import { TicketError, type TicketService } from './ticket-types.ts';
import type { TicketContext } from './ticket-context.ts';

type Transitions = Pick<
  TicketService,
  'acknowledge' | 'assign' | 'start' | 'waitOnReporter' | 'resume' | 'resolve' | 'close' | 'reopen' | 'setSeverity' | 'confirmSeverity' | 'comment' | 'joinDuplicate'
>;

/** Builds the lifecycle half of the service. */
export function createTransitions(ctx: TicketContext): Transitions {
  const { db, queues, logger } = ctx.deps;
  const { policy, change, isDone, requireOpen } = ctx;
  const { clockState } = ctx.plan;
  const { announce, pageHeldBack } = ctx.notices;

  // Processes that page (incident) start on a confirmed severity, never on triage's guess.
  const severityConfirmed = (t: { id: number; severity: string; title: string; updatedAt: Date }) =>
    emitProcessEvent(queues, PROCESS_EVENTS.ticketSeverityConfirmed, { ticketId: t.id, severity: t.severity, severityConfirmed: true, title: t.title }, `ticket-${t.id}-severity-${t.updatedAt.getTime()}`).catch((err: Error) => logger.warn({ err: err.message, ticket: t.id }, 'process event not queued'));

  return {
    async acknowledge(id, actor) {
      const { after } = await change(id, actor, (t, now) => {
        requireOpen(t);
        if (t.status !== 'new') throw new TicketError('tickets.error.alreadyAck', { id });
        return { kind: 'acknowledged', data: { status: 'acknowledged', acknowledgedAt: now }, replan: true };
      });
      await announce(after, (tr) => ({ text: tr('tickets.notice.acknowledged', { id, name: actor.name }) }));
      return after;
    },

    async assign(id, actor, assignee) {
      const { after } = await change(id, actor, (t, now) => {
        requireOpen(t);
        const ack = !t.acknowledgedAt;
        return {
          kind: 'assigned',
          body: assignee.name,
          data: {
            assigneeUserId: assignee.userId,
            assigneeName: assignee.name,
            ...(t.status === 'new' || t.status === 'acknowledged' ? { status: 'in_progress' } : {}),
            ...(ack ? { acknowledgedAt: now } : {}),
          },
          replan: ack,
        };
      });
      await announce(after, (tr) => ({ text: tr('tickets.notice.assigned', { id, name: assignee.name }) }));
      return after;
    },

    async start(id, actor) {
      const { after } = await change(id, actor, (t, now) => {
        requireOpen(t);
        if (t.status === 'in_progress') throw new TicketError('tickets.error.sameStatus', { id });
        const ack = !t.acknowledgedAt;
        const wasWaiting = t.status === 'waiting_on_reporter';
        return {
          kind: 'in_progress',
          data: { status: 'in_progress', ...(ack ? { acknowledgedAt: now } : {}), ...(wasWaiting ? { slaAnchorAt: now } : {}) },
          replan: ack || wasWaiting,
        };
      });
      await announce(after, (tr) => ({ text: tr('tickets.notice.inProgress', { id, name: actor.name }) }));
      return after;
    },

    async waitOnReporter(id, actor, question) {
      const { after } = await change(id, actor, (t, now) => {
        requireOpen(t);
        if (t.status === 'waiting_on_reporter') throw new TicketError('tickets.error.sameStatus', { id });
        const used = policy.fold(clockState(t), now);
        return {
          kind: 'waiting',
          body: question,
          data: { status: 'waiting_on_reporter', ...used, slaAnchorAt: null, ...(t.acknowledgedAt ? {} : { acknowledgedAt: now }) },
          replan: true,
        };
      });
      await announce(after, (tr) => ({ text: tr(question ? 'tickets.notice.waitingQuestion' : 'tickets.notice.waiting', { id, name: actor.name, question: question ?? '' }) }));
      return after;
    },

    async resume(id, actor) {
      const { after } = await change(id, actor, (t, now) => {
        if (t.status !== 'waiting_on_reporter') throw new TicketError('tickets.error.notWaiting', { id });
        return { kind: 'resumed', data: { status: 'in_progress', slaAnchorAt: now }, replan: true };
      });
      await announce(after, (tr) => ({ text: tr('tickets.notice.resumed', { id }) }));
      return after;
    },

    async resolve(id, actor, note) {
      const { after } = await change(id, actor, (t, now) => {
        requireOpen(t);
        const used = policy.fold(clockState(t), now);
        return {
          kind: 'resolved',
          body: note,
          data: { status: 'resolved', resolvedAt: now, ...used, slaAnchorAt: null, ...(t.acknowledgedAt ? {} : { acknowledgedAt: now }) },
          replan: true,
        };
      });
      await announce(after, (tr) => ({ text: tr(note ? 'tickets.notice.resolvedNote' : 'tickets.notice.resolved', { id, name: actor.name, note: note ?? '' }) }));
      await emitProcessEvent(queues, PROCESS_EVENTS.ticketResolved, { ticketId: id, severity: after.severity }, `ticket-${id}-resolved-${after.resolvedAt?.getTime() ?? 0}`).catch((err: Error) => logger.warn({ err: err.message, ticket: id }, 'process event not queued'));
      return after;
    },

    async close(id, actor) {
      const { after } = await change(id, actor, (t, now) => {
        if (t.status === 'closed') throw new TicketError('tickets.error.done', { id, status: t.status });
        const used = policy.fold(clockState(t), now);
        return {
          kind: 'closed',
          data: { status: 'closed', closedAt: now, ...(t.resolvedAt ? {} : { resolvedAt: now }), ...used, slaAnchorAt: null, ...(t.acknowledgedAt ? {} : { acknowledgedAt: now }) },
          replan: true,
        };
      });
      await announce(after, (tr) => ({ text: tr('tickets.notice.closed', { id, name: actor.name }) }));
      return after;
    },

    async reopen(id, actor, reason) {
      const { after } = await change(id, actor, (t, now) => {
        if (!isDone(t)) throw new TicketError('tickets.error.notDone', { id });
        return {
          kind: 'reopened',
          body: reason,
          data: { status: 'in_progress', resolvedAt: null, closedAt: null, duplicateOfId: null, slaAnchorAt: now, resolutionStage: 0, resolutionBreachedAt: null },
          replan: true,
        };
      });
      await announce(after, (tr) => ({ text: tr('tickets.notice.reopened', { id, name: actor.name }) }));
      return after;
    },

    async setSeverity(id, actor, severity) {
      let from = '';
      const { before, after } = await change(id, actor, (t, now) => {
        requireOpen(t);
        if (t.severity === severity && t.severityConfirmed) throw new TicketError('tickets.error.sameSeverity', { id, severity });
        from = t.severity;
        // The time used so far counts against the new window, under the old calendar.
        const used = policy.fold(clockState(t), now);
        return {
          kind: 'severity',
          body: `${t.severity} → ${severity}`,
          eventData: { from: t.severity, to: severity },
          data: { severity, severityConfirmed: true, ...used, ...(t.slaAnchorAt ? { slaAnchorAt: now } : {}) },
          replan: true,
        };
      });
      await announce(after, (tr) => ({ text: tr('tickets.notice.severity', { id, name: actor.name, from, to: severity }) }));
      if (!before.severityConfirmed) await pageHeldBack(after);
      await severityConfirmed(after);
      return after;
    },

    async confirmSeverity(id, actor) {
      const { after } = await change(id, actor, (t) => {
        requireOpen(t);
        if (t.severityConfirmed) throw new TicketError('tickets.error.alreadyConfirmed', { id, severity: t.severity });
        return { kind: 'severity_confirmed', body: t.severity, data: { severityConfirmed: true } };
      });
      await announce(after, (tr) => ({ text: tr('tickets.notice.severityConfirmed', { id, name: actor.name, severity: after.severity }) }));
      await pageHeldBack(after);
      await severityConfirmed(after);
      return after;
    },

    async comment(id, actor, body, side, from) {
      const text = body.trim().slice(0, 10_000);
      if (!text) throw new TicketError('tickets.error.emptyComment');
      const { after } = await change(id, actor, (t, now) => {
        // The reporter answering a question restarts the clock.
        if (side === 'reporter' && t.status === 'waiting_on_reporter') {
          return { kind: 'comment', body: text, eventData: { side, resumed: true }, data: { status: 'in_progress', slaAnchorAt: now }, replan: true };
        }
        return { kind: 'comment', body: text, eventData: { side }, data: {} };
      });
      const relay = (tr: Translate): Reply => ({ text: tr('tickets.notice.comment', { id, name: actor.name, body: text }) });
      if (side === 'reporter') await announce(after, relay, { toWatchers: false });
      else if (side === 'support') await announce(after, relay, { toThread: false, skip: from ?? null });
      else await announce(after, relay);
      return after;
    },

    async joinDuplicate(id, targetId, actor) {
      if (id === targetId) throw new TicketError('tickets.error.selfDuplicate', { id });
      const target = await db.ticket.findUnique({ where: { id: targetId } });
      if (!target) throw new TicketError('tickets.error.notFound', { id: targetId });
      if (isDone(target)) throw new TicketError('tickets.error.done', { id: targetId, status: target.status });
      const { after } = await change(id, actor, (t, now) => {
        requireOpen(t);
        return {
          kind: 'duplicate',
          body: `#${targetId}`,
          eventData: { of: targetId },
          data: { status: 'closed', closedAt: now, resolvedAt: now, duplicateOfId: targetId, slaAnchorAt: null },
          replan: true,
        };
      });
      const watchers = await db.ticketWatcher.findMany({ where: { ticketId: id } });
      for (const w of watchers) {
        await db.ticketWatcher.upsert({
          where: { ticketId_platform_chatId_threadId: { ticketId: targetId, platform: w.platform, chatId: w.chatId, threadId: w.threadId } },
          create: { ticketId: targetId, platform: w.platform, chatId: w.chatId, threadId: w.threadId, workspaceId: w.workspaceId, threadKey: w.threadKey, userId: w.userId, locale: w.locale, role: 'watcher' },
          update: {},
        });
      }
      await db.ticketEvent.create({ data: { ticketId: targetId, kind: 'joined', actorUserId: actor.userId, actorName: actor.name, body: `#${id}` } });
      await announce(after, (tr) => ({ text: tr('tickets.notice.joined', { id, target: targetId, name: actor.name }) }), { toThread: true });
      await announce(target, (tr) => ({ text: tr('tickets.notice.joinedTarget', { id, target: targetId, name: actor.name }) }), { toWatchers: false });
      return after;
    },

  };
}
