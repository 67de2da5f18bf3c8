/**
 * A reply with a picture, posted on Slack as a file shared into the chat or thread, the
 * current way: files.getUploadURLExternal (a one-time upload URL and the file id), the bytes
 * POSTed to that URL, then files.completeUploadExternal shares the file where the reply goes,
 * with the reply's text as its comment. The first two steps are invisible (a file nobody was
 * shown); the share is the one outside effect. The file name carries the outbound row's id,
 * so a retry after a lost answer finds the share in the history (findSharedFile) instead of
 * sharing it again. The row records the Slack file id as the message id.
 */
import type { webApi } from '@slack/bolt';
import { PermanentSendError } from '../../../services/messaging/outbound.service.ts';
import { MAX_REPLY_IMAGE_BYTES, type ConversationRef, type Reply, type ReplyImage } from '../../../services/messaging/types.ts';
import { truncate } from '../../../services/text/sanitize.ts';
import { escapeMrkdwn } from './block-kit.renderer.ts';

type WebClient = webApi.WebClient;

/** Runs one Web API call, mapping failures onto the outbound contract (slack.sender.ts). */
export type SlackCall = <T>(run: () => Promise<T>) => Promise<T>;

/** Where and how: the thread (if any), the row id, the upload's own timeout. */
export interface ImagePostOptions {
  threadTs?: string | undefined;
  deliveryId?: string | undefined;
  timeoutMs?: number;
}

/** The bytes of a reply's picture; a picture that can never be sent is refused for good. */
export function imageBytes(image: ReplyImage): Buffer {
  const bytes = Buffer.from(image.dataBase64, 'base64');
  if (bytes.length === 0 || bytes.length > MAX_REPLY_IMAGE_BYTES) throw new PermanentSendError(`image of ${bytes.length} bytes cannot be sent`);
  return bytes;
}

/** The file name a post of row `deliveryId` gets: the picture's own name with the row id in it. */
export function deliveryFileName(name: string, deliveryId: string | undefined): string {
  const m = /^(.*?)(\.[A-Za-z0-9]{1,5})?$/.exec(name.replace(/[^\w.-]+/g, '_'))!;
  const base = m[1] || 'image';
  return deliveryId ? `${base}-${deliveryId}${m[2] ?? '.png'}` : `${base}${m[2] ?? '.png'}`;
}

/** The caption: the reply's title and text as one mrkdwn comment. */
function caption(reply: Reply): string {
  const parts = [reply.title ? `*${escapeMrkdwn(reply.title)}*` : '', escapeMrkdwn(reply.text)].filter(Boolean);
  return truncate(parts.join('\n'), 3900, '…');
}

/** Uploads and shares the reply's picture; returns the Slack file id. */
export async function postImage(client: WebClient, call: SlackCall, ref: ConversationRef, reply: Reply & { image: ReplyImage }, opts: ImagePostOptions): Promise<{ messageId: string }> {
  const bytes = imageBytes(reply.image);
  const filename = deliveryFileName(reply.image.name, opts.deliveryId);
  const target = await call(() => client.files.getUploadURLExternal({ filename, length: bytes.length, alt_text: truncate(reply.image.alt, 1000, '…') }));
  if (!target.upload_url || !target.file_id) throw new Error('slack: files.getUploadURLExternal returned no upload_url');
  const res = await fetch(target.upload_url, {
    method: 'POST',
    body: bytes,
    headers: { 'content-type': 'application/octet-stream' },
    signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
  });
  await res.arrayBuffer();
  if (!res.ok) throw res.status >= 400 && res.status < 500 ? new PermanentSendError(`slack: file upload HTTP ${res.status}`) : new Error(`slack: file upload HTTP ${res.status}`);
  const fileId = target.file_id;
  const title = truncate(reply.title ?? reply.image.alt, 250, '…');
  const share = { files: [{ id: fileId, title }], channel_id: ref.chatId, initial_comment: caption(reply), ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}) };
  await call(() => client.files.completeUploadExternal(share as Parameters<WebClient['files']['completeUploadExternal']>[0]));
  return { messageId: fileId };
}

interface FileShareMessage {
  files?: Array<{ id?: string; name?: string }>;
}

/** The id of a file of row `deliveryId` shared in one of `messages`, or null. */
export function findSharedFile(messages: ReadonlyArray<FileShareMessage>, deliveryId: string): string | null {
  for (const m of messages) {
    const hit = (m.files ?? []).find((f) => typeof f.name === 'string' && f.name.includes(deliveryId));
    if (hit?.id) return hit.id;
  }
  return null;
}
