/**
 * Arguments from free text, per intent label: the ticket id and operation, the list view, the
 * SLA period, the deploys' environment, the question for ask/ai, and for `run` the process
 * (matched against the processes actually loaded), its `key=value` inputs, values named by
 * the words before them ("for document 55", "billing to 1.4.2") and the environment ("on staging").
 */
import { fold, toLatin, words } from './features.ts';
import { namedTicketNumber, ticketNumber } from '../intent-rules.ts';

/** A loaded process as the engine knows it: its name and input names. */
export interface ProcessInfo {
  name: string;
  inputs: string[];
}

/** Environment words (English, Russian, transliterated) and their canonical names. */
const ENVIRONMENTS: [RegExp, string][] = [
  [/\b(prod|production|prd|live)\b|(^|[^а-я])(прод[а-я]*|продакшн[а-я]*|продакшен[а-я]*|боев[а-я]*)|\bna prode?\b/, 'production'],
  [/\b(staging|stage|stg)\b|стейдж[а-я]*|стэйдж[а-я]*|staging[а-я]*|\bsteyg?ing/, 'staging'],
  [/\b(dev|development)\b|(^|[^а-я])(дев|девелоп[а-я]*)($|[^а-я])/, 'dev'],
  [/\b(qa|uat|test env|test environment)\b|тестов[а-я]* (стенд|сред)/, 'test'],
];

/** The environment named in the text, canonical ('production', 'staging', 'dev', 'test'). */
export function environmentOf(text: string): string | undefined {
  const t = fold(text);
  return ENVIRONMENTS.find(([re]) => re.test(t))?.[1];
}

