/**
 * The web console at /console (served by the http role): people sign in with a one-time
 * link the `console` command hands out (or, admins, with A2D2_API_TOKEN) and see the open
 * tickets, one ticket's timeline, and press Ack as they would on the chat card.
 *
 * This file is the wiring only. Read on in this order:
 * - login-tokens.ts  the one-time links (hash in Postgres, 10 minutes, single use)
 * - session.ts       the signed session cookie and its check on every request
 * - commands.ts      `console`, which answers with a link
 * - routes.ts        the plugin: cookies, CSRF, helmet/CSP, error pages, sign-in and out
 * - layout.ts        the page shell and navigation; html.ts escapes; style.ts the stylesheet
 * - ticket-routes.ts and tickets-view.ts   the tickets pages
 * - ack.ts           buttons pressed here run the chat card's button spec
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
