/**
 * The one place a verified Slack delivery turns into work, whichever transport brought it.
 * It takes the receiver event shape both transports produce ({body, ack, retryNum}), so the
 * HTTP route and Socket Mode share it: normalize -> ingest (queued, de-duplicated by
 * platform + event id) -> ack with an empty body. Slow work happens in the workers.
 */
import type { ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../../../services/logger.ts';
import type { Metrics } from '../../../services/metrics.ts';
import type { InboundEvent } from '../../../services/messaging/types.ts';
import { normalizeSlackPayload } from './slack-normalizer.ts';

/** What the dispatcher needs. */
export interface SlackDispatcherDeps {
  ingest(event: InboundEvent): Promise<'queued' | 'duplicate'>;
  logger: Logger;
  metrics?: Metrics;
  /** The bot's own user id once known (auth.test), for mention stripping and self-filtering. */
  botUserId(): string | undefined;
}

/** Handles one receiver event; shaped like the app side of a Slack receiver. */
export interface SlackDispatcher {
  processEvent(event: ReceiverEvent): Promise<void>;
}

/** Builds the dispatcher. `processEvent` rejects only when ingest failed (the delivery was not acked). */
export function createSlackDispatcher(deps: SlackDispatcherDeps): SlackDispatcher {
  return {
    async processEvent({ body, ack, retryNum }) {
      const botUserId = deps.botUserId();
      const result = normalizeSlackPayload(body, botUserId ? { botUserId } : {});
      if (result.kind === 'ignored') {
        deps.metrics?.inboundEvents.inc({ platform: 'slack', kind: 'ignored', outcome: 'ignored' });
        deps.logger.debug({ reason: result.reason }, 'slack: payload ignored');
        await ack();
        return;
      }
      // Ingest first, ack after: if the queue is down Slack sees a failure and redelivers.
      const outcome = await deps.ingest(result.event);
      if (outcome === 'duplicate' || retryNum) {
        deps.logger.debug({ eventId: result.event.eventId, retryNum, outcome }, 'slack: redelivery');
      }
      await ack();
    },
  };
}
