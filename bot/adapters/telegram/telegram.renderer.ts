/**
 * Renders a neutral {@link Reply} as Telegram HTML with an inline keyboard. Text longer than
 * Telegram's 4096-character limit is split into several messages at line, then word
 * boundaries; every chunk is well-formed HTML on its own (a tag cut by a split is closed and
 * reopened), and the keyboard goes on the last chunk.
 */
import type { Button, Reply } from '../../../services/messaging/types.ts';
import type { CallbackCodec } from './telegram-callback-data.ts';

/** Telegram's limit on one message's text. */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** Buttons per keyboard row. */
export const BUTTONS_PER_ROW = 3;

/** A run of text with at most one markup wrapper. */
export interface Segment {
  text: string;
  tag?: 'b' | 'i';
  href?: string;
}
/** One output line. */
export type Line = Segment[];

/** One inline keyboard button as the Bot API takes it. */
export interface InlineButton {
  text: string;
  callback_data: string;
}

/** reply_markup for sendMessage / editMessageText. */
export interface InlineKeyboard {
  inline_keyboard: InlineButton[][];
}

/** A reply ready for the Bot API: one or more HTML texts and the keyboard for the last. */
export interface RenderedTelegramReply {
  chunks: string[];
  replyMarkup?: InlineKeyboard;
}

