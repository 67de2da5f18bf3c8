/**
 * Slack request signing: `v0=` + hex HMAC-SHA256(signing secret, `v0:{timestamp}:{raw body}`).
 * Requests whose timestamp is more than five minutes from now, in either direction, are
 * refused: a stale one may be a replay, a future one would stay replayable for longer.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Allowed distance between the request timestamp and now, in seconds. */
export const SLACK_TIMESTAMP_TOLERANCE_SEC = 5 * 60;

/** Why a request was refused; sent back in the 401 body, so it must not reveal secrets. */
export type SlackSignatureFailure =
  | 'missing signature headers'
  | 'malformed timestamp'
  | 'stale timestamp'
  | 'future timestamp'
  | 'malformed signature'
  | 'signature mismatch';

export type SlackSignatureResult = { ok: true } | { ok: false; reason: SlackSignatureFailure };

/** Inputs of {@link verifySlackSignature}. */
export interface SlackSignatureInput {
  signingSecret: string;
  /** X-Slack-Request-Timestamp (seconds since the epoch). */
  timestamp: string | undefined;
  /** X-Slack-Signature. */
  signature: string | undefined;
  /** The body exactly as received. */
  rawBody: Buffer | string;
  /** Current time in milliseconds. */
  nowMs: number;
  toleranceSec?: number;
}

/** Computes the `v0=` signature Slack would send for this body and timestamp. */
export function computeSlackSignature(signingSecret: string, timestamp: string | number, rawBody: Buffer | string): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}

const SIGNATURE_SHAPE = /^v0=[0-9a-f]{64}$/;
const TIMESTAMP_SHAPE = /^\d{1,12}$/;

/** Verifies a Slack request signature in constant time; never throws. */
export function verifySlackSignature(input: SlackSignatureInput): SlackSignatureResult {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) return { ok: false, reason: 'missing signature headers' };
  if (!TIMESTAMP_SHAPE.test(timestamp)) return { ok: false, reason: 'malformed timestamp' };
  const tolerance = input.toleranceSec ?? SLACK_TIMESTAMP_TOLERANCE_SEC;
  const skew = Number(timestamp) - Math.floor(input.nowMs / 1000);
  if (skew < -tolerance) return { ok: false, reason: 'stale timestamp' };
  if (skew > tolerance) return { ok: false, reason: 'future timestamp' };
  // The shape check leaks nothing about the secret: it only looks at what the caller sent.
  if (!SIGNATURE_SHAPE.test(signature)) return { ok: false, reason: 'malformed signature' };
  const expected = Buffer.from(computeSlackSignature(input.signingSecret, timestamp, input.rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}
