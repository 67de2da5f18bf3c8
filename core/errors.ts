/**
 * Errors that carry a stable code and a user-facing i18n message. Handlers throw these
 * for bad input or a refused state change; the pipeline answers with the message.
 */
export class UserError extends Error {
  constructor(
    /** i18n key, also the stable error code. */
    readonly key: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(key);
    this.name = 'UserError';
  }
}