/** Ticket operation words (stems, English, Russian, transliterated) and the `ticket` op they mean. */
const OPS: [RegExp, string][] = [
  [/reopen|переоткр|верн[уи]л|is back|again|снова|opyat/, 'reopen'],
  [/\back|acknowledg|прим[иу]|принял|подтверди получени/, 'ack'],
  [/confirm|подтверд/, 'confirm'],
  [/close|закр|zakr|duplicate|дубл/, 'close'],
  [/resolv|fixed|done|реш|готов|выполн|починил/, 'resolve'],
  [/take|grab|i'?ll handle|working on|in progress|assign|бер[уи]|возьм|забер|в работу|назнач|начина|handle/, 'start'],
];

// A number that is a quantity, a time or a version, not a ticket: "5 min", "40 seconds", "1.4.2", "10:30", "50%".
const NOT_AN_ID = /^\s*(%|min|mins|minutes?|sec|secs|seconds?|s\b|ms|h\b|hours?|days?|weeks?|users?|people|мин\p{L}*|сек\p{L}*|час\p{L}*|дн\p{L}*|дня|день|недел\p{L}*|пользовател\p{L}*|человек)/u;

/**
 * The ticket a message about one names: `#12`, "ticket 12", "заявка 12", or else the one
 * number in it that is not a quantity ("reopen 64, the fix did not hold", "что с
 * 903?"). Two candidate numbers name none.
 */
export function ticketIdIn(text: string): number | undefined {
  const named = namedTicketNumber(text);
  if (named !== undefined) return named;
  const found = [...text.matchAll(/(?<![\p{L}\p{N}.#/:_-])(\d{1,9})(?![\p{L}\p{N}.:/%_-])/gu)].filter((m) => !NOT_AN_ID.test(text.slice(m.index + m[0].length)));
  return found.length === 1 ? Number(found[0]![1]) : undefined;
}

export function ticketOp(text: string): string {
  const t = fold(text);
  return OPS.find(([re]) => re.test(t))?.[1] ?? 'show';
}

export function listView(text: string): string {
  const t = fold(text);
  if (/(breach|overdue|late|missed|просроч|нарушен|опаздыва|prosroch)/.test(t)) return 'breached';
  if (/(at risk|risk|close to|под угроз|риск|могут просроч|близк)/.test(t)) return 'at_risk';
  if (/\b(my|mine|me|i have)\b|(мои|мое|моя|на мне|у меня|меня|\bmoi\b)/.test(t)) return 'mine';
  return 'open';
}

export function slaDays(text: string): number {
  const t = fold(text);
  const n = /(\d{1,3})\s*(days?|d\b|дн|день|дня)/.exec(t);
  if (n) return Math.min(365, Math.max(1, Number(n[1])));
  if (/(week|недел)/.test(t)) return 7;
  if (/(quarter|квартал|90)/.test(t)) return 90;
  if (/(today|сегодня)/.test(t)) return 1;
  return 30;
}

// Russian and spoken names for words of process names ("смоук тест", "откат").
const SYNONYMS: Record<string, string[]> = {
  smoke: ['смоук', 'смок', 'smoke', 'smouk'],
  test: ['тест', 'test', 'check', 'проверк'],
  rollback: ['откат', 'rollback', 'roll back', 'revert', 'верни', 'вернуть', 'otkat'],
  incident: ['инцидент', 'incident', 'incidenta'],
  document: ['документ', 'doc', 'dokument'],
  review: ['ревью', 'review', 'проверк', 'проверит'],
};

function partMatches(part: string, t: string, latin: string): boolean {
  const names = SYNONYMS[part] ?? [part];
  return names.some((n) => t.includes(n) || latin.includes(toLatin(n)));
}

/** The loaded process the text names: every word of its name present (or a synonym of it), longest name first. */
export function processOf(text: string, processes: readonly ProcessInfo[]): ProcessInfo | undefined {
  const t = fold(text);
  const latin = toLatin(t);
  const exact = processes.find((p) => new RegExp(`(^|\\s)${p.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`).test(t));
  if (exact) return exact;
  const scored = processes
    .map((p) => {
      const parts = p.name.toLowerCase().split(/[-_.\s]+/).filter(Boolean);
      const hits = parts.filter((part) => partMatches(part, t, latin)).length;
      return { p, hits, all: hits === parts.length, first: partMatches(parts[0]!, t, latin) };
    })
    .filter((s) => s.first && (s.all || s.hits >= 1))
    .sort((a, b) => Number(b.all) - Number(a.all) || b.hits - a.hits);
  return scored[0]?.p;
}

/** Values the words name: "document 55", "ticket 42", "billing to 1.4.2", "url=...". */
function namedInputs(text: string, proc: ProcessInfo): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([A-Za-z_][\w-]*)=(?:"([^"]*)"|'([^']*)'|(\S+))/g)) out[m[1]!] = m[2] ?? m[3] ?? m[4] ?? '';
  const t = fold(text);
  const has = (k: string) => proc.inputs.includes(k) && out[k] === undefined;
  if (has('document')) {
    const m = /(?:document|doc|документ[а-я]*|док)\s*(?:#|no\.?|№)?\s*(\d+)/.exec(t);
    if (m) out.document = m[1]!;
  }
  if (has('ticket')) {
    const id = ticketNumber(text);
    if (id !== undefined) out.ticket = String(id);
  }
  if (has('version')) {
    const m = /\bv?(\d+\.\d+(?:\.\d+)?(?:[-+][\w.]+)?)\b/.exec(t);
    if (m) out.version = m[1]!;
  }
  if (has('service')) {
    const m = /(?:rollback|roll back|revert|откат[а-я]*|верни|of|сервис|service)\s+(?:the\s+|of\s+)?([a-z][\w-]*)/.exec(t);
    const word = m?.[1];
    if (word && !/^(of|the|service|сервис|to|на|version|версию)$/.test(word)) out.service = word;
    else if (m) {
      const after = /(?:service|сервис)\s+([a-z][\w-]*)/.exec(t);
      if (after) out.service = after[1]!;
    }
  }
  const env = environmentOf(text);
  for (const k of ['env', 'environment', 'stage']) if (env && has(k)) out[k] = env;
  return out;
}

/** `run` arguments: the process, its inputs, the environment, and the command text. */
export function runArgs(text: string, processes: readonly ProcessInfo[]): Record<string, unknown> {
  const proc = processOf(text, processes);
  const environment = environmentOf(text);
  if (!proc) return { text: '', ...(environment ? { environment } : {}) };
  const inputs = namedInputs(text, proc);
  const dryRun = /--dry-?run|dry run|пробн|\bplan\b/.test(fold(text));
  const quoted = Object.entries(inputs).map(([k, v]) => (/\s/.test(v) ? `${k}="${v}"` : `${k}=${v}`));
  return {
    text: [proc.name, ...quoted, ...(dryRun ? ['--dry-run'] : [])].join(' '),
    process: proc.name,
    inputs,
    ...(environment ? { environment } : {}),
  };
}

/** `runs` arguments: the process named, if any. */
export function runsArgs(text: string, processes: readonly ProcessInfo[]): Record<string, unknown> {
  const proc = processOf(text, processes);
  return proc ? { text: proc.name, process: proc.name } : { text: '' };
}

/** The question without a leading address ("ai,", "assistant:", "a2d2"). */
export function question(text: string): string {
  return text
    .trim()
    .replace(/^(hey\s+|эй\s+)?(a2d2|ai|ии|ii|bot|бот|assistant|помощник|agent|агент)\b[\s,:;-]*/i, '')
    .trim();
}

/** Words of the search after "find", "search", "где", "найди". */
export function searchQuery(text: string): string {
  return text
    .replace(/^(please\s+|пожалуйста\s+)?(find|search( the)?( docs| documents)?( for)?|look up|look for|where is|where's|need|get me|send me|give me|найди|поищи|поиск( по документам| документов)?|где|нужен|нужна|пришли|дай)\s*:?\s*(the\s+)?/i, '')
    .replace(/[?]+$/, '')
    .trim();
}

export { words };
