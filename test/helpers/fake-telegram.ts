/**
 * A fake Telegram Bot API on node:http for tests: records every call (method, payload, time),
 * answers the methods a2d2 uses, serves file bytes, hands queued updates to getUpdates, and
 * can be told to fail the next call of a method (429 with retry_after, 400, 403, ...).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One recorded Bot API call. */
export interface FakeTelegramCall {
  method: string;
  payload: Record<string, unknown>;
  /** Date.now() when the request arrived. */
  at: number;
  /** Files of a multipart call (sendPhoto), by field name. */
  files?: Record<string, { filename: string; bytes: Buffer }>;
  /** What the fake answered (result or error). */
  response: { ok: boolean; result?: unknown; error_code?: number; description?: string };
}

/** An error the fake answers with instead of a result. */
export interface FakeTelegramError {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

export interface FakeTelegram {
  /** Bot API root for TELEGRAM_API_ROOT. */
  url: string;
  token: string;
  bot: { id: number; username: string };
  calls: FakeTelegramCall[];
  callsOf(method: string): FakeTelegramCall[];
  /** Waits (bounded) for a call of `method` matching `match`. */
  waitForCall(method: string, match?: (c: FakeTelegramCall) => boolean, timeoutMs?: number): Promise<FakeTelegramCall>;
  /** The next `times` calls of `method` fail with `error` (after letting `after` calls through). */
  failNext(method: string, error: FakeTelegramError, times?: number, opts?: { after?: number }): void;
  /**
   * Registers a file for getFile and the download endpoint. `reportedSize` overrides file_size;
   * `chunked` serves it without content-length.
   */
  addFile(fileId: string, bytes: Buffer, opts?: { path?: string; reportedSize?: number; chunked?: boolean }): void;
  /** Queues an update for getUpdates (long polling). */
  pushUpdate(update: Record<string, unknown>): void;
  /** Wrong-token requests seen. */
  unauthorized: number;
  /**
   * Chats getChat and getChatMember know, by chat id: the chat's type and the bot's membership
   * in it. Any other chat id answers 400 "chat not found".
   */
  chats: Map<string, FakeChat>;
  /** What getWebhookInfo answers; setWebhook sets the url, deleteWebhook clears it. Tests may set the rest. */
  webhook: FakeWebhookInfo;
  close(): Promise<void>;
}

/** A chat as getChat and getChatMember (for the bot) describe it. */
export interface FakeChat {
  type: 'private' | 'group' | 'supergroup' | 'channel';
  status: 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';
  canPostMessages?: boolean;
}

/** The webhook state getWebhookInfo reports. */
export interface FakeWebhookInfo {
  url: string;
  pending_update_count: number;
  last_error_date?: number;
  last_error_message?: string;
}

interface StoredFile {
  bytes: Buffer;
  path: string;
  reportedSize: number;
  chunked: boolean;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

/** A multipart/form-data body: its text fields, and its files by field name. */
export function parseMultipart(body: Buffer, contentType: string): { fields: Record<string, string>; files: Record<string, { filename: string; bytes: Buffer }> } {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) throw new Error('multipart without a boundary');
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const fields: Record<string, string> = {};
  const files: Record<string, { filename: string; bytes: Buffer }> = {};
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) throw new Error('multipart part without an end');
    const part = body.subarray(start + 2, next - 2); // CRLF after the delimiter, CRLF before the next
    const split = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, split).toString('utf8');
    const content = part.subarray(split + 4);
    const name = /name="([^"]*)"/.exec(head)?.[1] ?? '';
    const filename = /filename="([^"]*)"/.exec(head)?.[1];
    if (filename !== undefined) files[name] = { filename, bytes: Buffer.from(content) };
    else fields[name] = content.toString('utf8');
    at = next;
  }
  return { fields, files };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Starts the fake on a random local port. */
