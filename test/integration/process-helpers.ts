/**
 * Shared set-up of the process integration tests: a folder of definitions, a small HTTP
 * target that records hits and answers as told, the app with the API token and a terminal
 * chat whose replies are collected, and a few pollers.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp, type TestAppOptions } from '../helpers/app.ts';
import { waitFor } from '../helpers/wait.ts';
import type { InboundEvent, OutboundRequest } from '../../services/messaging/types.ts';

/** How the target answers a path. */
export interface Route {
  status?: number;
  body?: unknown;
  /** Hold the answer until this resolves. */
  hold?: Promise<void>;
}

export interface Target {
  url: string;
  hits: Map<string, number>;
  requests: { path: string; method: string; headers: Record<string, unknown>; body: string }[];
  routes: Map<string, Route | ((n: number) => Route)>;
  close(): Promise<void>;
}

export async function startTarget(): Promise<Target> {
  const hits = new Map<string, number>();
  const routes = new Map<string, Route | ((n: number) => Route)>();
  const requests: Target['requests'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      const path = (req.url ?? '/').split('?')[0]!;
      const n = (hits.get(path) ?? 0) + 1;
      hits.set(path, n);
      requests.push({ path, method: req.method ?? '', headers: req.headers, body });
      const r = routes.get(path);
      const route = typeof r === 'function' ? r(n) : (r ?? { status: 200, body: { ok: true } });
      if (route.hold) await route.hold;
      if (res.destroyed) return;
      res.writeHead(route.status ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(route.body ?? { ok: true }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    requests,
    routes,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Writes definitions into a fresh folder; returns it. */
export function definitionsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'a2d2-proc-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}

export interface ProcApp {
  t: TestApp;
  token: string;
  replies: OutboundRequest[];
  admin: string;
  operator: string;
  chat: string;
  say(user: string, text: string): Promise<OutboundRequest[]>;
  press(user: string, actionId: string, value: string): Promise<OutboundRequest[]>;
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }>;
  start(process: string, inputs?: Record<string, unknown>): Promise<number>;
  run(id: number): Promise<Record<string, unknown> & { status: string; steps: { step: string; status: string; attempts: number; iteration: number; input: unknown; output: unknown; error: string | null }[] }>;
  waitRun(id: number, status: string | string[], timeoutMs?: number): Promise<Awaited<ReturnType<ProcApp['run']>>>;
  waitStep(id: number, step: string, status: string, timeoutMs?: number): Promise<void>;
}

/** Starts the app on a folder of definitions with a terminal chat and an API token. */
export async function startProcApp(dir: string, extra: { processes?: Record<string, unknown>; app?: Partial<TestAppOptions>; replies?: OutboundRequest[]; shutdown?: { graceMs: number }; admin?: string; operator?: string; token?: string } = {}): Promise<ProcApp> {
  const token = extra.token ?? `api-${randomUUID()}`;
  const admin = extra.admin ?? `adm-${randomUUID().slice(0, 6)}`;
  const operator = extra.operator ?? `op-${randomUUID().slice(0, 6)}`;
  const chat = `chat-${randomUUID().slice(0, 8)}`;
  const replies: OutboundRequest[] = extra.replies ?? [];
  const t = await startTestApp({
    ...extra.app,
    env: { A2D2_API_TOKEN: token, ...extra.app?.env },
    yaml: {
      roles: { admin: [`terminal:${admin}`], operator: [`terminal:${operator}`] },
      // The tests poll the run API; the default per-minute limit is for the outside world.
      http: { rateLimitPerMinute: 1_000_000 },
      ...(extra.shutdown ? { shutdown: extra.shutdown } : {}),
      processes: {
        folder: dir,
        includeShipped: false,
        http: { allowHosts: ['127.0.0.1:*'] },
        defaults: { backoff: '100ms', attempts: 3 },
        queue: { lockDurationMs: 10_000, stalledIntervalMs: 5_000 },
        ...extra.processes,
      },
    } as never,
    direct: { terminal: async (req) => void replies.push(req) },
  });
  const event = (user: string, extraEv: Partial<InboundEvent>): InboundEvent =>
    ({ platform: 'terminal', eventId: randomUUID(), ref: { platform: 'terminal', chatId: chat }, user: { platformUserId: user, displayName: user }, ...extraEv }) as InboundEvent;
  const app: ProcApp = {
    t,
    token,
    replies,
    admin,
    operator,
    chat,
    async say(user, text) {
      const from = replies.length;
      await t.app.deps.pipeline().handle(event(user, { type: 'message', text, addressed: true } as never));
      return replies.slice(from);
    },
    async press(user, actionId, value) {
      const from = replies.length;
      await t.app.deps.pipeline().handle(event(user, { type: 'action', actionId, value } as never));
      return replies.slice(from);
    },
    async api(method, path, body, headers = {}) {
      const res = await fetch(`${t.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    async start(process, inputs = {}) {
      const r = await app.api('POST', `/api/v1/processes/${process}/runs`, { inputs });
      if (r.status !== 201) throw new Error(`start ${process}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.id as number;
    },
    async run(id) {
      const r = await app.api('GET', `/api/v1/processes/runs/${id}`);
      return r.body as never;
    },
    async waitRun(id, status, timeoutMs = 30_000) {
      const want = Array.isArray(status) ? status : [status];
      let last = '';
      try {
        return await waitFor(async () => {
          const r = await app.run(id);
          last = JSON.stringify(r);
          return want.includes(r.status) ? r : null;
        }, `run ${id} to be ${want.join('/')}`, timeoutMs, 50);
      } catch (err) {
        throw new Error(`${(err as Error).message}; last: ${last}`);
      }
    },
    async waitStep(id, step, status, timeoutMs = 30_000) {
      await waitFor(async () => (await app.run(id)).steps.some((s) => s.step === step && s.status === status), `step ${step} of run ${id} to be ${status}`, timeoutMs, 50);
    },
  };
  return app;
}
