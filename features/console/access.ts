/**
 * What every console page plugin shares: the session check (a GET without one goes to the
 * sign-in page, a POST gets 401), the role check of a page (403 page naming the role), and
 * the answer to a button pressed through the chat's own action spec (see ack.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../../services/users/roles.ts';
import { href, messagePage, type PageCtx } from './layout.ts';
import type { ConsoleUser, Sessions } from './session.ts';
import type { PressOutcome } from './ack.ts';

/** Builds the page context of a request (routes.ts makePageCtx). */
export type PageCtxOf = (req: FastifyRequest, reply: FastifyReply, user: ConsoleUser | null, withForms?: boolean) => PageCtx;

/** Sends a whole HTML page. */
export function send(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').send(body);
}

/** A way back from a message page. */
export interface Back {
  path: string;
  label: string;
}

/** Builds the checks over the sessions. */
export function createAccess(sessions: Sessions, pageCtx: PageCtxOf) {
  /** The signed-in user, or null once the request was answered (redirect or 401). */
  async function signedIn(req: FastifyRequest, reply: FastifyReply): Promise<ConsoleUser | null> {
    const user = await sessions.current(req);
    if (user) return user;
    sessions.end(reply);
    if (req.method === 'GET') {
      await reply.redirect(href(pageCtx(req, reply, null, false), '/console/login'), 303);
    } else {
      const c = pageCtx(req, reply, null, false);
      await send(reply, 401, messagePage(c, c.t('console.login.title'), c.t('console.login.intro')));
    }
    return null;
  }

  /** The 403 page. */
  function forbidden(reply: FastifyReply, c: PageCtx, role: Role, back?: Back): FastifyReply {
    return send(reply, 403, messagePage(c, c.t('console.error.forbidden.title'), c.t('console.error.forbidden.text', { role }), back));
  }

  /** The signed-in user when their role is one of `roles`; else null once answered (403). */
  async function withRole(req: FastifyRequest, reply: FastifyReply, roles: readonly Role[]): Promise<ConsoleUser | null> {
    const user = await signedIn(req, reply);
    if (!user) return null;
    if (roles.includes(user.role)) return user;
    await forbidden(reply, pageCtx(req, reply, user, false), user.role);
    return null;
  }

  /**
   * Answers a press: `ok` goes to `done` (303), a refused role is 403, an unknown target 404,
   * any other refusal 409 with the service's reason. `deniedKeys` are refusals the handler
   * itself makes for a role (an approval step's own roles): 403 as well.
   */
  function pressAnswer(reply: FastifyReply, c: PageCtx, res: PressOutcome, o: { done: string; back: Back; notFoundKeys?: string[]; deniedKeys?: string[] }): FastifyReply {
    if (res.outcome === 'ok') return reply.redirect(o.done, 303);
    const user = c.user!;
    if (res.outcome === 'denied' || (res.outcome === 'invalid' && o.deniedKeys?.includes(res.key))) {
      const text = res.outcome === 'invalid' ? res.message : c.t('console.error.forbidden.text', { role: user.role });
      return send(reply, 403, messagePage(c, c.t('console.error.forbidden.title'), text, o.back));
    }
    if (res.outcome === 'unknown' || o.notFoundKeys?.includes(res.key)) {
      return send(reply, 404, messagePage(c, c.t('console.error.notFound.title'), res.outcome === 'invalid' ? res.message : c.t('console.error.notFound.text'), o.back));
    }
    return send(reply, 409, messagePage(c, c.t('console.error.refused.title'), res.message, o.back));
  }

  return { signedIn, withRole, forbidden, pressAnswer };
}

export type Access = ReturnType<typeof createAccess>;

/** JSON values as people read them: indented, at most `max` characters. */
export function shownJson(value: unknown, max = 4000): string {
  if (value === null || value === undefined) return '—';
  const s = JSON.stringify(value, null, 2);
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
