/**
 * Document input errors: bad bytes that no retry can fix. Each carries a stable code that is
 * also the i18n key suffix of the reply ('documents.reject.<code>').
 */

/** Why a file was refused. */
export type RejectCode = 'tooLarge' | 'unsupported' | 'encrypted' | 'corrupt' | 'bomb' | 'empty' | 'fetchFailed' | 'noFetcher';

/** Thrown by intake and extractors for input that will never process; the job becomes unrecoverable. */
export class DocumentInputError extends Error {
  constructor(
    readonly code: RejectCode,
    readonly params: Record<string, string | number> = {},
    detail?: string,
  ) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'DocumentInputError';
  }
}
