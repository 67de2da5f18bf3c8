/**
 * The alerts feature module: webhooks (bot/http/alerts.route.ts), the notify and health check
 * queues, commands (alerts, deploys, silences, subscribe, unsubscribe) and the card buttons
 * (Acknowledge, Silence 1h/4h/24h, Resolve, Open ticket).
 */
import { z } from 'zod';
import type { FeatureModule } from '../../core/module.ts';
import type { Services } from '../services.ts';
import { defineCommand, type ActionSpec } from '../../core/registry.ts';
import { UserError } from '../../core/errors.ts';
import { ROLES, atLeast } from '../../services/users/roles.ts';
import { isUniqueViolation } from '../../services/db.ts';
import { ALERTS_QUEUE, alertJobSchema, type AlertJob, type TicketOpener } from '../../services/alerts/alert.service.ts';
import { ALERT_ACTIONS, fmtTime } from '../../services/alerts/alert-render.ts';
import { matcherKey, parseMatchers } from '../../services/alerts/alert-routing.ts';
import type { ConversationRef, InboundEvent, Reply } from '../../services/messaging/types.ts';
import type { Translate } from '../../services/i18n/i18n.ts';
import { registerAlertRoutes } from './routes.ts';
import { SEVERITIES, type Severity } from '../../services/tickets/tickets.config.ts';

const operators = atLeast('operator');

/** A list view: the `empty` message when there are no rows, else `title` over the rows as `render` writes them. */
function listReply<T>(t: Translate, rows: T[], keys: { empty: string; title: string }, render: (rows: T[]) => string): Reply {
  if (rows.length === 0) return { text: t(keys.empty) };
  return { title: t(keys.title), text: render(rows) };
}

/**
 * The chat (or forum topic / existing thread) a subscribe command was said in. A top-level
 * message that opens a thread under itself (threadId = its own id) subscribes the whole chat.
 */
export function subscriptionRef(event: InboundEvent): ConversationRef {
  const { threadId, ...chat } = event.ref;
  return threadId && threadId !== event.messageId ? { ...chat, threadId } : chat;
}

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

