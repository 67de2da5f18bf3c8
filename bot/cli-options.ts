/** Reading `--name value` / `--name=value` options of the one-shot CLI commands (smoke, doctor). */
import { LocalizedError } from '../services/i18n/i18n.ts';

/** The value of `--name value` or `--name=value`; null when the option is absent. */
export function option(args: string[], name: string): string | null {
  const i = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return null;
  const value = args[i]!.includes('=') ? args[i]!.slice(name.length + 1) : args[i + 1];
  if (value === undefined || value === '' || value.startsWith('--')) throw new LocalizedError('cli.option.needsValue', { name });
  return value;
}
