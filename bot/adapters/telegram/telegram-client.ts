/**
 * A thin, bounded Bot API client over telegraf's `Telegram` class: every call gets a timeout
 * (telegraf's own default keeps a call open for minutes, which would pin a worker's job), and
 * errors keep telegraf's `TelegramError` shape (code, description, parameters).
 */
import { Telegram, TelegramError } from 'telegraf';

/** Default Bot API root; TELEGRAM_API_ROOT overrides it (a local Bot API server, or a test fake). */
export const DEFAULT_TELEGRAM_API_ROOT = 'https://api.telegram.org';

/** How the client reaches the Bot API. */
export interface TelegramClientOptions {
  token: string;
  apiRoot?: string;
  /** Per-call timeout; 15 s unless given. */
  timeoutMs?: number;
}

/** The calls the adapter, sender and file fetcher make. */
export interface TelegramClient {
  /** The telegraf client (shared with the polling loop). */
  readonly telegram: Telegram;
  readonly apiRoot: string;
  /** Calls a Bot API method; rejects with {@link TelegramError} when Telegram says no. */
  call<T = unknown>(method: string, payload?: Record<string, unknown>, opts?: { timeoutMs?: number }): Promise<T>;
  /** Download URL of a file path from getFile. Contains the token: never log it. */
  fileUrl(filePath: string): string;
}

/** Wraps an existing telegraf `Telegram` instance (the bot's own, so polling and calls share it). */
export function wrapTelegram(telegram: Telegram, opts: { token: string; apiRoot?: string; timeoutMs?: number }): TelegramClient {
  const apiRoot = opts.apiRoot ?? DEFAULT_TELEGRAM_API_ROOT;
  const defaultTimeout = opts.timeoutMs ?? 15_000;
  return {
    telegram,
    apiRoot,
    async call<T>(method: string, payload: Record<string, unknown> = {}, callOpts: { timeoutMs?: number } = {}): Promise<T> {
      const signal = AbortSignal.timeout(callOpts.timeoutMs ?? defaultTimeout);
      // telegraf's method map lags the Bot API (reply_parameters, newer fields): the payload is ours to validate.
      const result: unknown = await telegram.callApi(method as any, payload as any, { signal } as any);
      return result as T;
    },
    fileUrl(filePath: string): string {
      return new URL(`./file/bot${opts.token}/${filePath.replace(/^\/+/, '')}`, withSlash(apiRoot)).toString();
    },
  };
}

/** Creates a client with its own telegraf `Telegram` instance (the worker role has no bot). */
export function createTelegramClient(opts: TelegramClientOptions): TelegramClient {
  const apiRoot = opts.apiRoot ?? DEFAULT_TELEGRAM_API_ROOT;
  const telegram = new Telegram(opts.token, { apiRoot, webhookReply: false });
  return wrapTelegram(telegram, { ...opts, apiRoot });
}

function withSlash(root: string): string {
  return root.endsWith('/') ? root : `${root}/`;
}

/** The Bot API error fields, when `err` is one. */
export function telegramErrorInfo(err: unknown): { code: number; description: string; retryAfter?: number; migrateToChatId?: number } | null {
  if (!(err instanceof TelegramError)) return null;
  const parameters = (err.parameters ?? {}) as { retry_after?: number; migrate_to_chat_id?: number };
  return {
    code: err.code,
    description: err.description ?? '',
    ...(typeof parameters.retry_after === 'number' ? { retryAfter: parameters.retry_after } : {}),
    ...(typeof parameters.migrate_to_chat_id === 'number' ? { migrateToChatId: parameters.migrate_to_chat_id } : {}),
  };
}

export { TelegramError };
