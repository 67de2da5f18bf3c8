/**
 * The Telegram adapter (telegraf). Two ways in, one path through:
 * - webhook mode (TELEGRAM_WEBHOOK_SECRET set, or TELEGRAM_MODE=webhook): our own Fastify route
 *   verifies the secret, lets Fastify parse the body, and hands the update to telegraf's
 *   `handleUpdate`;
 * - long polling (TELEGRAM_MODE=polling, or no secret: local use): telegraf's polling loop calls
 *   the same `handleUpdate`.
 * Either way the bot's single middleware normalizes the update and ingests it (the queue and the
 * pipeline de-duplicate by update_id); callback queries are answered right away so the
 * client's spinner stops. Outbound goes through the module's sender.
 */
import { Telegraf } from 'telegraf';
import { ConfigError } from '../../../services/config.ts';
import { normalizeLocale, translate } from '../../../services/i18n/i18n.ts';
import type { InboundEvent } from '../../../services/messaging/types.ts';
import type { CoreDeps, FeatureModule, Role } from '../../../core/module.ts';
import { createCallbackCodec, redisCallbackStore, type CallbackCodec } from './telegram-callback-data.ts';
import { telegramErrorInfo, wrapTelegram, type TelegramClient, DEFAULT_TELEGRAM_API_ROOT } from './telegram-client.ts';
import { buildTelegramMenu, type TelegramMenu } from './telegram-menu.ts';
import { normalizeTelegramUpdate, type TelegramBotIdentity } from './telegram-normalize.ts';
import { createTelegramSender } from './telegram.sender.ts';
import { createTelegramFileFetcher } from './telegram-files.ts';
import { telegramWebhookRoute, TELEGRAM_WEBHOOK_PATH, type TelegramUpdateOutcome } from './telegram-webhook.route.ts';

/** Update types the bot asks Telegram for. */
export const TELEGRAM_ALLOWED_UPDATES = ['message', 'callback_query'] as const;

/** How updates arrive. */
export type TelegramMode = 'webhook' | 'polling';

/** Picks the mode from the environment; throws ConfigError when webhook mode lacks its secret. */
export function resolveTelegramMode(env: { TELEGRAM_MODE?: TelegramMode | undefined; TELEGRAM_WEBHOOK_SECRET?: string | undefined }): TelegramMode {
  const mode = env.TELEGRAM_MODE ?? (env.TELEGRAM_WEBHOOK_SECRET ? 'webhook' : 'polling');
  if (mode === 'webhook' && !env.TELEGRAM_WEBHOOK_SECRET) {
    throw new ConfigError('TELEGRAM_WEBHOOK_SECRET', translate('en', 'startup.telegramWebhookSecret'));
  }
  return mode;
}

type Outcome = { outcome: TelegramUpdateOutcome } | { error: unknown };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Builds the Telegram module, or returns null (after one log line) when TELEGRAM_BOT_TOKEN is unset.
 * Throws {@link ConfigError} when webhook mode is asked for without TELEGRAM_WEBHOOK_SECRET.
 */
