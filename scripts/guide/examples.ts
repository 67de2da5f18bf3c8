/**
 * The chat examples of the user guides (docs/guide/user.md, docs/guide/user.ru.md).
 *
 * An example is a fenced `text` block between two markers:
 *
 *     <!-- example: ticket-report -->
 *     ```text
 *     > ticket P2 VPN drops every hour | since Monday
 *     == #1 [P2] VPN drops every hour ==
 *     ...
 *     ```
 *     <!-- /example -->
 *
 * Lines starting with "> " are what the user types (one message each, in order); every other
 * line is what the bot answered, as the terminal prints it. The opening marker may carry
 * options: `as=<login>` (type as another terminal user; default the guide's first user) and
 * `setup=<name>` (something that happens before the inputs, such as an alert arriving: see
 * SETUPS in runner.ts). An example with no input lines shows what the setup alone made the bot
 * post. The examples of one guide run in the order they appear, in one fresh database, so a
 * ticket reported in one example is the ticket acknowledged in the next.
 *
 * Volatile parts are normalised (see {@link normalise}) before an example is compared with
 * what the bot says now; the guide itself keeps the text of the run that wrote it.
 */

export interface Example {
  id: string;
  /** Terminal login the inputs are typed as (undefined: the guide's main user). */
  as?: string;
  setup?: string;
  /** What the user types, one message per entry, in order. */
  inputs: string[];
  /** The block's text as the guide shows it (inputs and answers interleaved). */
  shown: string;
}

const OPEN = /<!-- example: ([a-z0-9-]+)((?: [a-z]+=[A-Za-z0-9_-]+)*) -->\n```text\n([\s\S]*?)```\n<!-- \/example -->/g;

/** Every marked example of a guide, in order; throws on a duplicate id or a stray marker. */
export function parseExamples(markdown: string): Example[] {
  const out: Example[] = [];
  const seen = new Set<string>();
  for (const m of markdown.matchAll(OPEN)) {
    const [, id, opts, body] = m as unknown as [string, string, string, string];
    if (seen.has(id)) throw new Error(`example "${id}" appears twice`);
    seen.add(id);
    const options = Object.fromEntries(opts.trim().split(/\s+/).filter(Boolean).map((kv) => kv.split('=') as [string, string]));
    for (const key of Object.keys(options)) if (key !== 'as' && key !== 'setup') throw new Error(`example "${id}": unknown option ${key}`);
    const inputs = body.split('\n').filter((l) => l.startsWith('> ')).map((l) => l.slice(2));
    out.push({ id, ...(options.as ? { as: options.as } : {}), ...(options.setup ? { setup: options.setup } : {}), inputs, shown: body.replace(/\n$/, '') });
  }
  const markers = (markdown.match(/<!-- example: /g) ?? []).length;
  if (markers !== out.length) throw new Error(`${markers} example markers but ${out.length} well-formed examples (a marker needs a \`\`\`text block and <!-- /example -->)`);
  return out;
}

/**
 * What the test compares: the block with its volatile parts replaced, in this order:
 * a picture's temp-file path -> <file>; a local server's port -> 127.0.0.1:<port>;
 * dates (07/12/2026, 2026-12-07, 07.12.2026) -> <date>; clock times (18:42) -> <time>;
 * durations as the bot writes them (2d 20h, 4h, 35m, 12 ms, 2д 20ч) -> <duration>;
 * six-digit link codes -> <code>; a console sign-in token -> token=<token>; numbers after
 * # or № (tickets, runs, documents) -> #<n>; trailing spaces.
 */
export function normalise(text: string): string {
  return text
    .replace(/token=[\w-]+/g, 'token=<token>')
    .replace(/\/\S*a2d2-[0-9a-f]{8}-[\w.-]+/g, '<file>')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>')
    .replace(/\b\d{2}\/\d{2}\/\d{4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{2}\.\d{2}\.\d{4}\b/g, '<date>')
    .replace(/\b\d{1,2}:\d{2}(?::\d{2})?\b/g, '<time>')
    .replace(/(?<![\w#])\d+(?:[.,]\d+)? ?(?:ms|мс|d|h|m|s|д|ч|мин|м|с)(?![\p{L}\d])(?: \d+ ?(?:d|h|m|s|д|ч|мин|м|с)(?![\p{L}\d]))*/gu, '<duration>')
    .replace(/(?<!\d)\d{6}(?!\d)/g, '<code>')
    .replace(/[#№]\d+/g, '#<n>')
    .replace(/[ \t]+$/gm, '');
}

/** The block of an example as the guide should show it: each input followed by its answer. */
export function renderExample(exchanges: { input: string | null; output: string }[]): string {
  const lines: string[] = [];
  for (const x of exchanges) {
    if (x.input !== null) lines.push(`> ${x.input}`);
    const out = x.output.replace(/\n+$/, '');
    if (out) lines.push(out);
  }
  return lines.join('\n');
}

/** The guide with the block of each example replaced by `blocks[id]`. */
export function writeExamples(markdown: string, blocks: Record<string, string>): string {
  return markdown.replace(OPEN, (whole, id: string, opts: string) => {
    const block = blocks[id];
    if (block === undefined) return whole;
    return `<!-- example: ${id}${opts} -->\n\`\`\`text\n${block}\n\`\`\`\n<!-- /example -->`;
  });
}

/** Null when the bot's answers match the example as the guide shows it (both normalised), else the difference. */
export function compareExample(ex: Example, exchanges: { input: string | null; output: string }[]): string | null {
  const shown = normalise(ex.shown);
  const said = normalise(renderExample(exchanges));
  if (shown === said) return null;
  const a = shown.split('\n');
  const b = said.split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i < 0 ? a.length : i;
  return `example "${ex.id}", line ${at + 1}: the guide shows ${JSON.stringify(a[at] ?? '(nothing)')}, the bot says ${JSON.stringify(b[at] ?? '(nothing)')}`;
}
