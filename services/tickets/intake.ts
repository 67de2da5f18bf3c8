/**
 * Intake: a new ticket from chat, a modal, a message shortcut or the REST API.
 *
 * The row (with its SLA plan), its `created` event and the reporter as first watcher are
 * written by one statement, so they exist together or not at all and cost one round trip. A
 * repeated `sourceKey` inserts nothing and returns the first ticket. Then, side by side: the
 * SLA timers are queued, the triage card is stored and queued, a similar open ticket is looked
 * up, and the processes feature is told.
 */
import type { Ticket } from '../../generated/prisma/client.ts';
import { translator } from '../i18n/i18n.ts';
import type { Severity } from './tickets.config.ts';
import { triage, type TriageResult } from './triage.ts';
import { cardKey, DONE_STATUSES } from './ticket.render.ts';

const isDoneStatus = (status: string) => DONE_STATUSES.includes(status);
import { emitProcessEvent, PROCESS_EVENTS } from '../processes/events.ts';
import { TicketError, type CreateTicketInput, type CreateTicketResult, type TicketService } from './ticket-types.ts';
import type { TicketContext } from './ticket-context.ts';

/** The columns of a new row, as jsonb_populate_record reads them. */
type NewRow = Omit<Ticket, 'id' | 'assigneeUserId' | 'assigneeName' | 'duplicateOfId' | 'responseBreachedAt' | 'resolutionBreachedAt' | 'resolvedAt' | 'closedAt'>;

