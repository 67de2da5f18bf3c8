/**
 * The `a2d2` command lines of a Markdown page's fenced code blocks, for the tests that run
 * them (ops-doc-commands.test.ts). A line is a command line when, after an optional `$ ` and
 * `NAME=value` assignments, it starts with `a2d2 `, `npx a2d2 `, `node bin/a2d2.mjs ` or a path
 * ending in `/a2d2.mjs `; a line that calls such a path later (`exec .../a2d2.mjs ...`, `&& ...`)
 * is one too. In a block written as a terminal session (some line starts with `$ `) only the
 * `$ ` lines are commands, the rest is their output, and a `$ echo $?` line followed by a
 * number gives the exit code the session shows. A block right after the comment
 * `<!-- commands not run here: <reason> -->` is one the tests cannot run on this machine.
 */

export interface DocCommand {
  /** The line as shown (without `$ `). */
  line: string;
  /** `NAME=value` assignments before the command. */
  env: Record<string, string>;
  /** The words after the program (`a2d2`, `npx a2d2`, `.../a2d2.mjs`). */
  args: string[];
  /** The exit code the block's session shows for it (its `$ echo $?`), if any. */
  exitShown?: number;
  /** The reason given by a `commands not run here` mark before its block. */
  notRunHere?: string;
}

const FENCES = /(?:<!--\s*commands not run here:\s*([^\n]*?)\s*-->\s*\n)?^ {0,3}(```|~~~)[^\n]*\n([\s\S]*?)^ {0,3}\2[^\n]*$/gm;
const PROGRAM = /^(?:a2d2|npx a2d2|node bin\/a2d2\.mjs|\S*\/a2d2\.mjs)\s+/;
const MENTION = /\ba2d2(?:\.mjs)?\s+(?:start|migrate|smoke|doctor|backup|restore|chat|support-process)\b/;
const CALL_LATER = /(?:^|\s|&&\s*|exec\s+)(\S*\/a2d2\.mjs)\s+(.*)$/;

/** Splits `A=1 B=2 a2d2 x y` into its assignments and what follows them. */
function assignments(line: string): { env: Record<string, string>; rest: string } {
  const env: Record<string, string> = {};
  let rest = line;
  const one = /^([A-Z][A-Z0-9_]*)=(\$\([^)]*\)|\S*)\s+/;
  for (let m = one.exec(rest); m; m = one.exec(rest)) {
    env[m[1]!] = m[2]!;
    rest = rest.slice(m[0].length);
  }
  return { env, rest };
}

/** The command in one line, or null when the line runs no a2d2 command. */
export function parseCommandLine(raw: string): Omit<DocCommand, 'exitShown' | 'notRunHere'> | null {
  const line = raw.trim().replace(/^\$\s+/, '');
  const { env, rest } = assignments(line);
  const direct = PROGRAM.exec(rest);
  if (direct) return { line, env, args: rest.slice(direct[0].length).trim().split(/\s+/) };
  const later = CALL_LATER.exec(rest);
  if (later) return { line, env, args: later[2]!.trim().replace(/'$/, '').split(/\s+/) };
  return null;
}

/** Every command line of the page's fenced blocks, in page order. */
export function docCommands(text: string): DocCommand[] {
  const out: DocCommand[] = [];
  for (const m of text.matchAll(FENCES)) {
    const lines = m[3]!.split('\n');
    const session = lines.some((l) => /^\s*\$\s/.test(l));
    const exitAt = lines.findIndex((l) => /^\s*\$\s+echo \$\?\s*$/.test(l));
    const exitShown = exitAt >= 0 && /^\s*\d+\s*$/.test(lines[exitAt + 1] ?? '') ? Number(lines[exitAt + 1]) : undefined;
    for (const raw of lines) {
      if (session && !/^\s*\$\s/.test(raw)) continue;
      if (/^\s*#/.test(raw)) continue; // a comment line of a shell or unit file
      // A line that names an a2d2 command but is not read as one is kept, so it cannot pass unseen.
      const c = parseCommandLine(raw) ?? (MENTION.test(raw) ? { line: raw.trim(), env: {}, args: ['(not read as a command line)', raw.trim()] } : null);
      if (!c) continue;
      out.push({ ...c, ...(exitShown !== undefined ? { exitShown } : {}), ...(m[1] !== undefined ? { notRunHere: m[1] } : {}) });
    }
  }
  return out;
}

/**
 * The forms of a synopsis line: `smoke [--url URL] [--json]` gives the shortest form (no
 * optional part) and the longest (every optional part), once per alternative of an `a|b`
 * word. A line without brackets is its own only form.
 */
export function synopsisForms(args: string[]): string[][] {
  const text = args.join(' ');
  if (!text.includes('[')) return [args];
  const bare = text.replace(/\s*\[[^\]]*\]/g, '').trim();
  const full = text.replace(/\[([^\]]*)\]/g, '$1').trim();
  const alt = /(\S+)\|(\S+)/.exec(full);
  const fulls = alt ? alt.slice(1).map((a) => full.replace(alt[0], a)) : [full];
  return [bare, ...fulls].map((f) => f.split(/\s+/));
}

/** An `a2d2 ...` mention in a page's inline code (outside the fenced blocks). */
export interface DocMention {
  /** The code span's text, whitespace collapsed. */
  text: string;
  /** Its command line, or null when the span is not one (`docker run a2d2 doctor`). */
  command: Omit<DocCommand, 'exitShown' | 'notRunHere'> | null;
}

/** A code span that names the a2d2 program followed by a word (not the chat command `/a2d2 ...`). */
const INLINE_MENTION = /(?:^|[\s=(])(?:a2d2|\S*\/a2d2\.mjs)\s+-{0,2}[a-z]/;

/**
 * Every inline code span of the page's prose that mentions an `a2d2` command, in page order:
 * fenced blocks are left out (docCommands reads those), headings and tables are prose here.
 */
export function inlineMentions(text: string): DocMention[] {
  const prose = text.replace(new RegExp(FENCES.source, FENCES.flags), '');
  const out: DocMention[] = [];
  for (const m of prose.matchAll(/(`+)(?!`)([\s\S]+?)(?<!`)\1(?!`)/g)) {
    const span = m[2]!.replace(/\s+/g, ' ').trim();
    if (!INLINE_MENTION.test(span)) continue;
    out.push({ text: span, command: parseCommandLine(span) });
  }
  return out;
}
