/**
 * The web console at /console (served by the http role): people sign in with a one-time
 * link the `console` command hands out (or, admins, with A2D2_API_TOKEN) and see the open
 * tickets, alerts, process runs, deploys, documents, agent runs, charts, the audit log and the
 * queue board, and use the chat cards' buttons as forms.
 *
 * This file is the wiring only. Read on in this order:
 * - login-tokens.ts  the one-time links (hash in Postgres, 10 minutes, single use)
 * - session.ts       the signed session cookie and its check on every request
 * - commands.ts      `console`, which answers with a link
 * - routes.ts        the plugin: cookies, CSRF, helmet/CSP, error pages, sign-in and out
 * - layout.ts        the page shell and navigation; html.ts escapes; style.ts the stylesheet
 * - ticket-routes.ts and tickets-view.ts   the tickets pages; ticket-actions.ts and
 *                    ticket-forms.ts their forms (ack, assign, resolve, comment)
 * - ack.ts           forms run the chat's own button spec (press) or command spec (command)
 * - access.ts        the session and role checks every page plugin shares
 * - alert-, run-, audit-, chart-, deploy-, document-, agent-routes.ts with their *-view.ts,
 *   and queue-board.ts: the other sections
 * The console is off (no command, no routes) until A2D2_PUBLIC_URL and A2D2_CONSOLE_SECRET are set.
 */
import type { FeatureModule } from '../../core/module.ts';
import type { Services } from '../services.ts';
import { createLoginTokens } from './login-tokens.ts';
import { createSessions } from './session.ts';
import { consoleCommands } from './commands.ts';
import { consoleRoutes } from './routes.ts';
import { createCommand, createPress } from './ack.ts';

/** Builds the console feature module, or null when it is not configured. */
export function createConsoleModule(deps: Services): FeatureModule | null {
  const { A2D2_PUBLIC_URL: publicUrl, A2D2_CONSOLE_SECRET: secret, A2D2_API_TOKEN: apiToken } = deps.config.env;
  if (!publicUrl || !secret) return null;
  const secure = new URL(publicUrl).protocol === 'https:';
  const tokens = createLoginTokens(deps.db, deps.clock);
  const sessions = createSessions({ users: deps.users, db: deps.db, clock: deps.clock, apiToken, secure });
  return {
    name: 'console',
    commands: consoleCommands(tokens, publicUrl),
    routes: consoleRoutes({
      secret,
      secure,
      tokens,
      sessions,
      apiToken,
      defaultLocale: deps.config.file.defaultLocale,
      tickets: deps.tickets,
      alerts: deps.alerts,
      documents: deps.documents,
      db: deps.db,
      queues: deps.queues,
      users: deps.users,
      registry: deps.registry,
      clock: deps.clock,
      press: createPress(deps),
      command: createCommand(deps),
      timeZone: deps.config.file.tickets.timeZone,
    }),
  };
}
