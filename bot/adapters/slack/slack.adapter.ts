/**
 * The Slack feature module: POST /slack/events (signed HTTP), Socket Mode when an app token
 * is configured, and the sender the outbound worker posts with. Both transports feed one
 * dispatcher (normalize -> ingest -> ack); replies leave through the outbound queue.
 *
 * Off unless SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are set.
 */
import type { CoreDeps, FeatureModule } from '../../../core/module.ts';
import { createSlackDispatcher } from './slack-dispatcher.ts';
import { SLACK_EVENTS_PATH, slackEventsRoute } from './slack-receiver.ts';
import { createSlackSender } from './slack.sender.ts';
import { createSlackFileFetcher } from './slack-files.ts';
import { createSlackSocketMode } from './slack-socket.ts';

/** Builds the Slack module, or returns null (with one log line) when Slack is not configured. */
export function createSlackModule(deps: CoreDeps): FeatureModule | null {
  const env = deps.config.env;
  const signingSecret = env.SLACK_SIGNING_SECRET;
  const token = env.SLACK_BOT_TOKEN;
  if (!signingSecret || !token) {
    deps.logger.info('slack: off (SLACK_SIGNING_SECRET/SLACK_BOT_TOKEN unset)');
    return null;
  }
  const logger = deps.logger.child({ component: 'slack' });
  const apiUrl = env.SLACK_API_URL;
  const sender = createSlackSender({ token, logger, ...(apiUrl ? { apiUrl } : {}) });
  let botUserId: string | undefined;
  const dispatcher = createSlackDispatcher({ ingest: deps.ingest, logger, metrics: deps.metrics, botUserId: () => botUserId });
  const socket = env.SLACK_APP_TOKEN
    ? createSlackSocketMode({ appToken: env.SLACK_APP_TOKEN, dispatcher, logger, ...(apiUrl ? { apiUrl } : {}) })
    : null;
  deps.logger.info(`slack: on (${socket ? 'Socket Mode, and ' : ''}events at POST ${SLACK_EVENTS_PATH})`);

  /**
   * Learns the bot's own user id (to strip its mentions and skip its own messages) and checks
   * the token. A plain fetch: the receiving role then never loads the Slack SDK at all.
   */
  async function identify(): Promise<void> {
    try {
      const res = await fetch(new URL('auth.test', apiUrl ? (apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`) : 'https://slack.com/api/'), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await res.json()) as { ok?: boolean; error?: string; user_id?: string; team?: string };
      if (!body.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
      botUserId = body.user_id;
      logger.info({ botUserId, team: body.team }, 'slack: token verified');
    } catch (err) {
      // Not fatal: mentions are still recognised from each event's authorizations.
      logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'slack: auth.test failed');
    }
  }

  return {
    name: 'slack',
    sender,
    // Files shared with the bot (documents feature): url_private_download with the bot token.
    fileFetcher: {
      platform: 'slack',
      fetch: async (file, o) => (await createSlackFileFetcher({ token, maxBytes: o.maxBytes, ...(apiUrl ? { apiUrl } : {}) })(file)).bytes,
    },
    routes: async (app) => {
      await app.register(
        slackEventsRoute({
          signingSecret,
          dispatcher,
          clock: deps.clock,
          logger,
          metrics: deps.metrics,
          bodyLimit: deps.config.file.http.bodyLimitBytes,
        }),
      );
    },
    async start(role) {
      if (role === 'worker') return;
      // In the background: start-up must not wait on Slack being reachable.
      void identify();
      if (socket) {
        socket.start().catch((err: unknown) => logger.error({ err: err instanceof Error ? err.message : String(err) }, 'slack: Socket Mode failed to start'));
      }
    },
    async stop() {
      await socket?.stop();
    },
  };
}