/** Escapes text for Telegram's HTML parse mode (&, <, >). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(text: string): string {
  return escapeHtml(text).replace(/"/g, '&quot;');
}

/** Only these schemes become links; anything else is shown as text. */
function isLinkable(url: string): boolean {
  try {
    return ['http:', 'https:', 'tg:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

function open(seg: Segment): string {
  if (seg.href !== undefined) return `<a href="${escapeAttr(seg.href)}">`;
  return seg.tag ? `<${seg.tag}>` : '';
}

function close(seg: Segment): string {
  if (seg.href !== undefined) return '</a>';
  return seg.tag ? `</${seg.tag}>` : '';
}

function renderSegment(seg: Segment, text = seg.text): string {
  return `${open(seg)}${escapeHtml(text)}${close(seg)}`;
}

function renderLine(line: Line): string {
  return line.map((s) => renderSegment(s)).join('');
}

/** The reply's content as lines: title, text, fields, links, context. */
export function replyLines(reply: Reply): Line[] {
  const sections: Line[][] = [];
  const head: Line[] = [];
  if (reply.title?.trim()) head.push([{ text: reply.title.trim(), tag: 'b' }]);
  if (reply.text) for (const line of reply.text.replace(/\r\n?/g, '\n').split('\n')) head.push(line ? [{ text: line }] : []);
  if (head.length) sections.push(head);
  if (reply.fields?.length) {
    sections.push(reply.fields.map((f) => [{ text: `${f.label}:`, tag: 'b' as const }, { text: ` ${f.value}` }]));
  }
  if (reply.links?.length) {
    sections.push(reply.links.map((l) => (isLinkable(l.url) ? [{ text: l.label || l.url, href: l.url }] : [{ text: `${l.label}: ${l.url}` }])));
  }
  if (reply.context?.trim()) sections.push([[{ text: reply.context.trim(), tag: 'i' }]]);
  // A blank line between sections reads like a card; the title sits right on top of the text.
  const out: Line[] = [];
  sections.forEach((section, i) => {
    if (i > 0) out.push([]);
    out.push(...section);
  });
  return out;
}

/** True for the low half of a surrogate pair (never split before it). */
function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * How many UTF-16 units of `text` fit into `room` characters once escaped, preferring to
 * end after whitespace when that keeps at least half of what would fit.
 */
function fitPrefix(text: string, room: number): number {
  let used = 0;
  let n = 0;
  while (n < text.length) {
    const ch = text[n]!;
    const cost = ch === '&' ? 5 : ch === '<' || ch === '>' ? 4 : 1;
    if (used + cost > room) break;
    used += cost;
    n++;
  }
  if (n < text.length && n > 0 && isLowSurrogate(text.charCodeAt(n))) n--;
  if (n >= text.length || n === 0) return n;
  const lastSpace = Math.max(text.lastIndexOf(' ', n - 1), text.lastIndexOf('\n', n - 1));
  return lastSpace >= n / 2 ? lastSpace + 1 : n;
}

/** Splits one line that is longer than `limit` into pieces that each fit. */
function splitLine(line: Line, limit: number): string[] {
  const pieces: string[] = [];
  let cur = '';
  for (const seg of line) {
    let rest = seg.text;
    const overhead = open(seg).length + close(seg).length;
    while (rest.length > 0) {
      const n = fitPrefix(rest, limit - cur.length - overhead);
      if (n === 0) {
        if (cur === '') throw new Error('telegram renderer: limit too small for markup');
        pieces.push(cur);
        cur = '';
        continue;
      }
      cur += renderSegment(seg, rest.slice(0, n));
      rest = rest.slice(n);
      if (rest.length > 0) {
        pieces.push(cur);
        cur = '';
      }
    }
  }
  if (cur !== '') pieces.push(cur);
  return pieces;
}

/** Joins lines into HTML chunks of at most `limit` characters each. */
export function splitTelegramHtml(lines: Line[], limit = TELEGRAM_TEXT_LIMIT): string[] {
  const chunks: string[] = [];
  let cur: string | null = null;
  for (const line of lines) {
    const html = renderLine(line);
    if (cur !== null && cur.length + 1 + html.length <= limit) {
      cur += `\n${html}`;
      continue;
    }
    if (cur !== null) chunks.push(cur);
    cur = null;
    if (html.length <= limit) {
      cur = html;
      continue;
    }
    const pieces = splitLine(line, limit);
    cur = pieces.pop() ?? null;
    chunks.push(...pieces);
  }
  if (cur !== null) chunks.push(cur);
  // Blank lines at a chunk's edge would be trimmed by Telegram anyway; drop chunks left empty.
  return chunks.map((c) => c.replace(/^\n+|\n+$/g, '')).filter((c) => c.trim().length > 0);
}

/** Inline keyboard rows of up to {@link BUTTONS_PER_ROW}, callback_data encoded by `codec`. */
export async function renderKeyboard(buttons: Button[] | undefined, codec: CallbackCodec): Promise<InlineKeyboard | undefined> {
  if (!buttons?.length) return undefined;
  const encoded = await Promise.all(buttons.map(async (b) => ({ text: b.label, callback_data: await codec.encode(b.actionId, b.value) })));
  const rows: InlineButton[][] = [];
  for (let i = 0; i < encoded.length; i += BUTTONS_PER_ROW) rows.push(encoded.slice(i, i + BUTTONS_PER_ROW));
  return { inline_keyboard: rows };
}

/** Renders a reply; `limit` is the per-message text limit (tests use a small one). */
export async function renderTelegramReply(reply: Reply, codec: CallbackCodec, opts: { limit?: number } = {}): Promise<RenderedTelegramReply> {
  const chunks = splitTelegramHtml(replyLines(reply), opts.limit ?? TELEGRAM_TEXT_LIMIT);
  // Telegram rejects an empty text; a reply with only buttons still needs a line to carry them.
  if (chunks.length === 0) chunks.push('…');
  const replyMarkup = await renderKeyboard(reply.buttons, codec);
  return replyMarkup ? { chunks, replyMarkup } : { chunks };
}

/**
 * Renders a reply for editing one message in place: it must fit one message, so text past
 * the limit is cut and marked with an ellipsis.
 */
export async function renderTelegramEdit(reply: Reply, codec: CallbackCodec, opts: { limit?: number } = {}): Promise<{ text: string; replyMarkup?: InlineKeyboard }> {
  const limit = opts.limit ?? TELEGRAM_TEXT_LIMIT;
  const rendered = await renderTelegramReply(reply, codec, { limit: limit - 1 });
  const first = rendered.chunks[0]!;
  const text = rendered.chunks.length > 1 ? `${first}…` : first;
  return rendered.replyMarkup ? { text, replyMarkup: rendered.replyMarkup } : { text };
}
