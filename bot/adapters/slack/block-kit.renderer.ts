/**
 * Renders a neutral {@link Reply} as Slack Block Kit plus the fallback text that
 * notifications and old clients show. All reply text is plain text: it is escaped for
 * mrkdwn, so `<!channel>`, `<@U…>` and `<url|label>` typed by a user or a feature are shown,
 * not acted upon. Slack's size limits are respected by splitting, never by dropping content
 * silently except past the 50-block ceiling.
 */
import type { types } from '@slack/bolt';
import type { Button, Reply } from '../../../services/messaging/types.ts';

type KnownBlock = types.KnownBlock;
type ButtonElement = types.Button;

/** Slack's Block Kit limits we render within. */
export const BLOCK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  elementsPerActions: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  contextText: 2000,
  fallbackText: 3000,
} as const;

/** The payload for chat.postMessage / chat.update / chat.postEphemeral. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts at `max` characters (counting the ellipsis), never inside an `&…;` entity. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const amp = text.lastIndexOf('&', cut);
  if (amp !== -1 && amp > cut - 6 && text.indexOf(';', amp) >= cut) cut = amp;
  return `${text.slice(0, cut)}…`;
}

/**
 * Splits already-escaped text into pieces of at most `max` characters, preferring line and
 * word boundaries and never cutting an entity in half.
 */
export function chunkText(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) cut = max;
    const amp = rest.lastIndexOf('&', cut - 1);
    if (amp !== -1 && amp > cut - 6) {
      const semi = rest.indexOf(';', amp);
      if (semi >= cut) cut = amp;
    }
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  if (rest.length > 0) out.push(rest);
  return out;
}

function safeUrl(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    // '|' and '>' would end the link early inside <url|label>.
    return u.toString().replace(/\|/g, '%7C').replace(/>/g, '%3E').replace(/</g, '%3C');
  } catch {
    return null;
  }
}

function buttonBlocks(buttons: Button[]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  for (let i = 0; i < buttons.length; i += BLOCK_LIMITS.elementsPerActions) {
    const row = buttons.slice(i, i + BLOCK_LIMITS.elementsPerActions);
    const counts = new Map<string, number>();
    for (const b of row) counts.set(b.actionId, (counts.get(b.actionId) ?? 0) + 1);
    const elements: ButtonElement[] = row.map((b, j) => {
      // action_id must be unique within a block: repeated ids get a '#n' suffix the normalizer strips.
      const actionId = (counts.get(b.actionId) ?? 0) > 1 ? `${b.actionId}#${j}` : b.actionId;
      const el: ButtonElement = {
        type: 'button',
        text: { type: 'plain_text', text: truncate(b.label || '…', BLOCK_LIMITS.buttonText), emoji: true },
        action_id: actionId.slice(0, BLOCK_LIMITS.actionId),
        value: b.value.slice(0, BLOCK_LIMITS.buttonValue),
      };
      if (b.style) el.style = b.style;
      return el;
    });
    blocks.push({ type: 'actions', elements });
  }
  return blocks;
}

/** Renders a reply as Block Kit blocks and fallback text. */
export function renderBlockKit(reply: Reply): SlackMessage {
  const blocks: KnownBlock[] = [];
  const title = reply.title?.trim();
  if (title) blocks.push({ type: 'header', text: { type: 'plain_text', text: truncate(title, BLOCK_LIMITS.headerText), emoji: true } });
  const body = reply.text?.trim() ? escapeMrkdwn(reply.text) : '';
  for (const piece of chunkText(body, BLOCK_LIMITS.sectionText)) {
    if (piece.trim()) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: piece } });
  }
  const fields = reply.fields ?? [];
  for (let i = 0; i < fields.length; i += BLOCK_LIMITS.fieldsPerSection) {
    blocks.push({
      type: 'section',
      fields: fields.slice(i, i + BLOCK_LIMITS.fieldsPerSection).map((f) => ({
        type: 'mrkdwn' as const,
        text: truncate(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value) || '—'}`, BLOCK_LIMITS.fieldText),
      })),
    });
  }
  const links = (reply.links ?? [])
    .map((l) => {
      const url = safeUrl(l.url);
      return url ? `<${url}|${escapeMrkdwn(l.label || url).replace(/\|/g, '¦')}>` : null;
    })
    .filter((l): l is string => l !== null);
  // Links, buttons and the footer are kept whole; an over-long text gives way to them.
  const tail: KnownBlock[] = [];
  if (links.length > 0) {
    for (const piece of chunkText(links.join('  ·  '), BLOCK_LIMITS.sectionText)) tail.push({ type: 'section', text: { type: 'mrkdwn', text: piece } });
  }
  if (reply.buttons?.length) tail.push(...buttonBlocks(reply.buttons));
  if (reply.context?.trim()) {
    tail.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(escapeMrkdwn(reply.context), BLOCK_LIMITS.contextText) }] });
  }
  const room = Math.max(0, BLOCK_LIMITS.blocks - tail.length);
  const head = blocks.length > room ? blocks.slice(0, room) : blocks;
  const fallbackPlain = [title, reply.text?.trim()].filter(Boolean).join('\n') || reply.context?.trim() || '…';
  return {
    text: truncate(escapeMrkdwn(fallbackPlain), BLOCK_LIMITS.fallbackText),
    blocks: [...head, ...tail].slice(0, BLOCK_LIMITS.blocks),
  };
}
