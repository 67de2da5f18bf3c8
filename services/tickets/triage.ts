/**
 * Deterministic triage: suggests a severity for a ticket from its words (English and
 * Russian) and says why. The most severe matching rule wins; without a signal, P2.
 * An LLM can replace this later behind the same shape.
 */
import type { Severity } from './tickets.config.ts';

/** A suggestion with its reason (an i18n key and the words that matched). */
export interface TriageResult {
  severity: Severity;
  /** i18n key naming the kind of signal ('tickets.triage.outage'). */
  reasonKey: string;
  /** The words in the text that matched, as written there; '' for the default. */
  matched: string;
}

interface Rule {
  severity: Severity;
  reasonKey: string;
  pattern: RegExp;
}

// Stems rather than words: Russian inflects ("упал", "упало", "упали"). Patterns run on
// lower-cased text with ё folded to е.
const RULES: Rule[] = [
  { severity: 'P0', reasonKey: 'tickets.triage.security', pattern: /(security (breach|incident|hole)|hacked|breach(ed)?\b|data leak|leaked|взлом|утечк|уязвимост)/ },
  { severity: 'P0', reasonKey: 'tickets.triage.dataLoss', pattern: /(data loss|lost (all |the |our )?data|data (was |is )?(deleted|corrupted|gone)|потер[яи]\S* данн|данные (пропал|удален|потерян)|пропали данные)/ },
  {
    severity: 'P0',
    reasonKey: 'tickets.triage.outage',
    pattern:
      /(\b(is|are|went|goes|gone) down\b|\bdown for (all|every)|outage|(prod|production|site|service|website|server)s? (is |are )?(down|unavailable|unreachable)|nothing (works|loads|opens)|(completely|totally) (broken|down)|упал|упало|упали|лежит|легл[аои]|не работает (вообще|ничего|совсем)|ничего не (работает|открывается|грузится|загружается)|недоступ)/,
  },
  {
    severity: 'P1',
    reasonKey: 'tickets.triage.broken',
    pattern:
      /(\b5\d\d\b|error|broken|fails?\b|failing|crash|cannot|can't|can not|unable to|not working|doesn't work|does not work|timeout|timed out|very slow|degrad|ошибк|сломал|падает|не работает|не могу|не получается|не проходит|тормозит|медленн|зависает)/,
  },
  {
    severity: 'P3',
    reasonKey: 'tickets.triage.request',
    pattern:
      /(feature request|would be nice|nice to have|please add|could you add|add (an? |the )?option|documentation|\bdocs?\b|typo|improve|suggestion|хотелось бы|было бы (хорошо|удобно|здорово)|добавьте|добавить возможност|документаци|опечатк|улучш|предложени)/,
  },
];

const ORDER: Severity[] = ['P0', 'P1', 'P3'];

/** Suggests a severity for a title and description. */
export function triage(title: string, description = ''): TriageResult {
  const raw = `${title}\n${description}`;
  const text = raw.toLowerCase().replace(/ё/g, 'е');
  for (const severity of ORDER) {
    for (const rule of RULES) {
      if (rule.severity !== severity) continue;
      const m = rule.pattern.exec(text);
      if (m) return { severity, reasonKey: rule.reasonKey, matched: raw.slice(m.index, m.index + m[0].length).trim() };
    }
  }
  return { severity: 'P2', reasonKey: 'tickets.triage.default', matched: '' };
}

/**
 * Words that make free text look like a problem report (for the intent engine).
 * Deliberately narrower than triage: a question that merely mentions "error" is not enough.
 */
export const PROBLEM_REPORT_PATTERNS: RegExp[] = [
  /(упал|упало|упали|лежит|не работает|ничего не (открывается|работает|грузится)|сломал|не могу (войти|зайти|оплатить)|ошибка \d{3}|недоступ)/,
  /(\bis down\b|\bare down\b|outage|not working|doesn't work|does not work|is broken|are broken|nothing (works|loads|opens)|can't (log ?in|access|sign in)|cannot (log ?in|access|sign in)|returns? (an? )?(error|5\d\d))/,
];
