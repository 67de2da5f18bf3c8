/**
 * The Slack side of the outbound worker: posts, edits and ephemeral posts through the Web
 * API, with a bounded retry policy (a few quick retries on network errors and 5xx only) so a
 * job never hangs for the client's default half hour. Rate limits and permanent failures are
 * handed back to the worker as {@link RateLimitedError} / {@link PermanentSendError}; it owns
 * the waiting and the bookkeeping.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../../../services/logger.ts';
import { PermanentSendError, RateLimitedError, type FindDeliveredOptions, type PlatformSender, type PostOptions } from '../../../services/messaging/outbound.service.ts';
import type { ConversationRef, Reply } from '../../../services/messaging/types.ts';
import { renderBlockKit } from './block-kit.renderer.ts';
import { toSlackLogger } from './slack-logger.ts';
import { findSharedFile, postImage } from './slack-upload.ts';

type WebClient = webApi.WebClient;

/** Options of {@link createSlackWebClient}. */
export interface SlackWebClientOptions {
  /** Bot token (xoxb-…). */
  token: string;
  /** Web API base (SLACK_API_URL); Slack's own when unset. */
  apiUrl?: string;
  logger?: Logger;
  /** Per-request timeout; default 10 s. */
  timeoutMs?: number;
  /** Retries on network errors and 5xx; default 2 (about 1.5 s in all). */
  retries?: number;
}

let sdk: Promise<typeof webApi> | null = null;

/**
 * The Slack SDK is loaded on first use: a process with Slack switched off never pays its
 * start-up time and memory, and the HTTP receiving path does not need it at all.
 */
function loadWebApi(): Promise<typeof webApi> {
  sdk ??= import('@slack/bolt').then((m) => m.webApi);
  return sdk;
}

/** A Web API client with bounded retries that rejects rate-limited calls instead of sleeping. */
export async function createSlackWebClient(opts: SlackWebClientOptions): Promise<WebClient> {
  const { WebClient } = await loadWebApi();
  return new WebClient(opts.token, {
    ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
    ...(opts.logger ? { logger: toSlackLogger(opts.logger.child({ component: 'slack-web-api' })) } : {}),
    timeout: opts.timeoutMs ?? 10_000,
    retryConfig: { retries: opts.retries ?? 2, factor: 2, minTimeout: 250, maxTimeout: 1000, randomize: true },
    rejectRateLimitedCalls: true,
  });
}

/** Slack error codes that the next attempt would only repeat. */
const TRANSIENT_PLATFORM_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited', 'team_added_to_org']);

/** Default wait when Slack answers 429 without a usable Retry-After. */
const DEFAULT_RETRY_AFTER_MS = 1000;

// The SDK's error codes (ErrorCode), spelled out so classifying needs no SDK load.
const RATE_LIMITED_CODE = 'slack_webapi_rate_limited_error';
const PLATFORM_ERROR_CODE = 'slack_webapi_platform_error';
const HTTP_ERROR_CODE = 'slack_webapi_http_error';

interface CodedLike {
  code?: unknown;
  retryAfter?: unknown;
  data?: { error?: unknown };
  statusCode?: unknown;
  message?: unknown;
}

/**
 * Maps a Web API failure onto the outbound contract: 429 -> RateLimitedError (Retry-After in
 * ms), platform errors other than Slack's own hiccups -> PermanentSendError, anything else
 * (network, 5xx after retries) is returned as is for the queue to retry.
 */
export function classifySlackError(err: unknown): Error {
  const e = (err ?? {}) as CodedLike;
  if (e.code === RATE_LIMITED_CODE) {
    const seconds = typeof e.retryAfter === 'number' && e.retryAfter >= 0 ? e.retryAfter : DEFAULT_RETRY_AFTER_MS / 1000;
    return new RateLimitedError(Math.round(seconds * 1000));
  }
  if (e.code === PLATFORM_ERROR_CODE) {
    const code = typeof e.data?.error === 'string' ? e.data.error : 'unknown_error';
    if (code === 'ratelimited') return new RateLimitedError(DEFAULT_RETRY_AFTER_MS);
    if (!TRANSIENT_PLATFORM_ERRORS.has(code)) return new PermanentSendError(`slack: ${code}`);
    return new Error(`slack: ${code}`);
  }
  // The client turns a 429 without a numeric Retry-After into a plain error.
  if (typeof e.message === 'string' && e.message.startsWith('Retry header did not contain a valid timeout')) {
    return new RateLimitedError(DEFAULT_RETRY_AFTER_MS);
  }
  if (e.code === HTTP_ERROR_CODE && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new PermanentSendError(`slack: HTTP ${e.statusCode}`);
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** Inputs to {@link SlackSender.post}: the common ones plus Slack-only ones. */
export interface SlackPostOptions extends PostOptions {
  /** The user an ephemeral reply is shown to; without one an ephemeral reply is posted normally. */
  ephemeralUserId?: string;
}

/** The Slack {@link PlatformSender}; `post` also takes Slack-only options. */
export interface SlackSender extends PlatformSender {
  readonly platform: 'slack';
  post(ref: ConversationRef, reply: Reply, opts?: SlackPostOptions): Promise<{ messageId: string }>;
  /** The underlying client (created on first use), for adapter-internal calls (auth.test, views.open). */
  client(): Promise<WebClient>;
}

async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw classifySlackError(err);
  }
}

