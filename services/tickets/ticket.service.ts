/**
 * Tickets: intake, lifecycle, SLA timers, escalation, duplicates and figures.
 *
 * Postgres holds every ticket's state and deadlines; each change happens in one transaction
 * under a row lock, then timers are (re)planned and chat output leaves through the outbound
 * port: the triage card is edited in place (`ticket:<id>:card`), notices go in its thread, and
 * each watcher (the reporter, on whatever platform) hears about every step in their own thread.
 *
 * Timers are BullMQ delayed jobs carrying only the ticket id, one per pending stage, with ids
 * `sla-<id>-v<version>-<clock>-<stage>`; a re-plan bumps the version and removes the old ones.
 * A job only asks "is anything due for this ticket now?", and a stage is claimed in the row
 * (responseStage/resolutionStage) before its notice is sent, so a stale job, a duplicate job,
 * the periodic sweep and a restarted worker can all run without anything being sent twice.
 */
import { z } from 'zod';
import type { Db } from '../db.ts';
import { isUniqueViolation, Prisma } from '../db.ts';
import type { Ticket } from '../../generated/prisma/client.ts';
import type { Queues } from '../queues.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from '../clock.ts';
import type { OutboundPort } from '../messaging/outbound.service.ts';
import type { ConversationRef, Reply } from '../messaging/types.ts';
import { translator, type Locale, type Translate } from '../i18n/i18n.ts';
import { durationMs, isSeverity, type Destination, type EscalationStep, type Severity, type TicketsConfig } from './tickets.config.ts';
import { createSlaPolicy, stageAt, stageTimes, type ClockPlan, type SlaClock, type SlaClockState, type SlaPolicy } from './sla.service.ts';
import { triage, type TriageResult } from './triage.ts';
import { cardKey, DONE_STATUSES, formatDue, renderCard, reporterKey, type RenderCtx } from './ticket.render.ts';
import { emitProcessEvent, PROCESS_EVENTS } from '../processes/events.ts';

export const TICKETS_SLA_QUEUE = 'tickets-sla';
export const TICKETS_SWEEP_QUEUE = 'tickets-sweep';
export const slaJobSchema = z.object({ ticketId: z.number().int().positive() });
export type SlaJob = z.infer<typeof slaJobSchema>;
export const sweepJobSchema = z.object({}).passthrough();

/** A refused change; `key` is an i18n key (and the stable error code). */
export class TicketError extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(key);
    this.name = 'TicketError';
  }
}

/** Who makes a change. */
export interface Actor {
  userId: string | null;
  name: string;
}

/** The reporter of a new ticket and where they want to hear back. */
export interface ReporterInfo {
  userId?: string | null;
  name?: string;
  ref?: ConversationRef;
  locale?: Locale;
}

export interface CreateTicketInput {
  title: string;
  description?: string;
  severity?: Severity | null;
  component?: string | null;
  /** slack, telegram, terminal, api. */
  source: string;
  /** Idempotency key: a second create with the same key returns the first ticket. */
  sourceKey?: string | null;
  reporter?: ReporterInfo;
  /** A person chose or confirmed the severity (default: true when it was given). */
  severityConfirmed?: boolean;
}

export interface CreateTicketResult {
  ticket: Ticket;
  created: boolean;
  duplicate: { id: number; title: string } | null;
  triage: TriageResult | null;
}

/** List filters of the `tickets` view and the REST API. */
export interface ListFilter {
  view?: 'open' | 'mine' | 'at_risk' | 'breached' | 'all';
  userId?: string;
  severity?: Severity;
  status?: string;
  limit?: number;
}

/** SLA figures per severity over a period. */
export interface SlaStats {
  severity: Severity;
  total: number;
  open: number;
  atRisk: number;
  breachedOpen: number;
  responseMet: number;
  responseMissed: number;
  resolutionMet: number;
  resolutionMissed: number;
  /** Share of tickets that met the clock (null: none measured). */
  responseCompliance: number | null;
  resolutionCompliance: number | null;
  mttaSeconds: number | null;
  mttrSeconds: number | null;
}

