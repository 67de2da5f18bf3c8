/**
 * The small readers every part of the Slack normalizer shares: safe field access on an
 * untyped payload (`obj`, `str`, `num`), the neutral ref and user builders, and the
 * normalizer's result type with its `ignored(reason)` shorthand.
 */
import type { ConversationRef, InboundEvent, InboundUser } from '../../../services/messaging/types.ts';

/** What the normalizer needs to know about the bot itself. */
export interface SlackNormalizeOptions {
  /** The bot's own user id (auth.test user_id); also read from the envelope's authorizations. */
  botUserId?: string;
}

/** Result of {@link normalizeSlackPayload}. */
export type SlackNormalized = { kind: 'event'; event: InboundEvent } | { kind: 'ignored'; reason: string };

/** A JSON object of unknown shape, as Slack sends it. */
export type Obj = Record<string, unknown>;

/** The value as an object, or undefined for null, arrays and primitives. */
export function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

/** The value as a non-empty string, or undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** The value as a finite number, or undefined. */
export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The result for a payload that is not ours to handle, with the reason for the logs. */
export function ignored(reason: string): SlackNormalized {
  return { kind: 'ignored', reason };
}

/** A Slack conversation ref; thread and workspace only when known. */
export function ref(chatId: string, threadId: string | undefined, teamId: string | undefined): ConversationRef {
  return { platform: 'slack', chatId, ...(threadId ? { threadId } : {}), ...(teamId ? { workspaceId: teamId } : {}) };
}

/** A neutral user; the display name only when Slack sent one. */
export function userOf(id: string, displayName: string | undefined): InboundUser {
  return { platformUserId: id, ...(displayName ? { displayName } : {}) };
}

/** The person behind an interactivity payload (click, submission, shortcut). */
export function interactiveUser(body: Obj): InboundUser | undefined {
  const u = obj(body.user);
  const id = str(u?.id);
  if (!u || !id) return undefined;
  return userOf(id, str(u.name) ?? str(u.username));
}

/** The Slack team of an interactivity payload. */
export function teamOf(body: Obj): string | undefined {
  return str(obj(body.team)?.id) ?? str(obj(body.user)?.team_id);
}
