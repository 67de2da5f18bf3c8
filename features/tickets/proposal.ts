/**
 * Two short exchanges that end in a ticket, both kept in Redis with a TTL (an hour) rather
 * than in Postgres, since an unanswered one may simply expire:
 * - the proposal: free text that reads like a problem report gets a card with the title, the
 *   suggested severity and why; Create, Change severity and Cancel act on it;
 * - the guided exchange: `ticket` without text asks for a title, then a severity (or "suggest").
 * Only the person who started an exchange can answer it.
 */
import { randomUUID } from 'node:crypto';
import type { CommandContext, HandlerResult } from '../../core/registry.ts';
import { UserError } from '../../core/errors.ts';
import type { Reply } from '../../services/messaging/types.ts';
import { isSeverity, type Severity } from '../../services/tickets/tickets.config.ts';
import { triage } from '../../services/tickets/triage.ts';
import { isBlank } from '../../services/text/sanitize.ts';
import { severityButtons, severityLabel, TICKET_ACTIONS } from '../../services/tickets/ticket.render.ts';
import { titleFromText } from './parse.ts';
import type { TicketsContext } from './context.ts';

/** A proposal or a guided exchange in progress. */
export interface Proposal {
  id: string;
  userId: string;
  title: string;
  description: string;
  severity: Severity;
  reason: string;
  step: 'title' | 'severity' | 'proposal';
}

const PROPOSAL_TTL_S = 3600;

/** The logical message of a proposal card, edited as the proposal changes. */
export const proposalMessageKey = (id: string) => `ticket-proposal:${id}`;

/** The exchanges, bound to the feature's shared helpers. */
export type Proposals = ReturnType<typeof createProposals>;

