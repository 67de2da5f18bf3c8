/**
 * Cross-cutting deterministic intent rules (English and Russian): how people phrase a problem
 * report, a question about tickets, alerts, deploys or documents, or a request that needs an
 * LLM. Feature modules keep their own rules; these add phrasing that spans features. Each rule
 * names candidate command ids and only takes part when one of them is registered, so the
 * rules are safe whatever set of features an install runs.
 */
import type { CommandRegistry, IntentRule } from '../core/registry.ts';
import { severityOfReport } from '../services/tickets/triage.ts';

/** Ticket severities of the support process. */
export type Severity = 'P0' | 'P1' | 'P2' | 'P3';

/** A suggested severity with an i18n reason key. */
export interface SeveritySuggestion {
  severity: Severity;
  reasonKey: string;
}

// Problem-report signals. Lower-cased text, 'ё' folded to 'е'. No \b around Cyrillic: JS word
// boundaries are ASCII-only.
const PROBLEM_SIGNALS = [
  /\b(down|broken|not working|doesn't work|does not work|isn't working|can't|cannot|unable|fail(s|ed|ing)?|error|errors|5\d\d|crash(es|ed|ing)?|slow|wrong|bug|issue|problem|leak(ed)?|breach|lost|loss|disappeared|unreachable|jammed|drops|expires? immediately|not (being )?sent|don't get|do not get|missing|stuck|timeout|timing out|hangs?|stopped( working)?|never loads|spins forever|(won't|doesn't|does not|not) load(ing)?|freez(es|ing)|blank page|glitch(es|y)?|hacked|deleted|outdated|cut off|misaligned|overlaps?|other users'? data)\b/,
  /(упал|лежит|не работает|не открывается|не приходят|не приходит|перестал|ошибк|падает|вылетает|тормоз|медленно|неправильно|опечатк|съезжает|не обновляется|утечк|пропал|недоступн|отваливается|протухает|не поднимается|битая|видят чужие|сломал|зажевал|не проходит|не грузится|глючит|зависает|не могу|поехал|удалил|взлом|устаревш|бесконечно|не загружается|белый экран|не сохраняется|глюк|ничего не)/,
];
const FEATURE_SIGNALS = [
  /\b(feature request|would be nice|nice to have|please add|can you add|improvement idea|small improvement|idea:|add the .* to the docs|typo|broken link)/,
  /(хотелось бы|было бы (удобно|здорово|неплохо|полезно)|предлагаю|добавьте|идея:|опечатк|битая ссылка|устаревш)/,
  /\b(could you add|would be (handy|convenient|useful))\b/,
];

/**
 * The severity of a problem report: the tickets' one severity function (the one the proposal
 * card shows), with its reason key.
 */
export function suggestSeverity(text: string): SeveritySuggestion {
  const { severity, reasonKey } = severityOfReport(text);
  return { severity, reasonKey };
}

/** Lower-cases and folds 'ё' the way the deterministic engine does. */
export function fold(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е');
}

/** Strips a leading "create a ticket:" style request so the title is the problem itself. */
export function ticketTitle(text: string): string {
  const stripped = text
    .trim()
    .replace(/^(please\s+)?(can you\s+)?(open|create|file|raise|log|make)\s+(a\s+|me\s+a\s+)?(ticket|bug|issue)(\s+for me)?\s*[:,-]*\s*/i, '')
    .replace(/^(создай|заведи|открой|оформи)\s+(тикет|заявку|задачу)\s*[:,-]*\s*/i, '')
    .replace(/^(i want to|i'd like to|хочу)\s+(report|сообщить о)\s+(a\s+)?(problem|issue|проблеме)\s*[:,-]*\s*/i, '');
  const title = (stripped || text).trim();
  return title.charAt(0).toUpperCase() + title.slice(1, 200);
}

/** The first ticket number in the text ("#42", "ticket 42", "заявка номер 42"). */
export function ticketNumber(text: string): number | undefined {
  const m = /(?<![\d.:/,-])\b(\d{1,9})\s*$/.exec(text.trim());
  return namedTicketNumber(text) ?? (m ? Number(m[1]) : undefined);
}

/** A ticket number marked as one: `#12`, "ticket 12", "заявка № 12". */
export function namedTicketNumber(text: string): number | undefined {
  const m = /#(\d{1,9})\b/.exec(text) ?? /(?:ticket|тикет[a-zа-я0-9_]*|заяв[a-zа-я0-9_]*|номер)\s*(?:no\.?|№|номер)?\s*(\d{1,9})/i.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Candidate command ids per intent label: the first one registered is used. */
export const INTENT_CANDIDATES: Record<string, string[]> = {
  // A proposal (Confirm / Change / Cancel with a triaged severity) is how free text becomes a ticket.
  'ticket.create': ['ticket.propose', 'ticket.create', 'tickets.create', 'ticket.new'],
  'ticket.list': ['ticket.list', 'tickets.list', 'ticket.mine'],
  // The ticket command shows one ticket with op 'show'.
  'ticket.show': ['ticket.show', 'ticket.get', 'ticket.view', 'ticket.create'],
  'sla.report': ['ticket.sla', 'sla.report', 'tickets.sla', 'sla.show'],
  'alert.list': ['alerts.list', 'alert.list', 'alert.active'],
  'deploy.list': ['alerts.deploys', 'deploy.list', 'deploys.list', 'alert.deploys'],
  'doc.list': ['doc.list', 'docs.list', 'document.list', 'documents.list'],
  // The docs command searches with "search <words>".
  'doc.search': ['doc.search', 'docs.search', 'document.search', 'doc.list'],
  'agent.ask': ['agent.ask'],
  'core.help': ['core.help'],
  'core.status': ['core.status'],
  // An operation on an existing ticket ("close ticket 42"): the ticket command with op 'close', 'resolve', ...
  'ticket.op': ['ticket.create'],
  'doc.ask': ['doc.ask'],
  'process.run': ['processes.run'],
  'process.runs': ['processes.runs'],
  'process.list': ['processes.list'],
};

/** Maps a matched command (id and arguments) back to its intent label (for the evaluation harness). */
export function intentLabel(commandId: string | null | undefined, args?: unknown): string {
  if (!commandId) return 'none';
  const op = args && typeof args === 'object' ? (args as { op?: unknown }).op : undefined;
  if (op === 'show') return 'ticket.show';
  if (typeof op === 'string' && op !== 'create' && op !== 'guided') return 'ticket.op';
  if (args && typeof args === 'object' && /^search\s/.test(String((args as { text?: unknown }).text ?? ''))) return 'doc.search';
  for (const [label, ids] of Object.entries(INTENT_CANDIDATES)) if (ids.includes(commandId)) return label;
  return commandId;
}

interface RuleDef {
  label: string;
  patterns: RegExp[];
  weight: number;
  toArgs(text: string): Record<string, unknown>;
}

const rest = (text: string) => ({ text: text.trim() });

function ticketArgs(text: string): Record<string, unknown> {
  const title = ticketTitle(text);
  const { severity } = suggestSeverity(text);
  // Extra keys are stripped by non-strict schemas; both common spellings are offered.
  return { text: `${severity} ${title}`, title, severity, description: text.trim() };
}

const RULES: RuleDef[] = [
  {
    label: 'ticket.show',
    weight: 0.8,
    patterns: [
      /\b(show|open|details? of|status of|what'?s (up with|the status of))\b.*(ticket\s*#?\d+|#\d+)/,
      /\bticket\s*#?\d+/,
      /(^|\s)#\d+/,
      /(покажи|что с|статус|подробност[a-zа-я0-9_]*|открой).*(тикет[a-zа-я0-9_]*|заяв[a-zа-я0-9_]*)\s*(номер\s*)?#?\d+/,
      /(тикет[a-zа-я0-9_]*|заяв[a-zа-я0-9_]*)\s*(номер\s*)?#?\d+/,
    ],
    toArgs: (text) => {
      const id = ticketNumber(text);
      return { op: 'show', text: id !== undefined ? String(id) : text.trim(), ...(id !== undefined ? { id } : {}) };
    },
  },
  {
    label: 'ticket.list',
    weight: 0.7,
    patterns: [
      /\b(my|open|breached|overdue|at risk|assigned|active|pending|list( the)?|show( me)?( my| the| all)?|which|any)\b.*\btickets?\b/,
      /\btickets?\b.*\b(assigned to me|at risk|open|breached)\b/,
      /\bopen p[0-3]\b/,
      /\bsupport queue\b/,
      /\b(still open|open in support|in the (support )?queue)\b/,
      /(висит|висят|в поддержке)/,
      /(мои|открыт[a-zа-я0-9_]*|просроч[a-zа-я0-9_]*|список|покажи|какие)\s.*(заяв|тикет)/,
      /(заяв|тикет)[a-zа-я0-9_]*\s.*(на мне|открыт)/,
      /открыт[a-zа-я0-9_]* p[0-3]/,
      /очеред[a-zа-я0-9_]* поддержки/,
    ],
    toArgs: (text) => {
      const t = fold(text);
      const view = /(breach|overdue|просроч)/.test(t) ? 'breached' : /(at risk|risk|под угрозой|риск)/.test(t) ? 'at_risk' : /\b(my|mine|me)\b|(мои|на мне|мне)/.test(t) ? 'mine' : 'open';
      return { view, text: view };
    },
  },
  {
    label: 'ticket.create',
    weight: 0.75,
    patterns: [
      /\b(open|create|file|raise|log|make)\s+(a\s+|me\s+a\s+)?(new\s+)?(ticket|bug|issue)\b(?!\s*#?\d)/,
      /\b(report|reporting) (a|the)? ?(problem|issue|bug)\b/,
      /(создай|заведи|открой|оформи|создать|завести)\s+(нов[a-zа-я0-9_]+\s+)?(тикет|заявку|задачу)(?!\s*(номер\s*)?#?\d)/,
      /сообщить о проблеме/,
    ],
    toArgs: ticketArgs,
  },
  {
    label: 'ticket.create',
    weight: 0.55,
    patterns: [...PROBLEM_SIGNALS, ...FEATURE_SIGNALS, /\b(should be|instead of)\b/, /(вместо|должно быть)/],
    toArgs: ticketArgs,
  },
  {
    label: 'sla.report',
    weight: 0.72,
    patterns: [/\bsla\b/, /\b(mean|average) time to (resolve|acknowledge|respond)\b/, /\bmttr\b/, /(среднее время (решения|реакции|ответа))/, /\b(response|resolution) times?\b/, /(срок[a-zа-я]* (реакции|решения|ответа))/],
    toArgs: (text) => {
      const t = fold(text);
      const days = /(week|недел)/.test(t) ? 7 : /(quarter|квартал)/.test(t) ? 90 : /(today|сегодня)/.test(t) ? 1 : 30;
      return { days, text: String(days) };
    },
  },
  {
    label: 'alert.list',
    weight: 0.68,
    patterns: [
      /\balerts?\b(?!.*\b(why|explain)\b)/,
      /\b(what'?s|what is|anything|is anything) (firing|on fire)\b/,
      /(алерт|оповещени|тревог)(?!.*(почему|объясни))/,
      /что (горит|сработало|стреляет)/,
      /\b(monitors?|checks?|dashboards?) (are |is )?(red|failing|firing)\b/,
      /(мониторинг|проверк[a-zа-я]*) .*(красн|падают|сработал)/,
    ],
    toArgs: rest,
  },
  {
    label: 'deploy.list',
    weight: 0.66,
    patterns: [
      /^(show |list |any )?(me )?(the )?(recent|last|latest) (deploys?|deployments?|releases?)\b/,
      /\bdeploy(s|ments?)\b(?!.*\b(why|explain)\b)/,
      /\b(what|who|when) (was|were)? ?(deployed|released|rolled out)\b/,
      /\bwho deployed\b/,
      /\b(ship(ped)?|roll(ed)? out|release(d)?|deploy(ed)?)\b.*\b(today|yesterday|this week|this morning)\b/,
      /(выкатывал|выкладывал|релизил|деплоил|задеплоил)/,
      /\bwhen was the last release\b/,
      /(последн[a-zа-я0-9_]* (деплой|деплои|выкладк|релиз)|деплоил|выкатил|выкатили|выкладк[a-zа-я0-9_]* на|когда был[a-zа-я0-9_]* последн[a-zа-я0-9_]* релиз)/,
    ],
    // Environment names are the install's own, so no filter is guessed from free text.
    toArgs: () => ({ text: '' }),
  },
  {
    label: 'doc.search',
    weight: 0.7,
    patterns: [
      /\b(find|search|look up|where is|where's)\b.*\b(contract|invoice|manual|certificate|document|doc|report|passport|guide)s?\b/,
      /\bsearch documents\b/,
      /\b(need|get me|send me|give me)\b.*\b(nda|contract|agreement|invoice|manual|certificate|policy|document|spec)s?\b/,
      /(нужен|нужна|нужно|пришли|дай)\s.*(nda|договор|соглашени|счет|инструкци|сертификат|документ|регламент)/,
      /(найди|поиск|где)\s.*(договор|счет|счета|инструкци|сертификат|документ|паспорт|отчет|руководств)/,
    ],
    toArgs: (text) => {
      const query = text
        .replace(/^(please\s+)?(find|search( documents)?( for)?|look up|where is|where's)\s+(the\s+)?/i, '')
        .replace(/^(найди|поиск( документов)?|где)\s+/i, '')
        .replace(/\?$/, '')
        .trim();
      return { text: `search ${query}`, query };
    },
  },
  {
    label: 'doc.list',
    weight: 0.69,
    patterns: [
      /\b(recent|latest|my|list( my)?|show( recent)?)\s+(docs|documents)\b/,
      /\bdocuments were uploaded\b/,
      /(последние документы|список документов|какие документы|мои документы)/,
    ],
    toArgs: () => ({ text: '' }),
  },
  {
    label: 'agent.ask',
    weight: 0.74,
    patterns: [
      /\b(summar(y|i[sz]e)|tl;?dr|recap)\b/,
      /\b(explain|why)\b/,
      /\b(weekly|monthly|ops) report\b/,
      /\bhow many\b.*\b(per|by|each|over)\b/,
      /\btrend(ing)?\b/,
      /\b(cite|citation|quote)\b/,
      /\bwhat does\b.*\bsay about\b/,
      /(кратко|коротко|вкратце|о чем .*(договорились|речь)|краткое содержание|перескажи|резюме|саммари|объясни|почему)/,
      /(недельн[a-zа-я0-9_]* отчет|еженедельн[a-zа-я0-9_]* отчет|отчет за неделю)/,
      /сколько .*(по неделям|по месяцам|по дням)/,
      /(цитат|что .*сказано)/,
    ],
    toArgs: (text) => ({ text: text.trim() }),
  },
  {
    label: 'core.help',
    weight: 0.35,
    patterns: [/\bhow (do|can) i use you\b/, /\bwhich commands\b/, /\bwhat are you for\b/, /(как тобой пользоваться|какие (есть )?команды|что ты (вообще )?(можешь|умеешь))/],
    toArgs: () => ({ text: '' }),
  },
  {
    label: 'core.status',
    weight: 0.35,
    patterns: [/\b(are you (alive|ok|up|there)|bot status|is the bot (healthy|ok|up|alive))\b/, /(ты (жив|живой|тут|работаешь)|статус бота)/],
    toArgs: () => ({}),
  },
];

/**
 * The cross-cutting rules bound to a registry. Each rule's command id and patterns resolve
 * lazily (when an event is matched, after every module registered), so a rule whose commands
 * are not installed never matches.
 */
export function generalIntentRules(registry: CommandRegistry): IntentRule[] {
  return RULES.map((def) => {
    const resolve = () => (INTENT_CANDIDATES[def.label] ?? [def.label]).find((id) => registry.command(id));
    return {
      get commandId() {
        return resolve() ?? def.label;
      },
      get patterns() {
        return resolve() ? def.patterns : [];
      },
      toArgs: def.toArgs,
      weight: def.weight,
    } satisfies IntentRule;
  });
}
