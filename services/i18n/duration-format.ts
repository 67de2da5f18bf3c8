/**
 * The one way a duration is written for a person (SLA times, "resolved after", button labels,
 * the SLA report, process step times, the console), in the reader's language: the units come
 * from the catalogue (`duration.*`). English is compact ("2d 20h", "3h 59m", "45s", "37 ms"),
 * Russian has its own units ("2 д 20 ч", "3 ч 59 мин", "45 с", "37 мс").
 *
 * At most two units, the largest first: days and hours, hours and minutes, minutes and seconds
 * below ten minutes; under a second in milliseconds, under ten seconds with one decimal when
 * there is one ("4.2s", "4,2 с").
 */
import type { Translate } from './i18n.ts';

const SECOND = 1000;

/** `ms` written for a person in the language of `t` (negative values count as zero). */
export function formatDuration(t: Translate, ms: number): string {
  const unit = (key: 'd' | 'h' | 'm' | 's' | 'ms', n: number | string) => t(`duration.${key}`, { n });
  const both = (a: string, b: string) => t('duration.pair', { first: a, second: b });
  const value = Math.max(0, ms);
  if (value > 0 && value < SECOND) return unit('ms', Math.max(1, Math.round(value)));
  if (value < 10 * SECOND) {
    const tenths = Math.round(value / 100);
    if (tenths % 10 !== 0) return unit('s', t('duration.decimal', { whole: Math.floor(tenths / 10), fraction: tenths % 10 }));
  }
  const s = Math.round(value / SECOND);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return h ? both(unit('d', d), unit('h', h)) : unit('d', d);
  if (h > 0) return m ? both(unit('h', h), unit('m', m)) : unit('h', h);
  if (m > 0) return sec && m < 10 ? both(unit('m', m), unit('s', sec)) : unit('m', m);
  return unit('s', sec);
}
