/**
 * A fake Slack Web API on a random local port, for tests. It records every call (method,
 * time, parsed arguments, auth header), answers the methods the bot uses, serves file bytes,
 * and can be told to answer the next calls of a method with a 429 or a Slack error.
 * Also: request signing and payload builders for driving POST /slack/events.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHash, randomUUID } from 'node:crypto';
import { computeSlackSignature } from '../../bot/adapters/slack/slack-signature.ts';

/** One recorded Web API call. */
export interface FakeSlackCall {
  method: string;
  /** Date.now() when the request arrived. */
  at: number;
  args: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  /** What the fake answered (absent for a scripted failure). */
  answer?: Record<string, unknown>;
}

/** A file the fake serves at its own URL. */
export interface FakeSlackFile {
  id: string;
  name: string;
  mimetype: string;
  bytes: Buffer;
  /** Content-Type header to answer with (default: mimetype). */
  contentType?: string;
}

/** Bytes POSTed to an upload URL handed out by files.getUploadURLExternal. */
export interface FakeSlackUpload {
  fileId: string;
  filename: string;
  /** The length files.getUploadURLExternal was told. */
  length: number;
  bytes: Buffer;
  contentType: string | undefined;
  at: number;
}

/** The Socket Mode side of the fake: a WebSocket endpoint handed out by apps.connections.open. */
export interface FakeSocketMode {
  /** App-level token apps.connections.open accepts. */
  appToken: string;
  /** Open connections that got their hello. */
  connections(): number;
  /** Sends an envelope ({type, payload, ...}) to every connection; resolves with the client's ack. */
  send(envelope: { type: string; payload: unknown; retry_attempt?: number; retry_reason?: string; accepts_response_payload?: boolean }): Promise<{ envelope_id: string; payload?: unknown }>;
}

export interface FakeSlack {
  /** Base for SLACK_API_URL (ends with /api/). */
  apiUrl: string;
  /** Origin (http://127.0.0.1:port). */
  origin: string;
  token: string;
  socket: FakeSocketMode;
  botUserId: string;
  teamId: string;
  calls: FakeSlackCall[];
  /** Calls of one method, in arrival order. */
  callsTo(method: string): FakeSlackCall[];
  /** conversations.history of `channel` answers `error` (e.g. not_in_channel, channel_not_found) from now on. */
  refuseChannel(channel: string, error: string): void;
  /** The next `times` calls of `method` get HTTP 429 with Retry-After (header omitted when null). */
  rateLimit(method: string, retryAfterSec: number | null, times?: number): void;
  /** The next `times` calls of `method` get `{ ok: false, error }`. */
  failWith(method: string, error: string, times?: number): void;
  /** The next `times` calls of `method` get HTTP 500. */
  serverError(method: string, times?: number): void;
  /**
   * The next `times` calls of `method` are carried out (a post is stored and shows in the
   * history) but never answered: the caller is left waiting, as when it dies mid-call.
   */
  hang(method: string, times?: number): void;
  /** Drops every scripted answer not used yet. */
  resetScripts(): void;
  /** Serves a file; returns the URL Slack would put in url_private_download. */
  addFile(file: FakeSlackFile): string;
  /** Number of file downloads served. */
  downloads: number;
  /** Files uploaded through files.getUploadURLExternal and its upload URL, in arrival order. */
  uploads: FakeSlackUpload[];
  close(): Promise<void>;
}

/** A message chat.postMessage stored, as conversations.history and .replies serve it. */
interface PostedMessage {
  channel: string;
  ts: string;
  text: unknown;
  thread_ts?: unknown;
  metadata?: unknown;
  /** Files a files.completeUploadExternal shared with this message. */
  files?: Array<{ id: string; name: string; title: string }>;
}

interface Scripted {
  kind: '429' | 'error' | '500' | 'hang';
  retryAfter?: number | null;
  error?: string;
}

function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if ((contentType ?? '').includes('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    // The client JSON-encodes nested arguments (blocks) inside the form.
    if (v.startsWith('[') || v.startsWith('{')) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        // keep the string
      }
    }
    out[k] = v;
  }
  return out;
}

/** Scopes the fake reports for its bot token (x-oauth-scopes), unless told otherwise. */
export const FAKE_SLACK_SCOPES = ['chat:write', 'commands', 'app_mentions:read', 'im:history', 'channels:history', 'groups:history', 'files:read', 'files:write', 'users:read'];

/**
 * Starts the fake. `token` is the bot token it accepts (anything else gets invalid_auth);
 * `scopes` are those it reports in the x-oauth-scopes header for it (null: no header).
 */
