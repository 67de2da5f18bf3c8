/**
 * Slack's text conventions, undone for the core: mentions of the bot removed, message markup
 * (`<url|label>`, `<@U1>`, `&amp;`…) turned into plain text, and the `#n` suffix the renderer
 * adds to repeated button action ids taken off again.
 */

/** Button action ids are rendered with a `#n` suffix when one block repeats an id; this undoes it. */
export function decodeActionId(actionId: string): string {
  return actionId.replace(/#\d+$/, '');
}

function mentionPattern(botUserId: string | undefined): RegExp {
  // Without a known bot id, only a leading mention can be assumed to address the bot.
  return botUserId ? new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, 'g') : /^\s*<@[A-Z0-9]+(?:\|[^>]*)?>/;
}

/** Removes mentions of the bot from message text and tidies the whitespace left behind. */
export function stripBotMention(text: string, botUserId?: string): string {
  return text.replace(mentionPattern(botUserId), ' ').replace(/[ \t]{2,}/g, ' ').trim();
}

/**
 * Slack message markup -> the plain text the core works with: `&lt; &gt; &amp;` unescaped,
 * `<url|label>` -> `label (url)` (just the label when it is the url), `<#C1|name>` -> `#name`,
 * `<@U1>` -> `@U1`, `<!here>` -> `@here`, `<!subteam^S1|@team>` -> `@team`, `<!date^…|text>` -> text.
 */
export function slackTextToPlain(text: string): string {
  const plain = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const bar = inner.indexOf('|');
    const target = bar === -1 ? inner : inner.slice(0, bar);
    const label = bar === -1 ? '' : inner.slice(bar + 1);
    if (target.startsWith('@')) return `@${target.slice(1)}`;
    if (target.startsWith('#')) return `#${label || target.slice(1)}`;
    if (target.startsWith('!')) {
      const word = target.slice(1).split('^')[0] ?? '';
      if (word === 'here' || word === 'channel' || word === 'everyone') return `@${word}`;
      return label || `@${word}`;
    }
    if (!label) return target.replace(/^mailto:/, '');
    const bare = target.replace(/^(?:https?:\/\/|mailto:)/, '').replace(/\/$/, '');
    return label === target || label === bare ? label : `${label} (${target})`;
  });
  return plain.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