export interface TicketServiceDeps {
  db: Db;
  queues: Queues;
  outbound: OutboundPort;
  clock: Clock;
  logger: Logger;
  config: TicketsConfig;
  defaultLocale: Locale;
}

export interface TicketService {
  readonly policy: SlaPolicy;
  create(input: CreateTicketInput): Promise<CreateTicketResult>;
  get(id: number): Promise<Ticket | null>;
  events(id: number): Promise<{ kind: string; actorName: string | null; body: string | null; createdAt: Date }[]>;
  list(filter: ListFilter): Promise<Ticket[]>;
  acknowledge(id: number, actor: Actor): Promise<Ticket>;
  assign(id: number, actor: Actor, assignee: Actor): Promise<Ticket>;
  start(id: number, actor: Actor): Promise<Ticket>;
  waitOnReporter(id: number, actor: Actor, question?: string): Promise<Ticket>;
  resume(id: number, actor: Actor): Promise<Ticket>;
  resolve(id: number, actor: Actor, note?: string): Promise<Ticket>;
  close(id: number, actor: Actor): Promise<Ticket>;
  reopen(id: number, actor: Actor, reason?: string): Promise<Ticket>;
  setSeverity(id: number, actor: Actor, severity: Severity): Promise<Ticket>;
  confirmSeverity(id: number, actor: Actor): Promise<Ticket>;
  /** A comment; `side` says where it came from so it is relayed to the other side. */
  comment(id: number, actor: Actor, body: string, side: 'support' | 'reporter' | 'api', from?: ConversationRef): Promise<Ticket>;
  /** Closes `id` as a duplicate of `targetId`; its watchers follow the target. */
  joinDuplicate(id: number, targetId: number, actor: Actor): Promise<Ticket>;
  /**
   * Finds the ticket whose card or reporter message a thread hangs under (`replyTo`: the
   * message a reply quotes, where the platform reports one).
   */
  ticketForThread(ref: ConversationRef, replyTo?: string): Promise<{ ticket: Ticket; side: 'support' | 'reporter' } | null>;
  /** Fires whatever SLA stage is due for a ticket (the timer processor). */
  evaluate(id: number): Promise<number>;
  /** Evaluates every ticket with an overdue check point; returns how many fired something. */
  sweep(): Promise<number>;
  stats(since: Date): Promise<SlaStats[]>;
  similar(title: string, excludeId?: number): Promise<{ id: number; title: string; score: number } | null>;
  destination(ticket: Ticket): ConversationRef | null;
}

const OPEN_WHERE = { status: { notIn: [...DONE_STATUSES] } };

function refOf(d: Destination): ConversationRef {
  return { platform: d.platform, chatId: d.chatId, ...(d.threadId ? { threadId: d.threadId } : {}) };
}

function sameChat(a: ConversationRef, b: ConversationRef): boolean {
  return a.platform === b.platform && a.chatId === b.chatId;
}

function parseRef(v: unknown): ConversationRef | null {
  if (!v || typeof v !== 'object') return null;
  const r = v as Record<string, unknown>;
  if ((r.platform !== 'slack' && r.platform !== 'telegram' && r.platform !== 'terminal') || typeof r.chatId !== 'string') return null;
  return {
    platform: r.platform,
    chatId: r.chatId,
    ...(typeof r.threadId === 'string' && r.threadId ? { threadId: r.threadId } : {}),
    ...(typeof r.workspaceId === 'string' ? { workspaceId: r.workspaceId } : {}),
  };
}

type Tx = Prisma.TransactionClient;

/** What a state change computes from the locked row. */
interface Change {
  data: Prisma.TicketUpdateInput;
  /** Event kind and text recorded with it. */
  kind: string;
  body?: string | undefined;
  eventData?: Record<string, unknown>;
  /** Clock fields changed: re-plan the timers. */
  replan?: boolean;
}

