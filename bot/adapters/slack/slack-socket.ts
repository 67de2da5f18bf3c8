/**
 * Socket Mode (SLACK_APP_TOKEN): for teams without a public URL. The SDK's receiver keeps the
 * WebSocket (reconnects, pings, envelope acks) and hands every envelope to our dispatcher,
 * the same one the HTTP route uses. Envelopes arrive already parsed and authenticated by the
 * app-level token, so there is no signature to check here.
 */
import type { App } from '@slack/bolt';
import type { Logger } from '../../../services/logger.ts';
import type { SlackDispatcher } from './slack-dispatcher.ts';
import { toSlackLogger } from './slack-logger.ts';

/** Options of {@link createSlackSocketMode}. */
export interface SlackSocketModeOptions {
  /** App-level token (xapp-…) with connections:write. */
  appToken: string;
  /** Web API base for apps.connections.open (SLACK_API_URL). */
  apiUrl?: string;
  dispatcher: SlackDispatcher;
  logger: Logger;
}

/** A started/stopped Socket Mode connection. */
export interface SlackSocketMode {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Creates the Socket Mode connection; nothing is loaded or connected until `start`. */
export function createSlackSocketMode(opts: SlackSocketModeOptions): SlackSocketMode {
  const log = opts.logger.child({ component: 'slack-socket' });
  let receiver: { start(): Promise<unknown>; stop(): Promise<unknown> } | null = null;
  let stopped = false;
  return {
    async start() {
      const { SocketModeReceiver } = await import('@slack/bolt');
      if (stopped) return;
      const r = new SocketModeReceiver({
        appToken: opts.appToken,
        logger: toSlackLogger(log),
        ...(opts.apiUrl ? { installerOptions: { clientOptions: { slackApiUrl: opts.apiUrl } } } : {}),
        processEventErrorHandler: async ({ error }) => {
          log.error({ err: error }, 'slack: could not take a Socket Mode delivery');
          // Not acked: Slack redelivers it.
          return false;
        },
      });
      // The receiver only ever calls processEvent on the app it is given; our dispatcher is that app.
      r.init(opts.dispatcher as unknown as App);
      receiver = r;
      await r.start();
      log.info('slack: Socket Mode connected');
    },
    async stop() {
      stopped = true;
      await receiver?.stop();
    },
  };
}
