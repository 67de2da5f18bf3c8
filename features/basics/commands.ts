/**
 * The basic commands every chat has: `help` (generated from the registry), `status` (the
 * database, Redis, the version and the queue depths), `whoami` (role, linked identities,
 * language), `link` (join identities on two platforms with a one-time code) and `lang`.
 */
import { z } from 'zod';
import type { CoreDeps } from '../../core/module.ts';
import { defineCommand } from '../../core/registry.ts';
import { UserError } from '../../core/errors.ts';
import { detectedLocale } from '../../core/pipeline.ts';
import { translate } from '../../services/i18n/i18n.ts';
import { ROLES } from '../../services/users/roles.ts';
import type { UsersService } from '../../services/users/users.service.ts';
import { renderHelp } from './render.ts';

/** Dependency checks shared with /readyz. */
export interface HealthProbe {
  check(): Promise<{ db: boolean; redis: boolean }>;
}

/** What the basics feature is built from: the core services, the users service and the health probe. */
export type BasicsDeps = CoreDeps & { users: UsersService; health: HealthProbe };

const everyone = ROLES;

/** Builds the command specs of the basics feature. */
export function basicsCommands(deps: BasicsDeps) {
  const { registry, users, health, queues, config } = deps;

  const help = defineCommand({
    id: 'core.help',
    aliases: { en: ['help', '?', 'start'], ru: ['помощь', 'справка', 'команды'] },
    slash: ['help'],
    summaryKey: 'core.help.summary',
    usageKey: 'core.help.usage.line',
    args: z.object({ text: z.string().default('') }),
    roles: everyone,
    async handler(ctx, args) {
      return renderHelp(registry, ctx, args.text.split(/\s+/)[0] || undefined);
    },
  });

  const status = defineCommand({
    id: 'core.status',
    aliases: { en: ['status'], ru: ['статус', 'состояние'] },
    slash: ['status'],
    summaryKey: 'core.status.summary',
    args: z.object({ text: z.string().optional() }),
    roles: everyone,
    async handler(ctx) {
      const { t } = ctx;
      const h = await health.check();
      // The depths live in Redis: with Redis down the line says they are unknown, not zero.
      let queueLine = t('core.status.queuesUnknown');
      if (h.redis) {
        const depths = await queues.depths();
        queueLine = Object.entries(depths)
          .map(([name, c]) => `${name}: ${c.waiting ?? 0}/${c.active ?? 0}/${c.delayed ?? 0}/${c.failed ?? 0}`)
          .join('\n');
      }
      const ok = (v: boolean) => (v ? t('core.status.ok') : t('core.status.down'));
      return {
        title: t('core.status.title'),
        text: t('core.status.queuesLegend'),
        fields: [
          { label: t('core.status.db'), value: ok(h.db) },
          { label: t('core.status.redis'), value: ok(h.redis) },
          { label: t('core.status.version'), value: config.version },
          { label: t('core.status.queues'), value: queueLine || '-' },
        ],
      };
    },
  });

  const whoami = defineCommand({
    id: 'core.whoami',
    aliases: { en: ['whoami'], ru: ['ктоя', 'кто-я'] },
    slash: ['whoami'],
    summaryKey: 'core.whoami.summary',
    args: z.object({ text: z.string().optional() }),
    roles: everyone,
    async handler(ctx) {
      const ids = await users.identities(ctx.user.id);
      return {
        text: ctx.t('core.whoami.text', { name: ctx.user.displayName, role: ctx.user.role }),
        fields: [
          { label: ctx.t('core.whoami.identities'), value: ids.map((i) => `${i.platform}:${i.platformUserId}`).join(', ') },
          { label: ctx.t('core.whoami.language'), value: ctx.locale },
        ],
      };
    },
  });

  const link = defineCommand({
    id: 'core.link',
    aliases: { en: ['link'], ru: ['связать', 'привязать'] },
    slash: ['link'],
    summaryKey: 'core.link.summary',
    usageKey: 'core.link.usage',
    args: z.object({ code: z.string().regex(/^\d{6}$/).optional() }),
    parse: (raw) => (raw.trim() ? { code: raw.trim() } : {}),
    roles: everyone,
    async handler(ctx, args) {
      // Without a code this side issues one; the other platform's `link <code>` redeems it.
      if (!args.code) {
        const code = await users.createLinkCode(ctx.user.id);
        return { text: ctx.t('core.link.issued', { code }), ephemeral: true };
      }
      const result = await users.redeemLinkCode(ctx.user.id, args.code);
      if (!result.ok) throw new UserError(`core.link.${result.reason}`);
      return { text: ctx.t('core.link.done') };
    },
  });

  const lang = defineCommand({
    id: 'core.lang',
    aliases: { en: ['lang', 'language'], ru: ['язык'] },
    slash: ['lang'],
    summaryKey: 'core.lang.summary',
    usageKey: 'core.lang.usage',
    args: z.object({ locale: z.enum(['en', 'ru', 'auto']) }),
    parse: (raw) => ({ locale: raw.trim().toLowerCase() || undefined }),
    roles: everyone,
    async handler(ctx, args) {
      // `auto` forgets the choice; the answer is in the language now in effect (as the next message's would be).
      await users.setLocale(ctx.user.id, args.locale === 'auto' ? null : args.locale);
      const locale = args.locale === 'auto' ? detectedLocale(ctx.event, ctx.conversation, config.file.defaultLocale) : args.locale;
      return { text: translate(locale, locale === 'ru' ? 'core.lang.setRu' : 'core.lang.setEn') };
    },
  });

  return [help, status, whoami, link, lang];
}