/** Builds the proposal and guided-exchange handlers. */
export function createProposals(tc: TicketsContext) {
  const { deps, createFromChat } = tc;
  const redis = deps.queues.producer;
  const proposalKey = (id: string) => `${deps.queues.prefix}:tickets:proposal:${id}`;
  const draftKey = (ctx: CommandContext) => `${deps.queues.prefix}:tickets:draft:${ctx.event.platform}:${ctx.event.ref.chatId}:${ctx.user.id}`;

  async function save(p: Proposal, key = proposalKey(p.id)): Promise<void> {
    await redis.set(key, JSON.stringify(p), 'EX', PROPOSAL_TTL_S);
  }

  async function load(ctx: CommandContext, key: string): Promise<Proposal> {
    const raw = await redis.get(key);
    if (!raw) throw new UserError('tickets.proposal.expired');
    const p = JSON.parse(raw) as Proposal;
    if (p.userId !== ctx.user.id) throw new UserError('tickets.proposal.notYours');
    return p;
  }

  function render(ctx: CommandContext, p: Proposal): Reply {
    const t = ctx.t;
    return {
      title: t('tickets.proposal.title'),
      text: p.title,
      fields: [
        { label: t('tickets.field.severity'), value: severityLabel(t, p.severity) },
        { label: t('tickets.field.why'), value: p.reason },
      ],
      buttons: [
        { actionId: TICKET_ACTIONS.proposalConfirm, label: t('tickets.button.create'), value: p.id, style: 'primary' },
        { actionId: TICKET_ACTIONS.proposalChange, label: t('tickets.button.changeSeverity'), value: p.id },
        { actionId: TICKET_ACTIONS.proposalCancel, label: t('tickets.button.cancel'), value: p.id },
      ],
    };
  }

  /** Free text that reads like a problem report: posts a proposal card. */
  async function propose(ctx: CommandContext, text: string): Promise<HandlerResult> {
    const title = titleFromText(text);
    if (isBlank(title)) throw new UserError('tickets.error.blankTitle');
    const tr = triage(title, text);
    const p: Proposal = {
      id: randomUUID(),
      userId: ctx.user.id,
      title,
      description: text.trim() === title ? '' : text.trim(),
      severity: tr.severity,
      reason: ctx.t(tr.reasonKey, { words: tr.matched }),
      step: 'proposal',
    };
    await save(p);
    await ctx.reply(render(ctx, p), { messageKey: proposalMessageKey(p.id) });
    return undefined;
  }

  /** Create: the person who wrote the report saw the suggested severity and confirmed it. */
  async function confirm(ctx: CommandContext, value: string): Promise<HandlerResult> {
    const p = await load(ctx, proposalKey(value));
    const result = await createFromChat(ctx, { title: p.title, description: p.description, severity: p.severity, confirmed: true }, `proposal:${p.id}`);
    await redis.del(proposalKey(value));
    await ctx.reply({ text: ctx.t('tickets.proposal.accepted', { title: p.title }) }, { messageKey: proposalMessageKey(p.id) });
    return result;
  }

  /** Change severity: offers the severities. */
  async function offerSeverities(ctx: CommandContext, value: string): Promise<HandlerResult> {
    const p = await load(ctx, proposalKey(value));
    return { text: ctx.t('tickets.proposal.pick'), buttons: severityButtons(ctx.t, TICKET_ACTIONS.proposalSeverity, p.id) };
  }

  /** A severity picked for a proposal (`<proposal id>:<severity>`): the card shows it. */
  async function pickSeverity(ctx: CommandContext, value: string): Promise<HandlerResult> {
    const [pid, sev] = value.split(':');
    if (!pid || !isSeverity(sev)) throw new UserError('tickets.error.badButton');
    const p = await load(ctx, proposalKey(pid));
    const next = { ...p, severity: sev, reason: ctx.t('tickets.proposal.chosen') };
    await save(next);
    await ctx.reply(render(ctx, next), { messageKey: proposalMessageKey(p.id) });
    return undefined;
  }

  async function cancel(ctx: CommandContext, value: string): Promise<HandlerResult> {
    await load(ctx, proposalKey(value));
    await redis.del(proposalKey(value));
    await ctx.reply({ text: ctx.t('tickets.proposal.cancelled') }, { messageKey: proposalMessageKey(value) });
    return undefined;
  }

  /** `ticket` without text: the exchange starts by asking for a title. */
  async function startGuided(ctx: CommandContext): Promise<HandlerResult> {
    const p: Proposal = { id: randomUUID(), userId: ctx.user.id, title: '', description: '', severity: 'P2', reason: '', step: 'title' };
    await save(p, draftKey(ctx));
    return { text: ctx.t('tickets.guided.askTitle') };
  }

  /** A message that answers the title question; false when no exchange waits for one. */
  async function answerTitle(ctx: CommandContext, text: string): Promise<boolean> {
    const raw = await redis.get(draftKey(ctx));
    if (!raw) return false;
    const p = JSON.parse(raw) as Proposal;
    if (p.userId !== ctx.user.id || p.step !== 'title') return false;
    const title = titleFromText(text);
    if (isBlank(title)) {
      // The question stands: the next message is read as the title again.
      await ctx.reply({ text: ctx.t('tickets.error.blankTitle') });
      return true;
    }
    await save({ ...p, title, description: text.trim() === title ? '' : text.trim(), step: 'severity' }, draftKey(ctx));
    const tr = triage(title, text);
    await ctx.reply({
      text: ctx.t('tickets.guided.askSeverity', { severity: tr.severity, reason: ctx.t(tr.reasonKey, { words: tr.matched }) }),
      buttons: [...severityButtons(ctx.t, TICKET_ACTIONS.draftSeverity, p.id), { actionId: TICKET_ACTIONS.draftSeverity, label: ctx.t('tickets.button.suggest'), value: `${p.id}:auto` }],
    });
    return true;
  }

  /** The severity answer (`<draft id>:<severity or auto>`): the ticket is created. */
  async function answerSeverity(ctx: CommandContext, value: string): Promise<HandlerResult> {
    const [pid, choice] = value.split(':');
    const p = await load(ctx, draftKey(ctx));
    if (p.id !== pid || p.step !== 'severity') throw new UserError('tickets.proposal.expired');
    await redis.del(draftKey(ctx));
    return createFromChat(ctx, { title: p.title, ...(isSeverity(choice) ? { severity: choice } : {}) }, `draft:${p.id}`);
  }

  return { propose, confirm, offerSeverities, pickSeverity, cancel, startGuided, answerTitle, answerSeverity };
}
