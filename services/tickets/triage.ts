/**
 * The one severity function: suggests a severity for a ticket from its words (English,
 * Russian, Russian in Latin letters) and says why. The proposal card shows it, REST and chat
 * tickets without a severity get it, and the understanding evaluation scores it. The cues
 * are the support levels': security and data loss first (P0 whoever is affected); wishes,
 * documentation and cosmetic issues (P3); what is limited by its own words, a test
 * environment, office equipment, a workaround, one user (P2); who is affected by an outage
 * (everyone: P0; a group or a feature: P1); anything broken (P1); otherwise P2.
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
// lower-cased text with ё folded to е. No \b next to Cyrillic (JS word boundaries are ASCII).
const RULES: Rule[] = [
  {
    severity: 'P0',
    reasonKey: 'tickets.triage.security',
    pattern:
      /(security (breach|incident|hole|issue)|hacked|\bbreach(ed)?\b|data leak|leak(ed|ing)?\b|ransomware|compromised|phishing|exposed|defaced|public repo|open without login|other (users|customers)'? (data|orders|invoices)|see other (users|customers)|взлом|утечк|утекл|уязвимост|скомпрометир|фишинг|шифровальщик|чуж(ие|ой|ую|их) (заказ|счет|данн|пользоват)|видят чужие|безопасност|открыт[аы]? (наружу|без логина)|светятся|vzlom|utechk)/,
  },
  {
    severity: 'P0',
    reasonKey: 'tickets.triage.dataLoss',
    pattern:
      /(data loss|lost (all |the |our |a day of |yesterday)|data (was |is )?(deleted|corrupted|gone|lost)|(is|are|got) (gone|wiped|deleted)|wiped|dropped the|overwrote|deleted (the |all |by accident)|(disappeared|vanished)|потер[яи]\S* данн|данные (пропал|удален|потерян)|пропал[иа]? (все |вчерашн|данн|заказ|платеж)|исчезл|удалил[аи]? (все|продов|таблиц)|стерл|перезаписал|потеряли|побит|повреждена|propali)/,
  },
  {
    severity: 'P3',
    reasonKey: 'tickets.triage.request',
    pattern:
      /(feature request|feature wish|would (be nice|be great|be handy|love)|nice to have|please add|pls add|could you add|can you add|can we (add|have|get)|could we|add (an? |the )?(option|button|tooltip|link)|we want the option|is it possible to add|documentation|\bdocs?\b|readme|faq|user guide|api reference|help center|onboarding (docs|video)|wiki page|typo|spelling|misspel|wording|improve|suggestion|idea\b|idea:|low prio|please update|update the (company|address)|old design|cosmetic|just cosmetic|purely cosmetic|blurry|looks (a bit )?off|off-center|font|colou?rs?\b|brand|logo|2px|stray comma|outdated|rename|resizable|хотелось бы|хотим|было бы (хорошо|удобно|здорово|неплохо)|хорошо бы|добавьте|добавить|можно (добавить|сделать|еженед)|документаци|доке\b|в доке|readme|справк|руководств|скриншот|устарел|устаревш|обновите|неверный пример|старым дизайном|опечатк|написано|улучш|предлож|пожелани|идея|косметик|размыт|криво|шрифт|цвет|брендбук|логотип|не срочно|запятая|разнобой|дружелюбн|переименов|растягива|hotelos|opechatk)/,
  },
  {
    severity: 'P2',
    reasonKey: 'tickets.triage.limited',
    pattern:
      /(staging|stage env|\bstage\b|test env|test server|testing env|\bqa\b|\buat\b|\bdev\b|demo env|стейдж|стэйдж|тестов\S* (стенд|сервер|сред)|testovom|printer|mouse|keyboard|monitor|projector|\btv\b|coffee|charger|kitchen display|wifi|laptop|принтер|мышк|клавиш|монитор|проектор|телевизор|кофемашин|зарядк|экран на кухне|ноутбук|printer|(?<!no )workaround|(?<!no way to )work around|you can still|still (works|finishes)|retry works|rerun fixes|again works|works? fine|easy to work around|annoying but|but (it )?works|everything else works|download is fine|is fine\b|one (customer|client|user|report)|a (couple|few) (of )?users|some users|for some|sometimes|every now and then|minor|small (bug|issue|glitch)|a bit slow|glitch|flicker|weird|обходн(?!\S* (пути |путей )?нет)|можно ввести|со второго раза|жить можно|легко обойти|но (сам )?\S* работает|остальное работает|все равно|перезапуск помогает|нормальный|у остальных норм|(?<!ни )(у )?одного (клиента|пользовател)|(?<!ни )один (клиент|отчет)|пары пользователей|несколько пользователей|части|иногда|мелк|небольш|глюк|глючит|мигает|странн|не мешает|, но работает)/,
  },
  {
    severity: 'P0',
    reasonKey: 'tickets.triage.outage',
    pattern:
      /(for (everyone|every (user|customer|client|merchant|store))|for all (users|customers|clients|merchants|hotels|regions|eu users)|(all|every) (customers?|users|clients|stores|regions|transactions|payments|requests|servers|integrations)|everyone|nobody|no one|none of (our|the)|anyone\b.*\bat all|(whole|entire) (app|site|platform|cluster|customer base|company|checkout)|(completely|totally|entirely) (down|broken|dead)|complete(ly)? outage|all services|offline|total outage|site ?wide|everything is (down|broken)|(prod|production|site|app|api|platform)\S* (is )?(down|dead)|(is|are) down\b(?!.*\b(for|team)\b)|outage|nothing (works|loads)|at all|у всех|всем клиент|все клиент|всех клиент|все магазин|все транзакц|все запрос|все сервер|все сервис|все интеграц|никто|ни у кого|ни один|вся (платформ|касса|клиентск|компани)|весь (кластер|сайт)|во всей|во всех|для всех|все записи|все данные|slomalos|полностью|вообще|все (лежит|сломалось)|прод\S* (лежит|упал|умер|down)|(упал|лежит|умер)\S* прод|сайт (лежит|недоступен|вообще)|авария|u vseh|ni u kogo|voobshe|upal|lezhit|nichego ne rabotaet|ничего не (работает|открывается|грузится|загружается))/,
  },
  {
    severity: 'P1',
    reasonKey: 'tickets.triage.broken',
    pattern:
      /(\b5\d\d\b|\b4(01|13)\b|error|errors out|broken|broke\b|fails?\b|failing|failed|crash|cannot|can't|cant|can not|unable to|not working|doesn'?t work|does not work|don't work|stopped|not (being )?(sent|delivered|arriving|syncing)|never arrives|stuck|hangs|freezes|timeout|timed out|times out|slow|degrad|down\b|unusable|unreachable|(does not|doesn'?t|not) (load|get sent|go out)|empty|latency|logged out|rejects|unavailable|expired|wrong|delayed|drop|ошибк|сломал|слома|падает|пада|упал|вылетает|не работает|не работают|ничего не находит|отклоняет|не генериру|не уход|не могу|не можем|не может|не получается|не проходит|не приходят|не приходит|не отправля|не доставля|не загружа|не грузится|не синхрон|не печата|не передаю|перестал|тормоз|медленн|зависает|виснут|висят|обрываются|выкидывает|недоступ|истек|неправильн|задержк|застрял|oshibk|ne rabotaet|ne mogu|ne prihodyat|tormozit|upal)/,
  },
];

/** The severity the proposal card shows for a free-text problem report. */
export function severityOfReport(text: string): TriageResult {
  return triage(text.trim(), text.trim());
}

/** The kind of cue of each reason key, most telling first. */
const ORDER = RULES.map((r) => r.reasonKey);

/** Suggests a severity for a title and description. */
export function triage(title: string, description = ''): TriageResult {
  // Free text whose title is its own first sentence is read once (the card and the evaluation agree).
  const raw = description.trim().startsWith(title.trim()) ? description : `${title}\n${description}`;
  const text = raw.toLowerCase().replace(/ё/g, 'е');
  for (const key of ORDER) {
    const rule = RULES.find((r) => r.reasonKey === key)!;
    const m = rule.pattern.exec(text);
    if (m) return { severity: rule.severity, reasonKey: rule.reasonKey, matched: raw.slice(m.index, m.index + m[0].length).trim() };
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