/** Creates the Slack sender the outbound worker uses. */
export function createSlackSender(opts: SlackWebClientOptions): SlackSender {
  let pending: Promise<WebClient> | null = null;
  const getClient = (): Promise<WebClient> => {
    pending ??= createSlackWebClient(opts).catch((err: unknown) => {
      pending = null;
      throw err;
    });
    return pending;
  };
  return {
    platform: 'slack',
    client: getClient,
    async post(ref, reply, postOpts = {}) {
      const client = await getClient();
      const message = renderBlockKit(reply);
      // Inside a thread the thread's root is the thread; otherwise answering a message starts one under it.
      const threadTs = ref.threadId || postOpts.replyToMessageId;
      const thread = threadTs ? { thread_ts: threadTs } : {};
      const ephemeralUser = postOpts.ephemeralUserId ?? postOpts.visibleTo;
      // A picture is a file shared into the chat or thread, its text the comment (slack-upload.ts).
      if (reply.image) return postImage(client, call, ref, { ...reply, image: reply.image }, { threadTs, deliveryId: postOpts.deliveryId });
      if (reply.ephemeral && ephemeralUser) {
        const res = await call(() =>
          client.chat.postEphemeral({ channel: ref.chatId, user: ephemeralUser, ...message, ...thread }),
        );
        return { messageId: res.message_ts ?? '' };
      }
      // The delivery id rides in the message metadata, so a retry can find a post whose worker died.
      const metadata = postOpts.deliveryId ? { metadata: { event_type: DELIVERY_EVENT, event_payload: { id: postOpts.deliveryId } } } : {};
      const res = await call(() =>
        client.chat.postMessage({ channel: ref.chatId, ...message, ...thread, ...metadata, unfurl_links: false, unfurl_media: false }),
      );
      if (!res.ts) throw new Error('slack: chat.postMessage returned no ts');
      return { messageId: res.ts };
    },
    async edit(ref, messageId, reply) {
      const client = await getClient();
      const message = renderBlockKit(reply);
      await call(() => client.chat.update({ channel: ref.chatId, ts: messageId, ...message }));
    },
    async findDelivered(ref, deliveryId, findOpts) {
      return findDelivery(await getClient(), ref, deliveryId, findOpts);
    },
  };
}

/** The metadata event type a2d2 tags its posts with. */
export const DELIVERY_EVENT = 'a2d2_delivery';

interface MetadataMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: { id?: unknown } };
  files?: Array<{ id?: string; name?: string }>;
}

/**
 * Looks for a message tagged with `deliveryId` (its metadata, or the name of a file it shared)
 * posted since `sinceMs`: in the thread when the post was threaded, else in the channel's history. Needs the history scopes
 * (channels:history, groups:history, im:history); without them Slack refuses and the post
 * goes out again, as it would have without the lookup.
 */
async function findDelivery(client: WebClient, ref: ConversationRef, deliveryId: string, opts: FindDeliveredOptions): Promise<string | null> {
  const threadTs = ref.threadId || opts.replyToMessageId;
  const oldest = (Math.max(0, opts.sinceMs) / 1000).toFixed(6);
  const res = threadTs
    ? await call(() => client.conversations.replies({ channel: ref.chatId, ts: threadTs, oldest, include_all_metadata: true, limit: 200 }))
    : await call(() => client.conversations.history({ channel: ref.chatId, oldest, include_all_metadata: true, limit: 200 }));
  const messages = (res.messages ?? []) as MetadataMessage[];
  const hit = messages.find((m) => m.metadata?.event_type === DELIVERY_EVENT && m.metadata.event_payload?.id === deliveryId);
  // A shared picture is recorded by its file id, as the post that shared it was.
  return hit?.ts ?? findSharedFile(messages, deliveryId);
}
