/**
 * The help reply, generated from the command registry: the list of what the reader may run,
 * or one command's usage, aliases and roles.
 */
import { canonicalName, type CommandContext, type CommandRegistry } from '../../core/registry.ts';
import type { Reply } from '../../services/messaging/types.ts';

/** Help text generated from the registry, in the reader's language, listing only what they may run. */
export function renderHelp(registry: CommandRegistry, ctx: Pick<CommandContext, 't' | 'locale' | 'user'>, topic?: string): Reply {
  const { t, locale } = ctx;
  if (topic) {
    const spec = registry.byAlias(topic);
    if (!spec || spec.hidden) return { text: t('core.help.unknownTopic', { topic }) };
    const aliases = [...spec.aliases.en, ...spec.aliases.ru].join(', ');
    return {
      title: canonicalName(spec, locale),
      text: t(spec.summaryKey),
      fields: [
        ...(spec.usageKey ? [{ label: t('core.help.usage'), value: t(spec.usageKey) }] : []),
        { label: t('core.help.aliases'), value: aliases },
        { label: t('core.help.roles'), value: spec.roles.join(', ') },
      ],
    };
  }
  const lines = registry
    .visible()
    .filter((c) => c.roles.includes(ctx.user.role))
    .map((c) => `• ${c.usageKey ? t(c.usageKey) : canonicalName(c, locale)} — ${t(c.summaryKey)}`);
  return { title: t('core.help.title'), text: lines.join('\n'), context: t('core.help.footer') };
}