/** Builds the intake half of the service: `create` and the duplicate search. */
export function createIntake(ctx: TicketContext): Pick<TicketService, 'create' | 'similar'> {
  const { db, queues, clock, logger, config, defaultLocale } = ctx.deps;
  const { destLocale, postCard } = ctx.notices;
  const { planColumns, schedule } = ctx.plan;

  /**
   * The most similar open ticket at or above the duplicate threshold: the nearest open title by
   * trigram distance (`<->` is 1 - similarity), which the partial GiST index on open titles
   * answers by reading a few entries, however many open tickets have alike titles (migration
   * 20261216090000): 8.5 ms instead of 267 ms among 16,000 open tickets with alike titles.
   * Ties go to the older ticket.
   */
  async function similar(title: string, excludeId?: number): Promise<{ id: number; title: string; score: number } | null> {
    const rows = await db.$queryRaw<{ id: number; title: string; score: number }[]>`
      SELECT id, title, similarity(title, ${title})::float8 AS score
      FROM "Ticket"
      WHERE status NOT IN ('resolved', 'closed') AND id <> ${excludeId ?? -1}
      ORDER BY title <-> ${title}
      LIMIT 5`;
    // A second sort key would stop the index from giving the order, so ties are settled here.
    const best = rows.reduce<(typeof rows)[number] | null>((b, r) => (!b || r.score > b.score || (r.score === b.score && r.id < b.id) ? r : b), null);
    return best && best.score >= config.duplicateThreshold ? best : null;
  }

  /** The new row, its plan included: a fresh ticket has used no time and fired no stage. */
  function newRow(input: CreateTicketInput, title: string, suggestion: TriageResult | null, now: Date): NewRow {
    const severity: Severity = input.severity ?? suggestion!.severity;
    const base = {
      title,
      description: (input.description ?? '').trim().slice(0, 20_000),
      component: input.component?.trim() || null,
      severity,
      severityConfirmed: input.severityConfirmed ?? (Boolean(input.severity) || (severity !== 'P0' && severity !== 'P1')),
      triageReason: suggestion ? translator(destLocale)(suggestion.reasonKey, { words: suggestion.matched }) : null,
      status: 'new',
      reporterUserId: input.reporter?.userId ?? null,
      reporterName: input.reporter?.name ?? null,
      source: input.source,
      sourceKey: input.sourceKey ?? null,
      reporterRef: input.reporter?.ref ? (input.reporter.ref as object) : null,
      slaAnchorAt: now,
      responseUsedMs: 0,
      resolutionUsedMs: 0,
      acknowledgedAt: null,
      responseStage: 0,
      resolutionStage: 0,
      slaVersion: 0,
    };
    const plan = planColumns(base, now) as Pick<NewRow, 'responseAtRiskAt' | 'responseDueAt' | 'resolutionAtRiskAt' | 'resolutionDueAt' | 'nextSlaCheckAt'>;
    // Prisma stamps createdAt and updatedAt from this process's clock; so does this statement.
    const stamp = new Date();
    return { ...base, ...plan, responseStage: 0, resolutionStage: 0, slaVersion: 1, createdAt: stamp, updatedAt: stamp };
  }

  /** Inserts row, event and watcher in one statement; null when the sourceKey already exists. */
  async function insert(input: CreateTicketInput, row: NewRow, suggestion: TriageResult | null): Promise<Ticket | null> {
    const ref = input.reporter?.ref ?? null;
    const eventData = { severity: row.severity, source: input.source, ...(suggestion ? { suggested: suggestion.severity, reason: suggestion.reasonKey } : {}) };
    const watcher = ref
      ? { platform: ref.platform, chatId: ref.chatId, threadId: ref.threadId ?? '', workspaceId: ref.workspaceId ?? null, userId: input.reporter?.userId ?? null, locale: input.reporter?.locale ?? defaultLocale }
      : null;
    const [ticket] = await db.$queryRaw<Ticket[]>`
      WITH input AS (
        SELECT * FROM jsonb_populate_record(NULL::"Ticket", ${JSON.stringify(row)}::jsonb)
      ), t AS (
        INSERT INTO "Ticket" (title, description, component, severity, "severityConfirmed", "triageReason", status,
          "reporterUserId", "reporterName", source, "sourceKey", "reporterRef", "slaAnchorAt", "responseUsedMs", "resolutionUsedMs",
          "responseAtRiskAt", "responseDueAt", "resolutionAtRiskAt", "resolutionDueAt", "responseStage", "resolutionStage",
          "slaVersion", "nextSlaCheckAt", "acknowledgedAt", "createdAt", "updatedAt")
        SELECT title, description, component, severity, "severityConfirmed", "triageReason", status,
          "reporterUserId", "reporterName", source, "sourceKey", "reporterRef", "slaAnchorAt", "responseUsedMs", "resolutionUsedMs",
          "responseAtRiskAt", "responseDueAt", "resolutionAtRiskAt", "resolutionDueAt", "responseStage", "resolutionStage",
          "slaVersion", "nextSlaCheckAt", "acknowledgedAt", "createdAt", "updatedAt"
        FROM input
        ON CONFLICT ("sourceKey") DO NOTHING
        RETURNING *
      ), e AS (
        INSERT INTO "TicketEvent" ("ticketId", kind, "actorUserId", "actorName", body, data, "createdAt")
        SELECT t.id, 'created', t."reporterUserId", t."reporterName", t.title, ${JSON.stringify(eventData)}::jsonb, t."createdAt" FROM t
      ), w AS (
        -- threadKey is reporterKey(id): 'ticket:<id>:reporter'.
        INSERT INTO "TicketWatcher" (id, "ticketId", platform, "chatId", "threadId", "workspaceId", "threadKey", "userId", locale, role, "createdAt")
        SELECT gen_random_uuid(), t.id, x.platform, x."chatId", x."threadId", x."workspaceId", 'ticket:' || t.id || ':reporter', x."userId", x.locale, 'reporter', t."createdAt"
        FROM t, jsonb_to_record(${JSON.stringify(watcher ?? {})}::jsonb) AS x(platform text, "chatId" text, "threadId" text, "workspaceId" text, "userId" uuid, locale text)
        WHERE x.platform IS NOT NULL
      )
      SELECT * FROM t`;
    return ticket ?? null;
  }

  /**
   * A repeated intake may be the retry of one whose worker died after the row was written and
   * before its after-effects were: queue them again. Each is idempotent (the timer and the
   * process event by job id); the card is stored only when the ticket has none yet, so a
   * second Confirm press does not post it again.
   */
  async function resumeAfterEffects(t: Ticket): Promise<void> {
    if (isDoneStatus(t.status)) return;
    const card = await db.outboundMessage.findFirst({ where: { messageKey: cardKey(t.id) }, select: { id: true } });
    await Promise.all([
      schedule(t, null),
      card ? null : postCard(t),
      announceCreated(t),
    ]);
  }

  /** Tells the processes feature (the incident process starts on P0); a lost event must not fail the intake. */
  function announceCreated(t: Ticket): Promise<void> {
    return emitProcessEvent(queues, PROCESS_EVENTS.ticketCreated, { ticketId: t.id, severity: t.severity, severityConfirmed: t.severityConfirmed, title: t.title, source: t.source }, `ticket-${t.id}`).catch((err: Error) =>
      logger.warn({ err: err.message, ticket: t.id }, 'process event not queued'),
    );
  }

  async function create(input: CreateTicketInput): Promise<CreateTicketResult> {
    const title = input.title.trim().replace(/\s+/g, ' ').slice(0, 300);
    if (!title) throw new TicketError('tickets.error.noTitle');
    const suggestion = input.severity ? null : triage(title, (input.description ?? '').trim().slice(0, 20_000));
    const ticket = await insert(input, newRow(input, title, suggestion, clock.now()), suggestion);
    if (!ticket) {
      // The same intake again (a retried request or delivery): the first one won.
      const existing = await db.ticket.findUnique({ where: { sourceKey: input.sourceKey! } });
      if (!existing) throw new Error(`ticket with source key ${input.sourceKey} vanished`);
      await resumeAfterEffects(existing);
      return { ticket: existing, created: false, duplicate: null, triage: null };
    }
    // Independent of each other, so they wait together; the sweep recovers a lost timer.
    const [duplicate] = await Promise.all([
      similar(title, ticket.id).catch((err: unknown) => {
        logger.warn({ err }, 'duplicate search failed');
        return null;
      }),
      schedule(ticket, null),
      postCard(ticket),
      announceCreated(ticket),
    ]);
    return { ticket, created: true, duplicate: duplicate ? { id: duplicate.id, title: duplicate.title } : null, triage: suggestion };
  }

  return { similar, create };
}
