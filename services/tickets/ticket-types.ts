/**
 * The tickets service's vocabulary: its queues and job payloads, the refusal it throws, the
 * inputs and results of its calls, and the {@link TicketService} contract itself. The parts
 * that implement it (intake, transitions, queries, SLA timers) all speak these types.
 */
import { z } from 'zod';
import type { Db } from '../db.ts';
import type { Ticket } from '../../generated/prisma/client.ts';
import type { Queues } from '../queues.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from '../clock.ts';
import type { OutboundPort } from '../messaging/outbound.service.ts';
import type { ConversationRef } from '../messaging/types.ts';
import type { Locale } from '../i18n/i18n.ts';
import type { Severity, TicketsConfig } from './tickets.config.ts';
import type { SlaPolicy } from './sla.service.ts';
import type { TriageResult } from './triage.ts';

export const TICKETS_SLA_QUEUE = 'tickets-sla';
export const TICKETS_SWEEP_QUEUE = 'tickets-sweep';
export const slaJobSchema = z.object({ ticketId: z.number().int().positive() });
export type SlaJob = z.infer<typeof slaJobSchema>;
/** A sweep run: the periodic one has no fields; the one after a Redis loss runs without grace and queues the timers ahead again. */
export const sweepJobSchema = z.object({ graceMs: z.number().int().min(0).optional(), reschedule: z.boolean().optional() }).passthrough();

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
/** The columns of a ticket a list shows: id, title, severity, state, assignee and the SLA clocks. */
export const TICKET_ROW_COLUMNS = {
  id: true,
  title: true,
  severity: true,
  status: true,
  assigneeName: true,
  acknowledgedAt: true,
  responseAtRiskAt: true,
  responseDueAt: true,
  resolutionAtRiskAt: true,
  resolutionDueAt: true,
  responseBreachedAt: true,
  resolutionBreachedAt: true,
} as const;
export type TicketRow = Pick<Ticket, keyof typeof TICKET_ROW_COLUMNS>;

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

/** The figures of the tickets opened in one week (Monday, tickets' time zone) of one severity. */
export interface WeeklySla {
  /** Monday of the week, YYYY-MM-DD. */
  weekStart: string;
  severity: Severity;
  responseMet: number;
  responseMissed: number;
  resolutionMet: number;
  resolutionMissed: number;
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
  /** The same list in the same order, only the columns a list shows (the console's tickets page). */
  listRows(filter: ListFilter): Promise<TicketRow[]>;
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
  sweep(opts?: { graceMs?: number; reschedule?: boolean }): Promise<number>;
  stats(since: Date): Promise<SlaStats[]>;
  /** The figures per week and severity of the tickets opened since `since` (weeks with tickets only). */
  weekly(since: Date): Promise<WeeklySla[]>;
  similar(title: string, excludeId?: number): Promise<{ id: number; title: string; score: number } | null>;
  destination(ticket: Ticket): ConversationRef | null;
}
