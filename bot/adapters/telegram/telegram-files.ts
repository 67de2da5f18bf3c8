/**
 * Downloads a file a user sent to the bot: getFile for its path, then the file endpoint of the
 * Bot API root. The cloud Bot API serves files up to 20 MB; anything larger is refused before
 * (or, if the size was not reported, while) downloading.
 */
import { basename } from 'node:path';
import type { FileFetcher } from '../../../services/documents/file-fetcher.ts';
import { telegramErrorInfo, type TelegramClient } from './telegram-client.ts';

/** The Bot API's download limit. */
export const TELEGRAM_FILE_MAX_BYTES = 20 * 1024 * 1024;

/** A downloaded file. */
export interface FetchedTelegramFile {
  bytes: Buffer;
  size: number;
  /** Base name of Telegram's file_path ('file_7.pdf'); the message's own file name is on InboundFile. */
  name: string;
  filePath: string;
}

/** Why a download failed; `code` is stable so callers can pick a message for the user. */
export class TelegramFileError extends Error {
  constructor(
    readonly code: 'file_too_big' | 'file_not_found' | 'download_failed',
    message: string,
  ) {
    super(message);
    this.name = 'TelegramFileError';
  }
}

interface TgFile {
  file_id: string;
  file_size?: number;
  file_path?: string;
}

/** Fetches one file by file_id. */
export async function fetchTelegramFile(
  client: TelegramClient,
  fileId: string,
  opts: { maxBytes?: number; timeoutMs?: number } = {},
): Promise<FetchedTelegramFile> {
  const maxBytes = opts.maxBytes ?? TELEGRAM_FILE_MAX_BYTES;
  let file: TgFile;
  try {
    file = await client.call<TgFile>('getFile', { file_id: fileId });
  } catch (err) {
    const info = telegramErrorInfo(err);
    if (info && /too big/i.test(info.description)) throw new TelegramFileError('file_too_big', `file is larger than ${maxBytes} bytes`);
    if (info && info.code >= 400 && info.code < 500) throw new TelegramFileError('file_not_found', `getFile failed: ${info.description}`);
    throw err;
  }
  if (file.file_size !== undefined && file.file_size > maxBytes) throw new TelegramFileError('file_too_big', `file is ${file.file_size} bytes, limit ${maxBytes}`);
  if (!file.file_path) throw new TelegramFileError('file_not_found', 'getFile returned no file_path');

  // The URL carries the bot token: errors below mention the file path only.
  const res = await fetch(client.fileUrl(file.file_path), { signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000) }).catch((err: unknown) => {
    throw new TelegramFileError('download_failed', `download of ${file.file_path} failed: ${(err as Error).name}`);
  });
  if (res.status === 404) throw new TelegramFileError('file_not_found', `file ${file.file_path} is gone`);
  if (!res.ok || !res.body) throw new TelegramFileError('download_failed', `download of ${file.file_path} answered ${res.status}`);
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body.cancel();
    throw new TelegramFileError('file_too_big', `file is ${declared} bytes, limit ${maxBytes}`);
  }
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Uint8Array).byteLength;
    if (size > maxBytes) throw new TelegramFileError('file_too_big', `file exceeds ${maxBytes} bytes`);
    parts.push(Buffer.from(chunk as Uint8Array));
  }
  return { bytes: Buffer.concat(parts), size, name: basename(file.file_path), filePath: file.file_path };
}

/**
 * The neutral {@link FileFetcher} for Telegram (the documents feature uses it). Its errors carry
 * stable codes: file_too_big and file_not_found are final, download_failed may be retried.
 */
export function createTelegramFileFetcher(client: TelegramClient): FileFetcher {
  return {
    platform: 'telegram',
    async fetch(file, opts) {
      const maxBytes = Math.min(opts.maxBytes, TELEGRAM_FILE_MAX_BYTES);
      return (await fetchTelegramFile(client, file.id, { maxBytes })).bytes;
    },
  };
}
