/**
 * What a ticket says to chats: the triage card, edited in place under `ticket:<id>:card`;
 * notices in the card's thread; every watcher (the reporter, on whatever platform) in their
 * own thread and language; and the SLA stage notices with their escalation mentions.
 */
import type { Db } from '../db.ts';
import type { Ticket } from '../../generated/prisma/client.ts';
import type { Clock } from '../clock.ts';
import type { OutboundPort } from '../messaging/outbound.service.ts';
import type { ConversationRef, OutboundPriority, Reply } from '../messaging/types.ts';
import { translator, type Locale, type Translate } from '../i18n/i18n.ts';
import type { Destination, TicketsConfig } from './tickets.config.ts';
import type { SlaClock } from './sla.service.ts';
import { cardKey, formatDue, renderCard, type RenderCtx } from './ticket.render.ts';
import type { SlaPlanner } from './sla-plan.ts';

/** What the notices need. */
export interface NoticesDeps {
  db: Db;
  clock: Clock;
  outbound: OutboundPort;
  config: TicketsConfig;
  defaultLocale: Locale;
  plan: SlaPlanner;
}

/** Options of {@link Notices.announce}. */
export interface AnnounceOptions {
  /** The conversation the change came from: it already knows. */
  skip?: ConversationRef | null;
  toThread?: boolean;
  toWatchers?: boolean;
}

/** The notices, bound to one configuration. */
export type Notices = ReturnType<typeof createNotices>;

/** The chat destination of a configured triage channel. */
export function refOf(d: Destination): ConversationRef {
  return { platform: d.platform, chatId: d.chatId, ...(d.threadId ? { threadId: d.threadId } : {}) };
}

/** True when both refs name the same chat (threads aside). */
export function sameChat(a: ConversationRef, b: ConversationRef): boolean {
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

/** Builds the notices of the tickets service. */
export function createNotices(deps: NoticesDeps) {
  const { db, clock, outbound, config, plan } = deps;
  const { stepsFor, storedPlan } = plan;
  const destLocale: Locale = config.triage?.locale ?? deps.defaultLocale;

  function destination(t: Ticket): ConversationRef | null {
    return config.triage ? refOf(config.triage) : parseRef(t.reporterRef);
  }

  function renderCtx(locale: Locale): RenderCtx {
    return { t: translator(locale), locale, now: clock.now(), timeZone: config.timeZone };
  }

  async function postCard(t: Ticket): Promise<void> {
    const dest = destination(t);
    if (!dest) return;
    await outbound.send({ ref: dest, reply: renderCard(renderCtx(destLocale), t), messageKey: cardKey(t.id), priority: priorityOf(t) });
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


  /** P0/P1 cards and their notices overtake the chat's other queued messages. */
  function priorityOf(t: Ticket): OutboundPriority {
    return t.severity === 'P0' || t.severity === 'P1' ? 'urgent' : 'normal';
  }

  /**
   * Breach and escalation notices overtake everything routine queued for their chat (cards,
   * card edits, thread chatter) whatever the severity: Slack paces a channel at about one
   * message a second, and a notice behind a backlog of card edits is a notice that comes late.
   * An at-risk notice keeps the ticket's own priority.
   */
  function noticePriority(t: Ticket, stage: number): OutboundPriority {
    return stage >= 2 ? 'urgent' : priorityOf(t);
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
      if (dest && opts.thread) await outbound.send({ ref: dest, reply: build(translator(destLocale)), threadUnderKey: cardKey(t.id), priority: noticePriority(t, s) });
      if (paging && stepTo && !(dest && sameChat(stepTo, dest) && (stepTo.threadId ?? '') === (dest.threadId ?? ''))) {
        const locale: Locale = (s >= 2 ? step?.to?.locale : steps[0]?.to?.locale) ?? deps.defaultLocale;
        // A burst of breaches into one escalation channel goes out as digests, not one per second.
        await outbound.send({ ref: stepTo, reply: build(translator(locale)), priority: noticePriority(t, s), digest: 'sla-notices' });
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

  return { destLocale, destination, renderCtx, postCard, announce, sendNotices, pageHeldBack };
}