/** Builds the alerts module; "Open ticket" goes through the container's tickets service. */
export function createAlertsModule(deps: Services): FeatureModule {
  const { db, logger, config } = deps;
  const { alerts, deploys, healthChecks: health } = deps;

  const list = defineCommand({
    id: 'alerts.list',
    aliases: { en: ['alerts'], ru: ['алерты'] },
    slash: ['alerts'],
    summaryKey: 'alerts.list.summary',
    usageKey: 'alerts.list.usage',
    args: z.object({ text: z.string().optional() }),
    roles: ROLES,
    async handler(ctx, args) {
      // In a chat that receives alerts, show that chat's; `alerts all` (or a chat with none) shows every one.
      const all = /^(all|все)$/i.test((args.text ?? '').trim());
      const here = all ? [] : await alerts.active(30, { platform: ctx.event.ref.platform, chatId: ctx.event.ref.chatId });
      const rows = here.length > 0 ? here : await alerts.active(30);
      return listReply(ctx.t, rows, { empty: 'alerts.list.empty', title: 'alerts.list.title' }, (rows) =>
        rows
          .map((g) =>
            ctx.t('alerts.list.line', {
              severity: g.severity,
              title: g.title,
              service: g.service ? ` (${g.service})` : '',
              count: g.fireCount,
              last: fmtTime(g.lastSeenAt),
              ack: g.ackBy ? ctx.t('alerts.list.acked', { who: g.ackBy }) : '',
            }),
          )
          .join('\n'),
      );
    },
  });

  const deployList = defineCommand({
    id: 'alerts.deploys',
    aliases: { en: ['deploys', 'deployments'], ru: ['деплои'] },
    slash: ['deploys'],
    summaryKey: 'alerts.deploys.summary',
    usageKey: 'alerts.deploys.usage',
    args: z.object({ text: z.string().max(100).default('') }),
    roles: ROLES,
    async handler(ctx, args) {
      const env = args.text.trim().split(/\s+/)[0] || undefined;
      return listReply(ctx.t, await deploys.recent(env), { empty: 'alerts.deploys.empty', title: 'alerts.deploys.title' }, (rows) => {
        // One block per environment, its deployments indented under it.
        const byEnv = new Map<string, string[]>();
        for (const d of rows) {
          const line = ctx.t('alerts.deploys.line', {
            service: d.service,
            version: d.version,
            status: ctx.t(`alerts.deploy.state.${d.status}`),
            at: fmtTime(d.updatedAt),
            actor: d.actor ? ` · ${d.actor}` : '',
          });
          byEnv.set(d.environment, [...(byEnv.get(d.environment) ?? []), line]);
        }
        return [...byEnv.entries()].map(([e, lines]) => `${e}:\n${lines.map((l) => `  ${l}`).join('\n')}`).join('\n');
      });
    },
  });

  const silences = defineCommand({
    id: 'alerts.silences',
    aliases: { en: ['silences'], ru: ['заглушки'] },
    slash: ['silences'],
    summaryKey: 'alerts.silences.summary',
    args: z.object({ text: z.string().optional() }),
    roles: ROLES,
    async handler(ctx) {
      return listReply(ctx.t, await alerts.activeSilences(), { empty: 'alerts.silences.empty', title: 'alerts.silences.title' }, (rows) =>
        rows
          .map((s) =>
            ctx.t('alerts.silences.line', {
              what: s.groupId ? s.reason || s.groupId : matcherKey(s.matchers as Record<string, string>),
              until: fmtTime(s.endsAt),
              who: s.createdBy,
            }),
          )
          .join('\n'),
      );
    },
  });

  const subscribe = defineCommand({
    id: 'alerts.subscribe',
    aliases: { en: ['subscribe'], ru: ['подписаться'] },
    summaryKey: 'alerts.subscribe.summary',
    usageKey: 'alerts.subscribe.usage',
    args: z.object({ text: z.string().max(500).default('') }),
    roles: operators,
    mutates: true,
    async handler(ctx, args) {
      const matchers = parseMatchers(args.text);
      if (!matchers) throw new UserError('alerts.subscribe.bad');
      const key = matcherKey(matchers);
      const shown = key || ctx.t('alerts.subscribe.all');
      const ref = subscriptionRef(ctx.event);
      try {
        await db.alertSubscription.create({
          data: { platform: ref.platform, chatId: ref.chatId, threadId: ref.threadId ?? '', matchers, matchKey: key, createdBy: ctx.user.id },
        });
      } catch (err) {
        if (isUniqueViolation(err)) return { text: ctx.t('alerts.subscribe.exists', { matchers: shown }) };
        throw err;
      }
      return { text: ctx.t('alerts.subscribe.done', { matchers: shown }) };
    },
  });

  const unsubscribe = defineCommand({
    id: 'alerts.unsubscribe',
    aliases: { en: ['unsubscribe'], ru: ['отписаться'] },
    summaryKey: 'alerts.unsubscribe.summary',
    usageKey: 'alerts.unsubscribe.usage',
    args: z.object({ text: z.string().max(500).default('') }),
    roles: operators,
    mutates: true,
    async handler(ctx, args) {
      const matchers = parseMatchers(args.text);
      if (!matchers) throw new UserError('alerts.subscribe.bad');
      const ref = subscriptionRef(ctx.event);
      const key = matcherKey(matchers);
      const { count } = await db.alertSubscription.deleteMany({
        where: { platform: ref.platform, chatId: ref.chatId, threadId: ref.threadId ?? '', ...(key ? { matchKey: key } : {}) },
      });
      return { text: count ? ctx.t('alerts.unsubscribe.done', { count }) : ctx.t('alerts.unsubscribe.none') };
    },
  });

  const actions: ActionSpec[] = [
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
  ];
  const tickets = ticketOpener(deps);
  if (tickets) {
    actions.push({
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
    });
  }

  return {
    name: 'alerts',
    commands: [list, deployList, silences, subscribe, unsubscribe],
    actions,
    queues: [
      {
        name: ALERTS_QUEUE,
        schema: alertJobSchema,
        // Each job holds a pooled connection for a moment; more than the pool only queues on it.
        concurrency: 8,
        processor: async (job) => alerts.process(job.data as AlertJob),
      },
      health.queueDef(),
    ],
    routes: (app) =>
      registerAlertRoutes(app, {
        db,
        logger,
        alerts,
        deploys,
        secrets: {
          alertmanagerToken: config.env.ALERTMANAGER_TOKEN,
          githubSecret: config.env.GITHUB_WEBHOOK_SECRET,
          apiToken: config.env.A2D2_API_TOKEN,
        },
      }),
    async start(role) {
      if (role === 'all' || role === 'worker') await health.schedule();
    },
  };
}