export function createTicketService(deps: TicketServiceDeps): TicketService {
  const { db, queues, outbound, clock, logger, config } = deps;
  const policy = createSlaPolicy(config);
  const destLocale: Locale = config.triage?.locale ?? deps.defaultLocale;

  function stepsFor(severity: string): EscalationStep[] {
    return isSeverity(severity) ? (config.escalation[severity] ?? []) : [];
  }

  function stepDelays(severity: string): number[] {
    const steps = stepsFor(severity);
    return steps.length ? steps.map((s) => durationMs(s.after)) : [0];
  }

  function clockState(t: Pick<Ticket, 'severity' | 'slaAnchorAt' | 'responseUsedMs' | 'resolutionUsedMs' | 'acknowledgedAt' | 'status'>): SlaClockState {
    return {
      severity: isSeverity(t.severity) ? t.severity : 'P2',
      anchorAt: t.slaAnchorAt,
      responseUsedMs: t.responseUsedMs,
      resolutionUsedMs: t.resolutionUsedMs,
      acknowledged: Boolean(t.acknowledgedAt),
      done: DONE_STATUSES.includes(t.status),
    };
  }

  function storedPlan(t: Ticket, clk: SlaClock): ClockPlan | null {
    const at = clk === 'response' ? t.responseAtRiskAt : t.resolutionAtRiskAt;
    const due = clk === 'response' ? t.responseDueAt : t.resolutionDueAt;
    if (!at || !due || DONE_STATUSES.includes(t.status) || !t.slaAnchorAt) return null;
    if (clk === 'response' && t.acknowledgedAt) return null;
    return { windowMs: 0, atRiskAt: at, dueAt: due };
  }

  function nextCheck(plans: Record<SlaClock, ClockPlan | null>, stages: Record<SlaClock, number>, severity: string): Date | null {
    let next: number | null = null;
    for (const clk of ['response', 'resolution'] as const) {
      const p = plans[clk];
      if (!p) continue;
      const times = stageTimes(p, stepDelays(severity));
      const at = times[stages[clk]];
      if (at && (next === null || at.getTime() < next)) next = at.getTime();
    }
    return next === null ? null : new Date(next);
  }

  /** Plan columns for a row whose clock fields are `merged`; stages never move forward here. */
  function planColumns(merged: Ticket, now: Date): Prisma.TicketUpdateInput {
    const plan = policy.plan(clockState(merged));
    const delays = stepDelays(merged.severity);
    const stage = (clk: SlaClock, old: number) => {
      const p = plan[clk];
      return p ? Math.min(old, stageAt(p, delays, now)) : old;
    };
    const stages = { response: stage('response', merged.responseStage), resolution: stage('resolution', merged.resolutionStage) };
    return {
      responseAtRiskAt: plan.response?.atRiskAt ?? null,
      responseDueAt: plan.response?.dueAt ?? null,
      resolutionAtRiskAt: plan.resolution?.atRiskAt ?? null,
      resolutionDueAt: plan.resolution?.dueAt ?? null,
      responseStage: stages.response,
      resolutionStage: stages.resolution,
      slaVersion: merged.slaVersion + 1,
      nextSlaCheckAt: nextCheck(plan, stages, merged.severity),
    };
  }

  function jobId(id: number, version: number, clk: SlaClock, stage: number): string {
    return `sla-${id}-v${version}-${clk}-${stage}`;
  }

  /** Replaces the delayed jobs of a ticket with those of its current plan. */
  async function schedule(t: Ticket, previousVersion: number | null): Promise<void> {
    const maxStage = 1 + Math.max(1, stepsFor(t.severity).length);
    const queue = queues.queue(TICKETS_SLA_QUEUE);
    const ops: Promise<unknown>[] = [];
    if (previousVersion !== null) {
      for (const clk of ['response', 'resolution'] as const) {
        for (let s = 1; s <= maxStage; s++) ops.push(queue.remove(jobId(t.id, previousVersion, clk, s)).catch(() => 0));
      }
    }
    const now = clock.now().getTime();
    for (const clk of ['response', 'resolution'] as const) {
      const p = storedPlan(t, clk);
      if (!p) continue;
      const times = stageTimes(p, stepDelays(t.severity));
      const current = clk === 'response' ? t.responseStage : t.resolutionStage;
      for (let s = current + 1; s <= times.length; s++) {
        const at = times[s - 1]!.getTime();
        ops.push(
          queues.add<SlaJob>(
            TICKETS_SLA_QUEUE,
            { ticketId: t.id },
            { jobId: jobId(t.id, t.slaVersion, clk, s), delay: Math.max(0, at - now), removeOnComplete: true, removeOnFail: { count: 1000 } },
          ),
        );
      }
    }
    // One round trip's worth of latency instead of one per job; every call is idempotent.
    await Promise.all(ops);
  }

  function destination(t: Ticket): ConversationRef | null {
    return config.triage ? refOf(config.triage) : parseRef(t.reporterRef);
  }

  function renderCtx(locale: Locale): RenderCtx {
    return { t: translator(locale), locale, now: clock.now(), timeZone: config.timeZone };
  }

  async function postCard(t: Ticket): Promise<void> {
    const dest = destination(t);
    if (!dest) return;
    await outbound.send({ ref: dest, reply: renderCard(renderCtx(destLocale), t), messageKey: cardKey(t.id) });
  }

  /**
   * Tells both sides about a change: the card thread (unless it came from there) and every
   * watcher conversation (unless it came from there), each in its reader's language.
   */
  async function announce(t: Ticket, build: (tr: Translate) => Reply, opts: { skip?: ConversationRef | null; toThread?: boolean; toWatchers?: boolean } = {}): Promise<void> {
    const dest = destination(t);
    const skip = opts.skip ?? null;
    if (dest && opts.toThread !== false && !(skip && sameChat(skip, dest))) {
      await outbound.send({ ref: dest, reply: build(translator(destLocale)), threadUnderKey: cardKey(t.id) });
    }
    if (opts.toWatchers === false) return;
    const watchers = await db.ticketWatcher.findMany({ where: { ticketId: t.id }, orderBy: { createdAt: 'asc' } });
    for (const w of watchers) {
      const ref: ConversationRef = {
        platform: w.platform as ConversationRef['platform'],
        chatId: w.chatId,
        ...(w.threadId ? { threadId: w.threadId } : {}),
        ...(w.workspaceId ? { workspaceId: w.workspaceId } : {}),
      };
      // The card's own chat already has it in the card thread.
      if (dest && sameChat(ref, dest)) continue;
      if (skip && sameChat(ref, skip)) continue;
      await outbound.send({
        ref,
        reply: build(translator(w.locale === 'ru' ? 'ru' : 'en')),
        ...(w.threadKey ? { threadUnderKey: w.threadKey } : {}),
      });
    }
  }

  async function lockRow(tx: Tx, id: number): Promise<Ticket> {
    await tx.$queryRaw`SELECT id FROM "Ticket" WHERE id = ${id} FOR UPDATE`;
    const t = await tx.ticket.findUnique({ where: { id } });
    if (!t) throw new TicketError('tickets.error.notFound', { id });
    return t;
  }

  /** Applies one change under a row lock, records its event, re-plans, refreshes the card. */
  async function change(id: number, actor: Actor, compute: (t: Ticket, now: Date) => Change): Promise<{ before: Ticket; after: Ticket; change: Change }> {
    const now = clock.now();
    const { before, after, ch } = await db.$transaction(async (tx) => {
      const before = await lockRow(tx, id);
      const ch = compute(before, now);
      let data = ch.data;
      if (ch.replan) {
        const merged = { ...before, ...(data as Partial<Ticket>) } as Ticket;
        data = { ...data, ...planColumns(merged, now) };
      }
      const after = await tx.ticket.update({ where: { id }, data });
      await tx.ticketEvent.create({
        data: {
          ticketId: id,
          kind: ch.kind,
          actorUserId: actor.userId,
          actorName: actor.name,
          body: ch.body ?? null,
          ...(ch.eventData ? { data: ch.eventData as object } : {}),
        },
      });
      return { before, after, ch };
    });
    if (ch.replan) await schedule(after, before.slaVersion);
    await postCard(after);
    return { before, after, change: ch };
  }

  /** P0/P1 suggested by triage page nobody until a person confirms the severity. */
  function mayPage(t: Ticket): boolean {
    return t.severityConfirmed || (t.severity !== 'P0' && t.severity !== 'P1');
  }

  /**
   * Posts the notices of stages (from, to] of one clock: in the card's thread (when `thread`)
   * and, once the ticket may page, at each step's escalation destination with its mention.
   */
  async function sendNotices(t: Ticket, clk: SlaClock, from: number, to: number, dueAt: Date, opts: { thread: boolean }): Promise<void> {
    const steps = stepsFor(t.severity);
    const paging = mayPage(t);
    const dest = destination(t);
    const now = clock.now();
    for (let s = from + 1; s <= to; s++) {
      // A breach that is already due makes its at-risk notice moot.
      if (s === 1 && to >= 2) continue;
      const step = s >= 2 ? steps[s - 2] : undefined;
      const stepTo = step?.to ? refOf(step.to) : s === 1 && steps[0]?.to ? refOf(steps[0].to) : null;
      const mention = paging && step?.mention ? `${step.mention} ` : '';
      const key = s === 1 ? 'tickets.notice.atRisk' : s === 2 ? 'tickets.notice.breached' : 'tickets.notice.escalated';
      const build = (tr: Translate): Reply => ({
        text: `${mention}${tr(key, { id: t.id, severity: t.severity, clock: tr(`tickets.clock.${clk}`), step: s - 1, title: t.title, due: formatDue(tr, dueAt, now) })}`,
        ...(paging ? {} : { context: tr('tickets.notice.unconfirmed') }),
      });
      if (dest && opts.thread) await outbound.send({ ref: dest, reply: build(translator(destLocale)), threadUnderKey: cardKey(t.id) });
      if (paging && stepTo && !(dest && sameChat(stepTo, dest) && (stepTo.threadId ?? '') === (dest.threadId ?? ''))) {
        const locale: Locale = (s >= 2 ? step?.to?.locale : steps[0]?.to?.locale) ?? deps.defaultLocale;
        await outbound.send({ ref: stepTo, reply: build(translator(locale)) });
      }
    }
  }

  /** Once a person confirms the severity, escalation steps already due and held back go out. */
  async function pageHeldBack(t: Ticket): Promise<void> {
    for (const clk of ['response', 'resolution'] as const) {
      const p = storedPlan(t, clk);
      const stage = clk === 'response' ? t.responseStage : t.resolutionStage;
      if (p && stage >= 2) await sendNotices(t, clk, 1, stage, p.dueAt, { thread: false });
    }
  }

  const isDone = (t: Ticket) => DONE_STATUSES.includes(t.status);

  function requireOpen(t: Ticket): void {
    if (isDone(t)) throw new TicketError('tickets.error.done', { id: t.id, status: t.status });
  }

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

  const service: TicketService = {
    policy,
    destination,
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

    async get(id) {
      return db.ticket.findUnique({ where: { id } });
    },

    async events(id) {
      return db.ticketEvent.findMany({ where: { ticketId: id }, orderBy: { id: 'asc' }, select: { kind: true, actorName: true, body: true, createdAt: true } });
    },

    async list(filter) {
      const now = clock.now();
      const limit = Math.min(Math.max(filter.limit ?? 20, 1), 200);
      const where: Prisma.TicketWhereInput = {};
      const view = filter.view ?? 'open';
      if (view !== 'all') Object.assign(where, OPEN_WHERE);
      if (filter.severity) where.severity = filter.severity;
      if (filter.status) where.status = filter.status;
      if (view === 'mine' && filter.userId) where.OR = [{ reporterUserId: filter.userId }, { assigneeUserId: filter.userId }];
      if (view === 'at_risk') {
        where.OR = [
          { acknowledgedAt: null, responseAtRiskAt: { lte: now }, responseDueAt: { gt: now } },
          { resolutionAtRiskAt: { lte: now }, resolutionDueAt: { gt: now } },
        ];
      }
      if (view === 'breached') {
        where.OR = [
          { acknowledgedAt: null, responseDueAt: { lte: now } },
          { resolutionDueAt: { lte: now } },
          { responseBreachedAt: { not: null } },
          { resolutionBreachedAt: { not: null } },
        ];
      }
      return db.ticket.findMany({ where, orderBy: [{ severity: 'asc' }, { id: 'asc' }], take: limit });
    },

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

    async ticketForThread(ref, replyTo) {
      // A thread id names the message it hangs under; some platforms add a topic before a '/'.
      const ids = [...new Set([ref.threadId ?? '', ref.threadId?.split('/').pop() ?? '', replyTo ?? ''])].filter(Boolean);
      if (ids.length === 0) return null;
      const link = await db.messageLink.findFirst({
        where: { platform: ref.platform, chatId: ref.chatId, platformMessageId: { in: ids }, messageKey: { startsWith: 'ticket:' } },
      });
      const m = link ? /^ticket:(\d+):(card|reporter)$/.exec(link.messageKey) : null;
      if (!m) return null;
      const ticket = await db.ticket.findUnique({ where: { id: Number(m[1]) } });
      return ticket ? { ticket, side: m[2] === 'card' ? 'support' : 'reporter' } : null;
    },

    async evaluate(id) {
      const now = clock.now();
      const fired = await db.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT id FROM "Ticket" WHERE id = ${id} FOR UPDATE`;
        const t = await tx.ticket.findUnique({ where: { id } });
        if (!t || isDone(t) || !t.slaAnchorAt) {
          if (t?.nextSlaCheckAt) await tx.ticket.update({ where: { id }, data: { nextSlaCheckAt: null } });
          return null;
        }
        const delays = stepDelays(t.severity);
        const plans = { response: storedPlan(t, 'response'), resolution: storedPlan(t, 'resolution') };
        const stages = { response: t.responseStage, resolution: t.resolutionStage };
        const out: { clock: SlaClock; from: number; to: number; dueAt: Date }[] = [];
        for (const clk of ['response', 'resolution'] as const) {
          const p = plans[clk];
          if (!p) continue;
          const target = stageAt(p, delays, now);
          if (target > stages[clk]) {
            out.push({ clock: clk, from: stages[clk], to: target, dueAt: p.dueAt });
            stages[clk] = target;
          }
        }
        const data: Prisma.TicketUpdateInput = {
          responseStage: stages.response,
          resolutionStage: stages.resolution,
          nextSlaCheckAt: nextCheck(plans, stages, t.severity),
        };
        for (const f of out) {
          if (f.to >= 2 && f.from < 2) data[f.clock === 'response' ? 'responseBreachedAt' : 'resolutionBreachedAt'] = now;
        }
        const updated = await tx.ticket.update({ where: { id }, data });
        for (const f of out) {
          for (let s = f.from + 1; s <= f.to; s++) {
            if (s === 1 && f.to >= 2) continue;
            await tx.ticketEvent.create({
              data: { ticketId: id, kind: s === 1 ? 'at_risk' : s === 2 ? 'breached' : 'escalated', body: f.clock, data: { clock: f.clock, stage: s, version: t.slaVersion } },
            });
          }
        }
        return { ticket: updated, fired: out };
      });
      if (!fired || fired.fired.length === 0) return 0;
      const t = fired.ticket;
      for (const f of fired.fired) await sendNotices(t, f.clock, f.from, f.to, f.dueAt, { thread: true });
      await postCard(t);
      await schedule(t, null);
      return fired.fired.length;
    },

    async sweep() {
      const late = new Date(clock.now().getTime() - durationMs(config.sweepGrace));
      const due = await db.ticket.findMany({
        where: { ...OPEN_WHERE, nextSlaCheckAt: { lte: late } },
        select: { id: true },
        orderBy: { nextSlaCheckAt: 'asc' },
        take: 500,
      });
      let n = 0;
      for (const { id } of due) {
        try {
          if ((await service.evaluate(id)) > 0) n++;
        } catch (err) {
          logger.error({ err, ticketId: id }, 'sla sweep failed for a ticket');
        }
      }
      return n;
    },

    async stats(since) {
      const now = clock.now();
      const rows = await db.$queryRaw<
        {
          severity: string;
          total: bigint;
          open: bigint;
          at_risk: bigint;
          breached_open: bigint;
          response_met: bigint;
          response_missed: bigint;
          resolution_met: bigint;
          resolution_missed: bigint;
          mtta: number | null;
          mttr: number | null;
        }[]
      >`
        SELECT severity,
          count(*) AS total,
          count(*) FILTER (WHERE status NOT IN ('resolved','closed')) AS open,
          count(*) FILTER (WHERE status NOT IN ('resolved','closed') AND (
            ("acknowledgedAt" IS NULL AND "responseAtRiskAt" <= ${now} AND "responseDueAt" > ${now})
            OR ("resolutionAtRiskAt" <= ${now} AND "resolutionDueAt" > ${now}))) AS at_risk,
          count(*) FILTER (WHERE status NOT IN ('resolved','closed') AND ("responseBreachedAt" IS NOT NULL OR "resolutionBreachedAt" IS NOT NULL)) AS breached_open,
          count(*) FILTER (WHERE "acknowledgedAt" IS NOT NULL AND "responseBreachedAt" IS NULL) AS response_met,
          count(*) FILTER (WHERE "responseBreachedAt" IS NOT NULL) AS response_missed,
          count(*) FILTER (WHERE "resolvedAt" IS NOT NULL AND "resolutionBreachedAt" IS NULL AND "duplicateOfId" IS NULL) AS resolution_met,
          count(*) FILTER (WHERE "resolutionBreachedAt" IS NOT NULL) AS resolution_missed,
          avg(EXTRACT(EPOCH FROM ("acknowledgedAt" - "createdAt")))::float8 AS mtta,
          avg(EXTRACT(EPOCH FROM ("resolvedAt" - "createdAt"))) FILTER (WHERE "duplicateOfId" IS NULL)::float8 AS mttr
        FROM "Ticket"
        WHERE "createdAt" >= ${since}
        GROUP BY severity`;
      const bySev = new Map(rows.map((r) => [r.severity, r]));
      return (['P0', 'P1', 'P2', 'P3'] as Severity[]).map((severity) => {
        const r = bySev.get(severity);
        const n = (v: bigint | undefined) => Number(v ?? 0n);
        const responseMet = n(r?.response_met);
        const responseMissed = n(r?.response_missed);
        const resolutionMet = n(r?.resolution_met);
        const resolutionMissed = n(r?.resolution_missed);
        return {
          severity,
          total: n(r?.total),
          open: n(r?.open),
          atRisk: n(r?.at_risk),
          breachedOpen: n(r?.breached_open),
          responseMet,
          responseMissed,
          resolutionMet,
          resolutionMissed,
          responseCompliance: responseMet + responseMissed ? responseMet / (responseMet + responseMissed) : null,
          resolutionCompliance: resolutionMet + resolutionMissed ? resolutionMet / (resolutionMet + resolutionMissed) : null,
          mttaSeconds: r?.mtta ?? null,
          mttrSeconds: r?.mttr ?? null,
        };
      });
    },
  };
  return service;
}

