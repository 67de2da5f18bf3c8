/**
 * The bot token scopes the Slack adapter uses, with what each is for (docs/operations.md
 * lists the same). `a2d2 doctor` compares them with the scopes Slack reports for the token.
 */
export const SLACK_BOT_SCOPES: readonly { scope: string; for: string }[] = [
  { scope: 'chat:write', for: 'posting and editing replies, cards and notices' },
  { scope: 'commands', for: 'the /a2d2 slash commands and the message shortcut' },
  { scope: 'app_mentions:read', for: 'app_mention events in channels' },
  { scope: 'im:history', for: 'direct messages, and finding a post whose worker died there' },
  { scope: 'channels:history', for: 'messages in public channels, and the lost-post lookup there' },
  { scope: 'groups:history', for: 'messages in private channels, and the lost-post lookup there' },
  { scope: 'files:read', for: 'reading files shared with the bot (documents)' },
  { scope: 'files:write', for: 'sharing charts as files (the sla report)' },
];

/** The scope names alone. */
export const slackBotScopes = (): string[] => SLACK_BOT_SCOPES.map((s) => s.scope);