export async function startFakeSlack(opts: { token?: string; appToken?: string; botUserId?: string; teamId?: string; scopes?: string[] | null } = {}): Promise<FakeSlack> {
  const scopes = opts.scopes === undefined ? FAKE_SLACK_SCOPES : opts.scopes;
  const token = opts.token ?? `xoxb-test-${randomUUID().slice(0, 8)}`;
  const appToken = opts.appToken ?? `xapp-test-${randomUUID().slice(0, 8)}`;
  const sockets = new Set<Socket>();
  const acks = new Map<string, (ack: { envelope_id: string; payload?: unknown }) => void>();
  const botUserId = opts.botUserId ?? 'UBOT0001';
  const teamId = opts.teamId ?? 'T0001';
  const calls: FakeSlackCall[] = [];
  const scripts = new Map<string, Scripted[]>();
  const files = new Map<string, FakeSlackFile>();
  const uploads: FakeSlackUpload[] = [];
  /** Upload URLs handed out and not used yet: file id -> the name and length announced. */
  const pendingUploads = new Map<string, { filename: string; length: number }>();
  let tsCounter = 0;
  const posted: PostedMessage[] = [];
  /** Channels whose history the bot may not read (it is not in them), with Slack's error. */
  const refused = new Map<string, string>();
  let origin = '';

  const fake: FakeSlack = {
    apiUrl: '',
    origin: '',
    token,
    botUserId,
    teamId,
    calls,
    socket: {
      appToken,
      connections: () => sockets.size,
      send(envelope) {
        const envelope_id = randomUUID();
        const acked = new Promise<{ envelope_id: string; payload?: unknown }>((resolve) => acks.set(envelope_id, resolve));
        const frame = wsFrame(0x1, Buffer.from(JSON.stringify({ envelope_id, accepts_response_payload: false, ...envelope })));
        for (const sock of sockets) sock.write(frame);
        return acked;
      },
    },
    downloads: 0,
    uploads,
    callsTo: (method) => calls.filter((c) => c.method === method),
    refuseChannel(channel, error) {
      refused.set(channel, error);
    },
    rateLimit(method, retryAfterSec, times = 1) {
      const list = scripts.get(method) ?? [];
      for (let i = 0; i < times; i++) list.push({ kind: '429', retryAfter: retryAfterSec });
      scripts.set(method, list);
    },
    failWith(method, error, times = 1) {
      const list = scripts.get(method) ?? [];
      for (let i = 0; i < times; i++) list.push({ kind: 'error', error });
      scripts.set(method, list);
    },
    serverError(method, times = 1) {
      const list = scripts.get(method) ?? [];
      for (let i = 0; i < times; i++) list.push({ kind: '500' });
      scripts.set(method, list);
    },
    hang(method, times = 1) {
      const list = scripts.get(method) ?? [];
      for (let i = 0; i < times; i++) list.push({ kind: 'hang' });
      scripts.set(method, list);
    },
    resetScripts() {
      scripts.clear();
    },
    addFile(file) {
      files.set(file.id, file);
      return `${origin}/files-pri/${teamId}-${file.id}/download/${encodeURIComponent(file.name)}`;
    },
    close: async () => undefined,
  };

  function fileJson(f: FakeSlackFile) {
    return {
      id: f.id,
      name: f.name,
      mimetype: f.mimetype,
      size: f.bytes.length,
      url_private: `${origin}/files-pri/${teamId}-${f.id}/${encodeURIComponent(f.name)}`,
      url_private_download: `${origin}/files-pri/${teamId}-${f.id}/download/${encodeURIComponent(f.name)}`,
    };
  }

  /** Message timestamps as Slack makes them: epoch seconds, then a counter that keeps them unique and ordered. */
  function nextTs(): string {
    tsCounter += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(tsCounter % 1_000_000).padStart(6, '0')}`;
  }

  function history(args: Record<string, unknown>, keep: (m: PostedMessage) => boolean): Array<Record<string, unknown>> {
    const oldest = Number(args.oldest ?? 0);
    const withMeta = args.include_all_metadata === true || args.include_all_metadata === 'true';
    return posted
      .filter((m) => m.channel === String(args.channel) && Number(m.ts) >= oldest && keep(m))
      .reverse()
      .slice(0, Number(args.limit ?? 100))
      .map(({ channel: _c, metadata, ...m }) => ({ type: 'message', ...m, ...(withMeta && metadata ? { metadata } : {}) }));
  }

  function answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.com/', team: 'Fake', user: 'a2d2', team_id: teamId, user_id: botUserId, bot_id: 'BFAKE' };
      case 'chat.postMessage': {
        const ts = nextTs();
        const message = { text: args.text, ts, ...(args.thread_ts ? { thread_ts: args.thread_ts } : {}) };
        posted.push({ channel: String(args.channel), ...message, ...(args.metadata ? { metadata: args.metadata } : {}) });
        return { ok: true, channel: args.channel, ts, message };
      }
      case 'conversations.history':
        if (refused.has(String(args.channel))) return { ok: false, error: refused.get(String(args.channel)) };
        // Top-level messages, newest first; metadata only when asked for, as Slack does.
        return { ok: true, has_more: false, messages: history(args, (m) => !m.thread_ts) };
      case 'conversations.replies':
        return { ok: true, has_more: false, messages: history(args, (m) => m.ts === args.ts || m.thread_ts === args.ts).reverse() };
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'views.open':
        return { ok: true, view: { id: `V${randomUUID().slice(0, 8).toUpperCase()}` } };
      case 'files.info': {
        const f = files.get(String(args.file));
        return f ? { ok: true, file: fileJson(f) } : { ok: false, error: 'file_not_found' };
      }
      case 'files.getUploadURLExternal': {
        const fileId = `F${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
        pendingUploads.set(fileId, { filename: String(args.filename ?? ''), length: Number(args.length ?? 0) });
        return { ok: true, upload_url: `${origin}/upload/v1/${fileId}`, file_id: fileId };
      }
      case 'files.completeUploadExternal':
        return completeUpload(args);
      case 'apps.connections.open':
        return { ok: true, url: `ws://127.0.0.1:${new URL(origin).port}/link/?ticket=${randomUUID()}` };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /** Shares uploaded files into a channel (or thread) as one message, as Slack does. */
  function completeUpload(args: Record<string, unknown>): Record<string, unknown> {
    const list = (Array.isArray(args.files) ? args.files : []) as Array<{ id?: string; title?: string }>;
    const shared: Array<{ id: string; name: string; title: string }> = [];
    for (const f of list) {
      const up = uploads.find((u) => u.fileId === f.id);
      if (!up) return { ok: false, error: 'file_not_found' };
      shared.push({ id: up.fileId, name: up.filename, title: String(f.title ?? up.filename) });
    }
    if (shared.length === 0) return { ok: false, error: 'invalid_arguments' };
    if (args.channel_id) {
      posted.push({ channel: String(args.channel_id), ts: nextTs(), text: args.initial_comment ?? '', ...(args.thread_ts ? { thread_ts: args.thread_ts } : {}), files: shared });
    }
    return { ok: true, files: shared.map((f) => ({ id: f.id, title: f.title })) };
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'GET' && url.pathname.startsWith('/files-pri/')) {
        const id = url.pathname.split('/')[2]?.split('-').slice(1).join('-') ?? '';
        const f = files.get(id);
        if (req.headers.authorization !== `Bearer ${token}`) {
          // What Slack does without a valid token: a login page with status 200.
          res.writeHead(200, { 'content-type': 'text/html' }).end('<html>sign in</html>');
          return;
        }
        if (!f) {
          res.writeHead(404).end();
          return;
        }
        fake.downloads += 1;
        res.writeHead(200, { 'content-type': f.contentType ?? f.mimetype, 'content-length': String(f.bytes.length) }).end(f.bytes);
        return;
      }
      if (req.method === 'POST' && url.pathname.startsWith('/upload/v1/')) {
        // Upload URLs are pre-signed: no token. Each takes one upload of the announced length.
        const fileId = url.pathname.slice('/upload/v1/'.length);
        const pending = pendingUploads.get(fileId);
        const bytes = Buffer.concat(chunks);
        if (!pending || bytes.length !== pending.length) {
          res.writeHead(400, { 'content-type': 'text/plain' }).end(pending ? 'length mismatch' : 'unknown upload');
          return;
        }
        pendingUploads.delete(fileId);
        uploads.push({ fileId, filename: pending.filename, length: pending.length, bytes, contentType: req.headers['content-type'], at: Date.now() });
        res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${bytes.length}`);
        return;
      }
      const method = url.pathname.replace(/^\/api\//, '');
      const args = parseArgs(Buffer.concat(chunks).toString('utf8'), req.headers['content-type']);
      const call: FakeSlackCall = { method, at: Date.now(), args, headers: req.headers };
      calls.push(call);
      const script = scripts.get(method)?.shift();
      if (script?.kind === '429') {
        res.writeHead(429, { 'content-type': 'application/json', ...(script.retryAfter !== null ? { 'retry-after': String(script.retryAfter) } : {}) });
        res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
      if (script?.kind === '500') {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('oops');
        return;
      }
      // Slack reports a valid bot token's scopes on every answer.
      const granted = scopes && req.headers.authorization === `Bearer ${token}` ? { 'x-oauth-scopes': scopes.join(',') } : {};
      res.writeHead(200, { 'content-type': 'application/json', ...granted });
      if (script?.kind === 'error') {
        res.end(JSON.stringify({ ok: false, error: script.error }));
        return;
      }
      const expected = method === 'apps.connections.open' ? appToken : token;
      if (req.headers.authorization !== `Bearer ${expected}`) {
        res.end(JSON.stringify({ ok: false, error: 'invalid_auth' }));
        return;
      }
      call.answer = answer(method, args);
      const answered = JSON.stringify(call.answer);
      if (script?.kind === 'hang') return; // done, never answered (the socket closes with the server)
      res.end(answered);
    });
  });
  // Socket Mode: a minimal WebSocket server (handshake, text frames, ping/pong, close).
  server.on('upgrade', (req, socket: Socket) => {
    const key = req.headers['sec-websocket-key'];
    if (!key || !(req.url ?? '').startsWith('/link/')) {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => sockets.delete(socket));
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const frame = readFrame(buffered);
        if (!frame) break;
        buffered = buffered.subarray(frame.size);
        if (frame.opcode === 0x8) {
          socket.end(wsFrame(0x8, Buffer.alloc(0)));
          sockets.delete(socket);
        } else if (frame.opcode === 0x9) {
          socket.write(wsFrame(0xa, frame.payload));
        } else if (frame.opcode === 0x1) {
          try {
            const msg = JSON.parse(frame.payload.toString('utf8')) as { envelope_id?: string; payload?: unknown };
            if (msg.envelope_id) acks.get(msg.envelope_id)?.({ envelope_id: msg.envelope_id, payload: msg.payload });
          } catch {
            // not JSON: ignore, as Slack would
          }
        }
      }
    });
    socket.write(wsFrame(0x1, Buffer.from(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0001' } }))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  fake.origin = origin;
  fake.apiUrl = `${origin}/api/`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      for (const sock of sockets) sock.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

/** Encodes one unmasked server-to-client WebSocket frame. */
function wsFrame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, len]) : len < 65_536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (len >= 126 && len < 65_536) {
    head[0] = 0x80 | opcode;
    head[1] = 126;
    head.writeUInt16BE(len, 2);
  } else if (len >= 65_536) {
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

/** Decodes one (masked) client frame from the front of `buf`, or null if it is not complete yet. */
function readFrame(buf: Buffer): { opcode: number; payload: Buffer; size: number } | null {
  if (buf.length < 2) return null;
  const opcode = buf[0]! & 0x0f;
  const masked = (buf[1]! & 0x80) !== 0;
  let len = buf[1]! & 0x7f;
  let offset = 2;
  if (len === 126) {
    if (buf.length < 4) return null;
    len = buf.readUInt16BE(2);
    offset = 4;
  } else if (len === 127) {
    if (buf.length < 10) return null;
    len = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  const maskLen = masked ? 4 : 0;
  if (buf.length < offset + maskLen + len) return null;
  const mask = masked ? buf.subarray(offset, offset + 4) : null;
  const payload = Buffer.from(buf.subarray(offset + maskLen, offset + maskLen + len));
  if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
  return { opcode, payload, size: offset + maskLen + len };
}

/** Signature headers for a request body, as Slack would send them. `ts` is in seconds. */
export function signSlackRequest(secret: string, body: string, ts: number = Math.floor(Date.now() / 1000)): Record<string, string> {
  return {
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': computeSlackSignature(secret, ts, body),
  };
}

/** Form body of a slash command. */
export function slashCommandBody(fields: { command: string; text: string; channel?: string; user?: string; team?: string; triggerId?: string }): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: fields.team ?? 'T0001',
    team_domain: 'fake',
    channel_id: fields.channel ?? 'C0001',
    channel_name: 'general',
    user_id: fields.user ?? 'U0001',
    user_name: 'alice',
    command: fields.command,
    text: fields.text,
    api_app_id: 'A0001',
    is_enterprise_install: 'false',
    response_url: 'https://hooks.slack.com/commands/T0001/1/abc',
    trigger_id: fields.triggerId ?? `${Date.now()}.${randomUUID().slice(0, 8)}`,
  }).toString();
}

/** An Events API envelope around `event`. */
export function eventCallbackBody(event: Record<string, unknown>, opts: { eventId?: string; botUserId?: string; team?: string } = {}): Record<string, unknown> {
  return {
    token: 'deprecated-verification-token',
    team_id: opts.team ?? 'T0001',
    api_app_id: 'A0001',
    event,
    type: 'event_callback',
    event_id: opts.eventId ?? `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: opts.team ?? 'T0001', user_id: opts.botUserId ?? 'UBOT0001', is_bot: true }],
    is_ext_shared_channel: false,
  };
}

/** Form body of an interactivity payload (block_actions, view_submission, shortcuts). */
export function interactivityBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
