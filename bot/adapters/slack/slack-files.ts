/**
 * Downloads a file shared in Slack (for the documents feature). The bot token goes only to
 * Slack's own file hosts (or the configured SLACK_API_URL's origin), the size is capped
 * before and while reading, and Slack's habit of answering a missing scope with a 200 HTML
 * login page is reported as an error instead of being stored as the file.
 */
import type { InboundFile } from '../../../services/messaging/types.ts';
import { createSlackWebClient } from './slack.sender.ts';

/** Options of {@link createSlackFileFetcher}. */
export interface SlackFileFetcherOptions {
  /** Bot token with files:read. */
  token: string;
  /** SLACK_API_URL; its origin is also trusted for downloads (tests, proxies). */
  apiUrl?: string;
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  timeoutMs?: number;
}

/** A downloaded file. */
export interface FetchedSlackFile {
  bytes: Buffer;
  name?: string;
  mimeType?: string;
}

export type SlackFileErrorCode = 'too_large' | 'no_url' | 'untrusted_host' | 'http_error' | 'not_authorized';

/** Why a download failed; `code` is stable for callers to map onto a user message. */
export class SlackFileError extends Error {
  constructor(
    readonly code: SlackFileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SlackFileError';
  }
}

/** Fetches one Slack file. */
export type SlackFileFetcher = (file: InboundFile) => Promise<FetchedSlackFile>;

function trusted(url: URL, apiOrigin: string | null): boolean {
  if (apiOrigin && url.origin === apiOrigin) return true;
  return url.protocol === 'https:' && (url.hostname === 'slack.com' || url.hostname.endsWith('.slack.com') || url.hostname.endsWith('.slack-edge.com'));
}

async function readCapped(res: Response, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new SlackFileError('too_large', `file is larger than ${maxBytes} bytes`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks, total);
}

/** Creates the fetcher: `fetchSlackFile(file)` resolves its URL (files.info when missing) and downloads it. */
export function createSlackFileFetcher(opts: SlackFileFetcherOptions): SlackFileFetcher {
  const apiOrigin = opts.apiUrl ? new URL(opts.apiUrl).origin : null;
  const timeoutMs = opts.timeoutMs ?? 30_000;

  return async function fetchSlackFile(file) {
    let { url, size, name, mimeType } = file;
    if (!url) {
      const client = await createSlackWebClient({ token: opts.token, ...(opts.apiUrl ? { apiUrl: opts.apiUrl } : {}), timeoutMs });
      const info = await client.files.info({ file: file.id });
      url = info.file?.url_private_download ?? info.file?.url_private;
      size = size ?? info.file?.size;
      name = name ?? info.file?.name;
      mimeType = mimeType ?? info.file?.mimetype;
    }
    if (!url) throw new SlackFileError('no_url', `file ${file.id} has no download URL`);
    if (size !== undefined && size > opts.maxBytes) throw new SlackFileError('too_large', `file is larger than ${opts.maxBytes} bytes`);
    const target = new URL(url);
    if (!trusted(target, apiOrigin)) throw new SlackFileError('untrusted_host', `refusing to send the bot token to ${target.host}`);
    // fetch drops the Authorization header when a redirect leaves the origin.
    const res = await fetch(target, { headers: { authorization: `Bearer ${opts.token}` }, signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) {
      await res.body?.cancel();
      throw new SlackFileError('http_error', `download failed with HTTP ${res.status}`);
    }
    const length = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(length) && length > opts.maxBytes) {
      await res.body?.cancel();
      throw new SlackFileError('too_large', `file is larger than ${opts.maxBytes} bytes`);
    }
    const contentType = res.headers.get('content-type') ?? '';
    if (contentType.startsWith('text/html') && !(mimeType ?? '').includes('html')) {
      await res.body?.cancel();
      throw new SlackFileError('not_authorized', 'Slack answered with a web page (is the files:read scope granted?)');
    }
    const bytes = await readCapped(res, opts.maxBytes);
    return { bytes, ...(name ? { name } : {}), ...(mimeType ? { mimeType } : {}) };
  };
}
