/**
 * The tickets feature: `ticket`, `tickets`, `sla` commands; the card's buttons; the
 * proposal shown when free text reads like a problem report; a guided exchange for `ticket`
 * without text; thread replies that become comments; the SLA timer and sweep queues; the
 * REST routes; and the SLA gauges on /metrics.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FeatureModule } from '../../core/module.ts';
import type { Services } from '../services.ts';
import { defineCommand, type ActionSpec, type CommandContext, type HandlerResult, type IntentRule, type Middleware } from '../../core/registry.ts';
import { UserError } from '../../core/errors.ts';
import { splitCommand } from '../../core/pipeline.ts';
import { atLeast, ROLES, type Role } from '../../services/users/roles.ts';
import type { Reply } from '../../services/messaging/types.ts';
import { durationMs, isSeverity, SEVERITIES, type Severity } from '../../services/tickets/tickets.config.ts';
import {
  slaJobSchema,
  sweepJobSchema,
  TicketError,
  TICKETS_SLA_QUEUE,
  TICKETS_SWEEP_QUEUE,
  type Actor,
  type TicketService,
} from '../../services/tickets/ticket.service.ts';
import { PROBLEM_REPORT_PATTERNS, triage } from '../../services/tickets/triage.ts';
import {
  formatDuration,
  renderCreated,
  renderDetails,
  renderList,
  reporterKey,
  severityButtons,
  severityLabel,
  TICKET_ACTIONS,
  type RenderCtx,
} from '../../services/tickets/ticket.render.ts';
import { registerTicketMetrics } from '../../services/tickets/ticket.metrics.ts';
import { ticketRoutes } from './routes.ts';

const everyone = ROLES;
const severityEnum = z.enum(SEVERITIES);
const ticketId = z.number().int().positive();

const OPS = ['ack', 'start', 'assign', 'wait', 'resume', 'resolve', 'close', 'reopen', 'severity', 'confirm', 'comment'] as const;
type Op = (typeof OPS)[number];

/** Words (English and Russian) for each operation after `ticket`. */
const OP_WORDS: Record<string, Op> = {
  ack: 'ack', acknowledge: 'ack', принять: 'ack', принял: 'ack',
  start: 'start', take: 'start', взять: 'start', 'в_работу': 'start',
  assign: 'assign', назначить: 'assign',
  wait: 'wait', ask: 'wait', ждать: 'wait', спросить: 'wait',
  resume: 'resume', продолжить: 'resume',
  resolve: 'resolve', resolved: 'resolve', fix: 'resolve', решено: 'resolve', решить: 'resolve', решен: 'resolve',
  close: 'close', закрыть: 'close',
  reopen: 'reopen', переоткрыть: 'reopen',
  severity: 'severity', sev: 'severity', priority: 'severity', приоритет: 'severity', важность: 'severity',
  confirm: 'confirm', подтвердить: 'confirm',
  comment: 'comment', note: 'comment', комментарий: 'comment', коммент: 'comment',
};

/** Arguments of `ticket` (also the LLM tool schema). */
export const ticketArgsSchema = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('create'),
    title: z.string().trim().min(3).max(300),
    severity: severityEnum.optional(),
    description: z.string().max(20_000).optional(),
    component: z.string().max(100).optional(),
  }),
  z.object({ op: z.literal('guided') }),
  z.object({ op: z.literal('show'), id: ticketId }),
  z.object({ op: z.enum(OPS), id: ticketId, severity: severityEnum.optional(), text: z.string().max(10_000).optional() }),
]);
export type TicketArgs = z.infer<typeof ticketArgsSchema>;

/** Reads `ticket ...` text: `P1 title | description`, `12`, `resolve 12 note`, or nothing. */
export function parseTicketText(raw: string): unknown {
  const text = raw.trim();
  if (!text) return { op: 'guided' };
  const show = /^#?(\d+)$/.exec(text);
  if (show) return { op: 'show', id: Number(show[1]) };
  const m = /^(\S+)\s+#?(\d+)\b\s*([\s\S]*)$/.exec(text);
  const op = m ? OP_WORDS[m[1]!.toLowerCase()] : undefined;
  if (m && op) {
    const rest = m[3]!.trim();
    if (op === 'severity') {
      const sev = rest.split(/\s+/)[0]?.toUpperCase();
      return { op, id: Number(m[2]), ...(sev ? { severity: sev } : {}) };
    }
    return { op, id: Number(m[2]), ...(rest ? { text: rest } : {}) };
  }
  const sev = /^(p[0-3])\b[\s:,-]*([\s\S]*)$/i.exec(text);
  const body = sev ? sev[2]!.trim() : text;
  // "title | description" or "title\ndescription".
  const split = /^([^|\n]+)[|\n]([\s\S]*)$/.exec(body);
  const title = (split ? split[1]! : body).trim();
  const description = split ? split[2]!.trim() : '';
  return { op: 'create', title, ...(sev ? { severity: sev[1]!.toUpperCase() } : {}), ...(description ? { description } : {}) };
}

