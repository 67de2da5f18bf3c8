/**
 * The one duration format of the configuration and of process definitions: a number with a
 * unit ('90s', '15m', '2h', '1d', '1w', '250ms', or combined as '1h30m'). A bare number is
 * refused, because whether it meant seconds or milliseconds cannot be told; the error names
 * the key through the schema's path.
 *
 * Values stay as written and are converted with {@link durationMs} where used: the YAML may be
 * validated more than once (overrides are merged and re-parsed), so the parsed form must parse
 * to itself.
 */
import parse from 'parse-duration';
import { z } from 'zod';

/** What the refusal says a duration must look like. */
export const DURATION_HINT = "a duration with a unit, such as '90s', '15m', '2h', '1d' or '250ms' (a bare number is not accepted)";

/** Milliseconds of `text`, or null when it is not a duration with a unit (or is negative). */
export function parseDuration(text: string): number | null {
  const s = text.trim();
  // The parser reads a bare number as milliseconds; a unit must be written.
  if (!/^\d/.test(s) || !/[a-zµ]$/i.test(s)) return null;
  const ms = parse(s);
  return ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0 ? null : Math.round(ms);
}

/** A duration as written in the YAML (see {@link DURATION_HINT}). */
export const durationSchema = z
  .string({ error: DURATION_HINT })
  .trim()
  .refine((s) => parseDuration(s) !== null, { message: DURATION_HINT });
export type Duration = z.infer<typeof durationSchema>;

/** Milliseconds of a validated {@link Duration}. */
export function durationMs(d: Duration): number {
  const ms = parseDuration(d);
  if (ms === null) throw new Error(`not a duration: ${d}`);
  return ms;
}
