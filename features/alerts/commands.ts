/**
 * The alerts feature's chat commands: `alerts` (firing groups), `deploys` (recent
 * deployments by environment), `silences` (in force, ours and Alertmanager's), `subscribe` and `unsubscribe` (route
 * matching alerts to the chat or thread the command was said in).
 */
import { z } from 'zod';
import type { Services } from '../services.ts';
import { defineCommand, type CommandSpec } from '../../core/registry.ts';
import { UserError } from '../../core/errors.ts';
import { ROLES, atLeast } from '../../services/users/roles.ts';
import { isUniqueViolation } from '../../services/db.ts';
import { fmtTime } from '../../services/alerts/alert-render.ts';
import { matcherKey, parseMatchers } from '../../services/alerts/alert-routing.ts';
import { matcherText } from '../../services/alerts/alertmanager-silences.ts';
import type { ConversationRef, InboundEvent, Reply } from '../../services/messaging/types.ts';
import type { Translate } from '../../services/i18n/i18n.ts';

const operators = atLeast('operator');
const freeText = z.object({ text: z.string().optional() });
const matchersText = z.object({ text: z.string().max(500).default('') });

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

function listCommand({ alerts }: Services) {
  return defineCommand({
    id: 'alerts.list',
    aliases: { en: ['alerts'], ru: ['алерты'] },
    slash: ['alerts'],
    summaryKey: 'alerts.list.summary',
    usageKey: 'alerts.list.usage',
    args: freeText,
    roles: ROLES,
    async handler(ctx, args) {
      // In a chat that receives alerts, show that chat's; `alerts all` (or a chat with none) shows every one.
      const all = /^(all|все)$/i.test((args.text ?? '').trim());
      const here = all ? [] : await alerts.active(30, { platform: ctx.event.ref.platform, chatId: ctx.event.ref.chatId });
      const rows = here.length > 0 ? here : await alerts.active(30);
      const line = (g: (typeof rows)[number]) =>
        ctx.t('alerts.list.line', {
          severity: g.severity,
          title: g.title,
          service: g.service ? ` (${g.service})` : '',
          count: g.fireCount,
          last: fmtTime(g.lastSeenAt),
          ack: g.ackBy ? ctx.t('alerts.list.acked', { who: g.ackBy }) : '',
        });
      return listReply(ctx.t, rows, { empty: 'alerts.list.empty', title: 'alerts.list.title' }, (rows) => rows.map(line).join('\n'));
    },
  });
}

function deploysCommand({ deploys }: Services) {
  return defineCommand({
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
}

function silencesCommand({ alerts }: Services) {
  return defineCommand({
    id: 'alerts.silences',
    aliases: { en: ['silences'], ru: ['заглушки'] },
    slash: ['silences'],
    summaryKey: 'alerts.silences.summary',
    args: freeText,
    roles: ROLES,
    async handler(ctx) {
      const [ours, theirs] = await Promise.all([alerts.activeSilences(), alerts.alertmanagerSilences()]);
      const lines = [
        ...ours.map((s) =>
          ctx.t('alerts.silences.line', {
            what: s.groupId ? s.reason || s.groupId : matcherKey(s.matchers as Record<string, string>),
            until: fmtTime(s.endsAt),
            who: s.createdBy,
          }),
        ),
        // Silences made in Alertmanager itself (alerts.alertmanagerUrl), in its own matcher syntax.
        ...theirs.map((s) =>
          ctx.t('alerts.silences.amLine', { what: s.matchers.map(matcherText).join(', '), until: fmtTime(new Date(s.endsAt)), who: s.createdBy || '?' }),
        ),
      ];
      return listReply(ctx.t, lines, { empty: 'alerts.silences.empty', title: 'alerts.silences.title' }, (rows) => rows.join('\n'));
    },
  });
}

function subscribeCommand({ db }: Services) {
  return defineCommand({
    id: 'alerts.subscribe',
    aliases: { en: ['subscribe'], ru: ['подписаться'] },
    summaryKey: 'alerts.subscribe.summary',
    usageKey: 'alerts.subscribe.usage',
    args: matchersText,
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
}

function unsubscribeCommand({ db }: Services) {
  return defineCommand({
    id: 'alerts.unsubscribe',
    aliases: { en: ['unsubscribe'], ru: ['отписаться'] },
    summaryKey: 'alerts.unsubscribe.summary',
    usageKey: 'alerts.unsubscribe.usage',
    args: matchersText,
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
}

/** The alerts feature's commands over the container's alerts and deploys services. */
export function alertCommands(deps: Services): CommandSpec<any>[] {
  return [listCommand(deps), deploysCommand(deps), silencesCommand(deps), subscribeCommand(deps), unsubscribeCommand(deps)];
}