export function createTelegramModule(deps: CoreDeps): FeatureModule | null {
  const { config } = deps;
  const env = config.env;
  const token = env.TELEGRAM_BOT_TOKEN;
  if (!token) {
    deps.logger.info('telegram: off (TELEGRAM_BOT_TOKEN is not set)');
    return null;
  }
  const mode = resolveTelegramMode(env);
  const logger = deps.logger.child({ platform: 'telegram' });
  const apiRoot = env.TELEGRAM_API_ROOT ?? DEFAULT_TELEGRAM_API_ROOT;

  // handlerTimeout bounds only our middleware (normalize + enqueue), never the real work.
  // Polling must not time out: a timed-out update would be skipped for good (see the retry below).
  const bot = new Telegraf(token, { telegram: { apiRoot, webhookReply: false }, handlerTimeout: mode === 'polling' ? Infinity : 30_000 });
  // telegraf's default error handler rethrows and sets process.exitCode; ours logs and carries on.
  bot.catch((err, ctx) => logger.error({ err, updateId: ctx.update.update_id }, 'telegram update failed'));
  const client: TelegramClient = wrapTelegram(bot.telegram, { token, apiRoot });
  const callbacks: CallbackCodec = createCallbackCodec(redisCallbackStore(deps.queues.producer, deps.queues.prefix));

  let identity: TelegramBotIdentity | null = null;
  let identityCall: Promise<TelegramBotIdentity> | null = null;
  let identityRetryAt = 0;
  // The bot's id is the token's number; only its @name needs getMe.
  const tokenIdentity: TelegramBotIdentity = { id: Number(token.split(':')[0]) || 0, username: '' };
  /**
   * getMe, cached on success only (telegraf would cache a failed call forever). While Telegram
   * cannot be reached, updates are still taken, with the id from the token and no @name (a
   * group command then counts as ours, a bare @mention is not recognised), and getMe is asked
   * again at most every 30 s: the webhook must not turn away updates because our outbound
   * side cannot reach Telegram.
   */
  function botIdentity(): Promise<TelegramBotIdentity> {
    if (identity) return Promise.resolve(identity);
    if (Date.now() < identityRetryAt) return Promise.resolve(tokenIdentity);
    // Through the bounded client: telegraf's own call would wait minutes on a dead network.
    identityCall ??= client
      .call<Awaited<ReturnType<Telegraf['telegram']['getMe']>>>('getMe')
      .then((me) => {
        bot.botInfo = me;
        identity = { id: me.id, username: me.username };
        return identity;
      })
      .catch((err: unknown) => {
        const info = telegramErrorInfo(err);
        // A refused token is a configuration error, not an outage.
        if (info?.code === 401 || info?.code === 404) throw err;
        identityRetryAt = Date.now() + 30_000;
        // telegraf asks getMe before each update until it knows the bot; a later success replaces this.
        bot.botInfo ??= { id: tokenIdentity.id, is_bot: true, first_name: 'a2d2', username: '', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };
        logger.warn({ err: info?.description ?? String(err) }, 'telegram: getMe failed; taking updates with the id from the token');
        return tokenIdentity;
      })
      .finally(() => {
        identityCall = null;
      });
    return identityCall;
  }

  let menu: TelegramMenu | null = null;
  // Built on first use: every module's commands are registered by then.
  const currentMenu = () => (menu ??= buildTelegramMenu(deps.registry));

  function answerCallback(id: string, text?: string): void {
    client
      .call('answerCallbackQuery', { callback_query_id: id, ...(text ? { text, show_alert: true } : {}) })
      .catch((err: unknown) => logger.warn({ err: telegramErrorInfo(err)?.description ?? String(err) }, 'answerCallbackQuery failed'));
  }

  /** Normalize + ingest one update; the one path for both modes. */
  async function processUpdate(update: Record<string, unknown>, answer = true): Promise<TelegramUpdateOutcome> {
    const normalized = await normalizeTelegramUpdate(update, { bot: await botIdentity(), callbacks, commandNames: currentMenu().names });
    if (normalized.kind === 'ignored') {
      if (normalized.callbackQueryId && answer) {
        const locale = normalizeLocale(normalized.locale, config.file.defaultLocale);
        answerCallback(normalized.callbackQueryId, normalized.expired ? translate(locale, 'telegram.buttonExpired') : undefined);
      }
      deps.metrics.inboundEvents.inc({ platform: 'telegram', kind: 'update', outcome: 'ignored' });
      logger.debug({ updateId: update.update_id, reason: normalized.reason }, 'telegram update ignored');
      return 'ignored';
    }
    // Stop the spinner now; the handler's answer arrives as a message.
    if (normalized.callbackQueryId && answer) answerCallback(normalized.callbackQueryId);
    return deps.ingest(normalized.event as InboundEvent);
  }

  let stopping = false;
  const outcomes = new WeakMap<object, Outcome>();
  bot.use(async (ctx) => {
    const update = ctx.update as unknown as Record<string, unknown>;
    if (mode === 'webhook') {
      try {
        outcomes.set(update, { outcome: await processUpdate(update) });
      } catch (error) {
        outcomes.set(update, { error });
      }
      return;
    }
    // Polling has no redelivery: once getUpdates moves past an update it is gone, so keep trying.
    for (let attempt = 0; ; attempt++) {
      try {
        // Answer the callback query once, not on every retry.
        await processUpdate(update, attempt === 0);
        return;
      } catch (err) {
        if (stopping) throw err;
        logger.warn({ err, updateId: update.update_id, attempt }, 'telegram update not ingested; retrying');
        await sleep(Math.min(30_000, 500 * 2 ** attempt));
      }
    }
  });

  /** Webhook entry: through telegraf, then report what our middleware did. */
  async function onWebhookUpdate(update: Record<string, unknown>): Promise<TelegramUpdateOutcome> {
    await botIdentity();
    // The update is untrusted beyond update_id; telegraf only wraps it in a context.
    await bot.handleUpdate(update as never);
    const result = outcomes.get(update);
    outcomes.delete(update);
    if (!result) throw new Error('telegram update was not processed');
    if ('error' in result) throw result.error;
    return result.outcome;
  }

  async function setMenu(): Promise<void> {
    const { en, ru } = currentMenu();
    try {
      await client.call('setMyCommands', { commands: en });
      await client.call('setMyCommands', { commands: ru, language_code: 'ru' });
    } catch (err) {
      // The menu is a convenience; commands work without it.
      logger.warn({ err: telegramErrorInfo(err)?.description ?? String(err) }, 'telegram: setMyCommands failed');
    }
  }

  let polling: Promise<void> | null = null;
  async function pollForever(): Promise<void> {
    for (let attempt = 0; !stopping; attempt++) {
      try {
        await botIdentity();
        // launch deletes any webhook (getUpdates refuses to run next to one) and polls until stopped.
        await bot.launch({ allowedUpdates: [...TELEGRAM_ALLOWED_UPDATES], dropPendingUpdates: false });
        attempt = 0;
      } catch (err) {
        if (stopping) return;
        logger.error({ err: telegramErrorInfo(err)?.description ?? String(err) }, 'telegram polling failed; restarting');
        await sleep(Math.min(30_000, 1000 * 2 ** attempt));
      }
    }
  }

  return {
    name: 'telegram',
    sender: createTelegramSender({ client, callbacks, logger }),
    // Files users send (documents feature): getFile, capped at the Bot API's 20 MB.
    fileFetcher: createTelegramFileFetcher(client),
    ...(mode === 'webhook'
      ? {
          routes: telegramWebhookRoute({
            secret: env.TELEGRAM_WEBHOOK_SECRET!,
            onUpdate: onWebhookUpdate,
            logger,
            metrics: deps.metrics,
            bodyLimit: Math.min(config.file.http.bodyLimitBytes, 1_048_576),
          }),
        }
      : {}),

    async start(role: Role) {
      // Workers only send (through `sender`); receiving belongs to the http side.
      if (role === 'worker') return;
      try {
        const me = await botIdentity();
        logger.info({ bot: me.username, mode }, mode === 'webhook' ? `telegram: webhook mode at POST ${TELEGRAM_WEBHOOK_PATH}` : 'telegram: long polling (local use)');
      } catch (err) {
        const info = telegramErrorInfo(err);
        if (info?.code === 401 || info?.code === 404) throw new ConfigError('TELEGRAM_BOT_TOKEN', translate('en', 'startup.telegramToken', { code: info.code, description: info.description }));
        // Telegram unreachable: the first update retries getMe.
        logger.warn({ err: info?.description ?? String(err) }, 'telegram: getMe failed; will retry on the first update');
      }
      await setMenu();
      if (mode === 'webhook') {
        const url = env.TELEGRAM_WEBHOOK_URL;
        if (!url) {
          logger.info('telegram: TELEGRAM_WEBHOOK_URL is not set; the webhook is not registered automatically');
          return;
        }
        try {
          await client.call('setWebhook', {
            url,
            secret_token: env.TELEGRAM_WEBHOOK_SECRET,
            allowed_updates: [...TELEGRAM_ALLOWED_UPDATES],
          });
          logger.info({ url }, 'telegram: webhook registered');
        } catch (err) {
          logger.error({ err: telegramErrorInfo(err)?.description ?? String(err) }, 'telegram: setWebhook failed');
        }
        return;
      }
      polling = pollForever();
    },

    async stop() {
      stopping = true;
      if (!polling) return;
      try {
        bot.stop('shutdown');
      } catch {
        // Not polling at this moment (between restarts): nothing to stop.
      }
      // The loop confirms the last offset to Telegram on its way out; do not wait forever for it.
      await Promise.race([polling, sleep(5000)]);
      polling = null;
    },
  };
}
