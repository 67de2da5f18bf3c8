/**
 * What the user guides' examples run with: the configuration (docs/guide/user.md, "About the
 * examples", shows it) and the document the `document` setup uploads.
 */
export type GuideLang = 'en' | 'ru';

/** The guide's main user (terminal login); `as=` in an example names another. */
export const MAIN_USER = 'anna';

/** The a2d2.yaml of a guide run; `base` is the local stand-in for the application and its deploy hook. */
export function guideConfig(lang: GuideLang, base: string): Record<string, unknown> {
  const host = new URL(base).host;
  return {
    defaultLocale: lang,
    defaultRole: 'viewer',
    roles: { admin: ['terminal:anna'], operator: ['terminal:oleg'] },
    processes: {
      http: { allowHosts: [host] },
      vars: {
        appUrl: base,
        healthUrl: `${base}/healthz`,
        deployHookUrl: `${base}/rollback`,
        opsChannel: 'terminal:terminal-anna',
        rollbackSettle: '1s',
      },
    },
  };
}

/** A short runbook in each language: the `document` setup uploads it. */
export const SAMPLE_DOCUMENT: Record<GuideLang, { name: string; text: string }> = {
  en: {
    name: 'vpn-runbook.txt',
    text: [
      'VPN runbook',
      'Author: Network team',
      'Date: 2026-11-02',
      '',
      '1. Connecting',
      'Install the client from the portal and sign in with your work account. The first connection asks for a one-time code from the authenticator app.',
      '',
      '2. When the VPN drops',
      'A connection that drops every hour is usually the session limit: reconnect, and if it keeps happening, ask for a longer session in the network channel.',
      'Drops after sleep are fixed by turning off power saving for the network adapter.',
      '',
      '3. Who to call',
      'Outside business hours, report a P1 ticket; the network engineer on duty answers within four hours.',
      '',
    ].join('\n'),
  },
  ru: {
    name: 'vpn-instrukciya.txt',
    text: [
      'Инструкция по VPN',
      'Автор: сетевая группа',
      'Дата: 02.11.2026',
      '',
      '1. Подключение',
      'Установите клиент с портала и войдите под рабочей учётной записью. При первом подключении понадобится одноразовый код из приложения-аутентификатора.',
      '',
      '2. Если VPN отключается',
      'Если соединение рвётся каждый час, обычно дело в ограничении длины сессии: подключитесь заново, а если повторяется, попросите увеличить сессию в сетевом канале.',
      'Отключения после сна лечатся отключением энергосбережения у сетевого адаптера.',
      '',
      '3. Куда обращаться',
      'В нерабочее время заведите заявку P1: дежурный сетевой инженер ответит в течение четырёх часов.',
      '',
    ].join('\n'),
  },
};
