/**
 * What people type after `run`: the process name, then `key=value` inputs (a value may be
 * quoted to hold spaces), the dry-run flag, and an environment in words ("on staging",
 * "для prod"), which becomes the `env` input of a process that has one.
 */
import { environmentOf } from '../../agents/understanding/args.ts';

/** What `run <text>` asks for; `bad` is the first word that is neither an input nor a flag. */
export interface RunText {
  name: string;
  inputs: Record<string, string>;
  dryRun: boolean;
  /** The words that are neither inputs nor flags, in order. */
  words: string[];
  bad?: string;
}

/** Splits `name a=1 b="two words" --dry-run` into the process name, inputs and flags. */
export function parseRunText(raw: string): RunText {
  const tokens = [...raw.matchAll(/(\S+?=)"([^"]*)"|(\S+?=)'([^']*)'|(\S+)/g)].map((m) => (m[1] ? m[1] + m[2] : m[3] ? m[3] + m[4] : m[5]!));
  const name = tokens.shift() ?? '';
  const inputs: Record<string, string> = {};
  const words: string[] = [];
  let dryRun = false;
  for (const tok of tokens) {
    if (tok === '--dry-run' || tok === '--dryrun' || tok === '--plan') {
      dryRun = true;
      continue;
    }
    const eq = tok.indexOf('=');
    if (eq <= 0) {
      words.push(tok);
      continue;
    }
    inputs[tok.slice(0, eq)] = tok.slice(eq + 1);
  }
  return { name, inputs, dryRun, words, ...(words.length ? { bad: words[0] } : {}) };
}

// "on staging", "for prod", "in dev", "на стейдже", "для production", "в staging".
const ENV_PREPOSITIONS = /^(on|for|in|at|to|against|на|для|в|во|по)$/i;

/**
 * The environment the leftover words name, when they are exactly "[preposition] <environment>":
 * the canonical name for a known word (prod -> production, стейдж -> staging), else the word
 * itself when it looks like an environment name (the engine checks it is configured).
 */
export function environmentWords(words: readonly string[]): string | undefined {
  const rest = words.map((w) => w.replace(/[,.;!?]+$/, '')).filter(Boolean);
  if (rest.length === 2 && ENV_PREPOSITIONS.test(rest[0]!)) rest.shift();
  if (rest.length !== 1) return undefined;
  const word = rest[0]!.toLowerCase();
  // A compound name ("qa-west", "eu-prod") is taken as written, not read as the word inside it.
  const canonical = word.includes('-') ? undefined : environmentOf(word);
  return canonical ?? (words.length === 2 && /^[a-z][a-z0-9-]{0,31}$/.test(word) ? word : undefined);
}

/**
 * Inputs of a run of a definition with these input names: the `key=value` ones, and `env` from
 * the words when the definition takes one. `bad` is set when words are left that mean nothing.
 */
export function runInputs(parsed: RunText, inputNames: readonly string[]): { inputs: Record<string, string>; bad?: string } {
  if (!parsed.words.length) return { inputs: parsed.inputs };
  const env = inputNames.includes('env') ? environmentWords(parsed.words) : undefined;
  if (!env) return { inputs: parsed.inputs, bad: parsed.words[0]! };
  return { inputs: { env, ...parsed.inputs } };
}
