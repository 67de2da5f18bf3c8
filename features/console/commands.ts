/**
 * `console` (ru `консоль`): answers the person with a one-time sign-in link to the web
 * console, only to them where the platform can (Slack ephemeral; the link previews are off
 * on both platforms, so no preview fetch uses it up).
 */
import { z } from 'zod';
import { defineCommand } from '../../core/registry.ts';
import { ROLES } from '../../services/users/roles.ts';
import type { LoginTokens } from './login-tokens.ts';

/** Builds the command specs of the console feature. */
export function consoleCommands(tokens: LoginTokens, publicUrl: string) {
  const base = publicUrl.replace(/\/+$/, '');
  const signIn = defineCommand({
    id: 'console.link',
    aliases: { en: ['console'], ru: ['консоль'] },
    slash: ['console'],
    summaryKey: 'console.cmd.summary',
    usageKey: 'console.cmd.usage',
    args: z.object({}).passthrough(),
    roles: ROLES,
    async handler(ctx) {
      const token = await tokens.issue(ctx.user.id, ctx.locale);
      const url = `${base}/console/login?token=${token}`;
      return { text: ctx.t('console.link.issued', { url }), links: [{ label: ctx.t('console.link.label'), url }], ephemeral: true };
    },
  });
  return [signIn];
}
