/** Test helper: the DocumentInputError a promise rejects with (any other outcome fails the test). */
import assert from 'node:assert/strict';
import { DocumentInputError } from '../../services/documents/errors.ts';

export async function refusal(p: Promise<unknown>): Promise<DocumentInputError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof DocumentInputError, `expected DocumentInputError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a refusal');
}
