/**
 * Intake: a new ticket from chat, a modal, a message shortcut or the REST API. The row, its
 * plan, its `created` event and the reporter as first watcher are written together; then the
 * SLA timers are queued, the triage card posted, a similar open ticket looked up, and the
 * processes feature told. A repeated `sourceKey` returns the first ticket.
 */
import { isUniqueViolation } from '../db.ts';
import type { Ticket } from '../../generated/prisma/client.ts';
import { translator } from '../i18n/i18n.ts';
import type { Severity } from './tickets.config.ts';
import { triage } from './triage.ts';
import { reporterKey } from './ticket.render.ts';
import { emitProcessEvent, PROCESS_EVENTS } from '../processes/events.ts';
import { TicketError, type TicketService } from './ticket-types.ts';
import type { TicketContext } from './ticket-context.ts';

/** Builds the intake half of the service: `create` and the duplicate search. */
export function createIntake(ctx: TicketContext): Pick<TicketService, 'create' | 'similar'> {
  const { db, queues, clock, logger, config } = ctx.deps;
  const deps = ctx.deps;
  const { destLocale, postCard } = ctx.notices;
  const { planColumns, schedule } = ctx.plan;

  async function similar(title: string, excludeId?: number): Promise<{ id: number; title: string; score: number } | null> {
    const rows = await db.$queryRaw<{ id: number; title: string; score: number }[]>`
      SELECT id, title, similarity(title, ${title})::float8 AS score
      FROM "Ticket"
      WHERE status NOT IN ('resolved', 'closed') AND id <> ${excludeId ?? -1}
        AND similarity(title, ${title}) >= ${config.duplicateThreshold}
      ORDER BY score DESC, id ASC
      LIMIT 1`;
    return rows[0] ?? null;
  }

  return {
    similar,

    async create(input) {
      const now = clock.now();
      const title = input.title.trim().replace(/\s+/g, ' ').slice(0, 300);
      if (!title) throw new TicketError('tickets.error.noTitle');
      const description = (input.description ?? '').trim().slice(0, 20_000);
      const suggestion = input.severity ? null : triage(title, description);
      const severity: Severity = input.severity ?? suggestion!.severity;
      const confirmed = input.severityConfirmed ?? (Boolean(input.severity) || (severity !== 'P0' && severity !== 'P1'));
      const reporterLocale = input.reporter?.locale ?? deps.defaultLocale;
      const reason = suggestion ? translator(destLocale)(suggestion.reasonKey, { words: suggestion.matched }) : null;
      if (input.sourceKey) {
        const existing = await db.ticket.findUnique({ where: { sourceKey: input.sourceKey } });
        if (existing) return { ticket: existing, created: false, duplicate: null, triage: null };
      }
      let ticket: Ticket;
      try {
        ticket = await db.$transaction(async (tx) => {
          const base = {
            title,
            description,
            component: input.component?.trim() || null,
            severity,
            severityConfirmed: confirmed,
            triageReason: reason,
            status: 'new',
            reporterUserId: input.reporter?.userId ?? null,
            reporterName: input.reporter?.name ?? null,
            source: input.source,
            sourceKey: input.sourceKey ?? null,
            ...(input.reporter?.ref ? { reporterRef: input.reporter.ref as object } : {}),
            slaAnchorAt: now,
            responseUsedMs: 0,
            resolutionUsedMs: 0,
          };
          const row = await tx.ticket.create({ data: base });
          const planned = await tx.ticket.update({ where: { id: row.id }, data: { ...planColumns(row, now), slaVersion: 1 } });
          await tx.ticketEvent.create({
            data: {
              ticketId: row.id,
              kind: 'created',
              actorUserId: input.reporter?.userId ?? null,
              actorName: input.reporter?.name ?? null,
              body: title,
              data: { severity, source: input.source, ...(suggestion ? { suggested: suggestion.severity, reason: suggestion.reasonKey } : {}) },
            },
          });
          const ref = input.reporter?.ref;
          if (ref) {
            await tx.ticketWatcher.create({
              data: {
                ticketId: row.id,
                platform: ref.platform,
                chatId: ref.chatId,
                threadId: ref.threadId ?? '',
                workspaceId: ref.workspaceId ?? null,
                threadKey: reporterKey(row.id),
                userId: input.reporter?.userId ?? null,
                locale: reporterLocale,
                role: 'reporter',
              },
            });
          }
          return planned;
        });
      } catch (err) {
        // The same intake raced with itself (a retried delivery): the first one won.
        if (input.sourceKey && isUniqueViolation(err)) {
          const existing = await db.ticket.findUnique({ where: { sourceKey: input.sourceKey } });
          if (existing) return { ticket: existing, created: false, duplicate: null, triage: null };
        }
        throw err;
      }
      await schedule(ticket, null);
      await postCard(ticket);
      const duplicate = await similar(title, ticket.id).catch((err: unknown) => {
        logger.warn({ err }, 'duplicate search failed');
        return null;
      });
      // Processes may start on new tickets (the incident process on P0); a lost event must not fail the intake.
      await emitProcessEvent(queues, PROCESS_EVENTS.ticketCreated, { ticketId: ticket.id, severity: ticket.severity, severityConfirmed: ticket.severityConfirmed, title: ticket.title, source: ticket.source }, `ticket-${ticket.id}`).catch((err: Error) => logger.warn({ err: err.message, ticket: ticket.id }, 'process event not queued'));
      return { ticket, created: true, duplicate: duplicate ? { id: duplicate.id, title: duplicate.title } : null, triage: suggestion };
    },
  };
}