/** Title for free text: its first sentence or line, at most 120 characters. */
export function titleFromText(text: string): string {
  const first = text.trim().split(/\n|(?<=[.!?])\s/)[0] ?? text;
  const t = first.trim();
  return t.length > 120 ? `${t.slice(0, 117)}…` : t;
}

interface Proposal {
  id: string;
  userId: string;
  title: string;
  description: string;
  severity: Severity;
  reason: string;
  step: 'title' | 'severity' | 'proposal';
}

/** Builds the tickets feature module. */
export function createTicketsModule(deps: Services): FeatureModule {
  const cfg = deps.config.file.tickets;
  const handlers: readonly Role[] = atLeast(cfg.handlerRole);
  const service: TicketService = deps.tickets;
  registerTicketMetrics(deps.metrics.registry, service, deps.clock);
  const redis = deps.queues.producer;
  const PROPOSAL_TTL_S = 3600;
  const proposalKey = (id: string) => `${deps.queues.prefix}:tickets:proposal:${id}`;
  const draftKey = (ctx: CommandContext) => `${deps.queues.prefix}:tickets:draft:${ctx.event.platform}:${ctx.event.ref.chatId}:${ctx.user.id}`;

  const actor = (ctx: CommandContext): Actor => ({ userId: ctx.user.id, name: ctx.user.displayName });
  const rctx = (ctx: CommandContext): RenderCtx => ({ t: ctx.t, locale: ctx.locale, now: deps.clock.now(), timeZone: cfg.timeZone });
  const isHandler = (ctx: CommandContext) => handlers.includes(ctx.user.role);

  /** Runs a service call, turning its refusals into the user's language. */
  async function call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof TicketError) throw new UserError(err.key, err.params);
      throw err;
    }
  }

  function requireHandler(ctx: CommandContext): void {
    if (!isHandler(ctx)) throw new UserError('tickets.error.handlersOnly', { role: cfg.handlerRole });
  }

  async function requireHandlerOrReporter(ctx: CommandContext, id: number): Promise<void> {
    if (isHandler(ctx)) return;
    const t = await service.get(id);
    if (!t) throw new UserError('tickets.error.notFound', { id });
    if (t.reporterUserId !== ctx.user.id) throw new UserError('tickets.error.handlersOnly', { role: cfg.handlerRole });
  }

  async function createFromChat(ctx: CommandContext, input: { title: string; description?: string; severity?: Severity; component?: string; confirmed?: boolean }, sourceKey: string): Promise<HandlerResult> {
    const res = await call(() =>
      service.create({
        title: input.title,
        description: input.description ?? '',
        severity: input.severity ?? null,
        component: input.component ?? null,
        source: ctx.event.platform,
        sourceKey,
        reporter: { userId: ctx.user.id, name: ctx.user.displayName, ref: ctx.replyRef, locale: ctx.locale },
        ...(input.confirmed !== undefined ? { severityConfirmed: input.confirmed } : {}),
      }),
    );
    if (!res.created) return { text: ctx.t('tickets.created.already', { id: res.ticket.id }) };
    await ctx.reply(renderCreated(rctx(ctx), res.ticket, res.duplicate), { messageKey: reporterKey(res.ticket.id) });
    return undefined;
  }

  async function runOp(ctx: CommandContext, args: Extract<TicketArgs, { id: number }>): Promise<HandlerResult> {
    const a = actor(ctx);
    const { id } = args;
    const t = ctx.t;
    switch (args.op) {
      case 'show': {
        const ticket = await service.get(id);
        if (!ticket) throw new UserError('tickets.error.notFound', { id });
        return renderDetails(rctx(ctx), ticket, await service.events(id));
      }
      case 'ack':
        requireHandler(ctx);
        await call(() => service.acknowledge(id, a));
        return { text: t('tickets.done.ack', { id }) };
      case 'start':
        requireHandler(ctx);
        await call(() => service.start(id, a));
        return { text: t('tickets.done.start', { id }) };
      case 'assign':
        requireHandler(ctx);
        await call(() => service.assign(id, a, a));
        return { text: t('tickets.done.assign', { id, name: a.name }) };
      case 'wait':
        requireHandler(ctx);
        await call(() => service.waitOnReporter(id, a, args.text));
        return { text: t('tickets.done.wait', { id }) };
      case 'resume':
        await requireHandlerOrReporter(ctx, id);
        await call(() => service.resume(id, a));
        return { text: t('tickets.done.resume', { id }) };
      case 'resolve':
        requireHandler(ctx);
        await call(() => service.resolve(id, a, args.text));
        return { text: t('tickets.done.resolve', { id }) };
      case 'close':
        await requireHandlerOrReporter(ctx, id);
        await call(() => service.close(id, a));
        return { text: t('tickets.done.close', { id }) };
      case 'reopen':
        await requireHandlerOrReporter(ctx, id);
        await call(() => service.reopen(id, a, args.text));
        return { text: t('tickets.done.reopen', { id }) };
      case 'severity':
        requireHandler(ctx);
        if (!args.severity) return { text: t('tickets.severity.pick', { id }), buttons: severityButtons(t, TICKET_ACTIONS.setSeverity, String(id)) };
        await call(() => service.setSeverity(id, a, args.severity!));
        return { text: t('tickets.done.severity', { id, severity: args.severity }) };
      case 'confirm':
        requireHandler(ctx);
        await call(() => service.confirmSeverity(id, a));
        return { text: t('tickets.done.confirm', { id }) };
      case 'comment': {
        if (!args.text) throw new UserError('tickets.error.emptyComment');
        const ticket = await service.get(id);
        if (!ticket) throw new UserError('tickets.error.notFound', { id });
        const side = ticket.reporterUserId === ctx.user.id ? 'reporter' : 'support';
        if (side === 'support') requireHandler(ctx);
        await call(() => service.comment(id, a, args.text!, side, ctx.event.ref));
        return { text: t('tickets.done.comment', { id }) };
      }
    }
  }

  // --- proposals and the guided exchange (short-lived, in Redis with a TTL) -----------------

  async function saveProposal(p: Proposal, key = proposalKey(p.id)): Promise<void> {
    await redis.set(key, JSON.stringify(p), 'EX', PROPOSAL_TTL_S);
  }

  async function loadProposal(ctx: CommandContext, key: string): Promise<Proposal> {
    const raw = await redis.get(key);
    if (!raw) throw new UserError('tickets.proposal.expired');
    const p = JSON.parse(raw) as Proposal;
    if (p.userId !== ctx.user.id) throw new UserError('tickets.proposal.notYours');
    return p;
  }

  function renderProposal(ctx: CommandContext, p: Proposal): Reply {
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

  function newProposal(ctx: CommandContext, text: string): Proposal {
    const title = titleFromText(text);
    const tr = triage(title, text);
    return {
      id: randomUUID(),
      userId: ctx.user.id,
      title,
      description: text.trim() === title ? '' : text.trim(),
      severity: tr.severity,
      reason: ctx.t(tr.reasonKey, { words: tr.matched }),
      step: 'proposal',
    };
  }

  const proposalMessageKey = (id: string) => `ticket-proposal:${id}`;

  // --- commands ---------------------------------------------------------------------------

  const ticket = defineCommand({
    id: 'ticket.create',
    aliases: { en: ['ticket', 'issue'], ru: ['тикет', 'заявка', 'обращение'] },
    slash: ['ticket'],
    summaryKey: 'tickets.cmd.ticket.summary',
    usageKey: 'tickets.cmd.ticket.usage',
    args: ticketArgsSchema,
    parse: (raw) => parseTicketText(raw),
    roles: everyone,
    mutates: true,
    async handler(ctx, args) {
      if (args.op === 'create') {
        return createFromChat(ctx, { title: args.title, ...(args.description ? { description: args.description } : {}), ...(args.severity ? { severity: args.severity } : {}), ...(args.component ? { component: args.component } : {}) }, `${ctx.event.platform}:${ctx.event.eventId}`);
      }
      if (args.op === 'guided') {
        const p: Proposal = { id: randomUUID(), userId: ctx.user.id, title: '', description: '', severity: 'P2', reason: '', step: 'title' };
        await saveProposal(p, draftKey(ctx));
        return { text: ctx.t('tickets.guided.askTitle') };
      }
      return runOp(ctx, args);
    },
  });

  const list = defineCommand({
    id: 'ticket.list',
    aliases: { en: ['tickets'], ru: ['тикеты', 'заявки'] },
    slash: ['tickets'],
    summaryKey: 'tickets.cmd.tickets.summary',
    usageKey: 'tickets.cmd.tickets.usage',
    args: z.object({ view: z.enum(['open', 'mine', 'at_risk', 'breached', 'all']).default('open') }),
    parse: (raw) => {
      const w = raw.trim().toLowerCase().replace(/[\s-]+/g, '_');
      const map: Record<string, string> = { '': 'open', open: 'open', открытые: 'open', mine: 'mine', my: 'mine', мои: 'mine', at_risk: 'at_risk', risk: 'at_risk', под_угрозой: 'at_risk', риск: 'at_risk', breached: 'breached', overdue: 'breached', просрочены: 'breached', просроченные: 'breached', all: 'all', все: 'all' };
      return { view: map[w] ?? w };
    },
    roles: everyone,
    async handler(ctx, args) {
      const rows = await service.list({ view: args.view, userId: ctx.user.id });
      return renderList(rctx(ctx), ctx.t(`tickets.list.${args.view}`), rows);
    },
  });

  const sla = defineCommand({
    id: 'ticket.sla',
    aliases: { en: ['sla'], ru: ['сла'] },
    slash: ['sla'],
    summaryKey: 'tickets.cmd.sla.summary',
    usageKey: 'tickets.cmd.sla.usage',
    args: z.object({ days: z.number().int().min(1).max(365).default(30) }),
    parse: (raw) => (raw.trim() ? { days: Number(raw.trim().replace(/d$/i, '')) } : {}),
    roles: everyone,
    async handler(ctx, args) {
      const t = ctx.t;
      const since = new Date(deps.clock.now().getTime() - args.days * 86_400_000);
      const stats = await service.stats(since);
      const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);
      const dur = (v: number | null) => (v === null ? '—' : formatDuration(v * 1000));
      return {
        title: t('tickets.sla.title', { days: args.days }),
        text: t('tickets.sla.legend'),
        fields: stats.map((s) => ({
          label: `${s.severity} (${s.total})`,
          value: t('tickets.sla.row', {
            response: pct(s.responseCompliance),
            resolution: pct(s.resolutionCompliance),
            mtta: dur(s.mttaSeconds),
            mttr: dur(s.mttrSeconds),
            open: s.open,
            atRisk: s.atRisk,
            breached: s.breachedOpen,
          }),
        })),
      };
    },
  });

  const propose = defineCommand({
    id: 'ticket.propose',
    aliases: { en: ['ticket-propose'], ru: [] },
    summaryKey: 'tickets.cmd.propose.summary',
    args: z.object({ text: z.string().trim().min(3).max(20_000) }),
    roles: everyone,
    hidden: true,
    async handler(ctx, args) {
      const p = newProposal(ctx, args.text);
      await saveProposal(p);
      await ctx.reply(renderProposal(ctx, p), { messageKey: proposalMessageKey(p.id) });
      return undefined;
    },
  });

  // --- buttons ----------------------------------------------------------------------------

  const idOf = (value: string): number => {
    const n = Number(value.split(':')[0]);
    if (!Number.isInteger(n) || n <= 0) throw new UserError('tickets.error.badButton');
    return n;
  };
  const op = (opName: Op | 'show') => async (ctx: CommandContext, value: string) => runOp(ctx, { op: opName, id: idOf(value) } as Extract<TicketArgs, { id: number }>);

  const actions: ActionSpec[] = [
    { id: TICKET_ACTIONS.ack, roles: handlers, handler: op('ack') },
    { id: TICKET_ACTIONS.assignMe, roles: handlers, handler: op('assign') },
    { id: TICKET_ACTIONS.confirmSeverity, roles: handlers, handler: op('confirm') },
    { id: TICKET_ACTIONS.resolve, roles: handlers, handler: op('resolve') },
    { id: TICKET_ACTIONS.reopen, roles: everyone, handler: op('reopen') },
    { id: TICKET_ACTIONS.close, roles: everyone, handler: op('close') },
    {
      id: TICKET_ACTIONS.severityMenu,
      roles: handlers,
      async handler(ctx, value) {
        const id = idOf(value);
        return { text: ctx.t('tickets.severity.pick', { id }), buttons: severityButtons(ctx.t, TICKET_ACTIONS.setSeverity, String(id)), ephemeral: true };
      },
    },
    {
      id: TICKET_ACTIONS.setSeverity,
      roles: handlers,
      async handler(ctx, value) {
        const [id, sev] = value.split(':');
        if (!isSeverity(sev)) throw new UserError('tickets.error.badButton');
        return runOp(ctx, { op: 'severity', id: idOf(id ?? ''), severity: sev });
      },
    },
    {
      id: TICKET_ACTIONS.join,
      roles: everyone,
      async handler(ctx, value) {
        const [from, to] = value.split(':').map(Number);
        if (!from || !to) throw new UserError('tickets.error.badButton');
        await requireHandlerOrReporter(ctx, from);
        await call(() => service.joinDuplicate(from, to, actor(ctx)));
        return { text: ctx.t('tickets.done.join', { id: from, target: to }) };
      },
    },
    {
      id: TICKET_ACTIONS.proposalConfirm,
      roles: everyone,
      async handler(ctx, value) {
        const p = await loadProposal(ctx, proposalKey(value));
        // The person who wrote the report saw the suggested severity and confirmed it.
        const result = await createFromChat(ctx, { title: p.title, description: p.description, severity: p.severity, confirmed: true }, `proposal:${p.id}`);
        await redis.del(proposalKey(value));
        await ctx.reply({ text: ctx.t('tickets.proposal.accepted', { title: p.title }) }, { messageKey: proposalMessageKey(p.id) });
        return result;
      },
    },
    {
      id: TICKET_ACTIONS.proposalChange,
      roles: everyone,
      async handler(ctx, value) {
        const p = await loadProposal(ctx, proposalKey(value));
        return { text: ctx.t('tickets.proposal.pick'), buttons: severityButtons(ctx.t, TICKET_ACTIONS.proposalSeverity, p.id) };
      },
    },
    {
      id: TICKET_ACTIONS.proposalSeverity,
      roles: everyone,
      async handler(ctx, value) {
        const [pid, sev] = value.split(':');
        if (!pid || !isSeverity(sev)) throw new UserError('tickets.error.badButton');
        const p = await loadProposal(ctx, proposalKey(pid));
        const next = { ...p, severity: sev, reason: ctx.t('tickets.proposal.chosen') };
        await saveProposal(next);
        await ctx.reply(renderProposal(ctx, next), { messageKey: proposalMessageKey(p.id) });
        return undefined;
      },
    },
    {
      id: TICKET_ACTIONS.proposalCancel,
      roles: everyone,
      async handler(ctx, value) {
        await loadProposal(ctx, proposalKey(value));
        await redis.del(proposalKey(value));
        await ctx.reply({ text: ctx.t('tickets.proposal.cancelled') }, { messageKey: proposalMessageKey(value) });
        return undefined;
      },
    },
    {
      id: TICKET_ACTIONS.draftSeverity,
      roles: everyone,
      async handler(ctx, value) {
        const [pid, choice] = value.split(':');
        const p = await loadProposal(ctx, draftKey(ctx));
        if (p.id !== pid || p.step !== 'severity') throw new UserError('tickets.proposal.expired');
        await redis.del(draftKey(ctx));
        return createFromChat(ctx, { title: p.title, ...(isSeverity(choice) ? { severity: choice } : {}) }, `draft:${p.id}`);
      },
    },
    {
      // A modal's submission (Slack view_submission): {title, description, severity, component}.
      id: TICKET_ACTIONS.modalSubmit,
      roles: everyone,
      async handler(ctx, value) {
        const form = z
          .object({ title: z.string().trim().min(3).max(300), description: z.string().max(20_000).nullish(), severity: z.string().nullish(), component: z.string().max(100).nullish() })
          .safeParse(JSON.parse(value || '{}'));
        if (!form.success) throw new UserError('tickets.error.form', { field: String(form.error.issues[0]?.path[0] ?? 'title') });
        const sev = form.data.severity?.toUpperCase();
        return createFromChat(
          ctx,
          { title: form.data.title, ...(form.data.description ? { description: form.data.description } : {}), ...(isSeverity(sev) ? { severity: sev } : {}), ...(form.data.component ? { component: form.data.component } : {}) },
          `${ctx.event.platform}:${ctx.event.eventId}`,
        );
      },
    },
    {
      // "Create ticket from message": the message and its permalink become the description.
      id: TICKET_ACTIONS.fromMessage,
      roles: everyone,
      async handler(ctx, value) {
        const msg = z.object({ text: z.string().default(''), permalink: z.string().optional() }).passthrough().safeParse(JSON.parse(value || '{}'));
        const text = msg.success ? msg.data.text.trim() : '';
        if (!text) throw new UserError('tickets.error.emptyMessage');
        const description = msg.success && msg.data.permalink ? `${text}\n\n${msg.data.permalink}` : text;
        return createFromChat(ctx, { title: titleFromText(text), description }, `${ctx.event.platform}:${ctx.event.eventId}`);
      },
    },
  ];

  // --- free text: a proposal when it reads like a problem report ---------------------------

  const intents: IntentRule[] = [{ commandId: 'ticket.propose', patterns: PROBLEM_REPORT_PATTERNS, toArgs: (text) => ({ text }), weight: 0.6 }];

  // --- middleware: guided exchange answers and thread replies as comments ------------------

  function looksLikeCommand(ctx: CommandContext, text: string): boolean {
    if (/^\s*[/!]/.test(text)) return true;
    const { word } = splitCommand(text);
    return Boolean(ctx.event.type === 'message' && ctx.event.addressed && word && deps.registry.byAlias(word));
  }

  const middleware: Middleware = async (ctx, next) => {
    const e = ctx.event;
    if (e.type !== 'message' || e.command || !e.text.trim() || looksLikeCommand(ctx, e.text)) return next();
    const draftRaw = await redis.get(draftKey(ctx));
    if (draftRaw) {
      const p = JSON.parse(draftRaw) as Proposal;
      if (p.userId === ctx.user.id && p.step === 'title') {
        const title = titleFromText(e.text);
        const next2: Proposal = { ...p, title, description: e.text.trim() === title ? '' : e.text.trim(), step: 'severity' };
        await saveProposal(next2, draftKey(ctx));
        const tr = triage(title, e.text);
        await ctx.reply({
          text: ctx.t('tickets.guided.askSeverity', { severity: tr.severity, reason: ctx.t(tr.reasonKey, { words: tr.matched }) }),
          buttons: [...severityButtons(ctx.t, TICKET_ACTIONS.draftSeverity, p.id), { actionId: TICKET_ACTIONS.draftSeverity, label: ctx.t('tickets.button.suggest'), value: `${p.id}:auto` }],
        });
        return;
      }
    }
    // Adapters that know which message a reply quotes report it as platformData.replyToMessageId.
    const replyTo = e.platformData?.replyToMessageId;
    const found = await service.ticketForThread(e.ref, typeof replyTo === 'string' || typeof replyTo === 'number' ? String(replyTo) : undefined);
    if (!found) return next();
    await call(() => service.comment(found.ticket.id, actor(ctx), e.text, found.side, e.ref));
  };

  // --- queues -----------------------------------------------------------------------------

  const sweepMs = durationMs(cfg.sweepEvery);

  return {
    name: 'tickets',
    commands: [ticket, list, sla, propose],
    actions,
    intents,
    middleware: [middleware],
    queues: [
      {
        name: TICKETS_SLA_QUEUE,
        schema: slaJobSchema,
        concurrency: 10,
        defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 500 } },
        /** Fires the due SLA stage of one ticket (at risk, breached, escalation step); idempotent. */
        processor: async (job) => service.evaluate(job.data.ticketId),
      },
      {
        name: TICKETS_SWEEP_QUEUE,
        schema: sweepJobSchema,
        concurrency: 1,
        defaultJobOptions: { attempts: 1, removeOnComplete: true, removeOnFail: { count: 100 } },
        /** Catches any SLA stage a lost or late timer job missed. */
        processor: async () => service.sweep(),
      },
    ],
    routes: deps.config.env.A2D2_API_TOKEN ? ticketRoutes({ service, token: deps.config.env.A2D2_API_TOKEN, audit: deps.audit }) : undefined,
    async start(role) {
      if (role === 'http') return;
      await deps.queues.queue(TICKETS_SWEEP_QUEUE).upsertJobScheduler('tickets-sla-sweep', { every: sweepMs }, { name: 'sweep', data: {} });
    },
  };
}
