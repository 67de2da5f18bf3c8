/**
 * The queue board for admins at /console/queues: @bull-board's Fastify adapter over every
 * queue the service container declares (services/queues.ts), behind the console session with
 * role admin (others get the 403 page; no session goes to sign-in). The board is a script
 * page of its own: its answers carry their own CSP (scripts still only from this origin;
 * inline styles, which the board's markup uses, and its `<base>` allowed), only on this path;
 * every other console page keeps the strict policy. A change (retry, clean, ...) must come
 * from a page of this origin: the board's API takes JSON, and its non-GET requests need an
 * Origin naming this host.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queues } from '../../services/queues.ts';
import { sectionRoles } from './layout.ts';
import type { Access } from './access.ts';

export interface QueueBoardDeps {
  queues: Queues;
  access: Access;
}

/** The policy of the board's answers. */
export const QUEUE_BOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "object-src 'none'",
].join('; ');

const BASE = '/console/queues';

function sameOrigin(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** Builds the board plugin (registered inside the console's plugin, so under /console). */
export function queueBoard(deps: QueueBoardDeps) {
  const roles = sectionRoles('queues') ?? ['admin'];
  return async function board(app: FastifyInstance): Promise<void> {
    const adapter = new FastifyAdapter();
    adapter.setBasePath(BASE);
    createBullBoard({
      queues: deps.queues.names().map((name) => new BullMQAdapter(deps.queues.queue(name))),
      serverAdapter: adapter,
      // The console's muted text colour (4.5:1 and more on white and on the board's cards).
      options: { uiConfig: { boardTitle: 'a2d2 queues', theme: { light: { 'muted-foreground': '#4a4a4a' } } } },
    });
    app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      const user = await deps.access.withRole(req, reply, roles);
      if (!user) return reply;
      if (req.method !== 'GET' && req.method !== 'HEAD' && !sameOrigin(req)) {
        return reply.status(403).send({ error: 'origin', message: 'a change to a queue must come from the console page' });
      }
      return undefined;
    });
    app.addHook('onSend', async (_req, reply, payload) => {
      reply.header('content-security-policy', QUEUE_BOARD_CSP);
      return payload;
    });
    await app.register(adapter.registerPlugin(), { prefix: '/queues' });
  };
}
