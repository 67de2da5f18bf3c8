/**
 * What people type after `run`: the process name, then `key=value` inputs (a value may be
 * quoted to hold spaces) and the dry-run flag.
 */

/** What `run <text>` asks for; `bad` is the first word that is neither an input nor a flag. */
export interface RunText {
  name: string;
  inputs: Record<string, string>;
  dryRun: boolean;
  bad?: string;
}

/** Splits `name a=1 b="two words" --dry-run` into the process name, inputs and flags. */
export function parseRunText(raw: string): RunText {
  const tokens = [...raw.matchAll(/(\S+?=)"([^"]*)"|(\S+?=)'([^']*)'|(\S+)/g)].map((m) => (m[1] ? m[1] + m[2] : m[3] ? m[3] + m[4] : m[5]!));
  const name = tokens.shift() ?? '';
  const inputs: Record<string, string> = {};
  let dryRun = false;
  let bad: string | undefined;
  for (const tok of tokens) {
    if (tok === '--dry-run' || tok === '--dryrun' || tok === '--plan') {
      dryRun = true;
      continue;
    }
    const eq = tok.indexOf('=');
    if (eq <= 0) {
      bad ??= tok;
      continue;
    }
    inputs[tok.slice(0, eq)] = tok.slice(eq + 1);
  }
  return { name, inputs, dryRun, ...(bad ? { bad } : {}) };
}
