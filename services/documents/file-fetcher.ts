/**
 * The neutral way to get a chat file's bytes: each chat adapter offers a {@link FileFetcher}
 * for its platform; the documents feature never knows which one it is talking to.
 */
import type { InboundFile, Platform } from '../messaging/types.ts';
import { DocumentInputError } from './errors.ts';

/** Downloads files of one platform. */
export interface FileFetcher {
  readonly platform: Platform;
  /** Resolves the file's bytes; throws when larger than `maxBytes`. */
  fetch(file: InboundFile, opts: { maxBytes: number }): Promise<Buffer>;
}

/**
 * Maps an adapter's download error onto an input error when retrying cannot help (too big,
 * gone, not allowed); anything else (network, 5xx) is returned as is, to be retried.
 */
export function classifyFetchError(err: unknown): unknown {
  if (err instanceof DocumentInputError) return err;
  const code = String((err as { code?: unknown })?.code ?? '');
  if (/too_?(large|big)/i.test(code)) return new DocumentInputError('tooLarge');
  if (/not_found|no_url|untrusted|not_authorized|forbidden/i.test(code)) return new DocumentInputError('fetchFailed', {}, code);
  return err;
}
