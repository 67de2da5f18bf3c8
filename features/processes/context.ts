/**
 * What the processes commands and buttons share: who counts as an operator (cancel, retry),
 * the run id as people type it, and the translation of engine refusals into chat answers.
 */
import { UserError } from '../../core/errors.ts';
import { atLeast } from '../../services/users/roles.ts';
import { ProcessError } from '../../services/processes/engine.ts';

/** Operators and above may cancel and retry runs. */
export const OPERATORS = atLeast('operator');

/** Turns engine refusals into chat answers; any other failure passes on unchanged. */
export async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ProcessError) throw new UserError(err.key, err.params);
    throw err;
  }
}

/** Reads a run id from "12" or "#12"; anything else is the user's mistake. */
export function runId(s: string | undefined): number {
  const n = Number((s ?? '').replace(/^#/, ''));
  if (!Number.isInteger(n) || n <= 0) throw new UserError('processes.runNotFound', { id: s ?? '' });
  return n;
}
