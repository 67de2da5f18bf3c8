/**
 * The terminal adapter: `a2d2 chat` talks to the same pipeline as Slack and Telegram.
 * Lines become messages; buttons are shown as numbered choices and a number presses one.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Button, InboundEvent, OutboundRequest, Reply, ReplyImage } from '../../../services/messaging/types.ts';
import { cleanText } from '../../../services/text/sanitize.ts';

export interface TerminalOptions {
  input: Readable;
  output: Writable;
  /** Login name used as the platform user id. */
  userId: string;
  locale?: string;
  /** Hands an event to the pipeline and resolves when it was handled. */
  handle(event: InboundEvent): Promise<unknown>;
  prompt?: string;
  /** Where pictures are written (default: the system's temp directory). */
  imageDir?: string;
}

/** Writes a reply's picture to a file of its own (readable by this user only); returns its path. */
export async function writeImage(image: ReplyImage, dir: string = tmpdir()): Promise<string> {
  const safe = image.name.replace(/[^\w.-]+/g, '_') || 'image.png';
  const path = join(dir, `a2d2-${randomUUID().slice(0, 8)}-${safe}`);
  await writeFile(path, Buffer.from(image.dataBase64, 'base64'), { mode: 0o600 });
  return path;
}

/** Plain-text rendering of a neutral reply; `buttonBase` numbers its buttons. */
export function renderPlain(reply: Reply, buttonBase = 1): string {
  const out: string[] = [];
  if (reply.title) out.push(`== ${reply.title} ==`);
  if (reply.text) out.push(reply.text);
  for (const f of reply.fields ?? []) out.push(`${f.label}: ${f.value}`);
  for (const l of reply.links ?? []) out.push(`${l.label}: ${l.url}`);
  if (reply.context) out.push(`(${reply.context})`);
  (reply.buttons ?? []).forEach((b, i) => out.push(`  [${buttonBase + i}] ${b.label}`));
  return out.join('\n');
}

export interface TerminalSession {
  /** Direct delivery for the outbound port. */
  deliver(req: OutboundRequest): Promise<void>;
  /** Reads lines until EOF; resolves when the input is done and every line was handled. */
  run(): Promise<void>;
}

export function createTerminalSession(opts: TerminalOptions): TerminalSession {
  const chatId = `terminal-${opts.userId}`;
  let buttons: Button[] = [];
  const ref = { platform: 'terminal' as const, chatId };
  const user = { platformUserId: opts.userId, displayName: cleanText(opts.userId), ...(opts.locale ? { locale: opts.locale } : {}) };

  return {
    async deliver(req) {
      const base = buttons.length + 1;
      buttons = [...buttons, ...(req.reply.buttons ?? [])];
      opts.output.write(`${renderPlain(req.reply, base)}\n`);
      // A picture cannot be shown in a terminal: it goes to a file, and its path is printed.
      if (req.reply.image) opts.output.write(`${await writeImage(req.reply.image, opts.imageDir)}\n`);
    },
    async run() {
      const rl = createInterface({ input: opts.input, terminal: false });
      const prompt = () => {
        if (opts.prompt) opts.output.write(opts.prompt);
      };
      prompt();
      for await (const raw of rl) {
        // `a2d2 chat` hands events to the pipeline in-process, past the inbound queue's schema
        // that cleans every other platform's text: a pasted NUL is removed here instead.
        const line = cleanText(raw).trim();
        if (!line) {
          prompt();
          continue;
        }
        if (line === 'exit' || line === 'quit' || line === 'выход') break;
        const choice = /^\d+$/.test(line) ? buttons[Number(line) - 1] : undefined;
        const event: InboundEvent = choice
          ? { type: 'action', platform: 'terminal', eventId: randomUUID(), ref, user, actionId: choice.actionId, value: choice.value }
          : { type: 'message', platform: 'terminal', eventId: randomUUID(), ref, user, text: line, addressed: true };
        if (!choice) buttons = [];
        await opts.handle(event);
        prompt();
      }
      rl.close();
    },
  };
}