export async function startFakeTelegram(opts: { token?: string; botId?: number; username?: string } = {}): Promise<FakeTelegram> {
  const token = opts.token ?? '123456:TEST-token_abcdefghijklmnop';
  const bot = { id: opts.botId ?? 777000111, username: opts.username ?? 'a2d2_test_bot' };
  const calls: FakeTelegramCall[] = [];
  const failures = new Map<string, { after: number; error: FakeTelegramError }[]>();
  const files = new Map<string, StoredFile>();
  const updates: Record<string, unknown>[] = [];
  const pollers = new Set<() => void>();
  let messageSeq = 1000;
  let unauthorized = 0;
  const webhook: FakeWebhookInfo = { url: '', pending_update_count: 0 };
  const chats = new Map<string, FakeChat>();

  function result(method: string, payload: Record<string, unknown>): unknown {
    switch (method) {
      case 'getMe':
        return { id: bot.id, is_bot: true, first_name: 'a2d2', username: bot.username, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };
      case 'sendMessage': {
        const chatId = payload.chat_id;
        return {
          message_id: ++messageSeq,
          date: Math.floor(Date.now() / 1000),
          chat: { id: typeof chatId === 'string' ? Number(chatId) : chatId, type: 'private' },
          from: { id: bot.id, is_bot: true, first_name: 'a2d2', username: bot.username },
          text: payload.text,
          ...(payload.message_thread_id !== undefined ? { message_thread_id: payload.message_thread_id, is_topic_message: true } : {}),
        };
      }
      case 'sendPhoto': {
        const chatId = payload.chat_id;
        return {
          message_id: ++messageSeq,
          date: Math.floor(Date.now() / 1000),
          chat: { id: Number(chatId), type: 'private' },
          from: { id: bot.id, is_bot: true, first_name: 'a2d2', username: bot.username },
          photo: [{ file_id: `photo-${messageSeq}`, file_unique_id: `u-photo-${messageSeq}`, width: 320, height: 240 }],
          ...(payload.caption !== undefined ? { caption: payload.caption } : {}),
        };
      }
      case 'editMessageText':
        return {
          message_id: Number(payload.message_id),
          date: Math.floor(Date.now() / 1000),
          edit_date: Math.floor(Date.now() / 1000),
          chat: { id: Number(payload.chat_id), type: 'private' },
          text: payload.text,
        };
      case 'getFile': {
        const f = files.get(String(payload.file_id));
        if (!f) return undefined;
        return { file_id: payload.file_id, file_unique_id: `u-${String(payload.file_id)}`, file_size: f.reportedSize, file_path: f.path };
      }
      case 'setWebhook':
        webhook.url = String(payload.url ?? '');
        return true;
      case 'deleteWebhook':
        webhook.url = '';
        return true;
      case 'getChat': {
        const chat = chats.get(String(payload.chat_id))!;
        return { id: Number(payload.chat_id), type: chat.type, title: `chat ${String(payload.chat_id)}` };
      }
      case 'getChatMember': {
        const chat = chats.get(String(payload.chat_id))!;
        const user = Number(payload.user_id) === bot.id ? { id: bot.id, is_bot: true, first_name: 'a2d2', username: bot.username } : { id: Number(payload.user_id), is_bot: false, first_name: 'someone' };
        return { status: chat.status, user, ...(chat.status === 'administrator' ? { can_post_messages: chat.canPostMessages ?? false } : {}) };
      }
      case 'getWebhookInfo':
        return { ...webhook, has_custom_certificate: false };
      default:
        // setMyCommands, answerCallbackQuery, ...
        return true;
    }
  }

  async function getUpdates(payload: Record<string, unknown>): Promise<unknown[]> {
    const offset = typeof payload.offset === 'number' ? payload.offset : 0;
    // Updates below the offset are confirmed: Telegram forgets them.
    while (updates.length && (updates[0]!.update_id as number) < offset) updates.shift();
    if (updates.length === 0 && typeof payload.timeout === 'number' && payload.timeout > 0) {
      // Long poll, but briefly: tests should not wait on it.
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          pollers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, 300);
        pollers.add(wake);
      });
    }
    return updates.filter((u) => (u.update_id as number) >= offset);
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
      if (req.method === 'GET' && fileMatch) {
        if (fileMatch[1] !== token) return send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
        const f = [...files.values()].find((x) => x.path === decodeURIComponent(fileMatch[2]!));
        if (!f) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
        res.writeHead(200, { 'content-type': 'application/octet-stream', ...(f.chunked ? {} : { 'content-length': f.bytes.length }) });
        if (f.chunked) {
          // Several writes, so the client sees a stream of chunks.
          for (let i = 0; i < f.bytes.length; i += 8192) res.write(f.bytes.subarray(i, i + 8192));
          res.end();
        } else res.end(f.bytes);
        return;
      }
      const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
      if (!m) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      const raw = await readBody(req);
      if (m[1] !== token) {
        unauthorized++;
        return send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      }
      const method = m[2]!;
      let payload: Record<string, unknown> = {};
      let sentFiles: FakeTelegramCall['files'];
      const contentType = req.headers['content-type'] ?? '';
      try {
        if (contentType.startsWith('multipart/form-data')) {
          const parsed = parseMultipart(raw, contentType);
          payload = parsed.fields;
          sentFiles = parsed.files;
        } else payload = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : Object.fromEntries(url.searchParams);
      } catch {
        return send(res, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' });
      }
      if (method === 'sendPhoto' && !sentFiles?.photo && typeof payload.photo !== 'string') {
        const response = { ok: false, error_code: 400, description: 'Bad Request: there is no photo in the request' };
        calls.push({ method, payload, at: Date.now(), response });
        return send(res, 400, response);
      }
      const at = Date.now();
      const queued = failures.get(method);
      let failure: FakeTelegramError | undefined;
      if (queued?.length) {
        if (queued[0]!.after > 0) queued[0]!.after--;
        else failure = queued.shift()!.error;
      }
      if (failure) {
        const response = { ok: false, ...failure };
        calls.push({ method, payload, at, response, ...(sentFiles ? { files: sentFiles } : {}) });
        // Telegram answers errors with the error code as the HTTP status.
        return send(res, failure.error_code, response);
      }
      if (method === 'getUpdates') {
        const list = await getUpdates(payload);
        return send(res, 200, { ok: true, result: list });
      }
      if ((method === 'getChat' || method === 'getChatMember') && !chats.has(String(payload.chat_id))) {
        const response = { ok: false, error_code: 400, description: 'Bad Request: chat not found' };
        calls.push({ method, payload, at, response });
        return send(res, 400, response);
      }
      const value = result(method, payload);
      if (value === undefined) {
        const response = { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' };
        calls.push({ method, payload, at, response });
        return send(res, 400, response);
      }
      const response = { ok: true, result: value };
      calls.push({ method, payload, at, response, ...(sentFiles ? { files: sentFiles } : {}) });
      send(res, 200, response);
    })().catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error_code: 500, description: String(err) });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeTelegram = {
    url: `http://127.0.0.1:${port}`,
    token,
    bot,
    calls,
    get unauthorized() {
      return unauthorized;
    },
    webhook,
    chats,
    callsOf: (method) => calls.filter((c) => c.method === method),
    async waitForCall(method, match = () => true, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = calls.find((c) => c.method === method && match(c));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`fake telegram: no ${method} call within ${timeoutMs} ms (seen: ${calls.map((c) => c.method).join(', ') || 'none'})`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    failNext(method, error, times = 1, failOpts = {}) {
      const list = failures.get(method) ?? [];
      for (let i = 0; i < times; i++) list.push({ after: i === 0 ? (failOpts.after ?? 0) : 0, error });
      failures.set(method, list);
    },
    addFile(fileId, bytes, fileOpts = {}) {
      files.set(fileId, { bytes, path: fileOpts.path ?? `documents/${fileId}.bin`, reportedSize: fileOpts.reportedSize ?? bytes.length, chunked: fileOpts.chunked ?? false });
    },
    pushUpdate(update) {
      updates.push(update);
      for (const wake of [...pollers]) wake();
    },
    async close() {
      for (const wake of [...pollers]) wake();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
